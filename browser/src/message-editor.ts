// Editing one of the user's own messages in place: Edit opens a text box
// with the message's text; Enter (or Save) saves, Shift+Enter adds a line,
// Escape (or Cancel) gives up. Text the server would refuse is refused here
// first; the server's refusal is shown under the box. One message at a time;
// closing gives focus back to the message's Edit button.
import type { Message, User } from "../../common/protocol";
import { codePointLength, FIELD_LIMITS } from "../../common/rules";
import { h, showFormError, uid } from "./dom";

type Editing = { id: string; form: HTMLFormElement; textarea: HTMLTextAreaElement; error: HTMLElement; saving: boolean };

export type EditorDeps = {
  me: User;
  message(messageId: string): Message | undefined;
  /** Rejects with the text to show. */
  save(messageId: string, text: string): Promise<void>;
  /** The log is to redraw: a message's editor opened or closed. */
  changed(): void;
  focusEditButton(messageId: string): void;
};

export class MessageEditor {
  private editing: Editing | null = null;

  constructor(private readonly deps: EditorDeps) {}

  /** The open editor's form, if it is this message's. */
  formFor(messageId: string): HTMLFormElement | null {
    return this.editing?.id === messageId ? this.editing.form : null;
  }

  isEditing(messageId: string): boolean {
    return this.editing?.id === messageId;
  }

  start(messageId: string): void {
    const m = this.deps.message(messageId);
    if (!m || m.deleted || m.sender.id !== this.deps.me.id) return;
    const editing = this.build(messageId, m.text);
    this.editing = editing;
    this.deps.changed();
    editing.textarea.focus({ preventScroll: true });
    editing.textarea.setSelectionRange(m.text.length, m.text.length);
    editing.form.scrollIntoView({ block: "nearest" });
  }

  /** Closes the editor; focus goes back to the message's Edit button. */
  finish(returnFocus: boolean): void {
    const editing = this.editing;
    if (!editing) return;
    this.editing = null;
    this.deps.changed();
    if (returnFocus) this.deps.focusEditButton(editing.id);
  }

  /** Closed without a redraw or a move of focus (the log starts over, or another action takes over). */
  drop(): void {
    this.editing = null;
  }

  /** The edited message is gone (a page reset, a delete elsewhere): closed. */
  dropIfGone(): void {
    if (this.editing && !this.deps.message(this.editing.id)) this.editing = null;
  }

  hasFocus(): boolean {
    return this.editing !== null && document.activeElement === this.editing.textarea;
  }

  /** Gives focus back to the box after a redraw moved it. */
  refocus(): void {
    if (this.editing && document.activeElement !== this.editing.textarea) this.editing.textarea.focus({ preventScroll: true });
  }

  private build(id: string, text: string): Editing {
    const hintId = uid("edit-hint");
    const textarea = h("textarea", { id: uid("edit"), class: "edit-input", rows: 2, "aria-describedby": hintId });
    textarea.value = text;
    const error = h("div", { class: "error-slot" });
    const cancel = h("button", { type: "button", class: "button ghost small" }, "Cancel");
    const form = h(
      "form",
      { class: "edit-form", novalidate: true },
      h("label", { for: textarea.id, class: "sr-only" }, "Edit message text"),
      textarea,
      h(
        "div",
        { class: "edit-foot" },
        h("span", { id: hintId, class: "hint" }, "Enter to save · Shift+Enter for a new line · Esc to cancel"),
        h("span", { class: "edit-buttons" }, cancel, h("button", { type: "submit", class: "button primary small" }, "Save")),
      ),
      error,
    );
    const editing: Editing = { id, form, textarea, error, saving: false };
    cancel.addEventListener("click", () => this.finish(true));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.save(editing);
    });
    textarea.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        this.save(editing);
      } else if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        this.finish(true);
      }
    });
    return editing;
  }

  private save(editing: Editing): void {
    if (this.editing !== editing || editing.saving) return;
    const m = this.deps.message(editing.id);
    const text = editing.textarea.value;
    if (!m || m.deleted) return this.finish(false);
    if (!/\S/.test(text)) return showFormError(editing.error, "A message needs some text. To remove it, delete it instead.");
    if (codePointLength(text) > FIELD_LIMITS.messageText) {
      return showFormError(editing.error, `Messages can be at most ${FIELD_LIMITS.messageText} characters.`);
    }
    if (text === m.text) return this.finish(true);
    editing.saving = true;
    showFormError(editing.error, null);
    this.deps.save(editing.id, text).then(
      () => {
        editing.saving = false;
        if (this.editing === editing) this.finish(true);
      },
      (err: unknown) => {
        editing.saving = false;
        if (this.editing !== editing) return;
        showFormError(editing.error, (err as Error).message);
        editing.textarea.focus();
      },
    );
  }
}
