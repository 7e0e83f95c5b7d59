// The user's messages that the server has not stored yet. Each keeps the
// clientId it was given when written, so however many tries reach the
// server, it is stored once. They go in the order written, one at a time per
// room. A try that gets no answer (no connection, a timeout, a server that
// is too busy: RATE_LIMITED, INTERNAL) is made again by itself: at once when
// the connection is back, after growing pauses while connected. A message
// fails, and waits for the user's Retry, only when the server refuses it (a
// text it will not store, a room the user is no longer in) or when it has
// not got through for `giveUpAfterMs` (two minutes).
import { ChatError, errorCode, type ClientErrorCode } from "./chat-error";
import type { Message } from "./protocol";

/** `sending`: goes out as soon as it is its turn; `waiting`: no connection now; `failed`: needs a Retry. */
export type OutboxStatus = "sending" | "waiting" | "failed";

export type OutboxEntry = {
  readonly clientId: string;
  readonly roomId: string;
  readonly text: string;
  /** Local clock, for showing a time until the server's arrives. */
  readonly createdAt: number;
  readonly status: OutboxStatus;
  /** Why it failed (or, while it is tried again, why the last try did not get through). */
  readonly error: ChatError | null;
};

export type OutboxOptions = {
  /** One try, with no retries of its own; resolves with the stored message. */
  send(roomId: string, text: string, clientId: string): Promise<Message>;
  /** Whether a try can go out now (the socket is connected). */
  canSend(): boolean;
  /** A message of the user's that the server has stored (from a try's answer). */
  onStored?(message: Message): void;
  newId(): string;
  giveUpAfterMs?: number;
  /** Pauses before each further try while connected; the last repeats. */
  retryDelaysMs?: readonly number[];
};

/** Codes after which a try is pointless until something changes: the user decides. */
const REFUSALS: ReadonlySet<ClientErrorCode> = new Set(["BAD_REQUEST", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "UNAUTHORIZED", "UNSUPPORTED_PROTOCOL"]);
export const GIVE_UP_AFTER_MS = 120_000;
const RETRY_DELAYS_MS = [1000, 2000, 5000, 10_000, 15_000];

type Entry = {
  -readonly [K in keyof OutboxEntry]: OutboxEntry[K];
} & {
  deadline: number;
  tries: number;
  /** Bumped when a try is given up on (a reconnect): its late failure no longer counts. */
  attempt: number;
  inFlight: boolean;
  pause: ReturnType<typeof setTimeout> | undefined;
  giveUp: ReturnType<typeof setTimeout> | undefined;
};

export class Outbox {
  /** In the order written. */
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(roomId: string) => void>();
  private readonly giveUpAfterMs: number;
  private readonly delays: readonly number[];

  constructor(private readonly options: OutboxOptions) {
    this.giveUpAfterMs = options.giveUpAfterMs ?? GIVE_UP_AFTER_MS;
    this.delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  }

