// Typing indicators: relayed, never stored. A "typing" state ends by itself
// after a few seconds without a refresh, and when the socket that started it
// goes away, so nobody is left "typing…" forever.
import type { User } from "../../common/protocol";
import type { Effects } from "./effects";

export const TYPING_TIMEOUT_MS = 5000;
/** A refresh is relayed at most this often per user and room, however fast a client sends them. */
export const TYPING_RELAY_INTERVAL_MS = 2500;

type Typing = { timer: NodeJS.Timeout; user: User; roomId: string; socketId: string; relayedAt: number };

export class TypingTracker {
  private readonly active = new Map<string, Typing>();

  constructor(
    private readonly effects: Effects,
    private readonly timeoutMs = TYPING_TIMEOUT_MS,
  ) {}

  set(user: User, roomId: string, typing: boolean, socketId: string): void {
    const key = `${user.id}\n${roomId}`;
    const current = this.active.get(key);
    if (!typing) {
      if (current) this.end(key, current);
      return;
    }
    // Refreshes are relayed too (at most every TYPING_RELAY_INTERVAL_MS), so
    // a listener that lost the (volatile) end can expire the state by itself
    // a little after refreshes stop.
    const now = Date.now();
    let relayedAt = current?.relayedAt ?? 0;
    if (current) clearTimeout(current.timer);
    if (now - relayedAt >= TYPING_RELAY_INTERVAL_MS) {
      this.relay(user, roomId, true);
      relayedAt = now;
    }
    const timer = setTimeout(() => this.end(key, entry), this.timeoutMs);
    timer.unref();
    const entry = { timer, user, roomId, socketId, relayedAt };
    this.active.set(key, entry);
  }

  /** Ends every state the socket started. */
  socketGone(socketId: string): void {
    for (const [key, entry] of this.active) if (entry.socketId === socketId) this.end(key, entry);
  }

  close(): void {
    for (const entry of this.active.values()) clearTimeout(entry.timer);
    this.active.clear();
  }

  private end(key: string, entry: Typing): void {
    clearTimeout(entry.timer);
    this.active.delete(key);
    this.relay(entry.user, entry.roomId, false);
  }

  private relay(user: User, roomId: string, typing: boolean): void {
    // Never echoed to the typist's own sockets; volatile, since a lost indicator is harmless.
    this.effects.emit({ rooms: [roomId], exceptUsers: [user.id], volatile: true }, "typing", { roomId, user, typing });
  }
}
