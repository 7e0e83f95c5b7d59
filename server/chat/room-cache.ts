// A cache of rooms and their member sets, so that authorizing a message costs
// no database read. It is kept right by the chat logic on every membership
// change (and by the other nodes' announcements when there are several).
// Entries are promises, so a change that lands while an entry is loading is
// applied after the load and cannot be overwritten by a stale read.
import type { RoomRecord, Storage } from "../storage/storage";

export type CachedRoom = { record: RoomRecord; members: Set<string> };

export class RoomCache {
  private readonly entries = new Map<string, Promise<CachedRoom | null>>();

  constructor(
    private readonly storage: Storage,
    private readonly maxRooms = 10_000,
  ) {}

  /** The room with its members, or null when there is no such room. */
  get(roomId: string): Promise<CachedRoom | null> {
    let entry = this.entries.get(roomId);
    if (entry) {
      // Re-insert to keep the Map in least-recently-used order.
      this.entries.delete(roomId);
      this.entries.set(roomId, entry);
      return entry;
    }
    entry = this.load(roomId);
    this.entries.set(roomId, entry);
    if (this.entries.size > this.maxRooms) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry;
  }

  /** Records a membership change; a room not cached here is simply loaded fresh later. */
  async setMember(roomId: string, userId: string, member: boolean): Promise<void> {
    const entry = this.entries.get(roomId);
    const room = entry && (await entry);
    if (!room) return;
    if (member) room.members.add(userId);
    else room.members.delete(userId);
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
