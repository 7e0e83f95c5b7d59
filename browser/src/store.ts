// The page's state: which room is open; per room the messages loaded so far
// (room-log.ts); the people (people-state.ts: members, contacts, presence,
// names met) and who is typing. The room list with its counts is the client
// core's room directory, and the user's unsent messages its outbox, both
// held here so that their changes reach views like any other. Only the
// store's methods (and its parts' own) change page state. Views subscribe
// and re-render; several changes in one task reach them as one batch.
import type { Outbox } from "../../common/outbox";
import type { Message, Room, SystemEvent, User } from "../../common/protocol";
import type { RoomDirectory } from "../../common/room-directory";
import { ChangeBatch, type Change, type ChangeFlag, type LogCause } from "./change-batch";
import { PeopleState } from "./people-state";
import { RoomLog, type LoadWhat, type PendingMessage, type RoomLogView } from "./room-log";
import { Typists } from "./typists";

export type { Change, LogCause } from "./change-batch";
export type { ContactList, MemberList } from "./people-state";
export type { LoadWhat, PendingMessage, RoomLogView } from "./room-log";

/** A history page on its way; it is dropped if the log was started over meanwhile. */
export type PageTicket = { readonly roomId: string; readonly what: LoadWhat; readonly log: RoomLogView };

export class Store {
  private readonly logs = new Map<string, RoomLog>();
  private readonly ids = new Map<string, string>(); // message id → roomId
  private readonly typists = new Typists(() => this.changed({ typing: true }));
  private current: string | null = null;
  private readonly batch = new ChangeBatch();
  /** Members, contacts, presence and the names met; changed through its own methods. */
  readonly people: PeopleState;

  constructor(
    readonly me: User,
    /** The rooms and their counts; changed through its own methods, heard here as `rooms`. */
    readonly directory: RoomDirectory,
    /** The user's unsent messages; changed through its own methods, heard here as a `pending` log change. */
    readonly outbox: Outbox,
  ) {
    this.people = new PeopleState(me, (what) => this.changed(what), (user) => this.typists.goneOffline(user));
    outbox.subscribe((roomId) => this.changedLog(roomId, "pending"));
    directory.subscribe(() => {
      this.changed({ rooms: true });
      // The open room is closed once the user is no longer in it.
      if (this.current !== null && !directory.get(this.current)?.joined) this.setCurrent(null);
    });
  }

  subscribe(listener: (change: Change) => void): () => void {
    return this.batch.subscribe(listener);
  }

  // ------------------------------------------------------------ the open room

  get currentRoomId(): string | null {
    return this.current;
  }

  room(roomId: string | null): Room | undefined {
    return this.directory.get(roomId);
  }

  setCurrent(roomId: string | null): void {
    this.current = roomId;
    this.changed({ current: true, rooms: true });
  }

  /**
   * Opens a room from the list: its newest messages, not an older stretch
   * seen before, nothing marked; a "New messages" line after the read marker
   * when there is something unread.
   */
  enterRoom(roomId: string): void {
    let log = this.logs.get(roomId);
    if (log && !log.following) this.resetLog(roomId);
    else if (log && log.highlightSeq !== null) log.markFound(null);
    log = this.writableLog(roomId);
    const room = this.directory.get(roomId);
    log.unreadAfter = room && this.directory.unread(roomId) > 0 ? room.lastReadSeq : null;
    this.touch(roomId);
    this.setCurrent(roomId);
  }

  // ------------------------------------------------------------ messages

  log(roomId: string): RoomLogView {
    return this.writableLog(roomId);
  }

  /**
   * Forgets the messages loaded of a room (after leaving it: what is said
   * meanwhile is not delivered; or to load another stretch of it). The user's
   * unsent messages and the system events heard stay.
   */
  resetLog(roomId: string): void {
    const log = this.logs.get(roomId);
    if (!log) return;
    for (const m of log.messages) this.ids.delete(m.id);
    this.logs.set(roomId, log.startOver());
    this.changedLog(roomId, "reset");
  }

  /**
   * Inserts messages by seq, once per id. A message of the user's own replaces
   * the pending one with its clientId, whether the ack or the broadcast (or a
   * catch-up page) brings it first. Returns the messages that were new.
   */
  addMessages(roomId: string, messages: readonly Message[], cause: LogCause): Message[] {
    const log = this.writableLog(roomId);
    const added: Message[] = [];
    this.people.meet(messages.map((m) => m.sender));
    for (const m of messages) {
      // The outbox's change is heard as "pending".
      if (m.sender.id === this.me.id) this.outbox.noteStored(m);
      if (this.ids.has(m.id)) {
        if (log.replace(m)) this.changedLog(roomId, "update");
        continue;
      }
      // Showing an older stretch: what is newer comes with the next `history {after}` page.
      if (cause === "live" && !log.following && m.seq > (log.newestSeq() ?? 0)) continue;
      if (!log.insert(m)) continue;
      this.ids.set(m.id, roomId);
      added.push(m);
    }
    if (added.length > 0) this.changedLog(roomId, cause);
    return added;
  }

