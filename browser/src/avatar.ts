// A round avatar with the user's initial on their colour (white on it meets AA).
import { initial, userColor } from "./colors";
import { h } from "./dom";

export function avatar(username: string, className = "avatar"): HTMLSpanElement {
  const el = h("span", { class: className, "aria-hidden": "true" }, initial(username));
  el.style.setProperty("--user-color", userColor(username));
  return el;
}
