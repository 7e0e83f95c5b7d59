// Message search: a box labelled "Search messages" and, under it, a results
// list (role="list", "Search results"). Typing searches after a short pause;
// each result is a button that opens its room at that message. Arrow keys
// move between the box and the results, Escape closes the list.
import type { Message } from "../../common/protocol";
import { h, setChildren, uid } from "./dom";
import { dayLabel, hhmm, queryWords, snippetNodes } from "./format";
import { svgIcon } from "./icons";

export type SearchActions = {
  search(query: string): Promise<Message[]>;
  open(message: Message): void;
  /** "#general", or the other user's name for a direct message. */
  roomLabel(roomId: string): string;
};

const DEBOUNCE_MS = 250;

export class SearchView {
  readonly el: HTMLFormElement;
  readonly input: HTMLInputElement;
  private readonly panel: HTMLElement;
  private readonly status = h("p", { class: "search-status", role: "status" });
  private readonly list = h("ul", { class: "search-results", role: "list", "aria-label": "Search results" });
  private results: Message[] = [];
  private words: string[] = [];
  private query = "";
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asked = 0;
  private readonly listening = new AbortController();

  /** Called after Escape in an empty box (to close the narrow screen's search row). */
  onDismiss: () => void = () => {};

  constructor(private readonly actions: SearchActions) {
    const panelId = uid("search-panel");
    this.input = h("input", {
      id: uid("search"),
      type: "search",
      autocomplete: "off",
      spellcheck: "false",
      maxlength: 256,
      placeholder: "Search messages",
      "aria-controls": panelId,
    });
    this.panel = h("div", { id: panelId, class: "search-panel", hidden: true }, this.status, this.list);
    this.el = h(
      "form",
      { class: "search", role: "search", novalidate: true },
      h("label", { for: this.input.id, class: "sr-only" }, "Search messages"),
      h("span", { class: "search-field" }, svgIcon("search", "icon search-icon"), this.input),
      this.panel,
    );

    this.el.addEventListener("submit", (e) => {
      e.preventDefault();
      clearTimeout(this.timer);
      this.run();
    });
    this.input.addEventListener("input", () => {
      clearTimeout(this.timer);
      if (this.input.value.trim() === "") {
        this.reset();
        return;
      }
      this.timer = setTimeout(() => this.run(), DEBOUNCE_MS);
    });
    this.input.addEventListener("focus", () => {
      if (this.input.value.trim() !== "" && this.query !== "") this.setOpen(true);
    });
    this.el.addEventListener("keydown", (e) => this.onKey(e));
    document.addEventListener(
      "pointerdown",
      (e) => {
        if (!this.el.contains(e.target as Node)) this.setOpen(false);
      },
      { signal: this.listening.signal },
    );
    this.list.addEventListener("click", (e) => {
      const button = (e.target as Element).closest<HTMLButtonElement>("button[data-message-id]");
      const message = this.results.find((m) => m.id === button?.dataset.messageId);
      if (!message) return;
      this.setOpen(false);
      this.actions.open(message);
    });
  }

  focus(): void {
    this.input.focus();
  }

  /** An edit or delete: a shown result follows it (a deleted one goes). */
  update(message: Message): void {
    const at = this.results.findIndex((m) => m.id === message.id);
    if (at < 0) return;
    if (message.deleted) this.results.splice(at, 1);
    else this.results[at] = message;
    this.render();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.listening.abort();
  }

  private setOpen(open: boolean): void {
    this.panel.hidden = !open;
  }

  private reset(): void {
    this.asked++;
    this.query = "";
    this.results = [];
    this.list.replaceChildren();
    this.status.textContent = "";
    this.setOpen(false);
  }

  private run(): void {
    const query = this.input.value.trim();
    if (query === "") {
      this.reset();
      return;
    }
    const words = queryWords(query);
    const ask = ++this.asked;
    this.query = query;
    this.setOpen(true);
    if (words.length === 0) {
      this.results = [];
      this.list.replaceChildren();
      this.status.textContent = "Type a word to search for.";
      return;
    }
    this.status.textContent = "Searching…";
    this.actions.search(query).then(
      (results) => {
        if (ask !== this.asked) return;
        this.results = results;
        this.words = words;
        this.render();
      },
      (err: unknown) => {
        if (ask !== this.asked) return;
        this.results = [];
        this.list.replaceChildren();
        this.status.textContent = (err as Error).message;
      },
    );
  }

  private render(): void {
    const n = this.results.length;
    this.status.textContent =
      n === 0 ? `No messages match “${this.query}”. Try fewer or shorter words.` : `${n} ${n === 1 ? "message matches" : "messages match"} “${this.query}”.`;
    setChildren(
      this.list,
      ...this.results.map((m) =>
        h(
          "li",
          {},
          h(
            "button",
            { type: "button", class: "search-result", "data-message-id": m.id },
            h(
              "span",
              { class: "result-meta" },
              h("bdi", { class: "result-room" }, this.actions.roomLabel(m.roomId)),
              h("bdi", { class: "result-sender" }, m.sender.username),
              h("span", { class: "result-time" }, `${dayLabel(m.createdAt)} ${hhmm(m.createdAt)}`),
            ),
            h("span", { class: "result-text", dir: "auto" }, ...snippetNodes(m.text, this.words)),
          ),
        ),
      ),
    );
  }

  private onKey(e: KeyboardEvent): void {
    const buttons = Array.from(this.list.querySelectorAll<HTMLButtonElement>("button.search-result"));
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      if (!this.panel.hidden) {
        this.setOpen(false);
        this.input.focus();
      } else {
        this.input.value = "";
        this.reset();
        this.onDismiss();
      }
    } else if (e.key === "ArrowDown" && buttons.length > 0 && !this.panel.hidden) {
      e.preventDefault();
      buttons[Math.min(at + 1, buttons.length - 1)]?.focus();
    } else if (e.key === "ArrowUp" && at >= 0) {
      e.preventDefault();
      if (at === 0) this.input.focus();
      else buttons[at - 1]?.focus();
    }
  }
}
