// The page's store: the room list, and per room the messages loaded so far
// (ascending seq, one entry per id), the user's own messages still waiting
// for their ack (by clientId), and system events heard live. Views subscribe
// and re-render; several changes in one task reach them as one batch.
import type { Message, Room, SystemEvent, User } from "../../common/protocol";
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
  /** The newest page has been fetched since the room was (re)entered. */
  newestLoaded: boolean;
  loadingNewest: boolean;
  loadingOlder: boolean;
  /** The last history call for this room failed; shown with a "Try again" button. */
  loadError: { what: "newest" | "older"; message: string } | null;
  /** Messages from others that arrived while the room was not open. */
  unread: number;
};

export type LogCause = "newest" | "older" | "live" | "pending" | "update" | "reset";
export type Change = { rooms: boolean; current: boolean; logs: Map<string, Set<LogCause>> };
type Listener = (change: Change) => void;

function emptyLog(): RoomLog {
  return {
    messages: [],
    pending: new Map(),
    system: [],
    newestLoaded: false,
    loadingNewest: false,
    loadingOlder: false,
    loadError: null,
    unread: 0,
  };
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
    for (const room of list) next.set(room.id, room);
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
    const known = this.rooms.get(room.id);
    this.rooms.set(room.id, known ? { ...room, lastSeq: Math.max(room.lastSeq, known.lastSeq) } : room);
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

  private closeIfGone(): void {
    if (this.currentRoomId !== null && !this.rooms.get(this.currentRoomId)?.joined) this.setCurrent(null);
  }

  room(roomId: string | null): Room | undefined {
    return roomId === null ? undefined : this.rooms.get(roomId);
  }

  setCurrent(roomId: string | null): void {
    this.currentRoomId = roomId;
    if (roomId !== null) this.log(roomId).unread = 0;
    this.changed({ current: true, rooms: true });
  }

  totalUnread(): number {
    let n = 0;
    for (const [roomId, log] of this.logs) if (this.rooms.get(roomId)?.joined) n += log.unread;
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

  /** Forgets what was loaded of a room (after leaving it: what is said meanwhile is not delivered). */
  resetLog(roomId: string): void {
    const log = this.logs.get(roomId);
    if (!log) return;
    for (const m of log.messages) this.ids.delete(m.id);
    const fresh = emptyLog();
    fresh.pending = log.pending;
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
      if (this.ids.has(m.id)) {
        this.replace(log, m);
        continue;
      }
      const at = lowerBound(log.messages, m.seq);
      if (log.messages[at]?.seq === m.seq) continue; // same seq, other id: cannot happen; keep the first
      log.messages.splice(at, 0, m);
      this.ids.set(m.id, roomId);
      added.push(m);
      const room = this.rooms.get(roomId);
      if (room && m.seq > room.lastSeq) this.rooms.set(roomId, { ...room, lastSeq: m.seq });
    }
    if (added.length > 0) this.changedLog(roomId, cause);
    return added;
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

  /** Flags on a log (loading, errors, unread) changed. */
  touch(roomId: string, cause: LogCause = "update"): void {
    this.changedLog(roomId, cause);
    this.changed({ rooms: true });
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

  private changed(what: { rooms?: boolean; current?: boolean }): void {
    const batch = this.open();
    batch.rooms ||= what.rooms ?? false;
    batch.current ||= what.current ?? false;
  }

  private open(): Change {
    if (!this.batch) {
      this.batch = { rooms: false, current: false, logs: new Map() };
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
