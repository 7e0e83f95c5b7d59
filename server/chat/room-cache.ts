// A cache of rooms and their member sets, so that authorizing a message costs
// no database read. It is kept right by the chat logic on every membership
// change, and by the other nodes' announcements when there are several. Those
// go through the shared layer, which may lose one while it is away, so a
// refusal is checked against the database first (chat.ts), the database
// itself refuses a message from a non-member, and an entry is reloaded after
// a minute and dropped whenever the shared layer comes back.
// Entries are promises, so a change that lands while an entry is loading is
// applied after the load and cannot be overwritten by a stale read.
import type { RoomRecord, Storage } from "../storage/storage";

export type CachedRoom = { record: RoomRecord; members: Set<string> };

type Entry = { room: Promise<CachedRoom | null>; loadedAt: number };

export const ROOM_CACHE_TTL_MS = 60_000;

export class RoomCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly storage: Storage,
    private readonly maxRooms = 10_000,
    private readonly ttlMs = ROOM_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The room with its members, or null when there is no such room. */
  get(roomId: string): Promise<CachedRoom | null> {
    const entry = this.entries.get(roomId);
    this.entries.delete(roomId);
    if (entry && this.now() - entry.loadedAt < this.ttlMs) {
      // Re-inserted to keep the Map in least-recently-used order.
      this.entries.set(roomId, entry);
      return entry.room;
    }
    const fresh = { room: this.load(roomId), loadedAt: this.now() };
    this.entries.set(roomId, fresh);
    if (this.entries.size > this.maxRooms) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return fresh.room;
  }

  /** Records a membership change; a room not cached here is simply loaded fresh later. */
  async setMember(roomId: string, userId: string, member: boolean): Promise<void> {
    const room = await this.entries.get(roomId)?.room;
    if (!room) return;
    if (member) room.members.add(userId);
    else room.members.delete(userId);
  }

  /** Forgets everything: each room is read again when next asked for. */
  clear(): void {
    this.entries.clear();
  }

  private async load(roomId: string): Promise<CachedRoom | null> {
    try {
      const record = await this.storage.findRoom(roomId);
      if (!record) {
        // Do not cache misses: the id may be created later (or be garbage).
        this.entries.delete(roomId);
        return null;
      }
      return { record, members: new Set(await this.storage.memberIds(roomId)) };
    } catch (err) {
      this.entries.delete(roomId);
      throw err;
    }
  }
}
