// Tiny element helpers. Text always goes in as text nodes: user input is never
// parsed as markup anywhere in the page.

type AttrValue = string | number | boolean | null | undefined;
type Child = Node | string | null | undefined | false;

/** Creates an element: `class` sets the class list, `true` sets a boolean attribute, false/null/undefined skip it. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, AttrValue> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Replaces an element's content with the given children. */
export function setChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A decorative icon character, hidden from assistive technology. */
export function icon(glyph: string, className = "icon"): HTMLSpanElement {
  return h("span", { class: className, "aria-hidden": "true" }, glyph);
}

/** Text for screen readers only. */
export function srOnly(text: string): HTMLSpanElement {
  return h("span", { class: "sr-only" }, text);
}

let idCounter = 0;
/** A document-unique id for label/aria wiring. */
/** A text box for a username: no autocorrection, at most the 32 characters a name may have. */
export function usernameInput(idPrefix: string, placeholder = "username"): HTMLInputElement {
  return h("input", {
    id: uid(idPrefix),
    type: "text",
    autocomplete: "off",
    autocapitalize: "none",
    spellcheck: "false",
    maxlength: 32,
    placeholder,
  });
}

export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/**
 * Shows an error inside a form (role="alert", inserted when there is
 * something to say so that screen readers announce it), or removes it.
 */
export function showFormError(slot: HTMLElement, message: string | null): void {
  slot.replaceChildren();
  if (message) slot.appendChild(h("p", { class: "form-error", role: "alert" }, message));
}

/** A random UUID; crypto.randomUUID only exists in secure contexts (not plain-HTTP LAN addresses). */
export function randomId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
