// The rooms a client knows, as the user sees them: each room's newest seq,
// read marker, unread count and the mentions of the user after that marker.
// It starts from the server's room:list and is kept right from what the
// client hears meanwhile (messages live or caught up, the acks of create,
// join and dm:open, the user's own read events from any tab), so counts move
// without asking again. The page and the CLI each hold one and count nothing
// themselves.
import { mentionsUser } from "./mentions";
import type { Message, Room, User } from "./protocol";
import { roomNameKey } from "./rules";

/** What a delivered message meant for the directory. */
export type MessageNews = {
  /** The room as it is now; undefined when it is new here (an invitation, a dm): the list is asked for again. */
  room: Room | undefined;
  /** For a room new here: the room once the list has come (undefined if the list failed or lacks it). */
  listed?: Promise<Room | undefined>;
  /** Beyond the room's known newest seq, so counted now (the list may already have counted it). */
  fresh: boolean;
  /** It mentions the user (see mentionsUser), whether or not it is after the read marker. */
  mentionsMe: boolean;
};

export class RoomDirectory {
  private readonly byId = new Map<string, Room>();
  /** The marker the server is known to hold (lists, acks, read events); the shown one may be ahead of it. */
  private readonly serverRead = new Map<string, number>();
  /** When each room was last changed here: a list asked for before that does not undo the change. */
  private readonly stamps = new Map<string, number>();
  /** When each room last had a message, as far as this client has heard. */
  private readonly activity = new Map<string, number>();
  private version = 0;
  private listedOnce = false;
  private listing: Promise<Room[]> | null = null;
  private listAgain: Promise<Room[]> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly me: User,
    private readonly fetchList: () => Promise<Room[]>,
    /** Failures of the lists the directory asks for by itself. */
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Called after every change, synchronously. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ------------------------------------------------------------ reading

  get(roomId: string | null | undefined): Room | undefined {
    return roomId == null ? undefined : this.byId.get(roomId);
  }

  all(): Room[] {
    return [...this.byId.values()];
  }

  /** The first list has arrived. */
  get listed(): boolean {
    return this.listedOnce;
  }

  /** Messages after the user's read marker (joined rooms only). */
  unread(roomId: string): number {
    const room = this.byId.get(roomId);
    return room?.joined ? Math.max(0, room.lastSeq - room.lastReadSeq) : 0;
  }

  /** Unread messages that mention the user (never more than are unread). */
  mentions(roomId: string): number {
    const unread = this.unread(roomId);
    return unread > 0 ? Math.min(this.byId.get(roomId)?.unreadMentions ?? 0, unread) : 0;
  }

  totalUnread(): number {
    let n = 0;
    for (const id of this.byId.keys()) n += this.unread(id);
    return n;
  }

  /** When the room's newest message was written, if this client has heard (a message, a history page, a join). */
  lastActivity(roomId: string): number | undefined {
    return this.activity.get(roomId);
  }

