// What the CLI knows while it runs: the connected client, the rooms (the
// client core's room directory, which names rooms in output and counts
// unread messages), the current room, which plain lines are sent to and
// which is kept marked read, and the user's contacts (whose presence is
// shown). The live lines themselves are printed by live-lines.ts.
import type { ChatClient } from "../../common/client";
import type { Contact, Room, User } from "../../common/protocol";
import { ReadMarkers } from "../../common/read-markers";
import { RoomDirectory } from "../../common/room-directory";
import { roomNameKey } from "../../common/rules";
import { CliError, formatError, label } from "./format";

export class CliState {
  readonly directory: RoomDirectory;
  readonly reads: ReadMarkers;
  private readonly contactsById = new Map<string, Contact>();
  private currentId: string | null = null;
  /** Live lines, in the order their events arrived (naming a new room may take a round trip). */
  private printQueue: Promise<void> = Promise.resolve();

  constructor(
    readonly client: ChatClient,
    readonly me: User,
    readonly print: (line: string) => void,
  ) {
    // Failures nobody typed a command for: a list or a read mark asked for in the background.
    this.directory = new RoomDirectory(me, () => client.call("room:list", {}), (err) => this.later(() => formatError(err)));
    this.reads = new ReadMarkers(this.directory, (roomId, seq) => client.call("read", { roomId, seq }), {
      onError: (err, roomId) => this.later(async () => `${formatError(err)} (marking ${await this.labelOf(roomId)} read)`),
    });
  }

  /** Prints a line once everything queued before it is printed. */
  later(render: () => Promise<string> | string): void {
    this.printQueue = this.printQueue.then(async () => this.print(await render())).catch((err: unknown) => this.print(formatError(err)));
  }

  /** Asks the server for every room this user can see. */
  refresh(): Promise<Room[]> {
    return this.directory.refresh();
  }

  /** After leaving a room: nothing is marked read there any more, and it is no longer current. */
  forget(roomId: string): void {
    this.directory.left(roomId);
    this.reads.forget(roomId);
    if (this.currentId === roomId) this.currentId = null;
  }

  get current(): Room | null {
    return this.directory.get(this.currentId) ?? null;
  }

  /** Makes `room` (as an ack or the list describes it) current, and marks it read: what it holds is on screen or in /history. */
  setCurrent(room: Room): void {
    this.directory.upsert(room);
    this.currentId = room.id;
    // A message delivered after the server answered with `room` counts too: the directory has it.
    const newest = this.directory.get(room.id)?.lastSeq ?? room.lastSeq;
    if (room.joined) this.reads.mark(room.id, newest);
  }

  requireCurrent(): Room {
    const room = this.current;
    if (!room) throw new CliError("NO_ROOM", "no current room: /join, /create or /dm first");
    return room;
  }

  /**
   * Finds a room by id, by name ignoring case, or by its label (`#general`,
   * `@bob`). Public rooms win a tie, since their names are the unique ones.
   */
  async find(query: string, which: (room: Room) => boolean = () => true): Promise<Room> {
    const rooms = (await this.refresh()).filter(which);
    const q = roomNameKey(query);
    const byName = (room: Room) => roomNameKey(room.name) === q || roomNameKey(label(room)) === q;
    const found =
      rooms.find((room) => room.id === query) ??
      rooms.find((room) => room.kind === "public" && byName(room)) ??
      rooms.find(byName);
    if (!found) throw new CliError("NOT_FOUND", `no room "${query}"`);
    return found;
  }

  /**
   * After a reconnect (and its catch-up): the rooms and contacts may have
   * changed meanwhile, and a read mark lost with the connection is sent again.
   */
  async resync(): Promise<void> {
    this.reads.reconnected();
    await this.refresh();
    const current = this.current;
    if (current) this.reads.mark(current.id, current.lastSeq);
    await this.loadContacts();
  }

  // ---------------------------------------------------------------- contacts

  /** Asks the server for the contacts (with online flags), and remembers them for presence lines. */
  async loadContacts(): Promise<Contact[]> {
    const contacts = await this.client.call("contacts:list", {});
    this.contactsById.clear();
    for (const contact of contacts) this.contactsById.set(contact.id, contact);
    return contacts;
  }

  /** A contact by username, ignoring case as the server does. */
  contactNamed(username: string): Contact | undefined {
    const wanted = username.toLowerCase();
    return [...this.contactsById.values()].find((c) => c.username.toLowerCase() === wanted);
  }

  /** A contact's presence changed; false when it is not a contact's or nothing changed. */
  setOnline(user: User, online: boolean): boolean {
    const contact = this.contactsById.get(user.id);
    if (!contact || contact.online === online) return false;
    this.contactsById.set(user.id, { ...contact, online });
    return true;
  }

  /** The label of a room, asking the server first if the room is new here. */
  async labelOf(roomId: string): Promise<string> {
    if (!this.directory.get(roomId)) await this.refresh().catch(() => undefined);
    const room = this.directory.get(roomId);
    return room ? label(room) : roomId;
  }
}
