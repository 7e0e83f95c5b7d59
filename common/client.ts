// A typed client for the chat protocol, for Node scripts and the browser
// bundle alike. socket.io-client does the reconnecting and the acks; this
// module adds what the protocol leaves to clients: the protocol version in
// the handshake, calls as Promises that reject on `{ok:false}` or timeout,
// and a `message` stream that is in seq order per room, without duplicates,
// and caught up with `history {after}` after a reconnect or a gap.
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { login, register, type Credentials } from "./accounts-http";
import { ChatError } from "./chat-error";
import { FINAL_REFUSALS, handshakeAuth, handshakeRetryDelay, refusalOf } from "./handshake";
import type { AckData, AckEventName, AuthResponse, ClientToServerEvents, Message, PayloadIn, Result, ServerToClientEvents } from "./protocol";
import { FIELD_LIMITS } from "./rules";

export { currentUser, login, logout, register } from "./accounts-http";
export { ChatError, errorCode } from "./chat-error";
export { CLIENT_PROTOCOL_VERSION, handshakeRetryDelay } from "./handshake";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ChatClientOptions = {
  url: string;
  /** The Bearer token; the browser page leaves it out and is known by its session cookie. */
  token?: string;
  /** How long a call waits for its ack. */
  ackTimeoutMs?: number;
  /** How long the first connect may take before `connect()` gives up (socket.io-client retries until then). */
  connectTimeoutMs?: number;
  /** Passed to socket.io-client's `io()`, e.g. `{ transports: ["websocket"] }`. */
  socket?: Partial<ManagerOptions & SocketOptions>;
};

type MessageListener = (message: Message) => void;

/**
 * `connected` and `reconnected` come once the rooms are synced (after a
 * reconnect: caught up); `disconnected` says whether socket.io-client will
 * retry by itself (not after a logout); `retrying` is a handshake the server
 * turned down for now (too many connections or handshakes: RATE_LIMITED, or
 * a fault of its own), tried again by this client after `delayMs`; `refused`
 * is one turned down for good (an ended session, an unsupported protocol
 * version).
 */
export type ConnectionChange =
  | { state: "connected" | "reconnected" }
  | { state: "disconnected"; reason: string; willReconnect: boolean }
  | { state: "retrying"; error: ChatError; delayMs: number }
  | { state: "refused"; error: ChatError };

/** Per room: the newest seq delivered, and the queue that keeps its deliveries in order. */
type Cursor = { lastSeq: number; queue: Promise<void> };

export class ChatClient {
  readonly socket: ClientSocket;
  private readonly ackTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly cursors = new Map<string, Cursor>();
  private readonly messageListeners = new Set<MessageListener>();
  private readonly errorListeners = new Set<(err: unknown) => void>();
  private readonly connectionListeners = new Set<(change: ConnectionChange) => void>();
  private connectedOnce = false;
  private refusal: ChatError | null = null;
  private closed = false;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private sync: Promise<void> = Promise.resolve();

  /** Connects and resolves once the server accepted the handshake. */
  static connect(options: ChatClientOptions): Promise<ChatClient> {
    const client = new ChatClient(options);
    return client.ready().then(
      () => client.synced().then(() => client),
      (err: unknown) => {
        client.close();
        throw err;
      },
    );
  }

  /** Logs in (or registers first when `register` is set and the name is free), then connects. */
  static async connectAs(
    url: string,
    credentials: Credentials & { register?: boolean },
    options: Omit<ChatClientOptions, "url" | "token"> = {},
  ): Promise<{ client: ChatClient } & AuthResponse> {
    const account = { username: credentials.username, password: credentials.password };
    const auth = credentials.register
      ? await register(url, account).catch((err: unknown) => {
          if (err instanceof ChatError && err.code === "CONFLICT") return login(url, account);
          throw err;
        })
      : await login(url, account);
    return { ...auth, client: await ChatClient.connect({ ...options, url, token: auth.token }) };
  }

