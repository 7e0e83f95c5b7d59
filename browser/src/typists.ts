// Who is typing in which room (never the user: the server does not echo).
// The server ends a typing state itself and relays each refresh (the
// composer refreshes every 3 s), so a state not refreshed for a while lost
// its (volatile) end and expires here.
import type { User } from "../../common/protocol";

const TYPING_SAFETY_MS = 8_000;

export class Typists {
  private readonly byRoom = new Map<string, Map<string, { user: User; timer: ReturnType<typeof setTimeout> }>>();

  constructor(private readonly changed: () => void) {}

  set(roomId: string, user: User, typing: boolean): void {
    let room = this.byRoom.get(roomId);
    const known = room?.get(user.id);
    if (known) clearTimeout(known.timer);
    if (!typing) {
      if (!known || !room) return;
      room.delete(user.id);
      if (room.size === 0) this.byRoom.delete(roomId);
    } else {
      if (!room) {
        room = new Map();
        this.byRoom.set(roomId, room);
      }
      const timer = setTimeout(() => this.set(roomId, user, false), TYPING_SAFETY_MS);
      room.set(user.id, { user, timer });
    }
    this.changed();
  }

  /** Someone who went offline types nowhere. */
  goneOffline(user: User): void {
    for (const roomId of [...this.byRoom.keys()]) this.set(roomId, user, false);
  }

  names(roomId: string): string[] {
    return Array.from(this.byRoom.get(roomId)?.values() ?? [], (t) => t.user.username).sort((a, b) => a.localeCompare(b));
  }

  clear(): void {
    for (const room of this.byRoom.values()) for (const t of room.values()) clearTimeout(t.timer);
    this.byRoom.clear();
    this.changed();
  }
}