  /** Called with the room whose unsent messages changed. */
  subscribe(listener: (roomId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  forRoom(roomId: string): OutboxEntry[] {
    return [...this.entries.values()].filter((e) => e.roomId === roomId).map(view);
  }

  get(clientId: string): OutboxEntry | undefined {
    const entry = this.entries.get(clientId);
    return entry && view(entry);
  }

  /** A new message: shown at once, sent when its turn comes. */
  add(roomId: string, text: string, createdAt = Date.now()): OutboxEntry {
    const entry: Entry = {
      clientId: this.options.newId(),
      roomId,
      text,
      createdAt,
      status: this.options.canSend() ? "sending" : "waiting",
      error: null,
      deadline: 0,
      tries: 0,
      attempt: 0,
      inFlight: false,
      pause: undefined,
      giveUp: undefined,
    };
    this.entries.set(entry.clientId, entry);
    this.arm(entry);
    this.changed(roomId);
    this.pump(roomId);
    return view(entry);
  }

  /** The user's Retry of a failed message: the same clientId, a fresh time limit. */
  retry(clientId: string): void {
    const entry = this.entries.get(clientId);
    if (!entry || entry.status !== "failed") return;
    entry.status = this.options.canSend() ? "sending" : "waiting";
    entry.error = null;
    entry.tries = 0;
    this.arm(entry);
    this.changed(entry.roomId);
    this.pump(entry.roomId);
  }

  /** The server has the message (its broadcast or a history page came first): nothing more to send. */
  noteStored(message: Pick<Message, "roomId" | "clientId">): void {
    const entry = this.entries.get(message.clientId);
    if (!entry || entry.roomId !== message.roomId) return;
    this.remove(entry);
    this.pump(entry.roomId);
  }

  /** The connection is back: every message that waited goes, a try made before it was lost is made again. */
  reconnected(): void {
    const rooms = new Set<string>();
    for (const entry of this.entries.values()) {
      if (entry.status === "failed") continue;
      clearTimeout(entry.pause);
      entry.pause = undefined;
      if (entry.inFlight) {
        entry.inFlight = false;
        entry.attempt++;
      }
      entry.status = "sending";
      rooms.add(entry.roomId);
    }
    for (const roomId of rooms) {
      this.changed(roomId);
      this.pump(roomId);
    }
  }

  /** The connection is gone: what is not stored waits for it. */
  disconnected(): void {
    const rooms = new Set<string>();
    for (const entry of this.entries.values()) {
      if (entry.status !== "sending") continue;
      entry.status = "waiting";
      rooms.add(entry.roomId);
    }
    for (const roomId of rooms) this.changed(roomId);
  }

  /** The user left the room: its unsent messages go. */
  forget(roomId: string): void {
    for (const entry of [...this.entries.values()]) if (entry.roomId === roomId) this.remove(entry);
  }

  /** Stops every timer (the page is closing). */
  dispose(): void {
    for (const entry of this.entries.values()) {
      clearTimeout(entry.pause);
      clearTimeout(entry.giveUp);
    }
  }

  // ------------------------------------------------------------ internals

  /** A fresh time limit for getting through. */
  private arm(entry: Entry): void {
    clearTimeout(entry.giveUp);
    entry.deadline = Date.now() + this.giveUpAfterMs;
    entry.giveUp = setTimeout(() => {
      // A try on its way decides when it is answered.
      if (this.entries.get(entry.clientId) === entry && entry.status !== "failed" && !entry.inFlight) this.fail(entry, entry.error);
    }, this.giveUpAfterMs);
  }

  /** Sends the room's oldest message that can go, unless one is on its way or pausing. */
  private pump(roomId: string): void {
    let head: Entry | undefined;
    for (const entry of this.entries.values()) {
      if (entry.roomId !== roomId || entry.status === "failed") continue;
      if (entry.inFlight || entry.pause !== undefined) return;
      head = entry;
      break;
    }
    if (!head) return;
    if (!this.options.canSend()) {
      if (head.status !== "waiting") this.disconnected();
      return;
    }
    this.send(head);
  }

  private send(entry: Entry): void {
    const attempt = entry.attempt;
    entry.inFlight = true;
    entry.tries++;
    this.options.send(entry.roomId, entry.text, entry.clientId).then(
      (message) => {
        if (this.entries.get(entry.clientId) === entry) this.remove(entry);
        this.options.onStored?.(message);
        this.pump(entry.roomId);
      },
      (err: unknown) => {
        if (this.entries.get(entry.clientId) !== entry || entry.attempt !== attempt) return;
        entry.inFlight = false;
        const error = err instanceof ChatError ? err : new ChatError(errorCode(err), String(err));
        if (REFUSALS.has(error.code) || Date.now() >= entry.deadline) {
          this.fail(entry, error);
          this.pump(entry.roomId);
          return;
        }
        entry.error = error;
        if (!this.options.canSend()) {
          entry.status = "waiting";
          this.changed(entry.roomId);
          return;
        }
        const delay = this.delays[Math.min(entry.tries - 1, this.delays.length - 1)] ?? 0;
        entry.pause = setTimeout(() => {
          entry.pause = undefined;
          this.pump(entry.roomId);
        }, delay);
      },
    );
  }

  private fail(entry: Entry, error: ChatError | null): void {
    clearTimeout(entry.giveUp);
    clearTimeout(entry.pause);
    entry.pause = undefined;
    entry.status = "failed";
    entry.error = error ?? new ChatError("NETWORK", `not sent within ${Math.round(this.giveUpAfterMs / 1000)} s`);
    this.changed(entry.roomId);
  }

  private remove(entry: Entry): void {
    clearTimeout(entry.pause);
    clearTimeout(entry.giveUp);
    this.entries.delete(entry.clientId);
    this.changed(entry.roomId);
  }

  private changed(roomId: string): void {
    for (const listener of this.listeners) listener(roomId);
  }
}

function view(entry: Entry): OutboxEntry {
  const { clientId, roomId, text, createdAt, status, error } = entry;
  return { clientId, roomId, text, createdAt, status, error };
}
