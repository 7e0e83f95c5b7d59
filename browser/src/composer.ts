// The message box: Enter sends, Shift+Enter adds a line, Escape clears, Up
// in an empty box edits the user's last message, "@" offers names
// (mention-completer.ts). Drafts are kept per room across reloads (the
// client core's Drafts). While the user types it
// says so (typing:true, again every few seconds as typing goes on, since the
// server ends the state by itself after 5 s) and stops saying so on send,
// clear, blur or a change of room.
import type { Drafts } from "../../common/drafts";
import { codePointLength, FIELD_LIMITS } from "../../common/rules";
import { h, showFormError } from "./dom";
import { svgIcon } from "./icons";
import { MentionCompleter } from "./mention-completer";
import type { PeopleSuggestions } from "./people-suggestions";

const AUTOSIZE_BY_CSS = typeof CSS !== "undefined" && CSS.supports("field-sizing", "content");
/** Under the server's 5 s timeout, so that an indicator never blinks off while typing goes on. */
const TYPING_REFRESH_MS = 3000;

export class Composer {
  readonly el: HTMLFormElement;
  readonly input: HTMLTextAreaElement;
  private readonly counter = h("span", { class: "counter" });
  private readonly errorSlot = h("div", { class: "error-slot composer-error" });
  private roomId: string | null = null;
  /** The room told "typing", and when. */
  private typingIn: { roomId: string; at: number } | null = null;
  private readonly mentions: MentionCompleter;

  constructor(
    private readonly drafts: Drafts,
    private readonly onSend: (roomId: string, text: string) => void,
    private readonly onTyping: (roomId: string, typing: boolean) => void,
    { suggestions, editLast }: { suggestions: PeopleSuggestions; editLast: () => boolean },
  ) {
    this.input = h("textarea", {
      id: "composer-input",
      rows: 1,
      autocomplete: "off",
      enterkeyhint: "send",
      "aria-describedby": "composer-help",
    });
    this.mentions = new MentionCompleter(this.input, suggestions, () => this.roomId, () => this.edited());
    this.el = h(
      "form",
      { class: "composer", novalidate: true },
      h("label", { for: this.input.id, class: "sr-only" }, "Message"),
      this.mentions.list.el,
      h(
        "div",
        { class: "composer-box" },
        this.input,
        h(
          "button",
          { type: "submit", class: "button primary send" },
          svgIcon("send"),
          h("span", { class: "send-label" }, "Send"),
        ),
      ),
      h(
        "div",
        { class: "composer-foot" },
        h("span", { id: "composer-help", class: "hint" }, "Enter to send · Shift+Enter for a new line · @ to mention · ? for shortcuts"),
        this.counter,
      ),
      this.errorSlot,
    );
    this.el.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener("keydown", (e) => {
      if (this.mentions.key(e)) return;
      if (e.key === "ArrowUp" && this.input.value === "" && !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
        if (editLast()) e.preventDefault();
      } else if (e.key === "Enter" && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        this.submit();
      } else if (e.key === "Escape" && (this.input.value !== "" || this.errorSlot.childElementCount > 0)) {
        e.preventDefault();
        e.stopPropagation();
        this.setValue("");
        if (this.roomId !== null) this.drafts.set(this.roomId, "");
        showFormError(this.errorSlot, null);
      }
    });
    this.input.addEventListener("input", () => {
      this.edited();
      this.mentions.update();
    });
    this.input.addEventListener("blur", () => this.stopTyping());
  }

  /** Switches to a room's draft (or disables the box when no room is open). */
  setRoom(roomId: string | null, placeholder: string): void {
    this.stopTyping();
    this.mentions.close();
    this.roomId = roomId;
    this.input.placeholder = placeholder;
    this.setValue(roomId === null ? "" : (this.drafts.get(roomId) ?? ""));
    showFormError(this.errorSlot, null);
  }

  /** The text changed (typed, or a completion went in). */
  private edited(): void {
    this.changed();
    this.noteTyping();
    if (this.roomId !== null) this.drafts.set(this.roomId, this.input.value);
  }

  focus(): void {
    this.input.focus({ preventScroll: true });
  }

  private submit(): void {
    const text = this.input.value;
    if (this.roomId === null || !/\S/.test(text)) return;
    if (codePointLength(text) > FIELD_LIMITS.messageText) {
      showFormError(this.errorSlot, `Messages can be at most ${FIELD_LIMITS.messageText} characters. Shorten it or split it in two.`);
      return;
    }
    showFormError(this.errorSlot, null);
    this.stopTyping();
    this.onSend(this.roomId, text);
    this.setValue("");
    this.drafts.set(this.roomId, "");
    this.focus();
  }

  private setValue(value: string): void {
    this.input.value = value;
    if (!/\S/.test(value)) this.stopTyping();
    this.changed();
  }

  private noteTyping(): void {
    const roomId = this.roomId;
    if (roomId === null || !/\S/.test(this.input.value)) {
      this.stopTyping();
      return;
    }
    const now = Date.now();
    if (this.typingIn?.roomId === roomId && now - this.typingIn.at < TYPING_REFRESH_MS) return;
    this.typingIn = { roomId, at: now };
    this.onTyping(roomId, true);
  }

  stopTyping(): void {
    const typing = this.typingIn;
    if (!typing) return;
    this.typingIn = null;
    this.onTyping(typing.roomId, false);
  }

  private changed(): void {
    const length = codePointLength(this.input.value);
    const near = length > FIELD_LIMITS.messageText - 200;
    this.counter.textContent = near ? `${length} / ${FIELD_LIMITS.messageText}` : "";
    this.counter.classList.toggle("over", length > FIELD_LIMITS.messageText);
    if (!AUTOSIZE_BY_CSS) {
      // Fallback where field-sizing is unsupported: grow with the content (CSSOM, allowed by the CSP).
      this.input.style.height = "auto";
      this.input.style.height = `${Math.min(this.input.scrollHeight, 200)}px`;
    }
  }
}