  /** A loaded message by id. */
  message(messageId: string): Message | undefined {
    const roomId = this.ids.get(messageId);
    return roomId === undefined ? undefined : this.logs.get(roomId)?.find(messageId);
  }

  newestSeq(roomId: string): number | undefined {
    return this.logs.get(roomId)?.newestSeq();
  }

  oldestSeq(roomId: string): number | undefined {
    return this.logs.get(roomId)?.messages[0]?.seq;
  }

  /** seq has no gaps and starts at 1, so anything above 1 means older messages exist. */
  hasOlder(roomId: string): boolean {
    const log = this.logs.get(roomId);
    const oldest = log?.messages[0]?.seq;
    return log !== undefined && log.newestLoaded && oldest !== undefined && oldest > 1;
  }

  /** An edit or delete: replaces the message with the same id, if loaded. */
  updateMessage(m: Message): void {
    const roomId = this.ids.get(m.id);
    if (roomId !== undefined && this.writableLog(roomId).replace(m)) this.changedLog(roomId, "update");
  }

  /** A message the user wrote: into the outbox, which sends it (and tries again) by itself. */
  addPending(roomId: string, text: string): PendingMessage {
    return this.outbox.add(roomId, text);
  }

  /** The user's Retry of a failed message (the same clientId). */
  retryPending(clientId: string): void {
    this.outbox.retry(clientId);
  }

  pending(roomId: string, clientId: string): PendingMessage | undefined {
    const entry = this.outbox.get(clientId);
    return entry?.roomId === roomId ? entry : undefined;
  }

  /** The user's messages in a room that are not stored yet, in the order written. */
  unsent(roomId: string): PendingMessage[] {
    return this.outbox.forRoom(roomId);
  }

  addSystem(event: SystemEvent): void {
    if (this.writableLog(event.roomId).addSystem(event)) this.changedLog(event.roomId, "live");
  }

  // ------------------------------------------------------------ history pages

  /** A history page is being asked for; the stretch around a found message (`window`) starts the log over. */
  pageRequested(roomId: string, what: LoadWhat, seq: number | null = null): PageTicket {
    if (what === "window") this.resetLog(roomId);
    const log = this.writableLog(roomId);
    log.pageRequested(what, seq);
    this.touch(roomId, what === "window" ? "reset" : what === "newest" ? "update" : what);
    return { roomId, what, log };
  }

  /** The page arrived; `last`: it may reach the room's newest message (live ones are then followed again). */
  pageArrived(ticket: PageTicket, page: readonly Message[], { last }: { last: boolean }): void {
    const log = this.logs.get(ticket.roomId);
    if (!log || log !== ticket.log) return;
    this.addMessages(ticket.roomId, page, ticket.what);
    const newest = page[page.length - 1];
    if (last && newest) this.directory.noteActivity(ticket.roomId, newest.createdAt);
    log.pageArrived(ticket.what, last && (log.newestSeq() ?? 0) >= (this.directory.get(ticket.roomId)?.lastSeq ?? 0));
    this.touch(ticket.roomId, ticket.what);
  }

  pageFailed(ticket: PageTicket, message: string): void {
    const log = this.logs.get(ticket.roomId);
    if (!log || log !== ticket.log) return;
    log.pageFailed(ticket.what, message);
    this.touch(ticket.roomId, ticket.what === "older" || ticket.what === "newer" ? ticket.what : "update");
  }

  /** A search result already loaded: marked, and scrolled to once. */
  markFound(roomId: string, seq: number): void {
    this.writableLog(roomId).markFound(seq);
    this.touch(roomId);
  }

  /** The log view has scrolled to the found message (or given up): view bookkeeping, announced to nobody. */
  scrolledToFound(roomId: string): void {
    const log = this.logs.get(roomId);
    if (log) log.scrollToSeq = null;
  }

  // ------------------------------------------------------------ typing

  setTyping(roomId: string, user: User, typing: boolean): void {
    this.typists.set(roomId, user, typing);
  }

  /** Who is typing in a room, by name. */
  typing(roomId: string): string[] {
    return this.typists.names(roomId);
  }

  clearTyping(): void {
    this.typists.clear();
  }

  // ------------------------------------------------------------ internals

  private writableLog(roomId: string): RoomLog {
    let log = this.logs.get(roomId);
    if (!log) {
      log = new RoomLog();
      this.logs.set(roomId, log);
    }
    return log;
  }

  /** Flags on a log (loading, errors, highlight) changed. */
  private touch(roomId: string, cause: LogCause = "update"): void {
    this.changedLog(roomId, cause);
    this.changed({ rooms: true });
  }

  private changedLog(roomId: string, cause: LogCause): void {
    this.batch.log(roomId, cause);
  }

  private changed(what: Partial<Record<ChangeFlag, boolean>>): void {
    this.batch.flags(what);
  }
}
