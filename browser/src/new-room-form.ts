// "New room": a button that opens a small form (name, private or not) under
// the user's rooms. Escape or Cancel closes it and focus returns to the
// button; a refusal (a taken name) is shown in the form.
import { FIELD_LIMITS } from "../../common/rules";
import { h, showFormError, uid } from "./dom";
import { svgIcon } from "./icons";

export class NewRoomForm {
  readonly el: HTMLElement;
  readonly button: HTMLButtonElement;
  private readonly form: HTMLFormElement;
  private readonly name: HTMLInputElement;
  private readonly error = h("div", { class: "error-slot" });

  constructor(create: (name: string, isPrivate: boolean) => Promise<void>) {
    const formId = uid("new-room");
    this.button = h(
      "button",
      { type: "button", class: "button ghost small", "aria-expanded": "false", "aria-controls": formId },
      svgIcon("plus"),
      "New room",
    );
    this.name = h("input", { id: uid("room-name"), type: "text", maxlength: FIELD_LIMITS.roomName, autocomplete: "off", required: true });
    const privateBox = h("input", { id: uid("room-private"), type: "checkbox", "aria-describedby": `${formId}-private-hint` });
    const cancel = h("button", { type: "button", class: "button ghost small" }, "Cancel");
    this.form = h(
      "form",
      { id: formId, class: "panel-form", hidden: true, novalidate: true },
      h("div", { class: "field" }, h("label", { for: this.name.id }, "Room name"), this.name),
      h(
        "div",
        { class: "check" },
        privateBox,
        h("label", { for: privateBox.id }, "Private"),
        h("span", { id: `${formId}-private-hint`, class: "hint" }, "Only people you invite can find it."),
      ),
      this.error,
      h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button primary small" }, "Create"), cancel),
    );
    this.el = h("div", { class: "group-actions", hidden: true }, this.button, this.form);

    this.button.addEventListener("click", () => this.toggle(this.form.hidden));
    cancel.addEventListener("click", () => this.toggle(false, true));
    this.form.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        this.toggle(false, true);
      }
    });
    let creating = false;
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      const name = this.name.value.trim();
      if (!name) {
        showFormError(this.error, "Give the room a name.");
        this.name.focus();
        return;
      }
      if (creating) return;
      creating = true;
      showFormError(this.error, null);
      create(name, privateBox.checked).then(
        () => {
          creating = false;
          this.name.value = "";
          privateBox.checked = false;
          this.toggle(false);
        },
        (err: unknown) => {
          creating = false;
          showFormError(this.error, (err as Error).message);
          this.name.focus();
        },
      );
    });
  }

  /** Closes the form; true when it was open. */
  close(): boolean {
    if (this.form.hidden) return false;
    this.toggle(false, true);
    return true;
  }

  private toggle(open: boolean, returnFocus = false): void {
    this.form.hidden = !open;
    this.button.setAttribute("aria-expanded", String(open));
    if (open) {
      showFormError(this.error, null);
      this.name.focus();
    } else if (returnFocus) {
      this.button.focus();
    }
  }
}
