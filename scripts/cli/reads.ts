// Moves the user's read markers forward as the CLI shows messages. A burst of
// messages must not become a burst of `read` calls: at most one call is in
// flight, and whatever is asked meanwhile is coalesced to the newest seq per
// room and sent when that call is answered.
import { ChatError } from "../../common/client";

export class ReadMarker {
  /** The seq each room's marker should reach, not yet sent. */
  private readonly wanted = new Map<string, number>();
  /** The highest seq sent (or known read) per room: asking for less sends nothing. */
  private readonly marked = new Map<string, number>();
  private inFlight: Promise<void> | null = null;
  private idle: Array<() => void> = [];

  constructor(
    private readonly send: (roomId: string, seq: number) => Promise<unknown>,
    private readonly onError: (err: unknown, roomId: string) => void,
  ) {}

  /** Marks `roomId` read up to `seq`; `knownRead` is a marker the server already has (from room:list). */
  mark(roomId: string, seq: number, knownRead = 0): void {
    const done = Math.max(this.marked.get(roomId) ?? 0, knownRead);
    this.marked.set(roomId, done);
    if (seq <= done || seq <= (this.wanted.get(roomId) ?? 0)) return;
    this.wanted.set(roomId, seq);
    this.pump();
  }

  /** After leaving a room: nothing more is sent for it, and a later join starts afresh. */
  forget(roomId: string): void {
    this.wanted.delete(roomId);
    this.marked.delete(roomId);
  }

  /** Resolves once every mark asked for so far has been answered. */
  settled(): Promise<void> {
    if (!this.inFlight && this.wanted.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    if (this.inFlight) return;
    const first = this.wanted.entries().next();
    if (first.done) {
      const idle = this.idle;
      this.idle = [];
      for (const resolve of idle) resolve();
      return;
    }
    const [roomId, seq] = first.value;
    this.wanted.delete(roomId);
    const before = this.marked.get(roomId) ?? 0;
    this.marked.set(roomId, seq);
    this.inFlight = this.send(roomId, seq).then(
      () => undefined,
      (err: unknown) => {
        // Let a later message try again, unless the room was forgotten meanwhile.
        if (this.marked.get(roomId) === seq) this.marked.set(roomId, before);
        // A room left while its mark was on the way, or a connection lost (the mark is sent
        // again after the reconnect): nothing to report.
        if (err instanceof ChatError && (err.code === "FORBIDDEN" || err.code === "NOT_FOUND" || err.code === "TIMEOUT")) return;
        this.onError(err, roomId);
      },
    );
    void this.inFlight.then(() => {
      this.inFlight = null;
      this.pump();
    });
  }
}
