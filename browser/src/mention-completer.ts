// @ completion in a text box: typing "@bo" lists the people whose names begin
// with "bo" (the room's members first, then contacts and others the server
// suggests), over the box; Up and Down choose, Enter or Tab puts "@bob " in
// place of "@bo", Escape closes the list and leaves the text alone.
import type { PeopleSuggestions, Suggester } from "./people-suggestions";
import { SuggestionList } from "./suggestion-list";

/** "@name" being typed just before the caret, as mentions are read (not glued to a name before it). */
const TYPING_MENTION = /(?:^|[^A-Za-z0-9_.-])@([A-Za-z0-9_.-]{0,32})$/;

export class MentionCompleter {
  readonly list: SuggestionList;
  private readonly suggester: Suggester;
  /** Where the "@" being completed stands. */
  private at = -1;

  constructor(
    private readonly box: HTMLTextAreaElement,
    suggestions: PeopleSuggestions,
    private readonly roomId: () => string | null,
    /** The text changed (a completion went in). */
    private readonly changed: () => void,
  ) {
    this.list = new SuggestionList(box, "People to mention", (person) => this.complete(person.username));
    this.suggester = suggestions.suggester((people) => {
      if (this.at >= 0 && document.activeElement === box) this.list.show(people);
    });
    box.addEventListener("blur", () => this.close());
  }

  /** After each input: is an @name being typed at the caret? */
  update(): void {
    const caret = this.box.selectionStart;
    const match = caret === this.box.selectionEnd ? TYPING_MENTION.exec(this.box.value.slice(0, caret)) : null;
    if (!match) return this.close();
    const prefix = match[1] ?? "";
    this.at = caret - prefix.length - 1;
    this.suggester.ask(prefix, this.roomId());
  }

  /** A key in the box; true when the list used it. */
  key(e: KeyboardEvent): boolean {
    return this.list.key(e, { tabChooses: true });
  }

  get isOpen(): boolean {
    return this.list.isOpen;
  }

  close(): void {
    this.at = -1;
    this.suggester.cancel();
    this.list.close();
  }

  private complete(username: string): void {
    const caret = this.box.selectionStart;
    if (this.at < 0) return;
    const before = this.box.value.slice(0, this.at);
    const after = this.box.value.slice(caret).replace(/^[A-Za-z0-9_.-]*/, "");
    const inserted = `@${username} `;
    this.box.value = before + inserted + after.replace(/^ /, "");
    const end = before.length + inserted.length;
    this.box.setSelectionRange(end, end);
    this.close();
    this.changed();
  }
}
