// The people part of the page's state: who is in which room (with online
// flags where the server tells them), the user's contacts, who is online
// (by id and by name, for dm entries that know only a name), and every
// username the page has met (members, contacts, suggestions, senders): an
// @name is highlighted as a mention only when it names one of those. Owned
// by the store, which hears its changes.
import type { Contact, RoomMember, User } from "../../common/protocol";

export type MemberList = { readonly list: readonly RoomMember[] | null; readonly loading: boolean; readonly error: string | null };
export type ContactList = { readonly list: readonly Contact[] | null; readonly error: string | null };
export type PeopleChange = { members?: boolean; contacts?: boolean; presence?: boolean; people?: boolean };

const key = (username: string) => username.toLowerCase();

export class PeopleState {
  private readonly memberLists = new Map<string, MemberList>();
  /** Online state by user id, and by lowercased name, from presence events and the latest lists. */
  private readonly online = new Map<string, boolean>();
  private readonly onlineNames = new Map<string, boolean>();
  private contactList: ContactList = { list: null, error: null };
  /** Every user the page has met, by lowercased name. */
  private readonly known = new Map<string, User>();

  constructor(
    private readonly me: User,
    private readonly changed: (what: PeopleChange) => void,
    /** Someone went offline (they type nowhere any more). */
    private readonly wentOffline: (user: User) => void = () => {},
  ) {
    this.known.set(key(me.username), me);
  }

  // ------------------------------------------------------------ members

  members(roomId: string | null): MemberList | undefined {
    return roomId === null ? undefined : this.memberLists.get(roomId);
  }

  setMembers(roomId: string, members: MemberList): void {
    if (members.list) {
      for (const m of members.list) if (m.online !== undefined) this.putOnline(m, m.online);
      this.meet(members.list);
    }
    this.memberLists.set(roomId, members);
    this.changed({ members: true, presence: true });
  }

  forgetMembers(roomId: string): void {
    if (this.memberLists.delete(roomId)) this.changed({ members: true });
  }

  // ------------------------------------------------------------ contacts

  get contacts(): ContactList {
    return this.contactList;
  }

  setContacts(contacts: ContactList): void {
    if (contacts.list) {
      for (const c of contacts.list) this.putOnline(c, c.online);
      this.meet(contacts.list);
    }
    this.contactList = contacts;
    this.changed({ contacts: true, presence: true });
  }

  isContact(username: string): boolean {
    return this.contactList.list?.some((c) => key(c.username) === key(username)) ?? false;
  }

  // ------------------------------------------------------------ presence

  setOnline(user: User, online: boolean): void {
    this.meet([user]);
    if (this.online.get(user.id) === online) return;
    this.putOnline(user, online);
    if (!online) this.wentOffline(user);
    this.changed({ presence: true });
  }

  /** The user is always online to themselves; others as last heard; undefined when the server has not said (a public room's visitor). */
  isOnline(user: User & { online?: boolean }): boolean | undefined {
    return user.id === this.me.id || (this.online.get(user.id) ?? user.online);
  }

  /** Online state by username (a dm's entry knows only the other user's name); undefined when not heard. */
  isOnlineNamed(username: string): boolean | undefined {
    return key(username) === key(this.me.username) ? true : this.onlineNames.get(key(username));
  }

  // ------------------------------------------------------------ people met

  /** Users seen somewhere (suggestions, senders): they count as real for mentions. */
  meet(users: readonly User[]): void {
    let added = false;
    for (const u of users) {
      if (this.known.has(key(u.username))) continue;
      this.known.set(key(u.username), { id: u.id, username: u.username });
      added = true;
    }
    if (added) this.changed({ people: true });
  }

  knows(username: string): boolean {
    return this.known.has(key(username));
  }

  /** Everyone met, for suggestions made without asking the server. */
  everyoneMet(): User[] {
    return [...this.known.values()];
  }

  private putOnline(user: User, online: boolean): void {
    this.online.set(user.id, online);
    this.onlineNames.set(key(user.username), online);
  }
}
