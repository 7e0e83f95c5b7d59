// Typing indicators: relayed, never stored. A "typing" state ends by itself
// after a few seconds without a refresh, and when the socket that started it
// goes away, so nobody is left "typing…" forever.
import type { User } from "../../common/protocol";
import type { Effects } from "./effects";

export const TYPING_TIMEOUT_MS = 5000;

type Typing = { timer: NodeJS.Timeout; user: User; roomId: string; socketId: string };

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
    // Each refresh is relayed too, so a listener that lost the (volatile)
    // end can expire the state by itself a little after refreshes stop.
    if (current) clearTimeout(current.timer);
    this.relay(user, roomId, true);
    const timer = setTimeout(() => this.end(key, entry), this.timeoutMs);
    timer.unref();
    const entry = { timer, user, roomId, socketId };
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
