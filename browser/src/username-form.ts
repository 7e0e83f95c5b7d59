// A one-field form that takes a username: open a direct message, add a
// contact, invite into a room. As the name is typed it suggests people
// (suggestion-list.ts; choosing one submits). It checks what it can before
// asking the server (empty, not a possible name, the user themselves), shows
// the action's refusal under the field until the field changes, and clears
// on success or Escape.
import { USERNAME_PATTERN } from "../../common/rules";
import { h, showFormError, usernameInput } from "./dom";
import { noUserNamed } from "./error-texts";
import type { PeopleSuggestions, Suggester } from "./people-suggestions";
import { SuggestionList } from "./suggestion-list";

export type UsernameFormOptions = {
  idPrefix: string;
  label: string;
  button: string;
  formClass: string;
  placeholder?: string;
  /** What to say when the box is empty. */
  empty: string;
  /** What to say when the user names themselves; unset: allowed. */
  self?: { username: string; text: string };
  /** The form shows the confirmation submit() resolves with (a live region beside the field). */
  confirms?: boolean;
  /** People to suggest as the name is typed; `roomId`: whose members come first. */
  suggest?: { people: PeopleSuggestions; roomId: () => string | null };
  /**
   * Does the thing; may resolve with a confirmation to show beside the form,
   * rejects with the text to show under it.
   */
  submit(username: string): Promise<string | void>;
};

export class UsernameForm {
  readonly el: HTMLFormElement;
  readonly input: HTMLInputElement;
  private readonly error = h("div", { class: "error-slot" });
  private readonly feedback = h("span", { class: "invite-feedback", "aria-live": "polite" });
  private readonly suggester: Suggester | null = null;
  private readonly list: SuggestionList | null = null;
  private busy = false;
  /** Bumped by reset(): an answer to a form since reset (another room's) is not shown. */
  private generation = 0;

  constructor(private readonly options: UsernameFormOptions) {
    this.input = usernameInput(options.idPrefix, options.placeholder);
    const suggest = options.suggest;
    if (suggest) {
      this.input.setAttribute("role", "combobox");
      this.list = new SuggestionList(this.input, "People", (person) => {
        this.input.value = person.username;
        this.list?.close();
        this.submit();
      });
      this.suggester = suggest.people.suggester((people) => {
        if (document.activeElement === this.input) this.list?.show(people);
      });
      const ask = () => this.suggester?.ask(this.input.value.trim(), suggest.roomId());
      this.input.addEventListener("input", ask);
      this.input.addEventListener("focus", ask);
      this.input.addEventListener("keydown", (e) => this.list?.key(e));
      this.input.addEventListener("blur", () => {
        this.suggester?.cancel();
        this.list?.close();
      });
    }
    this.input.addEventListener("input", () => showFormError(this.error, null));
    this.el = h(
      "form",
      { class: options.formClass, novalidate: true },
      h("label", { for: this.input.id, class: "small-label" }, options.label),
      h("div", { class: "input-row" }, this.input, h("button", { type: "submit", class: "button secondary small" }, options.button)),
      this.list?.el,
      options.confirms ? this.feedback : null,
      this.error,
    );
    this.el.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    this.el.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !e.defaultPrevented && (this.input.value || this.error.childElementCount)) {
        e.preventDefault();
        e.stopPropagation();
        this.input.value = "";
        showFormError(this.error, null);
      }
    });
  }

  /** Empties the form (another room was opened). */
  reset(): void {
    this.generation++;
    this.busy = false;
    this.input.value = "";
    this.feedback.textContent = "";
    this.list?.close();
    showFormError(this.error, null);
  }

  focus(): void {
    this.input.focus();
  }

  private problem(username: string): string | null {
    if (!username) return this.options.empty;
    if (!USERNAME_PATTERN.test(username)) return noUserNamed(username);
    const self = this.options.self;
    if (self && username.toLowerCase() === self.username.toLowerCase()) return self.text;
    return null;
  }

  private submit(): void {
    const username = this.input.value.trim();
    this.feedback.textContent = "";
    const problem = this.problem(username);
    if (problem) {
      showFormError(this.error, problem);
      this.input.focus();
      return;
    }
    if (this.busy) return;
    this.busy = true;
    showFormError(this.error, null);
    const generation = this.generation;
    this.options.submit(username).then(
      (confirmation) => {
        if (generation !== this.generation) return;
        this.busy = false;
        this.input.value = "";
        if (confirmation) this.feedback.textContent = confirmation;
      },
      (err: unknown) => {
        if (generation !== this.generation) return;
        this.busy = false;
        showFormError(this.error, (err as Error).message);
        this.input.focus();
      },
    );
  }
}
