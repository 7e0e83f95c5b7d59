// A labelled password box, optionally with a "Show" toggle (aria-pressed)
// that shows what was typed in it and in the boxes it is given to follow.
import { h } from "./dom";

export type PasswordField = { el: HTMLElement; input: HTMLInputElement; alsoShows(other: HTMLInputElement): void };

export function passwordField(id: string, label: string, toggle = false): PasswordField {
  const input = h("input", { id, name: id, type: "password", required: true, "aria-describedby": "login-hint" });
  const followers: HTMLInputElement[] = [input];
  const show = toggle
    ? h("button", { type: "button", class: "button ghost small show-password", "aria-pressed": "false", "aria-label": "Show password", "aria-controls": id }, "Show")
    : null;
  show?.addEventListener("click", () => {
    const shown = show.getAttribute("aria-pressed") !== "true";
    show.setAttribute("aria-pressed", String(shown));
    for (const box of followers) box.type = shown ? "text" : "password";
  });
  const el = h("div", { class: "field" }, h("label", { for: id }, label), h("div", { class: "password-row" }, input, show));
  return { el, input, alsoShows: (other) => void followers.push(other) };
}
