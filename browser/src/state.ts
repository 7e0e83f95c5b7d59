// The page's store: the room list (with the server's read markers and
// mention counts), and per room the messages loaded so far (ascending seq,
// one entry per id, no gaps), the user's own messages still waiting for
// their ack (by clientId), and system events heard live; who is in which
// room, who is online, the contacts, and who is typing. Views subscribe and
// re-render; several changes in one task reach them as one batch.
import type { Contact, Message, Room, SystemEvent, User } from "../../common/protocol";
import { mentionedUsernames } from "../../common/rules";
import { randomId } from "./dom";

export type PendingMessage = {
  clientId: string;
  roomId: string;
  text: string;
  /** Local clock; only used to show a time until the server's arrives. */
  createdAt: number;
  status: "sending" | "failed";
  error: string | null;
};

export type RoomLog = {
  /** Stored messages, ascending seq, no duplicates. */
  messages: Message[];
  /** The user's own unacknowledged messages, in the order they were written. */
  pending: Map<string, PendingMessage>;
  system: SystemEvent[];
  /** The first page (the newest, or the window around a found message) has been fetched since the room was (re)entered. */
  newestLoaded: boolean;
  loadingNewest: boolean;
  loadingOlder: boolean;
  loadingNewer: boolean;
  /**
   * The loaded messages reach the room's newest, so live ones are appended.
   * False while an older stretch is shown (a search result's surroundings):
   * live messages are then left for `history {after}` as the reader scrolls down.
   */
  following: boolean;
  /** The last history call for this room failed; shown with a "Try again" button. */
  loadError: { what: LoadWhat; message: string } | null;
  /** The message a search result pointed at: marked, and scrolled to once (scrollToSeq). */
  highlightSeq: number | null;
  scrollToSeq: number | null;
};

export type LoadWhat = "newest" | "older" | "newer" | "window";
export type LogCause = "newest" | "older" | "newer" | "window" | "live" | "pending" | "update" | "reset";
export type Change = {
  rooms: boolean;
  current: boolean;
  logs: Map<string, Set<LogCause>>;
  members: boolean;
  contacts: boolean;
  presence: boolean;
  typing: boolean;
};
type Flag = Exclude<keyof Change, "logs">;
type Listener = (change: Change) => void;

export type MemberList = { list: Contact[] | null; loading: boolean; error: string | null };
export type ContactList = { list: Contact[] | null; error: string | null };

/**
 * A typing state is ended by the server; the server also relays each refresh
 * (the composer refreshes every 3 s), so a state not refreshed for this long
 * lost its (volatile) end and expires here.
 */
const TYPING_SAFETY_MS = 8_000;

function emptyLog(): RoomLog {
  return {
    messages: [],
    pending: new Map(),
    system: [],
    newestLoaded: false,
    loadingNewest: false,
    loadingOlder: false,
    loadingNewer: false,
    following: true,
    loadError: null,
    highlightSeq: null,
    scrollToSeq: null,
  };
}

/** Whether a message @mentions `username` (as the server counts mentions). */
export function mentions(message: Message, username: string): boolean {
  return !message.deleted && mentionedUsernames(message.text).includes(username.toLowerCase());
}

