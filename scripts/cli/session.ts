// What the CLI knows while it runs: the connected client, the rooms it has
// heard of (for naming them in output), the current room, which plain lines
// are sent to and which is kept marked read, and the user's contacts (whose
// presence is shown). Live events are printed from here.
import type { ChatClient } from "../../common/client";
import { mentionedUsernames, roomNameKey, type Contact, type Message, type Room, type User } from "../../common/protocol";
import { CliError, formatError, formatMessage, formatPresence, formatSystem, label, type MessageStyle } from "./format";
import { ReadMarker } from "./reads";

export class Session {
  private readonly rooms = new Map<string, Room>();
  private readonly contactsById = new Map<string, Contact>();
  private currentId: string | null = null;
  /** Live lines, in the order their events arrived (naming a new room may take a round trip). */
  private printQueue: Promise<void> = Promise.resolve();
  readonly reads: ReadMarker;

  constructor(
    readonly client: ChatClient,
    readonly me: User,
    readonly print: (line: string) => void,
  ) {
    this.reads = new ReadMarker(
      (roomId, seq) => client.call("read", { roomId, seq }),
      (err, roomId) => this.later(async () => `${formatError(err)} (marking ${await this.labelOf(roomId)} read)`),
    );
  }

  /** Asks the server for every room this user can see, and remembers them. */
  async refresh(): Promise<Room[]> {
    const rooms = await this.client.call("room:list", {});
    this.rooms.clear();
    for (const room of rooms) this.rooms.set(room.id, room);
    return rooms;
  }

  remember(room: Room): Room {
    this.rooms.set(room.id, room);
    return room;
  }

  forget(roomId: string): void {
    const room = this.rooms.get(roomId);
    if (room) this.rooms.set(roomId, { ...room, joined: false });
    this.reads.forget(roomId);
    if (this.currentId === roomId) this.currentId = null;
  }

  get current(): Room | null {
    return this.currentId === null ? null : (this.rooms.get(this.currentId) ?? null);
  }

  /** Makes `room` the current room, and marks it read: what it holds is on screen or in /history. */
  setCurrent(room: Room): void {
    this.remember(room);
    this.currentId = room.id;
    // A message delivered after the server answered with `room` counts too.
    const newest = Math.max(room.lastSeq, this.client.lastSeq(room.id) ?? 0);
    if (room.joined) this.reads.mark(room.id, newest, room.lastReadSeq);
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
   * After a reconnect (and its catch-up): contacts may have changed in another
   * session, and a read mark lost with the connection is sent again.
   */
  async resync(): Promise<void> {
    const current = this.current;
    const newest = current ? this.client.lastSeq(current.id) : undefined;
    if (current && newest !== undefined) this.reads.mark(current.id, newest);
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

  // ---------------------------------------------------------------- output

  /** `mention`: the message @mentions this user (and someone else wrote it). */
  mentionsMe(m: Message): boolean {
    return !m.deleted && m.sender.id !== this.me.id && mentionedUsernames(m.text).includes(this.me.username.toLowerCase());
  }

  /** A message line with its room's label and, if it mentions the user, the `!` marker. */
  async render(m: Message, style: MessageStyle = {}): Promise<string> {
    return formatMessage(await this.labelOf(m.roomId), m, { mention: this.mentionsMe(m), ...style });
  }

  /** Prints live messages, edits, system events and contacts' presence, in the order they arrive. */
  listen(): void {
    this.client.onMessage((m) => {
      const room = this.rooms.get(m.roomId);
      if (room && m.seq > room.lastSeq) this.rooms.set(m.roomId, { ...room, lastSeq: m.seq });
      // Every live line is printed, so the current room's newest message is one the user has seen.
      if (m.roomId === this.currentId) this.reads.mark(m.roomId, m.seq);
      this.later(() => this.render(m));
    });
    this.client.on("message:updated", (m) => this.later(() => this.render(m)));
    this.client.on("system", (e) => this.later(async () => formatSystem(await this.labelOf(e.roomId), e)));
    this.client.on("presence", ({ user, online }) => {
      // Presence also comes for everyone who shares a room; only contacts are shown.
      const contact = this.contactsById.get(user.id);
      if (!contact || contact.online === online) return;
      this.contactsById.set(user.id, { ...contact, online });
      this.later(() => formatPresence(user.username, online));
    });
    this.client.onError((err) => this.later(() => formatError(err)));
  }

  /** Prints a line once everything queued before it is printed. */
  private later(render: () => Promise<string> | string): void {
    this.printQueue = this.printQueue.then(async () => this.print(await render())).catch((err: unknown) => this.print(formatError(err)));
  }

  /** The label of a room, asking the server first if the room is new to this session. */
  async labelOf(roomId: string): Promise<string> {
    if (!this.rooms.has(roomId)) await this.refresh().catch(() => undefined);
    const room = this.rooms.get(roomId);
    return room ? label(room) : roomId;
  }
}