  /** Rooms by activity, the most recent first; rooms with none heard of after them, by name. */
  readonly byActivity = (a: Room, b: Room): number =>
    (this.activity.get(b.id) ?? 0) - (this.activity.get(a.id) ?? 0) ||
    a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) ||
    a.id.localeCompare(b.id);

  serverReadSeq(roomId: string): number {
    return this.serverRead.get(roomId) ?? 0;
  }

  /** The public room whose name is the same ignoring case (as the server compares names). */
  publicRoomNamed(name: string): Room | undefined {
    const key = roomNameKey(name);
    return this.all().find((r) => r.kind === "public" && roomNameKey(r.name) === key);
  }

  // ------------------------------------------------------------ from the server

  /** Asks for the room list; resolves once a list asked for after this call has arrived. */
  refresh(): Promise<Room[]> {
    if (this.listing) {
      // One more list after the one in flight, which may predate what prompted this call.
      this.listAgain ??= this.listing
        .catch(() => undefined)
        .then(() => {
          this.listAgain = null;
          return this.refresh();
        });
      return this.listAgain;
    }
    const askedAt = this.version;
    this.listing = this.fetchList()
      .then((list) => {
        this.replace(list, askedAt);
        return this.all();
      })
      .finally(() => {
        this.listing = null;
      });
    return this.listing;
  }

  /** A room as an ack describes it (room:create, room:join, dm:open). */
  upsert(room: Room): void {
    // A room just created or joined goes to the top of its list.
    if (room.joined && !this.byId.get(room.id)?.joined && !this.activity.has(room.id)) this.activity.set(room.id, Date.now());
    this.byId.set(room.id, this.merge(room));
    this.noteServerRead(room.id, room.lastReadSeq);
    this.stamps.set(room.id, ++this.version);
    this.changed();
  }

  /** The user left: a public room stays listed (not joined), any other is gone from their list. */
  left(roomId: string): void {
    const room = this.byId.get(roomId);
    if (room?.kind === "public") this.byId.set(roomId, { ...room, joined: false, lastReadSeq: 0, unreadMentions: 0 });
    else this.byId.delete(roomId);
    this.serverRead.delete(roomId);
    this.stamps.set(roomId, ++this.version);
    this.changed();
  }

  /** A message delivered by the client (live or caught up, in seq order per room). */
  noteMessage(message: Message): MessageNews {
    const mentionsMe = mentionsUser(message, this.me);
    this.bumpActivity(message.roomId, message.createdAt);
    const room = this.byId.get(message.roomId);
    if (!room) {
      // An invitation or a dm opened by someone else: the list says what it is (and counts this message).
      const listed = this.refresh().then(
        () => this.byId.get(message.roomId),
        (err: unknown) => {
          this.onError(err);
          return undefined;
        },
      );
      return { room: undefined, listed, fresh: true, mentionsMe };
    }
    const fresh = message.seq > room.lastSeq;
    let next: Room = fresh ? { ...room, lastSeq: message.seq } : room;
    if (message.sender.id === this.me.id) {
      // The server moves the author's marker to what they wrote.
      this.noteServerRead(room.id, message.seq);
      next = readUpTo(next, message.seq);
    } else if (fresh && mentionsMe && message.seq > room.lastReadSeq) {
      next = { ...next, unreadMentions: next.unreadMentions + 1 };
    }
    this.put(next);
    return { room: next, fresh, mentionsMe };
  }

  /** An edit or delete; `previous` is the message as it was, when the caller still has it. */
  noteEdit(previous: Message | undefined, message: Message): void {
    const room = this.byId.get(message.roomId);
    if (!room || message.sender.id === this.me.id || message.seq <= room.lastReadSeq) return;
    const now = mentionsUser(message, this.me);
    if (previous) {
      if (mentionsUser(previous, this.me) !== now) this.put({ ...room, unreadMentions: Math.max(0, room.unreadMentions + (now ? 1 : -1)) });
    } else if (now || room.unreadMentions > 0) {
      // Whether it mentioned the user before is not known here: the server counts again.
      this.refresh().catch(this.onError);
    }
  }

  /** The user's own marker moved on the server (this tab or another). */
  noteRead(roomId: string, seq: number): void {
    this.noteServerRead(roomId, seq);
    const room = this.byId.get(roomId);
    if (!room) return;
    this.markRead(roomId, seq);
    // Read only part of the way: which mentions remain is the server's to count.
    if (seq < room.lastSeq && room.unreadMentions > 0) this.refresh().catch(this.onError);
  }

  /** The time of a room's newest message, learnt another way than live (a history page). */
  noteActivity(roomId: string, at: number): void {
    if (this.bumpActivity(roomId, at)) this.changed();
  }

  /** The server acknowledged a `read` call. */
  confirmRead(roomId: string, seq: number): void {
    this.noteServerRead(roomId, seq);
  }

  // ------------------------------------------------------------ from the user

  /** Moves the shown read marker forward (never past the newest seq); the server is told by ReadMarkers. */
  markRead(roomId: string, seq: number): void {
    const room = this.byId.get(roomId);
    if (room) this.put(readUpTo(room, seq));
  }

  // ------------------------------------------------------------ internals

  /**
   * Replaces the rooms with the server's list. A room changed here after the
   * list was asked for (created, joined, left meanwhile) keeps its state here.
   */
  private replace(list: Room[], askedAt: number): void {
    const next = new Map<string, Room>();
    for (const room of list) {
      next.set(room.id, this.merge(room));
      this.noteServerRead(room.id, room.lastReadSeq);
    }
    for (const [id, stamp] of this.stamps) {
      if (stamp <= askedAt) continue;
      const local = this.byId.get(id);
      if (local) next.set(id, local);
      else next.delete(id);
    }
    this.byId.clear();
    for (const [id, room] of next) this.byId.set(id, room);
    this.listedOnce = true;
    this.changed();
  }

  /** The server's view merged with what was heard since it was asked for: seqs and markers only move forward. */
  private merge(room: Room): Room {
    const known = this.byId.get(room.id);
    if (!known || !known.joined || !room.joined) return room;
    const lastSeq = Math.max(room.lastSeq, known.lastSeq);
    const lastReadSeq = Math.max(room.lastReadSeq, known.lastReadSeq);
    // Mentions counted here after the server answered are not in its count.
    let unreadMentions = known.lastSeq > room.lastSeq ? Math.max(room.unreadMentions, known.unreadMentions) : room.unreadMentions;
    if (lastReadSeq >= lastSeq) unreadMentions = 0;
    return { ...room, lastSeq, lastReadSeq, unreadMentions };
  }

  private bumpActivity(roomId: string, at: number): boolean {
    if (at <= (this.activity.get(roomId) ?? 0)) return false;
    this.activity.set(roomId, at);
    return true;
  }

  private noteServerRead(roomId: string, seq: number): void {
    if (seq > (this.serverRead.get(roomId) ?? 0)) this.serverRead.set(roomId, seq);
  }

  private put(next: Room): void {
    const room = this.byId.get(next.id);
    if (room && next.lastSeq === room.lastSeq && next.lastReadSeq === room.lastReadSeq && next.unreadMentions === room.unreadMentions) return;
    this.byId.set(next.id, next);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The room with its marker moved forward to `seq`, clamped to its newest message. */
function readUpTo(room: Room, seq: number): Room {
  const lastReadSeq = Math.max(room.lastReadSeq, Math.min(seq, room.lastSeq));
  return { ...room, lastReadSeq, unreadMentions: lastReadSeq >= room.lastSeq ? 0 : room.unreadMentions };
}
