// A modal dialog on the browser's own <dialog> (showModal: the rest of the
// page is inert, focus stays inside, Escape closes): a titled card whose
// content the caller gives. A click on the dimmed backdrop closes it; closing
// gives focus back to whatever had it before.
import { h, uid } from "./dom";
import { svgIcon } from "./icons";

export class Dialog {
  readonly el: HTMLDialogElement;
  readonly body: HTMLElement;
  private opener: HTMLElement | null = null;
  private restoreFocus = true;
  /** Called after the dialog closed (Escape, the close button, the backdrop or close()). */
  onClose: () => void = () => {};

  constructor(title: string, className = "") {
    const titleId = uid("dialog-title");
    const close = h("button", { type: "button", class: "button ghost dialog-close", "aria-label": "Close" }, svgIcon("close"));
    this.body = h("div", { class: "dialog-body" });
    this.el = h(
      "dialog",
      { class: `dialog ${className}`.trim(), "aria-labelledby": titleId },
      h("div", { class: "dialog-card" }, h("div", { class: "dialog-head" }, h("h2", { id: titleId, class: "dialog-title" }, title), close), this.body),
    );
    close.addEventListener("click", () => this.close());
    // The dialog element itself is hit only outside its card: the backdrop.
    this.el.addEventListener("click", (e) => {
      if (e.target === this.el) this.close();
    });
    this.el.addEventListener("close", () => {
      const opener = this.opener;
      this.opener = null;
      this.onClose();
      if (this.restoreFocus && opener?.isConnected) opener.focus();
      this.restoreFocus = true;
    });
  }

  get isOpen(): boolean {
    return this.el.open;
  }

  /** Opens the dialog (added to the page on first use); `focus` gets focus, else the first field. */
  open(focus?: HTMLElement): void {
    if (this.el.open) return;
    if (!this.el.isConnected) document.body.appendChild(this.el);
    this.opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.el.showModal();
    (focus ?? this.el.querySelector<HTMLElement>("input, textarea, select, button:not(.dialog-close)"))?.focus();
  }

  /** Closes the dialog; `restoreFocus: false` when what was done moves focus itself (a room opened). */
  close(restoreFocus = true): void {
    this.restoreFocus = restoreFocus;
    if (this.el.open) this.el.close();
    else this.restoreFocus = true;
  }

  /** Removes the dialog from the page (the page is closing). */
  dispose(): void {
    this.close();
    this.el.remove();
  }
}
