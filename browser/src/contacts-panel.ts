// The contacts panel (a labelled section below the rooms): the user's own
// list of people with online dots, updated live by presence events. A
// contact's button opens the direct message with them; another removes them;
// the "+" by the heading opens a form that adds someone by username (with
// suggestions). An error shown here goes when another room is opened.
import type { Contact } from "../../common/protocol";
import { h, setChildren, showFormError, uid } from "./dom";
import { formToggle } from "./form-toggle";
import { svgIcon } from "./icons";
import type { PeopleSuggestions } from "./people-suggestions";
import { avatarWithPresence, presenceText } from "./presence-avatar";
import { groupHeading } from "./sidebar";
import type { Change, Store } from "./store";
import { UsernameForm } from "./username-form";

export type ContactActions = {
  /** Each rejects with a message to show. */
  add(username: string): Promise<void>;
  remove(username: string): Promise<void>;
  message(username: string): Promise<void>;
};

export class ContactsPanel {
  readonly el: HTMLElement;
  private readonly list = h("ul", { class: "contact-list", role: "list" });
  private readonly empty = h("p", { class: "empty" }, "No contacts yet. Press + to add people and see when they are online.");
  private readonly loading = h("p", { class: "empty" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading contacts…");
  private readonly error = h("div", { class: "error-slot" });
  /** Where focus goes when the entry that had it is removed. */
  private readonly input: HTMLElement;
  private signature = "";
  private shownRoom: string | null = null;
  private readonly form: UsernameForm;

  constructor(
    private readonly store: Store,
    private readonly actions: ContactActions,
    suggestions: PeopleSuggestions,
  ) {
    const headingId = uid("contacts-heading");
    const form = new UsernameForm({
      idPrefix: "contact-name",
      label: "Add contact",
      button: "Add",
      formClass: "panel-form compact",
      empty: "Type a username.",
      self: { username: store.me.username, text: "That’s you! Add someone else." },
      suggest: { people: suggestions, roomId: () => store.currentRoomId },
      submit: (username) => actions.add(username).then(() => toggle.close(true)),
    });
    const toggle = formToggle(form.el, () => form.input, { label: "Add a contact" });
    this.form = form;
    this.input = toggle.button;
    this.el = h(
      "section",
      { class: "group contacts", "aria-labelledby": headingId },
      h("div", { class: "group-head" }, groupHeading("Contacts", headingId), toggle.button),
      form.el,
      this.loading,
      this.list,
      this.empty,
      this.error,
    );
    this.list.addEventListener("click", (e) => {
      const target = e.target as Element;
      const open = target.closest<HTMLButtonElement>("button[data-message-user]");
      const remove = target.closest<HTMLButtonElement>("button[data-remove-user]");
      showFormError(this.error, null);
      if (open) {
        actions.message(open.dataset.messageUser ?? "").catch((err: unknown) => showFormError(this.error, (err as Error).message));
      } else if (remove) {
        const username = remove.dataset.removeUser ?? "";
        // Focus would be lost with the removed entry: keep it in the panel.
        this.input.focus();
        actions.remove(username).catch((err: unknown) => showFormError(this.error, (err as Error).message));
      }
    });
    store.subscribe((change) => this.onChange(change));
    this.render();
  }

  private onChange(change: Change): void {
    if (change.current && this.store.currentRoomId !== this.shownRoom) {
      this.shownRoom = this.store.currentRoomId;
      showFormError(this.error, null);
      this.form.reset();
    }
    if (change.contacts || change.presence) this.render();
  }

  private render(): void {
    const { list, error } = this.store.people.contacts;
    const sorted = [...(list ?? [])].sort(
      (a, b) =>
        Number(this.online(b)) - Number(this.online(a)) ||
        a.username.localeCompare(b.username, undefined, { sensitivity: "base" }),
    );
    const signature = JSON.stringify([list === null, error, sorted.map((c) => [c.id, c.username, this.online(c)])]);
    if (signature === this.signature) return;
    this.signature = signature;
    this.loading.hidden = list !== null || error !== null;
    this.empty.hidden = list === null || list.length > 0;
    if (error && list === null) showFormError(this.error, error);
    const focused = (document.activeElement as HTMLElement | null)?.dataset;
    const refocus = focused?.messageUser ?? null;
    setChildren(this.list, ...sorted.map((c) => this.entry(c)));
    if (refocus !== null) this.list.querySelector<HTMLElement>(`[data-message-user="${CSS.escape(refocus)}"]`)?.focus();
  }

  private online(contact: Contact): boolean {
    return this.store.people.isOnline(contact) ?? false;
  }

  private entry(contact: Contact): HTMLLIElement {
    const online = this.online(contact);
    return h(
      "li",
      { class: "contact", "data-user-id": contact.id, "data-online": String(online) },
      h(
        "button",
        { type: "button", class: "contact-item", "data-message-user": contact.username, title: `Message ${contact.username}` },
        avatarWithPresence(contact.username, online),
        h("bdi", { class: "contact-name" }, contact.username),
        presenceText(online),
      ),
      h(
        "button",
        {
          type: "button",
          class: "button ghost contact-remove",
          "data-remove-user": contact.username,
          "aria-label": `Remove ${contact.username} from contacts`,
          title: "Remove from contacts",
        },
        svgIcon("close"),
      ),
    );
  }
}
