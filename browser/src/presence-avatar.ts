// An avatar with an online dot (none when the server has not said whether
// the user is online). The dot is decorative; its meaning is given as text
// (visually hidden) next to the name by whoever shows it.
import { avatar } from "./avatar";
import { h, srOnly } from "./dom";

export function avatarWithPresence(username: string, online: boolean | undefined, className = "avatar small"): HTMLSpanElement {
  return h(
    "span",
    { class: "avatar-wrap" },
    avatar(username, className),
    online === undefined ? null : h("span", { class: `presence-dot${online ? " online" : ""}`, "aria-hidden": "true" }),
  );
}

/** ", online" / ", offline" for screen readers; nothing when not known. */
export function presenceText(online: boolean | undefined): HTMLSpanElement | null {
  return online === undefined ? null : srOnly(online ? ", online" : ", offline");
}
