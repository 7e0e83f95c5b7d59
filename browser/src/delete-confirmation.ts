// Deleting one of the user's own messages asks first, in place: "Delete this
// message? This can't be undone." with Yes and Cancel. While the delete is
// on its way the button says so; a refusal is shown in the group.
import type { Message } from "../../common/protocol";
import { h } from "./dom";

type Confirming = { id: string; busy: boolean; error: string | null };

export type ConfirmationDeps = {
  /** Rejects with the text to show. */
  remove(messageId: string): Promise<void>;
  /** The log is to redraw. */
  changed(): void;
  /** Where focus goes: "cancel" in the group, "edit" (the message's Edit button) or "composer". */
  focus(target: "cancel" | "edit" | "composer", messageId: string): void;
};

export class DeleteConfirmation {
  private confirming: Confirming | null = null;

  constructor(private readonly deps: ConfirmationDeps) {}

  /** What the group shows, for the message's signature; null when none is open for it. */
  state(messageId: string): [boolean, string | null] | null {
    return this.confirming?.id === messageId ? [this.confirming.busy, this.confirming.error] : null;
  }

  ask(messageId: string): void {
    this.confirming = { id: messageId, busy: false, error: null };
    this.deps.changed();
    this.deps.focus("cancel", messageId);
  }

  cancel(messageId: string): void {
    this.confirming = null;
    this.deps.changed();
    this.deps.focus("edit", messageId);
  }

  /** Closed without a redraw (another action takes over, or the log starts over). */
  drop(): void {
    this.confirming = null;
  }

  confirm(messageId: string): void {
    const confirming = this.confirming;
    if (!confirming || confirming.id !== messageId || confirming.busy) return;
    confirming.busy = true;
    confirming.error = null;
    this.deps.changed();
    this.deps.remove(messageId).then(
      () => {
        if (this.confirming !== confirming) return;
        this.confirming = null;
        this.deps.changed();
        this.deps.focus("composer", messageId);
      },
      (err: unknown) => {
        if (this.confirming !== confirming) return;
        confirming.busy = false;
        confirming.error = (err as Error).message;
        this.deps.changed();
      },
    );
  }

  /** The group for `m`, or null when it is not being confirmed. */
  render(m: Message): HTMLElement | null {
    const confirming = this.confirming?.id === m.id ? this.confirming : null;
    if (!confirming) return null;
    return h(
      "div",
      { class: "confirm-delete", role: "group", "aria-label": "Delete this message?" },
      h("span", { class: "confirm-text" }, "Delete this message? This can’t be undone."),
      h(
        "button",
        { type: "button", class: "button danger small", "data-delete-confirm": m.id, disabled: confirming.busy },
        confirming.busy ? "Deleting…" : "Yes, delete",
      ),
      h("button", { type: "button", class: "button ghost small", "data-delete-cancel": m.id }, "Cancel"),
      confirming.error ? h("p", { class: "form-error", role: "alert" }, confirming.error) : null,
    );
  }
}
