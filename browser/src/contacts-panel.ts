// The contacts panel (a labelled section below the rooms): the user's own
// list of people with online dots, updated live by presence events. A
// contact's button opens the direct message with them; another removes them;
// a form adds someone by username.
import type { Contact } from "../../common/protocol";
import { h, setChildren, showFormError, uid } from "./dom";
import { svgIcon } from "./icons";
import { avatarWithPresence, presenceText } from "./presence-avatar";
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
  private readonly empty = h("p", { class: "empty" }, "No contacts yet. Add people to see when they are online.");
  private readonly loading = h("p", { class: "empty" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading contacts…");
  private readonly error = h("div", { class: "error-slot" });
  /** Where focus goes when the entry that had it is removed. */
  private readonly input: HTMLInputElement;
  private signature = "";

  constructor(
    private readonly store: Store,
    private readonly actions: ContactActions,
  ) {
    const headingId = uid("contacts-heading");
    const form = new UsernameForm({
      idPrefix: "contact-name",
      label: "Add contact",
      button: "Add",
      formClass: "panel-form compact",
      empty: "Type a username.",
      self: { username: store.me.username, text: "That’s you! Add someone else." },
      submit: (username) => actions.add(username),
    });
    this.input = form.input;
    this.el = h(
      "section",
      { class: "group contacts", "aria-labelledby": headingId },
      // Like the rooms panel's group titles: a level-2 heading that is not an <h2> (the room title's).
      h("div", { id: headingId, class: "group-title", role: "heading", "aria-level": 2 }, "Contacts"),
      this.loading,
      this.list,
      this.empty,
      this.error,
      form.el,
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
    if (change.contacts || change.presence) this.render();
  }

  private render(): void {
    const { list, error } = this.store.contacts;
    const sorted = [...(list ?? [])].sort(
      (a, b) =>
        Number(this.store.isOnline(b)) - Number(this.store.isOnline(a)) ||
        a.username.localeCompare(b.username, undefined, { sensitivity: "base" }),
    );
    const signature = JSON.stringify([list === null, error, sorted.map((c) => [c.id, c.username, this.store.isOnline(c)])]);
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

  private entry(contact: Contact): HTMLLIElement {
    const online = this.store.isOnline(contact);
    return h(
      "li",
      { class: "contact", "data-user-id": contact.id, "data-online": String(online) },
      h(
        "button",
        { type: "button", class: "contact-item", "data-message-user": contact.username, title: `Message ${contact.username}` },
        avatarWithPresence(contact.username, online),
        h("span", { class: "contact-name" }, contact.username),
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