/** Index of the first message with seq >= `seq` (binary search). */
function lowerBound(messages: Message[], seq: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid] as Message).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Store {
  readonly rooms = new Map<string, Room>();
  /** Per room, who is in it (room:members), fetched when the room is opened. */
  readonly members = new Map<string, MemberList>();
  /** Online state by user id, from presence events and the latest lists. */
  private readonly online = new Map<string, boolean>();
  contacts: ContactList = { list: null, error: null };
  /** Per room, who is typing there (never the user: the server does not echo). */
  private readonly typists = new Map<string, Map<string, { user: User; timer: ReturnType<typeof setTimeout> }>>();
  private readonly logs = new Map<string, RoomLog>();
  private readonly ids = new Map<string, string>(); // message id → roomId
  currentRoomId: string | null = null;
  /** The first room list has arrived. */
  roomsLoaded = false;
  private version = 0;
  private readonly stamps = new Map<string, number>();
  private readonly listeners = new Set<Listener>();
  private batch: Change | null = null;

  constructor(readonly me: User) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ------------------------------------------------------------ rooms

  /** A stamp to pass to setRooms: taken when a room:list call starts. */
  roomsVersion(): number {
    return this.version;
  }

  /**
   * Replaces the list with the server's. A room changed here after the list
   * was asked for (created, joined, left meanwhile) keeps its newer local state.
   * The open room is closed if the user is no longer in it.
   */
  setRooms(list: Room[], askedAt: number): void {
    const next = new Map<string, Room>();
    for (const room of list) next.set(room.id, this.merge(room));
    for (const [id, stamp] of this.stamps) {
      if (stamp <= askedAt) continue;
      const local = this.rooms.get(id);
      if (local) next.set(id, local);
      else next.delete(id);
    }
    this.rooms.clear();
    for (const [id, room] of next) this.rooms.set(id, room);
    this.roomsLoaded = true;
    this.changed({ rooms: true });
    this.closeIfGone();
  }

  upsertRoom(room: Room): void {
    this.rooms.set(room.id, this.merge(room));
    this.stamps.set(room.id, ++this.version);
    this.changed({ rooms: true });
    this.closeIfGone();
  }

  removeRoom(roomId: string): void {
    this.rooms.delete(roomId);
    this.stamps.set(roomId, ++this.version);
    this.changed({ rooms: true });
    this.closeIfGone();
  }

  /**
   * The server's view of a room merged with what was heard live since it was
   * asked for: seqs and the read marker only move forward.
   */
  private merge(room: Room): Room {
    const known = this.rooms.get(room.id);
    if (!known) return room;
    const lastSeq = Math.max(room.lastSeq, known.lastSeq);
    const lastReadSeq = Math.max(room.lastReadSeq, known.lastReadSeq);
    // Mentions counted live after the server answered are not in its count.
    let unreadMentions = known.lastSeq > room.lastSeq ? Math.max(room.unreadMentions, known.unreadMentions) : room.unreadMentions;
    if (lastReadSeq >= lastSeq) unreadMentions = 0;
    return { ...room, lastSeq, lastReadSeq, unreadMentions };
  }

  private patchRoom(roomId: string, patch: (room: Room) => Room): void {
    const room = this.rooms.get(roomId);
    if (!room) return;
    const next = patch(room);
    if (next.lastSeq === room.lastSeq && next.lastReadSeq === room.lastReadSeq && next.unreadMentions === room.unreadMentions) return;
    this.rooms.set(roomId, next);
    this.changed({ rooms: true });
  }

  /** Moves the read marker forward (the user read up to `seq`, here or in another tab). */
  markRead(roomId: string, seq: number): void {
    this.patchRoom(roomId, (room) => {
      const lastReadSeq = Math.max(room.lastReadSeq, Math.min(seq, room.lastSeq));
      return { ...room, lastReadSeq, unreadMentions: lastReadSeq >= room.lastSeq ? 0 : room.unreadMentions };
    });
  }

  /** A message after the read marker started or stopped mentioning the user. */
  addMentions(roomId: string, delta: number): void {
    this.patchRoom(roomId, (room) => ({ ...room, unreadMentions: Math.max(0, room.unreadMentions + delta) }));
  }

  /** Messages after the user's read marker (joined rooms only). */
  unread(roomId: string): number {
    const room = this.rooms.get(roomId);
    return room?.joined ? Math.max(0, room.lastSeq - room.lastReadSeq) : 0;
  }

  private closeIfGone(): void {
    if (this.currentRoomId !== null && !this.rooms.get(this.currentRoomId)?.joined) this.setCurrent(null);
  }

  room(roomId: string | null): Room | undefined {
    return roomId === null ? undefined : this.rooms.get(roomId);
  }

  setCurrent(roomId: string | null): void {
    this.currentRoomId = roomId;
    this.changed({ current: true, rooms: true });
  }

  totalUnread(): number {
    let n = 0;
    for (const roomId of this.rooms.keys()) n += this.unread(roomId);
    return n;
  }

  // ------------------------------------------------------------ messages

  log(roomId: string): RoomLog {
    let log = this.logs.get(roomId);
    if (!log) {
      log = emptyLog();
      this.logs.set(roomId, log);
    }
    return log;
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
    const fresh = emptyLog();
    fresh.pending = log.pending;
    fresh.system = log.system;
    this.logs.set(roomId, fresh);
    this.changedLog(roomId, "reset");
  }

  /**
   * Inserts messages by seq, once per id. A message of the user's own replaces
   * the pending one with its clientId, whether the ack or the broadcast (or a
   * catch-up page) brings it first. Returns the messages that were new.
   */
  addMessages(roomId: string, messages: Message[], cause: LogCause): Message[] {
    const log = this.log(roomId);
    const added: Message[] = [];
    for (const m of messages) {
      if (m.sender.id === this.me.id && log.pending.delete(m.clientId)) this.changedLog(roomId, "pending");
      this.patchRoom(roomId, (room) => (m.seq > room.lastSeq ? { ...room, lastSeq: m.seq } : room));
      if (this.ids.has(m.id)) {
        if (this.replace(log, m)) this.changedLog(roomId, "update");
        continue;
      }
      // Showing an older stretch: what is newer comes with the next `history {after}` page.
      const newest = log.messages[log.messages.length - 1];
      if (cause === "live" && !log.following && (newest === undefined || m.seq > newest.seq)) continue;
      const at = lowerBound(log.messages, m.seq);
      if (log.messages[at]?.seq === m.seq) continue; // same seq, other id: cannot happen; keep the first
      log.messages.splice(at, 0, m);
      this.ids.set(m.id, roomId);
      added.push(m);
    }
    if (added.length > 0) this.changedLog(roomId, cause);
    return added;
  }

  /** A loaded message by id. */
  message(messageId: string): Message | undefined {
    const roomId = this.ids.get(messageId);
    if (roomId === undefined) return undefined;
    return this.logs.get(roomId)?.messages.find((m) => m.id === messageId);
  }

  newestSeq(roomId: string): number | undefined {
    const messages = this.logs.get(roomId)?.messages;
    return messages?.[messages.length - 1]?.seq;
  }

  /** An edit or delete: replaces the message with the same id, if loaded. */
  updateMessage(m: Message): void {
    const roomId = this.ids.get(m.id);
    if (roomId === undefined) return;
    if (this.replace(this.log(roomId), m)) this.changedLog(roomId, "update");
  }

  private replace(log: RoomLog, m: Message): boolean {
    const at = lowerBound(log.messages, m.seq);
    const old = log.messages[at];
    if (!old || old.id !== m.id) return false;
    if (old.text === m.text && old.deleted === m.deleted && old.editedAt === m.editedAt) return false;
    log.messages[at] = m;
    return true;
  }

  oldestSeq(roomId: string): number | undefined {
    return this.logs.get(roomId)?.messages[0]?.seq;
  }

  /** seq has no gaps and starts at 1, so anything above 1 means older messages exist. */
  hasOlder(roomId: string): boolean {
    const log = this.logs.get(roomId);
    if (!log || !log.newestLoaded) return false;
    const oldest = log.messages[0]?.seq;
    return oldest !== undefined && oldest > 1;
  }

  addPending(roomId: string, text: string): PendingMessage {
    const pending: PendingMessage = {
      clientId: randomId(),
      roomId,
      text,
      createdAt: Date.now(),
      status: "sending",
      error: null,
    };
    this.log(roomId).pending.set(pending.clientId, pending);
    this.changedLog(roomId, "pending");
    return pending;
  }

  pending(roomId: string, clientId: string): PendingMessage | undefined {
    return this.logs.get(roomId)?.pending.get(clientId);
  }

  /** Marks a pending message sending again or failed; a no-op once it is stored. */
  setPendingStatus(roomId: string, clientId: string, status: PendingMessage["status"], error: string | null = null): void {
    const pending = this.logs.get(roomId)?.pending.get(clientId);
    if (!pending) return;
    pending.status = status;
    pending.error = error;
    this.changedLog(roomId, "pending");
  }

  addSystem(event: SystemEvent): void {
    const log = this.log(event.roomId);
    const duplicate = log.system.some((e) => e.type === event.type && e.user.id === event.user.id && e.at === event.at);
    if (duplicate) return;
    log.system.push(event);
    log.system.sort((a, b) => a.at - b.at);
    this.changedLog(event.roomId, "live");
  }

  /** Flags on a log (loading, errors, highlight) changed. */
  touch(roomId: string, cause: LogCause = "update"): void {
    this.changedLog(roomId, cause);
    this.changed({ rooms: true });
  }

  // ------------------------------------------------------------ members, presence, contacts

  setMembers(roomId: string, members: MemberList): void {
    if (members.list) for (const m of members.list) this.online.set(m.id, m.online);
    this.members.set(roomId, members);
    this.changed({ members: true, presence: true });
  }

  forgetMembers(roomId: string): void {
    if (this.members.delete(roomId)) this.changed({ members: true });
  }

  setContacts(contacts: ContactList): void {
    if (contacts.list) for (const c of contacts.list) this.online.set(c.id, c.online);
    this.contacts = contacts;
    this.changed({ contacts: true, presence: true });
  }

  setOnline(user: User, online: boolean): void {
    if (this.online.get(user.id) === online) return;
    this.online.set(user.id, online);
    if (!online) for (const roomId of this.typists.keys()) this.setTyping(roomId, user, false);
    this.changed({ presence: true });
  }

  /** The user is always online to themselves; others as last heard. */
  isOnline(user: Contact): boolean {
    return user.id === this.me.id || (this.online.get(user.id) ?? user.online);
  }

  // ------------------------------------------------------------ typing

  setTyping(roomId: string, user: User, typing: boolean): void {
    let room = this.typists.get(roomId);
    const known = room?.get(user.id);
    if (known) clearTimeout(known.timer);
    if (!typing) {
      if (!known || !room) return;
      room.delete(user.id);
      if (room.size === 0) this.typists.delete(roomId);
    } else {
      if (!room) {
        room = new Map();
        this.typists.set(roomId, room);
      }
      const timer = setTimeout(() => this.setTyping(roomId, user, false), TYPING_SAFETY_MS);
      room.set(user.id, { user, timer });
    }
    this.changed({ typing: true });
  }

  /** Who is typing in a room, by name. */
  typing(roomId: string): string[] {
    return Array.from(this.typists.get(roomId)?.values() ?? [], (t) => t.user.username).sort((a, b) => a.localeCompare(b));
  }

  clearTyping(): void {
    for (const room of this.typists.values()) for (const t of room.values()) clearTimeout(t.timer);
    this.typists.clear();
    this.changed({ typing: true });
  }

  // ------------------------------------------------------------ batching

  private changedLog(roomId: string, cause: LogCause): void {
    const batch = this.open();
    let causes = batch.logs.get(roomId);
    if (!causes) {
      causes = new Set();
      batch.logs.set(roomId, causes);
    }
    causes.add(cause);
  }

  private changed(what: Partial<Record<Flag, boolean>>): void {
    const batch = this.open();
    for (const [flag, on] of Object.entries(what) as Array<[Flag, boolean]>) if (on) batch[flag] = true;
  }

  private open(): Change {
    if (!this.batch) {
      this.batch = { rooms: false, current: false, logs: new Map(), members: false, contacts: false, presence: false, typing: false };
      queueMicrotask(() => this.flush());
    }
    return this.batch;
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = null;
    if (!batch) return;
    for (const listener of this.listeners) listener(batch);
  }
}
