// What is suggested under (or over) a text box, as an ARIA listbox the box
// controls: Up and Down move the active option (the box's
// aria-activedescendant), Enter (and Tab, where the box wants it) chooses it,
// Escape closes the list; a click chooses too, without taking focus from the
// box. People for the people picker and @ completion (personOption), rooms
// for the room switcher.
import { avatar } from "./avatar";
import { h, uid } from "./dom";
import type { Suggestion } from "./people-suggestions";

/** A person as an option: avatar, name, and why they are suggested. */
export const personOption = (p: Suggestion): Node[] => [
  avatar(p.username, "avatar small"),
  h("bdi", { class: "suggestion-name" }, p.username),
  ...(p.hint ? [h("span", { class: "suggestion-hint" }, p.hint)] : []),
];

export class SuggestionList<T extends { id: string } = Suggestion> {
  readonly el: HTMLUListElement;
  private people: T[] = [];
  private active = -1;

  constructor(
    private readonly owner: HTMLInputElement | HTMLTextAreaElement,
    label: string,
    private readonly choose: (item: T) => void,
    private readonly render: (item: T) => Node[] = personOption as unknown as (item: T) => Node[],
  ) {
    this.el = h("ul", { id: uid("suggestions"), class: "suggestions", role: "listbox", "aria-label": label, hidden: true });
    owner.setAttribute("aria-controls", this.el.id);
    owner.setAttribute("aria-autocomplete", "list");
    if (owner instanceof HTMLInputElement) owner.setAttribute("aria-expanded", "false");
    // Pressing an option must not blur the box (which would close the list first).
    this.el.addEventListener("mousedown", (e) => e.preventDefault());
    this.el.addEventListener("click", (e) => {
      const option = (e.target as Element).closest<HTMLElement>("[role=option]");
      const person = this.people[Number(option?.dataset.index)];
      if (person) this.choose(person);
    });
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  show(people: T[]): void {
    const activeId = this.people[this.active]?.id;
    this.people = people;
    this.active = people.findIndex((p) => p.id === activeId);
    this.el.replaceChildren(
      ...people.map((p, i) =>
        h(
          "li",
          { id: `${this.el.id}-${i}`, role: "option", class: "suggestion", "data-index": i, "aria-selected": "false" },
          ...this.render(p),
        ),
      ),
    );
    this.setOpen(people.length > 0);
    this.mark();
  }

  close(): void {
    this.setOpen(false);
    this.active = -1;
    this.mark();
  }

  /** The option to choose on Enter: the active one, or with `first`, the first. */
  current(first = false): T | undefined {
    return this.people[this.active] ?? (first ? this.people[0] : undefined);
  }

  /** Handles a key pressed in the box; true when it was the list's (the caller then does nothing else). */
  key(e: KeyboardEvent, { tabChooses = false } = {}): boolean {
    if (!this.isOpen || e.altKey || e.ctrlKey || e.metaKey) return false;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const n = this.people.length;
      this.active = e.key === "ArrowDown" ? (this.active + 1) % n : (this.active - 1 + n) % n;
      this.mark();
    } else if ((e.key === "Enter" || (e.key === "Tab" && tabChooses)) && !e.shiftKey && !e.isComposing) {
      const person = this.people[this.active] ?? (tabChooses || e.key === "Tab" ? this.people[0] : undefined);
      if (!person) return false;
      this.choose(person);
    } else if (e.key === "Escape") {
      this.close();
      e.stopPropagation();
    } else {
      return false;
    }
    e.preventDefault();
    return true;
  }

  private setOpen(open: boolean): void {
    this.el.hidden = !open;
    if (this.owner instanceof HTMLInputElement) this.owner.setAttribute("aria-expanded", String(open));
  }

  private mark(): void {
    this.el.querySelectorAll<HTMLElement>("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === this.active));
      option.classList.toggle("active", i === this.active);
    });
    const active = this.active >= 0 && this.isOpen ? `${this.el.id}-${this.active}` : null;
    if (active) this.owner.setAttribute("aria-activedescendant", active);
    else this.owner.removeAttribute("aria-activedescendant");
  }
}
