// Tells the server how far the user has read, without a burst of calls: at
// most one `read` call is in flight, and whatever is asked for meanwhile is
// merged to the newest seq per room and sent once that call is answered. The
// directory shows the new marker at once and learns when the server has it.
import { errorCode } from "./chat-error";
import type { RoomDirectory } from "./room-directory";

export type ReadMarkerOptions = {
  /** Whether a call can go out now (connected); what waits is sent on `reconnected()`. */
  canSend?: () => boolean;
  /** A call that failed for another reason than those that fix themselves (see below). */
  onError?: (err: unknown, roomId: string) => void;
};

export class ReadMarkers {
  /** The seq each room's marker should reach, not sent yet. */
  private readonly wanted = new Map<string, number>();
  /** The highest seq sent per room on this connection, so a call that fails is not repeated on every change. */
  private readonly sent = new Map<string, number>();
  private inFlight = false;
  private idle: Array<() => void> = [];

  constructor(
    private readonly directory: RoomDirectory,
    private readonly send: (roomId: string, seq: number) => Promise<unknown>,
    private readonly options: ReadMarkerOptions = {},
  ) {}

  /** The user has seen `roomId` up to `seq`: shown at once, told to the server soon. */
  mark(roomId: string, seq: number): void {
    if (!this.directory.get(roomId)?.joined || seq <= 0) return;
    this.directory.markRead(roomId, seq);
    const known = Math.max(this.directory.serverReadSeq(roomId), this.sent.get(roomId) ?? 0, this.wanted.get(roomId) ?? 0);
    if (seq <= known) return;
    this.wanted.set(roomId, seq);
    this.pump();
  }

  /** After leaving a room: nothing more is sent for it, and a later join starts afresh. */
  forget(roomId: string): void {
    this.wanted.delete(roomId);
    this.sent.delete(roomId);
  }

  /** A new connection: what failed or waited on the old one may be sent now. */
  reconnected(): void {
    this.sent.clear();
    this.pump();
  }

  /** Resolves once every mark that can be sent now has been answered. */
  settled(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private canSend(): boolean {
    return this.options.canSend?.() ?? true;
  }

  private isIdle(): boolean {
    return !this.inFlight && (this.wanted.size === 0 || !this.canSend());
  }

  private pump(): void {
    if (this.inFlight) return;
    const first = this.wanted.entries().next();
    if (first.done || !this.canSend()) {
      const idle = this.idle;
      this.idle = [];
      for (const resolve of idle) resolve();
      return;
    }
    const [roomId, seq] = first.value;
    this.wanted.delete(roomId);
    this.sent.set(roomId, Math.max(this.sent.get(roomId) ?? 0, seq));
    this.inFlight = true;
    void this.send(roomId, seq)
      .then(
        () => this.directory.confirmRead(roomId, seq),
        (err: unknown) => {
          // A room left while its mark was on the way, or a connection lost (marks go again after the
          // reconnect): nothing to report.
          const code = errorCode(err);
          if (code !== "FORBIDDEN" && code !== "NOT_FOUND" && code !== "TIMEOUT") this.options.onError?.(err, roomId);
        },
      )
      .finally(() => {
        this.inFlight = false;
        this.pump();
      });
  }
}