  constructor(options: ChatClientOptions) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 20_000;
    this.socket = io(options.url, { ...options.socket, auth: handshakeAuth(options.token) });
    this.socket.on("connect", () => {
      const reconnect = this.connectedOnce;
      this.connectedOnce = true;
      this.refusal = null;
      this.retries = 0;
      this.sync = this.syncRooms(reconnect).then(
        () => this.changed({ state: reconnect ? "reconnected" : "connected" }),
        (err) => this.fail(err),
      );
    });
    this.socket.on("connect_error", (err) => {
      // A network error is retried by socket.io-client; a refused handshake is not.
      if (this.socket.active || this.closed) return;
      const refusal = refusalOf(err);
      if (!FINAL_REFUSALS.has(refusal.code)) {
        const delayMs = handshakeRetryDelay(this.retries++);
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => {
          if (!this.closed) this.socket.connect();
        }, delayMs);
        this.changed({ state: "retrying", error: refusal, delayMs });
        return;
      }
      this.refusal = refusal;
      this.changed({ state: "refused", error: this.refusal });
    });
    this.socket.on("disconnect", (reason) => this.changed({ state: "disconnected", reason, willReconnect: this.socket.active }));
    this.socket.on("message", (m) => this.receive(m));
  }

  /** Resolves on the first connect; rejects with the server's refusal (e.g. UNAUTHORIZED) or after connectTimeoutMs. */
  ready(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    if (this.refusal) return Promise.reject(this.refusal);
    return new Promise((resolve, reject) => {
      const done = (err?: ChatError) => {
        clearTimeout(timer);
        this.socket.off("connect", onConnect);
        this.connectionListeners.delete(onChange);
        if (err) reject(err);
        else resolve();
      };
      const onConnect = () => done();
      const onChange = (change: ConnectionChange) => {
        if (change.state === "refused") done(change.error);
      };
      const timer = setTimeout(
        () => done(new ChatError("NETWORK", `could not connect within ${this.connectTimeoutMs} ms`)),
        this.connectTimeoutMs,
      );
      this.socket.on("connect", onConnect);
      this.connectionListeners.add(onChange);
    });
  }

  /** Resolves when the latest (re)connect's room sync and catch-up have finished. */
  synced(): Promise<void> {
    return this.sync;
  }

  /** Sends an event and resolves with its ack data; rejects with a ChatError on `{ok:false}` or timeout. */
  async call<E extends AckEventName>(event: E, payload: PayloadIn<E>): Promise<AckData[E]> {
    let result: Result<AckData[E]>;
    try {
      // The typed emitWithAck cannot follow a generic event name; AckData types the result.
      const timed = this.socket.timeout(this.ackTimeoutMs) as unknown as {
        emitWithAck(e: string, p: unknown): Promise<Result<AckData[E]>>;
      };
      result = await timed.emitWithAck(event, payload);
    } catch {
      throw new ChatError("TIMEOUT", `${event}: no answer within ${this.ackTimeoutMs} ms`);
    }
    if (!result.ok) throw new ChatError(result.error.code, result.error.message);
    if (event === "room:join" || event === "room:create" || event === "dm:open") {
      const room = result.data as AckData["room:join"];
      this.follow(room.id, room.lastSeq);
    } else if (event === "room:leave") {
      // What is said while away is history, not missed: a later join starts afresh.
      this.cursors.delete((payload as PayloadIn<"room:leave">).roomId);
    }
    return result.data;
  }

  /**
   * Sends a message. On a timeout it tries again with the same clientId, so
   * the server stores it once however many tries reach it.
   */
  async send(
    roomId: string,
    text: string,
    { clientId = globalThis.crypto.randomUUID() as string, tries = 3 }: { clientId?: string; tries?: number } = {},
  ): Promise<Message> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.call("message", { roomId, text, clientId });
      } catch (err) {
        if (!(err instanceof ChatError && err.code === "TIMEOUT") || attempt >= tries) throw err;
      }
    }
  }

  /**
   * Every message of the user's rooms, live or caught up after a reconnect,
   * once each and in seq order per room.
   */
  onMessage(listener: MessageListener): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** Any other server event, as socket.io-client delivers it. */
  on<E extends keyof ServerToClientEvents>(event: Exclude<E, "message">, listener: ServerToClientEvents[E]): () => void {
    // socket.io-client's typed `on` is keyed by event; the listener is already typed by the map.
    const socket = this.socket as unknown as { on(e: string, l: unknown): void; off(e: string, l: unknown): void };
    socket.on(event, listener);
    return () => socket.off(event, listener);
  }

  /** Connection changes, e.g. for an "offline" banner. */
  onConnectionChange(listener: (change: ConnectionChange) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Failures of the background catch-up (e.g. a history call that timed out). */
  onError(listener: (err: unknown) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** The newest seq this client has delivered (or skipped as already known) for a room. */
  lastSeq(roomId: string): number | undefined {
    return this.cursors.get(roomId)?.lastSeq;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket.close();
  }

  // ---------------------------------------------------------------- ordering and catch-up

  /** Follows a room from `lastSeq` on; older messages are history, not missed. */
  private follow(roomId: string, lastSeq: number): Cursor {
    let cursor = this.cursors.get(roomId);
    if (!cursor) {
      cursor = { lastSeq, queue: Promise.resolve() };
      this.cursors.set(roomId, cursor);
    }
    return cursor;
  }

  /** Runs work for one room after the work queued before it, so deliveries never interleave. */
  private enqueue(cursor: Cursor, work: () => Promise<void> | void): Promise<void> {
    cursor.queue = cursor.queue.then(work).catch((err) => this.fail(err));
    return cursor.queue;
  }

  private receive(message: Message): void {
    // A room heard of first through a message (an invitation, a dm) starts here.
    const cursor = this.follow(message.roomId, message.seq - 1);
    void this.enqueue(cursor, async () => {
      if (message.seq > cursor.lastSeq + 1) await this.catchUp(message.roomId, cursor);
      this.deliver(cursor, message);
    });
  }

  private deliver(cursor: Cursor, message: Message): void {
    if (message.seq <= cursor.lastSeq) return;
    cursor.lastSeq = message.seq;
    for (const listener of this.messageListeners) listener(message);
  }

  /** Fetches and delivers everything after lastSeq, a page at a time. */
  private async catchUp(roomId: string, cursor: Cursor): Promise<void> {
    for (;;) {
      const page = await this.call("history", { roomId, after: cursor.lastSeq, limit: FIELD_LIMITS.historyMax });
      for (const m of page) this.deliver(cursor, m);
      if (page.length < FIELD_LIMITS.historyMax) return;
    }
  }

  /** On connect: learn the rooms; after a reconnect, catch up every joined room. */
  private async syncRooms(reconnect: boolean): Promise<void> {
    const rooms = await this.call("room:list", {});
    await Promise.all(
      rooms
        .filter((room) => room.joined)
        .map((room) => {
          const known = this.cursors.has(room.id);
          const cursor = this.follow(room.id, room.lastSeq);
          return reconnect && known && room.lastSeq > cursor.lastSeq ? this.enqueue(cursor, () => this.catchUp(room.id, cursor)) : undefined;
        }),
    );
  }

  private changed(change: ConnectionChange): void {
    for (const listener of [...this.connectionListeners]) listener(change);
  }

  private fail(err: unknown): void {
    for (const listener of this.errorListeners) listener(err);
  }
}
