// One real server for a fuzz file (port 0, a real SQLite file, NO_ABUSE_LIMITS),
// three users with rooms, messages, contacts, read markers and mentions to
// leave alone, and the checks every property ends with: the same snapshot of
// everything stored before and after, Object.prototype untouched, the very
// same sockets still connected, and refusals that are exactly
// `{ok:false, error:{code, message}}` with nothing internal in the message.
import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import pino from "pino";
import type { ClientSocket } from "../../common/client";
import { ERROR_CODES, type AuthResponse, type ErrorCode, type Message, type Room } from "../../common/protocol";
import { createApp, type App } from "../../server/app";
import { openSqlite } from "../../server/storage/sqlite";
import type { Storage } from "../../server/storage/storage";
import { callRaw, NO_ABUSE_LIMITS, ok, PASSWORD, tempDir, uniqueName } from "../helpers/harness";
import { openSocket, registerUser } from "../helpers/sockets";
import { isPlainObject } from "./oracle";

export type Fixture = {
  dir: string;
  dbPath: string;
  storage: Storage;
  app: App;
  url: string;
  raw: Database.Database;
  alice: AuthResponse & { socket: ClientSocket };
  bob: AuthResponse & { socket: ClientSocket };
  /** A member of no room at all; searches and reads only. */
  carol: AuthResponse & { socket: ClientSocket };
  publicRoom: Room;
  privateRoom: Room;
  bobsPrivateRoom: Room;
  /** Public, but alice is not a member: she may read it, and her room-less search must not find it. */
  bobsPublicRoom: Room;
  dm: Room;
  rooms: Room[];
  messages: Message[];
  aliceSocketId: string;
  disconnects: string[];
  prototypeKeys: string[];
};
/** The file's fixture, filled in by useFuzzFixture()'s beforeAll. */
export const fx = {} as Fixture;

const register = (url: string) => registerUser(url, uniqueName("fz"), PASSWORD);
export const connect = (url: string, token: string) => openSocket(url, token);

/** One server (port 0, a real SQLite file) for the whole file, with three users, rooms and messages; torn down after. */
export function useFuzzFixture(): void {
  beforeAll(async () => {
    const prototypeKeys = Reflect.ownKeys(Object.prototype).map(String).sort();
    const dir = tempDir();
    const dbPath = join(dir, "chat.db");
    const storage = openSqlite({ path: dbPath });
    const app = createApp({
      storage,
      logger: pino({ level: "silent" }),
      limits: NO_ABUSE_LIMITS,
    });
    const { port } = await app.listen(0, "127.0.0.1");
    const url = `http://127.0.0.1:${port}`;
    const [aliceAuth, bobAuth, carolAuth] = [await register(url), await register(url), await register(url)];
    const alice = { ...aliceAuth, socket: await connect(url, aliceAuth.token) };
    const bob = { ...bobAuth, socket: await connect(url, bobAuth.token) };
    const carol = { ...carolAuth, socket: await connect(url, carolAuth.token) };
    const disconnects: string[] = [];
    alice.socket.on("disconnect", (reason) => disconnects.push(`alice: ${reason}`));
    bob.socket.on("disconnect", (reason) => disconnects.push(`bob: ${reason}`));
    carol.socket.on("disconnect", (reason) => disconnects.push(`carol: ${reason}`));

    const publicRoom = await ok(alice.socket, "room:create", { name: uniqueName("pub") });
    const privateRoom = await ok(alice.socket, "room:create", { name: uniqueName("priv"), private: true });
    await ok(alice.socket, "room:invite", { roomId: privateRoom.id, username: bob.user.username });
    const bobsPrivateRoom = await ok(bob.socket, "room:create", { name: uniqueName("bobs"), private: true });
    const bobsPublicRoom = await ok(bob.socket, "room:create", { name: uniqueName("bobspub") });
    const dm = await ok(alice.socket, "dm:open", { username: bob.user.username });
    await ok(bob.socket, "room:join", { roomId: publicRoom.id });
    // Words for the search property: some only in rooms alice may not read, or may read but is not in.
    const messages: Message[] = [];
    for (const [socket, room, words] of [
      [alice.socket, publicRoom, `apple banana @${bob.user.username}`],
      [bob.socket, publicRoom, "banana cherry"],
      [alice.socket, privateRoom, "cherry secret"],
      [bob.socket, dm, `dmword apple @${alice.user.username}`],
      [alice.socket, dm, "dmword"],
      [bob.socket, bobsPrivateRoom, "secret apple bobonly"],
      [bob.socket, bobsPublicRoom, "banana outsider"],
    ] as const) {
      const text = `setup ${messages.length} ${words}`;
      messages.push(await ok(socket, "message", { roomId: room.id, text, clientId: uniqueName("setup") }));
    }
    // Rows in every table the fuzzers must leave alone: contacts, read markers, mentions (from the @names above).
    await ok(alice.socket, "contacts:add", { username: bob.user.username });
    await ok(bob.socket, "contacts:add", { username: carol.user.username });
    await ok(bob.socket, "read", { roomId: publicRoom.id, seq: 1 });
    await ok(alice.socket, "read", { roomId: dm.id, seq: 2 });
    // A second, read-only connection to the same file: row counts of every table.
    const raw = new Database(dbPath, { readonly: true, fileMustExist: true });
    Object.assign(fx, {
      dir,
      dbPath,
      storage,
      app,
      url,
      raw,
      alice,
      bob,
      carol,
      publicRoom,
      privateRoom,
      bobsPrivateRoom,
      bobsPublicRoom,
      dm,
      rooms: [publicRoom, privateRoom, bobsPrivateRoom, bobsPublicRoom, dm],
      messages,
      aliceSocketId: alice.socket.id!,
      disconnects,
      prototypeKeys,
    } satisfies Fixture);
  });

  afterAll(async () => {
    if (!fx.app) return;
    fx.alice.socket.close();
    fx.bob.socket.close();
    fx.carol.socket.close();
    fx.raw.close();
    await fx.app.close();
    await fx.storage.close();
    rmSync(fx.dir, { recursive: true, force: true });
  });
}


