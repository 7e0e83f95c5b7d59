// "New room": a dialog with the room's name and whether it is private. A
// refusal (a taken name) is shown in the dialog; on success the room opens
// and the dialog closes. Opened from the side panel, the welcome screen and
// the room switcher (with a name already typed).
import { FIELD_LIMITS } from "../../common/rules";
import { Dialog } from "./dialog";
import { h, showFormError, uid } from "./dom";

export class NewRoomDialog {
  private readonly dialog = new Dialog("Create a room", "new-room-dialog");
  private readonly name: HTMLInputElement;
  private readonly privateBox: HTMLInputElement;
  private readonly error = h("div", { class: "error-slot" });
  private creating = false;

  constructor(create: (name: string, isPrivate: boolean) => Promise<void>) {
    const formId = uid("new-room");
    this.name = h("input", { id: uid("room-name"), type: "text", maxlength: FIELD_LIMITS.roomName, autocomplete: "off", required: true });
    this.privateBox = h("input", { id: uid("room-private"), type: "checkbox", "aria-describedby": `${formId}-private-hint` });
    const cancel = h("button", { type: "button", class: "button ghost" }, "Cancel");
    const form = h(
      "form",
      { id: formId, class: "dialog-form", novalidate: true },
      h("div", { class: "field" }, h("label", { for: this.name.id }, "Room name"), this.name),
      h(
        "div",
        { class: "check" },
        this.privateBox,
        h("label", { for: this.privateBox.id }, "Private"),
        h("span", { id: `${formId}-private-hint`, class: "hint" }, "Only people you invite can find it and read it."),
      ),
      this.error,
      h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button primary" }, "Create"), cancel),
    );
    this.dialog.body.append(form);
    cancel.addEventListener("click", () => this.dialog.close());
    this.name.addEventListener("input", () => showFormError(this.error, null));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const name = this.name.value.trim();
      if (!name) {
        showFormError(this.error, "Give the room a name.");
        this.name.focus();
        return;
      }
      if (this.creating) return;
      this.creating = true;
      showFormError(this.error, null);
      create(name, this.privateBox.checked).then(
        () => {
          this.creating = false;
          this.dialog.close(false);
        },
        (err: unknown) => {
          this.creating = false;
          showFormError(this.error, (err as Error).message);
          this.name.focus();
        },
      );
    });
  }

  /** Opens the dialog, empty or with a name to start from. */
  open(name = ""): void {
    this.name.value = name;
    this.privateBox.checked = false;
    showFormError(this.error, null);
    this.dialog.open(this.name);
  }

  dispose(): void {
    this.dialog.dispose();
  }
}
