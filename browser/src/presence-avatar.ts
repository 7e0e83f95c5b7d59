// An avatar with an online dot. The dot is decorative; its meaning is given
// as text (visually hidden) next to the name by whoever shows it.
import { avatar } from "./avatar";
import { h, srOnly } from "./dom";

export function avatarWithPresence(username: string, online: boolean, className = "avatar small"): HTMLSpanElement {
  return h(
    "span",
    { class: "avatar-wrap" },
    avatar(username, className),
    h("span", { class: `presence-dot${online ? " online" : ""}`, "aria-hidden": "true" }),
  );
}

/** ", online" / ", offline" for screen readers. */
export function presenceText(online: boolean): HTMLSpanElement {
  return srOnly(online ? ", online" : ", offline");
}