// ---------------------------------------------------------------- checks

/** Stack frames, source paths, error class names, SQLite or SQL text. */
const LEAKS = [
  /\n\s*at |\bat \S+ \(|node_modules|\.[cm]?[jt]s:\d+|\/(work|home|usr|tmp|app)\//,
  /sqlite|\b(Type|Range|Reference|Syntax|Zod)Error\b/i,
  /\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|CONSTRAINT)\b/,
];

/** `{ok:false, error:{code, message}}`, nothing more; a protocol code, never INTERNAL, no leaked internals. */
export function expectRefusal(result: unknown, code?: ErrorCode): void {
  expect(result).toStrictEqual({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
  const { error } = result as { error: { code: ErrorCode; message: string } };
  expect(ERROR_CODES).toContain(error.code);
  expect(error.code).not.toBe("INTERNAL");
  if (code) expect(error.code).toBe(code);
  for (const leak of LEAKS) expect(error.message).not.toMatch(leak);
  // An error message describes; it does not echo a 16 KB payload back.
  expect(error.message.length).toBeLessThanOrEqual(300);
}

/** Whatever any input answers: a well-formed Result, never INTERNAL, no leaks. */
export function expectWellFormedResult(result: unknown): void {
  expect(isPlainObject(result)).toBe(true);
  if ((result as { ok: unknown }).ok === true) {
    expect(Object.keys(result as object).sort()).toEqual(["data", "ok"]);
  } else {
    expectRefusal(result);
  }
}

/** Everything the malformed runs could have changed. */
export async function snapshot() {
  const counts = fx.raw
    .prepare(
      `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM tokens) AS tokens,
              (SELECT count(*) FROM rooms) AS rooms, (SELECT count(*) FROM memberships) AS memberships,
              (SELECT count(*) FROM messages) AS messages, (SELECT coalesce(sum(last_seq), 0) FROM rooms) AS seqs,
              (SELECT count(*) FROM contacts) AS contacts, (SELECT count(*) FROM mentions) AS mentions`,
    )
    .get();
  // Row by row: who is in which room with which read marker, every message's state, contacts, mentions.
  const rows = {
    membershipsAndReadMarkers: fx.raw.prepare("SELECT room_id, user_id, last_read_seq FROM memberships ORDER BY room_id, user_id").all(),
    messages: fx.raw
      .prepare("SELECT id, room_id, seq, sender_id, client_id, length(text) AS length, edited_at, deleted FROM messages ORDER BY room_id, seq")
      .all(),
    contacts: fx.raw.prepare("SELECT user_id, contact_id FROM contacts ORDER BY user_id, contact_id").all(),
    mentions: fx.raw.prepare("SELECT user_id, room_id, seq FROM mentions ORDER BY user_id, room_id, seq").all(),
  };
  const histories = await Promise.all(fx.rooms.map((room) => fx.storage.history(room.id, { limit: 100 })));
  const serverSide = (id: string | undefined) => [...(fx.app.io.of("/").sockets.get(id ?? "")?.rooms ?? [])].sort();
  return {
    counts,
    rows,
    histories,
    aliceRooms: await fx.storage.listRooms(fx.alice.user.id, { unjoinedPublic: 1000 }),
    bobRooms: await fx.storage.listRooms(fx.bob.user.id, { unjoinedPublic: 1000 }),
    aliceContacts: await fx.storage.contacts(fx.alice.user.id),
    bobContacts: await fx.storage.contacts(fx.bob.user.id),
    // Over the wire too: what a client sees.
    aliceList: await callRaw(fx.alice.socket, "room:list", {}),
    aliceHistory: await callRaw(fx.alice.socket, "history", { roomId: fx.publicRoom.id, limit: 100 }),
    aliceContactList: await callRaw(fx.alice.socket, "contacts:list", {}),
    publicMembers: await callRaw(fx.alice.socket, "room:members", { roomId: fx.publicRoom.id }),
    // Which socket.io rooms the sockets are in (a malformed room:leave must not take them out).
    aliceSocketRooms: serverSide(fx.alice.socket.id),
    bobSocketRooms: serverSide(fx.bob.socket.id),
  };
}

export function expectPrototypesClean(): void {
  expect(Reflect.ownKeys(Object.prototype).map(String).sort()).toEqual(fx.prototypeKeys);
  const probe = {} as Record<string, unknown>;
  for (const key of ["polluted", "isAdmin", "roomId", "text", "clientId", "name", "username", "limit"]) {
    expect(probe[key]).toBeUndefined();
  }
}

/** The server is up and the very same sockets are connected: a valid message is acknowledged. */
export async function expectServerUp(): Promise<void> {
  expect(fx.disconnects).toEqual([]);
  expect(fx.alice.socket.connected).toBe(true);
  expect(fx.alice.socket.id).toBe(fx.aliceSocketId);
  expect(fx.bob.socket.connected).toBe(true);
  expect(fx.carol.socket.connected).toBe(true);
  const sent = await callRaw(fx.alice.socket, "message", { roomId: fx.publicRoom.id, text: "still here", clientId: uniqueName("alive") });
  expect(sent).toMatchObject({ ok: true, data: { text: "still here", roomId: fx.publicRoom.id } });
  const health = await fetch(`${fx.url}/healthz`);
  expect(health.status).toBe(200);
}

/**
 * Runs a property between two snapshots that must be equal, then checks the server is still up. Exactly `numRuns`
 * cases must have run to the end (runs that `fc.pre` skips are replaced by fast-check, not counted).
 */
export async function fuzz<T>(arb: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, numRuns: number): Promise<void> {
  const before = await snapshot();
  let completed = 0;
  await fc.assert(
    fc.asyncProperty(arb, async (value) => {
      await predicate(value);
      completed++;
    }),
    { numRuns },
  );
  expect(completed).toBe(numRuns);
  expect(await snapshot()).toStrictEqual(before);
  expectPrototypesClean();
  await expectServerUp();
}

let rawAckId = 1_000_000_000;

/** Writes `packets` on the socket's engine.io connection and resolves with the first argument of the ACK (`3<ackId>[result]`). */
function writeAwaitingAck(socket: ClientSocket, what: string, packets: (id: number) => Array<string | Buffer>): Promise<unknown> {
  const id = ++rawAckId;
  const engine = socket.io.engine;
  return new Promise((resolve, reject) => {
    const onMessage = (data: unknown) => {
      if (typeof data !== "string" || !data.startsWith(`3${id}[`)) return;
      clearTimeout(timer);
      engine.off("message", onMessage);
      resolve((JSON.parse(data.slice(`3${id}`.length)) as unknown[])[0]);
    };
    const timer = setTimeout(() => {
      engine.off("message", onMessage);
      reject(new Error(`no ack for ${what}`));
    }, 5000);
    engine.on("message", onMessage);
    for (const packet of packets(id)) engine.write(packet);
  });
}

/**
 * Writes one socket.io EVENT packet by hand (`2<ackId>[event, ...args]`, inside an engine.io message),
 * bypassing the client's encoder, and resolves with the first argument of the ACK.
 */
export function rawFrame(socket: ClientSocket, argsJson: string): Promise<unknown> {
  return writeAwaitingAck(socket, `the raw frame ${argsJson.slice(0, 80)}`, (id) => [`2${id}${argsJson}`]);
}

/**
 * Writes one socket.io BINARY_EVENT by hand (`5<n>-<ackId>[event, ...args]` and then the n attachments), bypassing
 * the client's encoder (which drops own `__proto__` keys), and resolves with the first argument of the ACK.
 */
export function rawBinaryFrame(socket: ClientSocket, argsJson: string, buffers: Buffer[]): Promise<unknown> {
  return writeAwaitingAck(socket, `the raw binary frame ${argsJson.slice(0, 80)}`, (id) => [`5${buffers.length}-${id}${argsJson}`, ...buffers]);
}

type RawEmitter = { emit(event: string, ...args: unknown[]): unknown };
export const rawEmit = (socket: ClientSocket, event: string, ...args: unknown[]) => (socket as unknown as RawEmitter).emit(event, ...args);

/** The last test of every fuzz file: whatever ran before left the server as it found it. */
export function testAfterwards(): void {
  describe("afterwards", () => {
    test("Object.prototype is untouched and the original sockets are still the connected ones", async () => {
      expectPrototypesClean();
      await expectServerUp();
    });
  });
}
