// A typed client for the chat protocol, for Node scripts and the browser
// bundle alike. socket.io-client does the reconnecting and the acks; this
// module adds what the protocol leaves to clients: calls as Promises that
// reject on `{ok:false}` or timeout, and a `message` stream that is in seq
// order per room, without duplicates, and caught up with `history {after}`
// after a reconnect or a gap.
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import type {
  AckData,
  AckEventName,
  AuthResponse,
  ClientToServerEvents,
  ErrorCode,
  Message,
  PayloadIn,
  Result,
  ServerToClientEvents,
} from "./protocol";
import { FIELD_LIMITS } from "./rules";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A refused call (`code` from the protocol), a timeout, or an HTTP failure. */
export class ChatError extends Error {
  constructor(
    readonly code: ErrorCode | "TIMEOUT" | "NETWORK",
    message: string,
  ) {
    super(message);
    this.name = "ChatError";
  }
}

// ---------------------------------------------------------------- accounts (HTTP)

async function postJson(url: string, body: unknown, token?: string): Promise<Response> {
  try {
    return await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ChatError("NETWORK", `cannot reach ${url}: ${(err as Error).message}`);
  }
}

async function authCall(url: string, path: string, credentials: { username: string; password: string }): Promise<AuthResponse> {
  const res = await postJson(new URL(path, url).toString(), credentials);
  const body = (await res.json().catch(() => ({}))) as AuthResponse & { error?: { code: ErrorCode; message: string } };
  if (!res.ok) throw new ChatError(body.error?.code ?? "INTERNAL", body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

export const register = (url: string, credentials: { username: string; password: string }) =>
  authCall(url, "/api/register", credentials);
export const login = (url: string, credentials: { username: string; password: string }) =>
  authCall(url, "/api/login", credentials);
export async function logout(url: string, token: string): Promise<void> {
  const res = await postJson(new URL("/api/logout", url).toString(), undefined, token);
  if (res.status !== 204) throw new ChatError("UNAUTHORIZED", `logout answered HTTP ${res.status}`);
}

// ---------------------------------------------------------------- the socket client

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
 * retry by itself (not after a logout or a refused token).
 */
export type ConnectionChange =
  | { state: "connected" | "reconnected" }
  | { state: "disconnected"; reason: string; willReconnect: boolean };
type RoomState = { lastSeq: number; queue: Promise<void> };

export class ChatClient {
  readonly socket: ClientSocket;
  private readonly ackTimeoutMs: number;
  private readonly rooms = new Map<string, RoomState>();
  private readonly messageListeners = new Set<MessageListener>();
  private readonly errorListeners = new Set<(err: unknown) => void>();
  private readonly connectionListeners = new Set<(change: ConnectionChange) => void>();
  private readonly connectTimeoutMs: number;
  private connectedOnce = false;
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
    credentials: { username: string; password: string; register?: boolean },
    options: Omit<ChatClientOptions, "url" | "token"> = {},
  ): Promise<{ client: ChatClient } & AuthResponse> {
    let auth: AuthResponse;
    if (credentials.register) {
      auth = await register(url, credentials).catch((err: unknown) => {
        if (err instanceof ChatError && err.code === "CONFLICT") return login(url, credentials);
        throw err;
      });
    } else {
      auth = await login(url, credentials);
    }
    return { ...auth, client: await ChatClient.connect({ ...options, url, token: auth.token }) };
  }

  constructor(options: ChatClientOptions) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 20_000;
    this.socket = io(options.url, { ...options.socket, auth: options.token ? { token: options.token } : {} });
    this.socket.on("connect", () => {
      const reconnect = this.connectedOnce;
      this.connectedOnce = true;
      this.sync = this.syncRooms(reconnect).then(
        () => this.changed({ state: reconnect ? "reconnected" : "connected" }),
        (err) => this.fail(err),
      );
    });
    this.socket.on("disconnect", (reason) => this.changed({ state: "disconnected", reason, willReconnect: this.socket.active }));
    this.socket.on("message", (m) => this.receive(m));
  }

  /** Resolves on the first connect; rejects with the server's reason (e.g. UNAUTHORIZED). */
  ready(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (err?: ChatError) => {
        clearTimeout(timer);
        this.socket.off("connect", onConnect);
        this.socket.off("connect_error", onError);
        if (err) reject(err);
        else resolve();
      };
      const onConnect = () => done();
      const onError = (err: Error) => {
        // A refused handshake is final; a network error is retried by socket.io-client until the timer.
        if (!this.socket.active) done(new ChatError(err.message === "UNAUTHORIZED" ? "UNAUTHORIZED" : "NETWORK", err.message));
      };
      const timer = setTimeout(
        () => done(new ChatError("NETWORK", `could not connect within ${this.connectTimeoutMs} ms`)),
        this.connectTimeoutMs,
      );
      this.socket.on("connect", onConnect);
      this.socket.on("connect_error", onError);
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
      this.track(room.id, room.lastSeq);
    } else if (event === "room:leave") {
      // What is said while away is history, not missed: a later join starts afresh.
      this.rooms.delete((payload as PayloadIn<"room:leave">).roomId);
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
    return this.rooms.get(roomId)?.lastSeq;
  }

  close(): void {
    this.socket.close();
  }

  // ---------------------------------------------------------------- ordering and catch-up

  /** Follows a room from `lastSeq` on; older messages are history, not missed. */
  private track(roomId: string, lastSeq: number): RoomState {
    let state = this.rooms.get(roomId);
    if (!state) {
      state = { lastSeq, queue: Promise.resolve() };
      this.rooms.set(roomId, state);
    }
    return state;
  }

  /** Runs work for one room after the work queued before it, so deliveries never interleave. */
  private enqueue(roomId: string, state: RoomState, work: () => Promise<void> | void): Promise<void> {
    state.queue = state.queue.then(work).catch((err) => this.fail(err));
    return state.queue;
  }

  private receive(message: Message): void {
    // A room heard of first through a message (an invitation, a dm) starts here.
    const state = this.track(message.roomId, message.seq - 1);
    void this.enqueue(message.roomId, state, async () => {
      if (message.seq > state.lastSeq + 1) await this.catchUp(message.roomId, state);
      this.deliver(state, message);
    });
  }

  private deliver(state: RoomState, message: Message): void {
    if (message.seq <= state.lastSeq) return;
    state.lastSeq = message.seq;
    for (const listener of this.messageListeners) listener(message);
  }

  /** Fetches and delivers everything after lastSeq, a page at a time. */
  private async catchUp(roomId: string, state: RoomState): Promise<void> {
    for (;;) {
      const page = await this.call("history", { roomId, after: state.lastSeq, limit: FIELD_LIMITS.historyMax });
      for (const m of page) this.deliver(state, m);
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
          const known = this.rooms.has(room.id);
          const state = this.track(room.id, room.lastSeq);
          return reconnect && known && room.lastSeq > state.lastSeq
            ? this.enqueue(room.id, state, () => this.catchUp(room.id, state))
            : undefined;
        }),
    );
  }

  private changed(change: ConnectionChange): void {
    for (const listener of this.connectionListeners) listener(change);
  }

  private fail(err: unknown): void {
    for (const listener of this.errorListeners) listener(err);
  }
}
