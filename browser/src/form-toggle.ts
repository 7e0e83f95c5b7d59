// A form kept out of the way until it is wanted: a small button (a "+" by a
// heading, or a labelled button) shows it and puts focus in it; Escape in an
// empty form, or success, hides it again with focus back on the button.
import { h } from "./dom";
import { svgIcon, type IconName } from "./icons";

export type FormToggle = { button: HTMLButtonElement; open(): void; close(returnFocus?: boolean): void; readonly isOpen: boolean };

export function formToggle(
  form: HTMLElement,
  focusTarget: () => HTMLElement,
  { label, icon = "plus", text }: { label: string; icon?: IconName; text?: string },
): FormToggle {
  if (!form.id) form.id = `toggle-${Math.random().toString(36).slice(2, 10)}`;
  const button = h(
    "button",
    {
      type: "button",
      class: text ? "button ghost small form-toggle" : "button ghost icon-button form-toggle",
      "aria-expanded": "false",
      "aria-controls": form.id,
      "aria-label": text ? null : label,
      title: label,
    },
    svgIcon(icon),
    text ? h("span", { class: "tool-label" }, text) : null,
  );
  form.hidden = true;
  const set = (open: boolean, returnFocus: boolean) => {
    form.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) focusTarget().focus();
    else if (returnFocus) button.focus();
  };
  button.addEventListener("click", () => set(form.hidden, true));
  form.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || e.defaultPrevented) return;
    e.preventDefault();
    e.stopPropagation();
    set(false, true);
  });
  return {
    button,
    open: () => set(true, false),
    close: (returnFocus = false) => set(false, returnFocus),
    get isOpen() {
      return !form.hidden;
    },
  };
}
