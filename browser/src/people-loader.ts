// Who is in a room (asked when it is opened and whenever its membership
// changes) and the user's contacts (asked on every connect). Only the latest
// answer for each counts; an older one arriving late is dropped.
import type { ChatClient } from "../../common/client";
import { shortReason } from "./error-texts";
import type { Store } from "./store";

export class PeopleLoader {
  private readonly membersAsked = new Map<string, number>();
  private contactsAsked = 0;

  constructor(
    private readonly client: ChatClient,
    private readonly store: Store,
  ) {}

  members(roomId: string): void {
    const ask = (this.membersAsked.get(roomId) ?? 0) + 1;
    this.membersAsked.set(roomId, ask);
    const people = this.store.people;
    const known = people.members(roomId)?.list ?? null;
    people.setMembers(roomId, { list: known, loading: true, error: null });
    this.client.call("room:members", { roomId }).then(
      (list) => {
        // Online flags are told to the room's members only: a public room's visitor sees people without a status.
        if (this.membersAsked.get(roomId) === ask) people.setMembers(roomId, { list, loading: false, error: null });
      },
      (err: unknown) => {
        if (this.membersAsked.get(roomId) !== ask) return;
        people.setMembers(roomId, { list: known, loading: false, error: `Couldn’t load members (${shortReason(err)}).` });
      },
    );
  }

  contacts(): Promise<void> {
    const ask = ++this.contactsAsked;
    return this.client.call("contacts:list", {}).then(
      (list) => {
        if (ask === this.contactsAsked) this.store.people.setContacts({ list, error: null });
      },
      (err: unknown) => {
        if (ask === this.contactsAsked) {
          this.store.people.setContacts({ list: this.store.people.contacts.list, error: `Couldn’t load contacts (${shortReason(err)}).` });
        }
      },
    );
  }
}
