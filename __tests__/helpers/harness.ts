// One place that starts real servers on port 0 with a real SQLite file in a
// temp folder, connects real socket.io clients, and tears all of it down.
// Use: `const h = harness();` at the top of a describe block.
import pino from "pino";
import { ChatClient, type ClientSocket } from "../../common/client";
import type { AckData, AckEventName, AuthResponse, PayloadIn, Result, ServerToClientEvents } from "../../common/protocol";
import { createApp, type App, type AppOptions } from "../../server/app";
import type { AbuseLimits } from "../../server/limits";
import type { Storage } from "../../server/storage/storage";
import { openSocket, registerUser, type RawSocketOptions } from "./sockets";
import { TEST_BACKEND, testData, type TestData } from "./storage-backends";

export { tempDir } from "./temp";

/** AbuseLimits high enough never to be met by a test that is not about them. */
export const NO_ABUSE_LIMITS: Partial<AbuseLimits> = {
  messagesPerWindow: 1_000_000,
  eventsPerWindow: 1_000_000,
  searchesPerWindow: 1_000_000,
  suggestionsPerWindow: 1_000_000,
  lookupsPerWindow: 1_000_000,
  roomCreatesPerHour: 1_000_000,
  roomsPerUser: 1_000_000,
  registrationsPerHour: 1_000_000,
  loginsPerMinute: 1_000_000,
  handshakesPerUserPerMinute: 1_000_000,
  handshakesPerAddressPerMinute: 1_000_000,
  socketsPerUser: 1000,
};

/** A server on port 0; `data` is where it keeps everything, to restart it on or to start more nodes on. */
export type TestServer = { app: App; storage: Storage; url: string; data: TestData; close(): Promise<void> };

let counter = 0;
/** A username no other test uses. */
export const uniqueName = (prefix = "u") => `${prefix}${process.pid % 10000}_${++counter}_${Math.random().toString(36).slice(2, 6)}`;
export const PASSWORD = "correct horse battery";

export function harness() {
  const cleanups: Array<() => Promise<void> | void> = [];

  afterEach(async () => {
    // Last in, first out: sockets before servers before storage before files.
    while (cleanups.length) await cleanups.pop()!();
  });

  /** Fresh data on the backend under test, removed after the test. */
  async function freshData(): Promise<TestData> {
    const data = await testData(TEST_BACKEND);
    cleanups.push(() => data.dispose());
    return data;
  }

  async function startServer(options: Partial<Omit<AppOptions, "storage">> & { data?: TestData } = {}): Promise<TestServer> {
    const data = options.data ?? (await freshData());
    const storage = await data.open();
    const app = createApp({
      storage,
      logger: pino({ level: "silent" }),
      ...options,
      // Tests talk fast and all from 127.0.0.1: limits are off unless a test sets one.
      limits: { ...NO_ABUSE_LIMITS, ...options.limits },
    });
    const { port } = await app.listen(0, "127.0.0.1");
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await storage.close();
    };
    cleanups.push(close);
    return { app, storage, url: `http://127.0.0.1:${port}`, data, close };
  }

  function register(server: { url: string }, username = uniqueName()): Promise<AuthResponse> {
    return registerUser(server.url, username, PASSWORD);
  }

  /** A raw socket.io-client socket, connected (rejects with the connect_error), closed after the test. */
  async function connect(server: { url: string }, token: unknown, options: RawSocketOptions = {}): Promise<ClientSocket> {
    const socket = await openSocket(server.url, token, options);
    cleanups.push(() => void socket.close());
    return socket;
  }

  /** The typed client module, connected. */
  async function client(server: { url: string }, token: string): Promise<ChatClient> {
    const c = await ChatClient.connect({ url: server.url, token, socket: { transports: ["websocket"], forceNew: true } });
    cleanups.push(() => c.close());
    return c;
  }

  /** A registered user with one connected socket. */
  async function user(server: { url: string }, username?: string) {
    const auth = await register(server, username);
    return { ...auth, socket: await connect(server, auth.token) };
  }

  return { startServer, freshData, register, connect, client, user, onCleanup: (f: () => Promise<void> | void) => cleanups.push(f) };
}

/** Emits with an ack and resolves with the raw Result. */
export function call<E extends AckEventName>(socket: ClientSocket, event: E, payload: PayloadIn<E>): Promise<Result<AckData[E]>> {
  return callRaw(socket, event, payload) as Promise<Result<AckData[E]>>;
}

/** Like `call`, but for payloads that are deliberately not of the protocol's types. */
export function callRaw(socket: ClientSocket, event: string, ...args: unknown[]): Promise<Result<unknown>> {
  // The typed emitWithAck is keyed by event name; these payloads are deliberately untyped.
  const timed = socket.timeout(5000) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<Result<unknown>> };
  return timed.emitWithAck(event, ...args);
}

/** Calls and returns the data, failing the test on `{ok:false}`. */
export async function ok<E extends AckEventName>(socket: ClientSocket, event: E, payload: PayloadIn<E>): Promise<AckData[E]> {
  const result = await call(socket, event, payload);
  if (!result.ok) throw new Error(`${event} answered ${JSON.stringify(result.error)}`);
  return result.data;
}

/** Resolves with the next `event` on the socket that satisfies `match`. */
export function next<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  match: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  const s = socket as unknown as { on(e: string, l: (p: never) => void): void; off(e: string, l: (p: never) => void): void };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off(event, listener);
      reject(new Error(`no ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      s.off(event, listener);
      resolve(payload);
    };
    s.on(event, listener as (p: never) => void);
  });
}

/** Records every `event` the socket receives, for asserting what did (not) arrive. */
export function record<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E): Array<Parameters<ServerToClientEvents[E]>[0]> {
  const seen: Array<Parameters<ServerToClientEvents[E]>[0]> = [];
  (socket as unknown as { on(e: string, l: (p: never) => void): void }).on(event, ((p: Parameters<ServerToClientEvents[E]>[0]) => seen.push(p)) as (p: never) => void);
  return seen;
}

/**
 * Resolves once every socket has answered a ping round trip to the server:
 * anything broadcast before that has been delivered to them. Used to assert
 * that something was *not* received, without sleeping.
 */
export async function flush(...sockets: ClientSocket[]): Promise<void> {
  await Promise.all(sockets.map((s) => call(s, "room:list", {})));
}
