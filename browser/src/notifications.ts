// Opt-in desktop notifications: one line at the foot of the side panel, a
// button that asks for the browser's permission (never on its own); once
// granted, direct messages and mentions that arrive while the tab is hidden
// show a notification that opens their room.
import { h } from "./dom";
import { svgIcon } from "./icons";

const SUPPORTED = typeof window !== "undefined" && "Notification" in window;

export class Notifier {
  readonly el: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly note = h("p", { class: "hint notify-note" });

  constructor() {
    this.button = h(
      "button",
      { type: "button", class: "button ghost small notify-button", title: "For direct messages and mentions while this tab is in the background" },
      svgIcon("bell"),
      "Enable notifications",
    );
    this.el = h("div", { class: "notify" }, this.button, this.note);
    this.button.addEventListener("click", () => {
      Notification.requestPermission().then(
        () => this.render(),
        () => this.render(),
      );
    });
    this.render();
  }

  private render(): void {
    if (!SUPPORTED) {
      this.el.hidden = true;
      return;
    }
    const permission = Notification.permission;
    this.button.hidden = permission !== "default";
    this.note.textContent =
      permission === "granted"
        ? "Notifications are on for direct messages and mentions while this tab is in the background."
        : permission === "denied"
          ? "Notifications are blocked in this browser’s settings for this site."
          : "";
    this.note.hidden = this.note.textContent === "";
  }

  /** Shows a notification if allowed and the page is hidden; `tag` collapses the same message from several tabs. */
  notify(title: string, body: string, tag: string, onClick: () => void): void {
    if (!SUPPORTED || Notification.permission !== "granted" || document.visibilityState !== "hidden") return;
    try {
      const notification = new Notification(title, { body, tag });
      notification.addEventListener("click", () => {
        window.focus();
        onClick();
        notification.close();
      });
    } catch {
      // Some browsers only allow notifications from a service worker: nothing to show then.
    }
  }
}
