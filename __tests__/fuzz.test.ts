// Property-based fuzzing of every client→server event against one real
// server (port 0, real SQLite file), with fast-check. The contract under test
// is the protocol's "Acknowledgements" section: a malformed payload answers
// exactly `{ok:false, error:{code:"BAD_REQUEST", message}}`; a well-formed one
// naming an unknown room, message or user answers NOT_FOUND; no input answers
// INTERNAL, leaks a stack or SQL, stores anything (rooms, memberships, read
// markers, messages, mentions, contacts) or crashes the server; an event
// without a callback is handled or dropped.
//
// Every event of the protocol module (all of `Payloads` but `typing`, the
// extra `room:members` included) has a handler, and every one is fuzzed with
// binary attachments (Buffers, ArrayBuffers, typed arrays, DataViews), deep
// nesting and prototype-pollution keys. The event list comes from `Payloads`
// itself, and the first test fails if the fuzzer lacks a row for any of them.
// `RUNS` below is the case budget (at least 10,000 generated cases in all,
// asserted), and each property checks that exactly its budget ran.
//
// Whether a generated payload is malformed is decided by `protocolAccepts`
// below, written from PROTOCOL.md and independent of the server's zod
// schemas, so a schema that drifts from the protocol shows up here.
import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import pino from "pino";
import { io } from "socket.io-client";
import type { ClientSocket } from "../common/client";
import { ERROR_CODES, Payloads, type AckEventName, type AuthResponse, type ErrorCode, type Message, type Room } from "../common/protocol";
import { createApp, type App } from "../server/app";
import { openSqlite } from "../server/storage/sqlite";
import type { Storage } from "../server/storage/storage";
import { MAX_QUERY_WORDS, queryPrefixes } from "../server/chat/search-terms";
import { callRaw, NO_ABUSE_LIMITS, ok, PASSWORD, tempDir, uniqueName } from "./helpers/harness";

// ---------------------------------------------------------------- the events

type AckEvent = AckEventName;

/** Every acknowledged event, from the protocol module itself: all of `Payloads` but `typing`. */
const ACK_EVENTS: AckEvent[] = Object.keys(Payloads)
  .filter((e): e is AckEvent => e !== "typing")
  .sort();

/** A field whose value names something the server looks up: an unknown value there answers NOT_FOUND. */
type LookupField = "roomId" | "messageId" | "username";

/**
 * The fuzzer's own list of events, each with the fields it looks up. `satisfies` makes tsc refuse a missing or
 * unknown event; the first test compares the keys with ACK_EVENTS at run time, and the lookups with `fieldRules`.
 */
const LOOKUPS = {
  "room:create": [],
  "room:list": [],
  "room:join": ["roomId"],
  "room:leave": ["roomId"],
  "room:invite": ["roomId", "username"],
  "dm:open": ["username"],
  message: ["roomId"],
  history: ["roomId"],
  "message:edit": ["messageId"],
  "message:delete": ["messageId"],
  read: ["roomId"],
  search: ["roomId"],
  "contacts:add": ["username"],
  "contacts:remove": ["username"],
  "contacts:list": [],
  "room:members": ["roomId"],
  "room:browse": [],
} as const satisfies Record<AckEvent, readonly LookupField[]>;
const FUZZED_EVENTS = Object.keys(LOOKUPS).sort() as AckEvent[];
const lookupsOf = (event: AckEvent): readonly LookupField[] => LOOKUPS[event];
/** Events that look something up: each one is in the NOT_FOUND property. */
const LOOKUP_EVENTS = FUZZED_EVENTS.filter((e) => lookupsOf(e).length > 0);

/** Events whose every field is optional: `{}` (or any object of other keys) is valid, non-objects are malformed. */
const EMPTY_PAYLOAD = new Set<AckEvent>(["room:list", "contacts:list", "room:browse"]);

/** Events that store nothing whatever they are given, so a fuzzer may send them valid payloads too. */
const READ_ONLY = new Set<AckEvent>(["room:list", "history", "search", "contacts:list", "room:members", "room:browse"]);

/** Generated cases per property: the file's case budget. */
const RUNS = {
  malformedPerEvent: 500,
  binaryPerEvent: 150,
  anyJsonValue: 2500,
  unknownIds: 1500,
  search: 1000,
  withoutCallback: 1500,
  prototypePollution: 1000,
  loneSurrogates: 200,
} as const;
const PER_EVENT: ReadonlySet<keyof typeof RUNS> = new Set(["malformedPerEvent", "binaryPerEvent"]);
const TOTAL_CASES = (Object.keys(RUNS) as Array<keyof typeof RUNS>).reduce(
  (sum, key) => sum + RUNS[key] * (PER_EVENT.has(key) ? ACK_EVENTS.length : 1),
  0,
);

// ---------------------------------------------------------------- PROTOCOL.md as an oracle

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer);
const own = (o: Record<string, unknown>, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);
const codePoints = (s: string) => [...s].length;
const chars = (v: unknown, min: number, max: number) => typeof v === "string" && codePoints(v) >= min && codePoints(v) <= max;
/** 1–max characters, not only white space (JavaScript's `\s`). */
const visible = (v: unknown, max: number) => chars(v, 1, max) && /\S/.test(v as string);
/** Ids are opaque; the project bounds them to 1–64 (PROTOCOL.md fixes no length). */
const isId = (v: unknown) => typeof v === "string" && v.length >= 1 && v.length <= 64;
const isUsername = (v: unknown) => typeof v === "string" && /^[A-Za-z0-9_.-]{3,32}$/.test(v);
/** A seq cursor: a non-negative integer that JSON numbers carry exactly. */
const isSeq = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const isLimit = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 100;
const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v);

/** Whether PROTOCOL.md calls this payload (as the server receives it) well-formed. */
function protocolAccepts(event: AckEvent, p: unknown): boolean {
  if (!isPlainObject(p)) return false;
  const f = (k: string) => own(p, k);
  switch (event) {
    case "room:list":
    case "contacts:list":
      return true;
    case "room:create":
      // 1–64 characters; the project also refuses names that are only white space.
      // The project also refuses format characters (Unicode Cf) in names.
      return visible(f("name"), 64) && !/\p{Cf}/u.test(f("name") as string) && optional(f("private"), (v) => typeof v === "boolean");
    case "room:join":
    case "room:leave":
      return isId(f("roomId"));
    case "room:invite":
      return isId(f("roomId")) && isUsername(f("username"));
    case "dm:open":
    case "contacts:add":
    case "contacts:remove":
      return isUsername(f("username"));
    case "message":
      return isId(f("roomId")) && visible(f("text"), 4000) && chars(f("clientId"), 1, 64);
    case "history":
      return (
        isId(f("roomId")) &&
        optional(f("before"), isSeq) &&
        optional(f("after"), isSeq) &&
        optional(f("limit"), isLimit) &&
        (f("before") === undefined || f("after") === undefined)
      );
    case "message:edit":
      return isId(f("messageId")) && visible(f("text"), 4000);
    case "message:delete":
      return isId(f("messageId"));
    case "read":
      return isId(f("roomId")) && isSeq(f("seq"));
    case "search":
      // The project bounds a query to 1–256 characters and 8 words (after words that begin another are dropped).
      return (
        chars(f("query"), 1, 256) &&
        queryPrefixes(f("query") as string).length <= MAX_QUERY_WORDS &&
        optional(f("roomId"), isId) &&
        optional(f("limit"), isLimit)
      );
    case "room:members":
      return isId(f("roomId"));
    case "room:browse":
      // The project bounds the name fragment and the cursor (an opaque string) and pages of 1–100.
      return (
        optional(f("query"), (v) => typeof v === "string" && v.length <= 256) &&
        optional(f("cursor"), (v) => typeof v === "string" && v.length <= 256) &&
        optional(f("limit"), isLimit)
      );
  }
}

/** What the server receives: socket.io sends JSON (NaN and ±Infinity become null, undefined keys vanish). */
function overTheWire(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return v; // binary attachments arrive as Buffers
  if (Array.isArray(v)) return v.map((x) => (x === undefined || typeof x === "function" ? null : overTheWire(x)));
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      const x = v[key];
      if (x === undefined || typeof x === "function") continue;
      Object.defineProperty(out, key, { value: overTheWire(x), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  if (Object.is(v, -0)) return 0;
  return v;
}

// ---------------------------------------------------------------- one server for the file

type Fixture = {
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
let fx: Fixture;

function connect(url: string, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

async function register(url: string): Promise<AuthResponse> {
  const res = await fetch(`${url}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: uniqueName("fz"), password: PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`register answered ${res.status}`);
  return (await res.json()) as AuthResponse;
}

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
  fx = {
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
  };
});

afterAll(async () => {
  if (!fx) return;
  fx.alice.socket.close();
  fx.bob.socket.close();
  fx.carol.socket.close();
  fx.raw.close();
  await fx.app.close();
  await fx.storage.close();
  rmSync(fx.dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- checks

/** Stack frames, source paths, error class names, SQLite or SQL text. */
const LEAKS = [
  /\n\s*at |\bat \S+ \(|node_modules|\.[cm]?[jt]s:\d+|\/(work|home|usr|tmp|app)\//,
  /sqlite|\b(Type|Range|Reference|Syntax|Zod)Error\b/i,
  /\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|CONSTRAINT)\b/,
];

/** `{ok:false, error:{code, message}}`, nothing more; a protocol code, never INTERNAL, no leaked internals. */
function expectRefusal(result: unknown, code?: ErrorCode): void {
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
function expectWellFormedResult(result: unknown): void {
  expect(isPlainObject(result)).toBe(true);
  if ((result as { ok: unknown }).ok === true) {
    expect(Object.keys(result as object).sort()).toEqual(["data", "ok"]);
  } else {
    expectRefusal(result);
  }
}

/** Everything the malformed runs could have changed. */
async function snapshot() {
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

function expectPrototypesClean(): void {
  expect(Reflect.ownKeys(Object.prototype).map(String).sort()).toEqual(fx.prototypeKeys);
  const probe = {} as Record<string, unknown>;
  for (const key of ["polluted", "isAdmin", "roomId", "text", "clientId", "name", "username", "limit"]) {
    expect(probe[key]).toBeUndefined();
  }
}

/** The server is up and the very same sockets are connected: a valid message is acknowledged. */
async function expectServerUp(): Promise<void> {
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
async function fuzz<T>(arb: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, numRuns: number): Promise<void> {
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
/**
 * Writes one socket.io EVENT packet by hand (`2<ackId>[event, ...args]`, inside an engine.io message),
 * bypassing the client's encoder, and resolves with the first argument of the ACK (`3<ackId>[result]`).
 */
function rawFrame(socket: ClientSocket, argsJson: string): Promise<unknown> {
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
      reject(new Error(`no ack for the raw frame ${argsJson.slice(0, 80)}`));
    }, 5000);
    engine.on("message", onMessage);
    engine.write(`2${id}${argsJson}`);
  });
}

type RawEmitter = { emit(event: string, ...args: unknown[]): unknown };
const rawEmit = (socket: ClientSocket, event: string, ...args: unknown[]) => (socket as unknown as RawEmitter).emit(event, ...args);

// ---------------------------------------------------------------- generators

const WHITESPACE = [..."\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"];
// Each one really is `\s`, and they are all of it in the BMP range tested here.
for (const c of WHITESPACE) if (!/^\s$/.test(c)) throw new Error(`not white space: U+${c.codePointAt(0)!.toString(16)}`);

const ASTRAL = ["😀", "𝄞", "🏳", "𠜎", "👩", "🦄"];
const whitespaceOnly = (max: number) => fc.array(fc.constantFrom(...WHITESPACE), { minLength: 1, maxLength: max }).map((a) => a.join(""));

/** A string of exactly `n` code points mixing ASCII, BMP and astral characters. */
const exactCodePoints = (n: number) =>
  fc
    .tuple(fc.constantFrom("a", "é", "中", ...ASTRAL), fc.constantFrom("😀", "x", "𝄞"), fc.integer({ min: 0, max: n }))
    .map(([first, second, split]) => first.repeat(split) + second.repeat(n - split));
/** Too long by code points: `min` up to `min + 40` of them, often astral (so UTF-16 length is up to twice that). */
const tooLong = (min: number) => fc.integer({ min, max: min + 40 }).chain((n) => exactCodePoints(n));

/**
 * Binary attachments, of every kind socket.io-client sends as one (the server receives each as a Buffer):
 * Node Buffers, ArrayBuffers, typed arrays of several element types, DataViews, empty and a few KB.
 */
const binary: fc.Arbitrary<unknown> = fc.oneof(
  fc.uint8Array({ maxLength: 8 }),
  fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
  fc.uint8Array({ maxLength: 8 }).map((a) => a.slice().buffer),
  fc.int16Array({ maxLength: 4 }),
  fc.float64Array({ maxLength: 2 }),
  fc.uint8Array({ maxLength: 8 }).map((a) => new DataView(a.slice().buffer)),
  fc.constantFrom(new Uint8Array(0), Buffer.alloc(4096, 0x7b)),
);
/** A binary attachment alone, in an array or in an object, a level or two down. */
const binaryNested: fc.Arbitrary<unknown> = fc.oneof(
  binary,
  fc.array(binary, { minLength: 1, maxLength: 3 }),
  fc.tuple(binary, fc.string({ maxLength: 6 })).map(([b, key]) => ({ [key]: b })),
  fc.tuple(binary, binary).map(([b, c]) => ({ data: [b, { more: c }], filename: "file" })),
);
const smallJson = fc.jsonValue({ maxDepth: 2 });
const smallObject = fc.dictionary(fc.string({ maxLength: 8 }), smallJson, { maxKeys: 3 });
const smallArray = fc.array(smallJson, { maxLength: 3 });

const notAString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), smallArray, smallObject, binary);
const notANumber = fc.oneof(
  fc.constantFrom("10", "1", "0", "-1", "1e2", "0x10", " 5", "", "NaN", "Infinity"),
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([10]),
  smallArray,
  smallObject,
  binary,
);
const notABoolean = fc.oneof(fc.constantFrom("true", "false", "", 0, 1, null), smallArray, smallObject, fc.integer(), fc.string({ maxLength: 5 }));

const badLimit = fc.oneof(
  fc.constantFrom(0, 101, -1, 1.5, 100.5, 0.5, -0.5, 1e21, 2 ** 53, Number.MAX_VALUE, -Number.MAX_VALUE, NaN, Infinity, -Infinity),
  fc.integer({ min: 101 }),
  fc.integer({ max: 0 }),
  fc.double({ noInteger: true }),
  notANumber,
);
const badSeq = fc.oneof(
  fc.constantFrom(-1, 0.5, 1.5, 2 ** 53, 2 ** 53 + 2, 1e300, Number.MAX_VALUE, NaN, Infinity, -Infinity),
  fc.integer({ max: -1 }),
  fc.double({ noInteger: true }),
  notANumber,
);
const badId = fc.oneof(notAString, fc.constant(""), fc.string({ minLength: 65, maxLength: 100 }), tooLong(65));
const badUsername = fc.oneof(
  notAString,
  fc.constantFrom("", "ab", "a".repeat(33), "a b c", "zoë_name", "bad@name", "name\n", "\nname", "名前名前", "😀😀😀", "__proto__ "),
  fc.stringMatching(/^[A-Za-z0-9_.-]{0,2}$/),
  fc.stringMatching(/^[A-Za-z0-9_.-]{33,40}$/),
  fc.tuple(fc.stringMatching(/^[a-z]{3,10}$/), fc.constantFrom(" ", "!", "/", "é", "\u0000", "😀", "\t", "'", '"', "%")).map(([a, b]) => a + b),
);
const badText = fc.oneof(notAString, fc.constant(""), whitespaceOnly(40), tooLong(4001), fc.constant("😀".repeat(4001)));
const badRoomName = fc.oneof(
  notAString,
  fc.constant(""),
  whitespaceOnly(70),
  tooLong(65),
  fc.constant(" " + "a".repeat(64)),
  fc.constantFrom("general\u200B", "\u202Eevil", "a\u2066b", "\uFEFFbom"),
);
const badBrowseText = fc.oneof(notAString, tooLong(257));
const badClientId = fc.oneof(notAString, fc.constant(""), tooLong(65));
const badQuery = fc.oneof(notAString, fc.constant(""), tooLong(257));

type Payload = Record<string, unknown>;

/** A valid-looking payload for each event, with ids that exist. */
function validBase(event: AckEvent): fc.Arbitrary<Payload> {
  const roomId = fc.constantFrom(...fx.rooms.map((r) => r.id));
  const messageId = fc.constantFrom(...fx.messages.map((m) => m.id));
  const username = fc.constantFrom(fx.bob.user.username, fx.alice.user.username, fx.bob.user.username.toUpperCase());
  const text = fc.oneof(fc.constant("hello"), exactCodePoints(4000), fc.string({ minLength: 1, maxLength: 20 }).map((s) => `x${s}`));
  switch (event) {
    case "room:create":
      return fc.record({ name: fc.constant(uniqueName("fuzzroom")), private: fc.boolean() }, { requiredKeys: ["name"] });
    case "room:list":
    case "contacts:list":
      return fc.constant({});
    case "room:browse":
      return fc.record(
        { query: fc.constantFrom("", "fuzz", "ROOM", "é"), cursor: fc.constantFrom("", "m", "fuzzroom"), limit: fc.integer({ min: 1, max: 100 }) },
        { requiredKeys: [] },
      );
    case "room:join":
    case "room:leave":
    case "room:members":
      return fc.record({ roomId });
    case "room:invite":
      return fc.record({ roomId, username });
    case "dm:open":
    case "contacts:add":
    case "contacts:remove":
      return fc.record({ username });
    case "message":
      return fc.record({ roomId, text, clientId: fc.uuid() });
    case "history":
      return fc.record(
        { roomId, before: fc.nat(10), after: fc.nat(10), limit: fc.integer({ min: 1, max: 100 }) },
        { requiredKeys: ["roomId"] },
      ).map((p) => {
        const { after: _after, ...rest } = p;
        return p.before !== undefined ? rest : p;
      });
    case "message:edit":
      return fc.record({ messageId, text });
    case "message:delete":
      return fc.record({ messageId });
    case "read":
      return fc.record({ roomId, seq: fc.nat(10) });
    case "search":
      return fc.record({ query: fc.constantFrom("setup", "x"), roomId, limit: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: ["query"] });
  }
}

/** For each field of each event: how to make it wrong, and whether it may be left out. */
function fieldRules(event: AckEvent): Record<string, { bad: fc.Arbitrary<unknown>; required: boolean }> {
  switch (event) {
    case "room:create":
      return { name: { bad: badRoomName, required: true }, private: { bad: notABoolean, required: false } };
    case "room:list":
    case "contacts:list":
      return {};
    case "room:browse":
      return {
        query: { bad: badBrowseText, required: false },
        cursor: { bad: badBrowseText, required: false },
        limit: { bad: badLimit, required: false },
      };
    case "room:join":
    case "room:leave":
      return { roomId: { bad: badId, required: true } };
    case "room:invite":
      return { roomId: { bad: badId, required: true }, username: { bad: badUsername, required: true } };
    case "dm:open":
    case "contacts:add":
    case "contacts:remove":
      return { username: { bad: badUsername, required: true } };
    case "message":
      return {
        roomId: { bad: badId, required: true },
        text: { bad: badText, required: true },
        clientId: { bad: badClientId, required: true },
      };
    case "history":
      return {
        roomId: { bad: badId, required: true },
        before: { bad: badSeq, required: false },
        after: { bad: badSeq, required: false },
        limit: { bad: badLimit, required: false },
      };
    case "message:edit":
      return { messageId: { bad: badId, required: true }, text: { bad: badText, required: true } };
    case "message:delete":
      return { messageId: { bad: badId, required: true } };
    case "read":
      return { roomId: { bad: badId, required: true }, seq: { bad: badSeq, required: true } };
    case "search":
      return {
        query: { bad: badQuery, required: true },
        roomId: { bad: badId, required: false },
        limit: { bad: badLimit, required: false },
      };
    case "room:members":
      return { roomId: { bad: badId, required: true } };
  }
}

/** Builds a JSON-parsed object, so that `__proto__` is an own key as it is on the server. */
const jsonParsed = (text: string) => JSON.parse(text) as Payload;

/** Own keys that attack prototypes: `__proto__`, `constructor.prototype`, `prototype`. */
const pollutionKeys = fc
  .record({
    marker: fc.constantFrom("polluted", "isAdmin", "roomId", "text", "clientId", "name", "username", "limit"),
    keys: fc.subarray(["__proto__", "constructor", "prototype"], { minLength: 1 }),
    value: fc.oneof(fc.constant<Json>(true), fc.constant<Json>("yes"), fc.constant<Json>(1)),
  })
  .map(({ marker, keys, value }) => {
    const inner = JSON.stringify({ [marker]: value });
    return jsonParsed(`{${keys.map((k) => (k === "constructor" ? `"constructor":{"prototype":${inner}}` : `"${k}":${inner}`)).join(",")}}`);
  });

/** Copies own keys with defineProperty, so an own `__proto__` stays an own key. */
function merge(...parts: Payload[]): Payload {
  const out: Payload = {};
  for (const part of parts) {
    for (const key of Object.keys(part)) {
      Object.defineProperty(out, key, { value: part[key], enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

const nested = (depth: number, leaf: unknown, kind: "object" | "array") => {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = kind === "object" ? { a: v } : [v];
  return v;
};
const deep = fc.tuple(fc.integer({ min: 10, max: 1500 }), fc.constantFrom<"object" | "array">("object", "array")).map(([d, k]) => nested(d, "x", k));

/** Malformed payloads for `event`, each labelled with how it was broken. */
function malformed(event: AckEvent): fc.Arbitrary<{ how: string; payload: unknown }> {
  const rules = fieldRules(event);
  const fields = Object.keys(rules);
  const required = fields.filter((f) => rules[f]!.required);
  const base = validBase(event);
  const variants: Array<fc.WeightedArbitrary<{ how: string; payload: unknown }>> = [
    // Not an object at all (a valid payload wrapped in an array included).
    fc
      .oneof(fc.string({ maxLength: 10 }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), smallArray, base.map((p) => [p]))
      .map((payload) => ({ how: "not an object", payload })),
  ].map((arbitrary) => ({ arbitrary, weight: 1 }));
  if (fields.length) {
    // One field (sometimes several) of a wrong type, out of range, too long or only white space.
    variants.push({
      weight: 5,
      arbitrary: fc
        .tuple(base, fc.subarray(fields, { minLength: 1 }))
        .chain(([p, broken]) =>
          fc.tuple(...broken.map((f) => rules[f]!.bad)).map((values) => {
            const payload = { ...p };
            broken.forEach((f, i) => (payload[f] = values[i]));
            return { how: `bad ${broken.join(", ")}`, payload };
          }),
        ),
    });
    // A deeply nested object or array where a field goes.
    variants.push({
      weight: 1,
      arbitrary: fc.tuple(base, fc.constantFrom(...fields), deep).map(([p, f, d]) => ({ how: `deep ${f}`, payload: { ...p, [f]: d } })),
    });
  }
  if (required.length) {
    // Required fields missing; what is left is otherwise valid.
    variants.push({
      weight: 2,
      arbitrary: fc.tuple(base, fc.subarray(required, { minLength: 1 })).map(([p, gone]) => {
        const payload = { ...p };
        for (const f of gone) delete payload[f];
        return { how: `missing ${gone.join(", ")}`, payload };
      }),
    });
    // The required fields only behind prototype keys: a merge that honours `__proto__` would make them valid.
    variants.push({
      weight: 1,
      arbitrary: fc.tuple(base, fc.constantFrom("__proto__", "constructor", "prototype")).map(([p, key]) => {
        const inner = JSON.stringify(p);
        const text = key === "constructor" ? `{"constructor":{"prototype":${inner}}}` : `{"${key}":${inner}}`;
        return { how: `fields behind ${key}`, payload: jsonParsed(text) };
      }),
    });
  }
  // The whole payload nested deep: an array is never an object; an object nested under `a` lacks every required field.
  variants.push({
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 10, max: 1500 }), fc.constantFrom<"object" | "array">(...(required.length ? (["object", "array"] as const) : (["array"] as const))))
      .map(([depth, kind]) => ({ how: `${kind} payload nested ${depth} deep`, payload: nested(depth, "x", kind) })),
  });
  if (event === "history") {
    variants.push({
      weight: 2,
      arbitrary: fc
        .record(
          { roomId: fc.constantFrom(fx.publicRoom.id, fx.dm.id), before: fc.nat(1000), after: fc.nat(1000), limit: fc.integer({ min: 1, max: 100 }) },
          { requiredKeys: ["roomId", "before", "after"] },
        )
        .map((payload) => ({ how: "both before and after", payload })),
    });
  }
  // Any of the above, sometimes with prototype-pollution keys added (they change nothing about validity).
  return fc
    .tuple(fc.oneof(...variants), fc.option(pollutionKeys, { freq: 3 }))
    .map(([m, extra]) =>
      extra && isPlainObject(m.payload) && !ArrayBuffer.isView(m.payload) ? { how: `${m.how} + pollution keys`, payload: merge(m.payload, extra) } : m,
    );
}

// ---------------------------------------------------------------- properties

describe("the fuzzer covers the whole protocol module", () => {
  test("its event list is exactly `Payloads` without typing, and its lookups match its field rules", () => {
    expect(ACK_EVENTS.length).toBeGreaterThanOrEqual(16);
    expect(ACK_EVENTS).toContain("room:members");
    expect(FUZZED_EVENTS).toEqual(ACK_EVENTS);
    for (const event of ACK_EVENTS) {
      // Every field that names a room, a message or a user is one the NOT_FOUND property replaces.
      const named = Object.keys(fieldRules(event)).filter((f) => ["roomId", "messageId", "username"].includes(f));
      expect({ event, lookups: [...lookupsOf(event)].sort() }).toEqual({ event, lookups: named.sort() });
    }
  });

  test(`the properties below generate ${TOTAL_CASES} cases in all, at least 10,000`, () => {
    expect(TOTAL_CASES).toBe(
      (RUNS.malformedPerEvent + RUNS.binaryPerEvent) * ACK_EVENTS.length +
        RUNS.anyJsonValue +
        RUNS.unknownIds +
        RUNS.search +
        RUNS.withoutCallback +
        RUNS.prototypePollution +
        RUNS.loneSurrogates,
    );
    expect(TOTAL_CASES).toBeGreaterThanOrEqual(10_000);
  });
});

describe("malformed payloads answer BAD_REQUEST, store nothing and leave the server up", () => {
  test.each(ACK_EVENTS)("%s", async (event) => {
    await fuzz(
      malformed(event),
      async ({ payload }) => {
        // The generator's own promise, checked against the protocol oracle.
        expect(protocolAccepts(event, overTheWire(payload))).toBe(false);
        expectRefusal(await callRaw(fx.alice.socket, event, payload), "BAD_REQUEST");
      },
      RUNS.malformedPerEvent,
    );
  });
});

/**
 * Binary attachments anywhere: as the payload, as a field, beside the fields (as an extra key or an extra argument),
 * nested, with prototype-pollution keys. The payload is malformed, or valid for an event that stores nothing.
 */
function withBinary(event: AckEvent): fc.Arbitrary<{ how: string; payload: unknown; extras: unknown[] }> {
  const fields = Object.keys(fieldRules(event));
  const harmless = READ_ONLY.has(event) ? fc.oneof(validBase(event), malformed(event).map((m) => m.payload)) : malformed(event).map((m) => m.payload);
  const placements: Array<fc.Arbitrary<{ how: string; payload: unknown }>> = [
    binaryNested.map((payload) => ({ how: "binary payload", payload })),
    fc
      .tuple(harmless, fc.constantFrom("attachment", "file", "data", "sender", "extra", "0"), binaryNested)
      .map(([p, key, b]) => ({ how: `binary beside, as ${key}`, payload: isPlainObject(p) ? merge(p, { [key]: b }) : p })),
  ];
  if (fields.length) {
    placements.push(
      fc
        .tuple(validBase(event), fc.subarray(fields, { minLength: 1 }), binaryNested)
        .map(([p, chosen, b]) => ({ how: `binary ${chosen.join(", ")}`, payload: merge(p, Object.fromEntries(chosen.map((f) => [f, b]))) })),
    );
  }
  return fc
    .tuple(fc.oneof(...placements), fc.option(pollutionKeys, { freq: 4 }), fc.array(binary, { maxLength: 2 }))
    .map(([m, pollution, extras]) => ({
      how: pollution ? `${m.how} + pollution keys` : m.how,
      payload: pollution && isPlainObject(m.payload) ? merge(m.payload, pollution) : m.payload,
      extras,
    }))
    .filter(({ payload, extras }) => attachments([payload, ...extras]) <= MAX_ATTACHMENTS);
}

/** socket.io's parser refuses a packet with more attachments than this by closing the connection (tested below). */
const MAX_ATTACHMENTS = 10;
const isBinary = (v: unknown) => ArrayBuffer.isView(v) || v instanceof ArrayBuffer;
/** How many binary attachments socket.io-client makes of a value: one per occurrence. */
function attachments(v: unknown): number {
  if (isBinary(v)) return 1;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + attachments(x), 0);
  if (typeof v === "object" && v !== null) return Object.values(v).reduce((n: number, x) => n + attachments(x), 0);
  return 0;
}

let rawBinaryAckId = 2_000_000_000;
/**
 * Writes one socket.io BINARY_EVENT by hand (`5<n>-<ackId>[event, ...args]` and then the n attachments), bypassing
 * the client's encoder (which drops own `__proto__` keys), and resolves with the first argument of the ACK.
 */
function rawBinaryFrame(socket: ClientSocket, argsJson: string, buffers: Buffer[]): Promise<unknown> {
  const id = ++rawBinaryAckId;
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
      reject(new Error(`no ack for the raw binary frame ${argsJson.slice(0, 80)}`));
    }, 5000);
    engine.on("message", onMessage);
    engine.write(`5${buffers.length}-${id}${argsJson}`);
    for (const buffer of buffers) engine.write(buffer);
  });
}

describe("binary attachments", () => {
  test.each(ACK_EVENTS)("%s: BAD_REQUEST when malformed, never INTERNAL, store nothing", async (event) => {
    await fuzz(
      withBinary(event),
      async ({ payload, extras }) => {
        const accepted = protocolAccepts(event, overTheWire(payload));
        // The generator's own promise: a valid payload only for an event that stores nothing.
        if (!READ_ONLY.has(event)) expect(accepted).toBe(false);
        const result = await callRaw(fx.alice.socket, event, payload, ...extras);
        if (!accepted) return expectRefusal(result, "BAD_REQUEST");
        // Valid, with attachments on keys the protocol does not name (ignored): answered like any other call.
        expectWellFormedResult(result);
        if (!(result as { ok: boolean }).ok) expect((result as { error: { code: string } }).error.code).not.toBe("BAD_REQUEST");
      },
      RUNS.binaryPerEvent,
    );
  });

  test("a binary payload where `{}` is expected (room:list, contacts:list, room:browse) is BAD_REQUEST", async () => {
    const before = await snapshot();
    const answers: Record<string, unknown> = {};
    for (const event of EMPTY_PAYLOAD) {
      for (const [kind, payload] of [
        ["Buffer", Buffer.from("{}")],
        ["ArrayBuffer", new ArrayBuffer(2)],
        ["Uint8Array", new Uint8Array([123, 125])],
        ["Float64Array", new Float64Array(1)],
        ["DataView", new DataView(new ArrayBuffer(2))],
      ] as const) {
        const result = await callRaw(fx.alice.socket, event, payload);
        answers[`${event} ${kind}`] = result.ok ? "ok" : result.error.code;
      }
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((k) => [k, "BAD_REQUEST"])));
    expect(await snapshot()).toStrictEqual(before);
    await expectServerUp();
  });

  test("hand-written binary frames: own __proto__ / constructor keys, binary fields and binary payloads, for every event", async () => {
    const before = await snapshot();
    const placeholder = (num: number) => ({ _placeholder: true, num });
    const valid: Payload = {
      roomId: fx.publicRoom.id,
      text: "hi",
      clientId: uniqueName("bin"),
      name: uniqueName("bin"),
      username: fx.bob.user.username,
      messageId: fx.messages[0]!.id,
      query: "setup",
      seq: 1,
    };
    const frame = (event: string, payload: unknown) => `[${JSON.stringify(event)},${JSON.stringify(payload)}]`;
    const answers: Record<string, unknown> = {};
    const codeOf = (r: unknown) => ((r as { ok: boolean }).ok ? "ok" : (r as { error: { code: string } }).error.code);
    for (const event of ACK_EVENTS) {
      const expected = EMPTY_PAYLOAD.has(event) ? "ok" : "BAD_REQUEST";
      // Every field only behind __proto__ and constructor.prototype, as own keys, next to an attachment.
      const hidden = `[${JSON.stringify(event)},{"__proto__":${JSON.stringify(valid)},"constructor":{"prototype":${JSON.stringify(valid)}},"file":${JSON.stringify(placeholder(0))}}]`;
      const result = await rawBinaryFrame(fx.alice.socket, hidden, [Buffer.from("attachment")]);
      expectWellFormedResult(result);
      answers[`${event}: fields behind __proto__`] = [codeOf(result), expected];
      expectPrototypesClean();
      // Each field in turn an attachment, the others valid.
      for (const field of Object.keys(fieldRules(event))) {
        const r = await rawBinaryFrame(fx.alice.socket, frame(event, { ...valid, [field]: placeholder(0) }), [Buffer.from(String(valid[field]))]);
        expectWellFormedResult(r);
        answers[`${event}: binary ${field}`] = [codeOf(r), "BAD_REQUEST"];
      }
      // The whole payload an attachment (a Buffer on the server): not an object.
      const whole = await rawBinaryFrame(fx.alice.socket, `[${JSON.stringify(event)},${JSON.stringify(placeholder(0))}]`, [Buffer.from("{}")]);
      expectWellFormedResult(whole);
      answers[`${event}: binary payload`] = [codeOf(whole), "BAD_REQUEST"];
    }
    // Listed together, so one run shows every event that answers otherwise.
    const wrong = Object.entries(answers).filter(([, v]) => (v as string[])[0] !== (v as string[])[1]);
    expect(Object.fromEntries(wrong)).toEqual({});
    expect(await snapshot()).toStrictEqual(before);
    await expectServerUp();
  });

  test("a broken binary packet (a placeholder beyond the attachments, or more than 10 of them) ends only its own socket", async () => {
    const before = await snapshot();
    // Without an attachment a placeholder is an ordinary object: not a string, so the field is malformed.
    expectRefusal(await callRaw(fx.alice.socket, "room:join", { roomId: { _placeholder: true, num: 0 } }), "BAD_REQUEST");
    for (const args of [
      [{ roomId: { _placeholder: true, num: 7 }, file: Buffer.from("x") }],
      [{ roomId: fx.publicRoom.id, files: Array.from({ length: MAX_ATTACHMENTS + 1 }, (_, i) => Buffer.from([i])) }],
    ]) {
      // The transport refuses these, as it does an oversized frame: the socket is closed, nothing is answered.
      const extra = await connect(fx.url, fx.alice.token);
      const gone = new Promise<string>((resolve) => extra.once("disconnect", resolve));
      rawEmit(extra, "history", ...args, () => {});
      expect(await gone).toBe("transport close");
      extra.close();
    }
    // Exactly MAX_ATTACHMENTS is an ordinary event.
    const files = Array.from({ length: MAX_ATTACHMENTS }, (_, i) => Buffer.from([i]));
    expect(await callRaw(fx.alice.socket, "history", { roomId: fx.publicRoom.id, limit: 1, files })).toMatchObject({ ok: true });
    expect(await snapshot()).toStrictEqual(before);
    await expectServerUp();
  });
});

describe("any JSON value", () => {
  test("as any event's payload: BAD_REQUEST when the protocol calls it malformed, never INTERNAL otherwise", async () => {
    const payload = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.object({ maxDepth: 2, key: fc.constantFrom("roomId", "text", "clientId", "name", "username", "limit", "before", "after", "seq", "query", "messageId", "private", "__proto__", "constructor") }),
      fc.tuple(fc.object({ maxDepth: 1 }), pollutionKeys).map(([o, p]) => merge(o as Payload, p)),
    );
    await fuzz(
      fc.tuple(fc.constantFrom(...ACK_EVENTS), payload),
      async ([event, p]) => {
        const malformedOnWire = !protocolAccepts(event, overTheWire(p));
        // A valid payload could store something (a room, a message): only events that store nothing may take one.
        fc.pre(malformedOnWire || READ_ONLY.has(event));
        const result = await callRaw(fx.alice.socket, event, p);
        if (malformedOnWire) expectRefusal(result, "BAD_REQUEST");
        else expectWellFormedResult(result); // `{}` plus ignored keys, or a read of some room
      },
      RUNS.anyJsonValue,
    );
  });
});

describe("valid shapes with unknown or hostile ids", () => {
  test("answer NOT_FOUND (never INTERNAL) for every event that looks something up, and store nothing", async () => {
    const hostile = fc.oneof(
      fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "'; DROP TABLE rooms; --", "' OR '1'='1", "%", "_", "*", '"', "\\", "\u0000", "NULL", "undefined", "0", " "),
      fc.uuid(),
      fc.string({ minLength: 1, maxLength: 64 }),
      fc.string({ minLength: 1, maxLength: 32, unit: "binary" }),
    );
    const userIds = [fx.alice.user.id, fx.bob.user.id, fx.carol.user.id];
    const roomIds = fx.rooms.map((r) => r.id);
    const messageIds = fx.messages.map((m) => m.id);
    // Real ids of another kind are as unknown as made-up ones: a user's id is no room, a room's id no message.
    const hostileFor: Record<LookupField, fc.Arbitrary<string>> = {
      roomId: fc.oneof(hostile, fc.constantFrom(...userIds, ...messageIds)),
      messageId: fc.oneof(hostile, fc.constantFrom(...userIds, ...roomIds)),
      username: fc.oneof(
        fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "NULL", "___"),
        fc.stringMatching(/^[A-Za-z0-9_.-]{3,32}$/),
        // Room names are username-shaped here ("pub1234_5_abcd"), and they name no user.
        fc.constantFrom(...fx.rooms.filter((r) => r.kind !== "dm").map((r) => r.name)),
      ),
    };
    /** A payload that reaches every lookup of `event`: with these values each would be found (so it is never sent as is). */
    const reaching = (event: AckEvent): Payload => {
      const mine = fx.messages.find((m) => m.sender.id === fx.alice.user.id)!;
      const payloads: Partial<Record<AckEvent, Payload>> = {
        "room:join": { roomId: fx.publicRoom.id },
        "room:leave": { roomId: fx.publicRoom.id },
        "room:invite": { roomId: fx.privateRoom.id, username: fx.carol.user.username },
        "dm:open": { username: fx.carol.user.username },
        message: { roomId: fx.publicRoom.id, text: "hi", clientId: uniqueName("nf") },
        history: { roomId: fx.publicRoom.id },
        "message:edit": { messageId: mine.id, text: "edited" },
        "message:delete": { messageId: mine.id },
        read: { roomId: fx.publicRoom.id, seq: 1 },
        search: { query: "setup", roomId: fx.publicRoom.id },
        "contacts:add": { username: fx.carol.user.username },
        "contacts:remove": { username: fx.bob.user.username },
        "room:members": { roomId: fx.publicRoom.id },
      };
      const payload = payloads[event];
      if (!payload) throw new Error(`no payload that reaches the lookups of ${event}`);
      return payload;
    };
    const arb = fc
      .constantFrom(...LOOKUP_EVENTS)
      .chain((event) =>
        fc
          .subarray([...lookupsOf(event)], { minLength: 1 })
          .chain((fields) => fc.tuple(fc.constant(event), fc.constant(fields), fc.tuple(...fields.map((f) => hostileFor[f])))),
      )
      .map(([event, fields, values]) => ({ event, payload: merge(reaching(event), Object.fromEntries(fields.map((f, i) => [f, values[i]]))) }));
    const seen = new Set<AckEvent>();
    await fuzz(
      arb,
      async ({ event, payload }) => {
        // Hostile names that happen to be real users are excluded by construction (ours are prefixed "fz").
        fc.pre(!Object.values(payload).some((v) => typeof v === "string" && /^fz\d/i.test(v)));
        expect(protocolAccepts(event, overTheWire(payload))).toBe(true);
        const result = await callRaw(fx.alice.socket, event, payload);
        expectRefusal(result, "NOT_FOUND");
        seen.add(event);
      },
      RUNS.unknownIds,
    );
    expect([...seen].sort()).toEqual(LOOKUP_EVENTS);
  });
});

describe("search", () => {
  type Searcher = { name: string; socket: ClientSocket; memberOf: Set<string>; mayRead: Set<string> };
  type Stored = { id: string; roomId: string; text: string; deleted: number; createdAt: number };
  const WORD = /[\p{L}\p{N}]+/gu;
  const isAscii = (s: string) => [...s].every((c) => c.charCodeAt(0) < 0x80);
  const wordsOf = (s: string) => s.toLowerCase().match(WORD) ?? [];

  function searchers(): Searcher[] {
    const publicRooms = (fx.raw.prepare("SELECT id FROM rooms WHERE kind = 'public'").all() as Array<{ id: string }>).map((r) => r.id);
    return [
      ["alice", fx.alice],
      ["bob", fx.bob],
      ["carol", fx.carol],
    ].map(([name, who]) => {
      const u = who as typeof fx.alice;
      const memberOf = new Set(
        (fx.raw.prepare("SELECT room_id FROM memberships WHERE user_id = ?").all(u.user.id) as Array<{ room_id: string }>).map((r) => r.room_id),
      );
      return { name: name as string, socket: u.socket, memberOf, mayRead: new Set([...memberOf, ...publicRooms]) };
    });
  }
  const storedMessages = () =>
    fx.raw.prepare("SELECT id, room_id AS roomId, text, deleted, created_at AS createdAt FROM messages").all() as Stored[];

  async function searchAs(who: Searcher, payload: Payload): Promise<Message[]> {
    const result = await callRaw(who.socket, "search", payload);
    if (!result.ok) throw new Error(`search ${JSON.stringify(payload)} as ${who.name} answered ${JSON.stringify(result.error)}`);
    return result.data as Message[];
  }

  test("by example: without roomId only the searcher's own rooms; with one, any room they may read", async () => {
    const [alice, bob, carol] = searchers() as [Searcher, Searcher, Searcher];
    const roomsOf = (found: Message[]) => found.map((m) => m.roomId).sort();
    // "secret" is in alice's private room and in bob's private room, which she is not in.
    expect(roomsOf(await searchAs(alice, { query: "secret" }))).toEqual([fx.privateRoom.id]);
    expect(roomsOf(await searchAs(bob, { query: "SECRET" }))).toEqual([fx.privateRoom.id, fx.bobsPrivateRoom.id].sort());
    expectRefusal(await callRaw(alice.socket, "search", { query: "secret", roomId: fx.bobsPrivateRoom.id }), "FORBIDDEN");
    // A public room alice is not in: readable with its roomId, not among "her rooms".
    expect(await searchAs(alice, { query: "outsider" })).toEqual([]);
    expect(roomsOf(await searchAs(alice, { query: "outs", roomId: fx.bobsPublicRoom.id }))).toEqual([fx.bobsPublicRoom.id]);
    // Carol is in no room: nothing without a roomId, public rooms with one.
    expect(await searchAs(carol, { query: "setup" })).toEqual([]);
    expect(roomsOf(await searchAs(carol, { query: "banana", roomId: fx.publicRoom.id }))).toEqual([fx.publicRoom.id, fx.publicRoom.id]);
    for (const roomId of [fx.privateRoom.id, fx.dm.id, fx.bobsPrivateRoom.id]) {
      expectRefusal(await callRaw(carol.socket, "search", { query: "setup", roomId }), "FORBIDDEN");
    }
    // Query text is words, never FTS syntax.
    for (const query of ['"', "*", "secret OR bobonly", "bobonly", "NEAR(secret bobonly)", "text:secret", "-apple", "^bob*", "secret AND NOT x"]) {
      expect(roomsOf(await searchAs(alice, { query }))).not.toContain(fx.bobsPrivateRoom.id);
    }
    expect(await searchAs(bob, { query: "secret OR cherry" })).toEqual([]); // "or" is a word no message has
  });

  test("any query, as anyone, in any or no room: never a message from a room they may not read", async () => {
    const people = searchers();
    const stored = storedMessages();
    const VOCABULARY = ["setup", "apple", "banana", "cherry", "secret", "dmword", "bobonly", "outsider", "still", "here", "hello", "fz"];
    const token = fc.oneof(
      { arbitrary: fc.constantFrom(...VOCABULARY), weight: 4 },
      { arbitrary: fc.constantFrom(...VOCABULARY).chain((w) => fc.integer({ min: 1, max: w.length }).map((n) => w.slice(0, n))), weight: 3 },
      { arbitrary: fc.constantFrom(...VOCABULARY).map((w) => w.toUpperCase()), weight: 1 },
      {
        arbitrary: fc.constantFrom("OR", "AND", "NOT", "NEAR", "NEAR(", "*", '"', "'", "(", ")", ":", "-", "^", "+", "text:", "{text}", "%", "_", "\\", "--", ";", "0"),
        weight: 2,
      },
      { arbitrary: fc.stringMatching(/^[a-z0-9]{1,6}$/), weight: 1 },
      { arbitrary: fc.string({ maxLength: 4 }), weight: 1 },
      { arbitrary: fc.string({ minLength: 1, maxLength: 3, unit: "grapheme" }), weight: 1 },
    );
    const separated = fc.tuple(token, fc.constantFrom(" ", "", "  ", "\t", ","));
    // Mostly one or two words, so that many queries do match; sometimes up to six.
    const query = fc
      .oneof(
        { arbitrary: fc.array(separated, { minLength: 1, maxLength: 2 }), weight: 3 },
        { arbitrary: fc.array(separated, { minLength: 1, maxLength: 6 }), weight: 1 },
      )
      .map((parts) => parts.map(([t, sep]) => t + sep).join(""))
      .filter((q) => chars(q, 1, 256));
    const roomId = fc.option(fc.oneof(fc.constantFrom(...fx.rooms.map((r) => r.id)), fc.uuid(), fc.constantFrom("__proto__", "%")), { freq: 2 });
    const arb = fc.record({ who: fc.nat(people.length - 1), query, roomId, limit: fc.option(fc.integer({ min: 1, max: 100 })) });
    await fuzz(
      arb,
      async ({ who, query, roomId, limit }) => {
        const searcher = people[who]!;
        const payload: Payload = { query };
        if (roomId !== null) payload.roomId = roomId;
        if (limit !== null) payload.limit = limit;
        expect(protocolAccepts("search", payload)).toBe(true);
        const result = await callRaw(searcher.socket, "search", payload);
        if (roomId !== null && !fx.rooms.some((r) => r.id === roomId)) return expectRefusal(result, "NOT_FOUND");
        if (roomId !== null && !searcher.mayRead.has(roomId)) return expectRefusal(result, "FORBIDDEN");
        expectWellFormedResult(result);
        expect(result).toMatchObject({ ok: true });
        const found = (result as { data: Message[] }).data;
        const scope = roomId !== null ? new Set([roomId]) : searcher.memberOf;

        // Nothing from outside the scope, ever; nothing twice; at most `limit`; newest first; as stored.
        const outside = found.filter((m) => !scope.has(m.roomId));
        expect({ searcher: searcher.name, query, outside }).toEqual({ searcher: searcher.name, query, outside: [] });
        expect(new Set(found.map((m) => m.id)).size).toBe(found.length);
        expect(found.length).toBeLessThanOrEqual(limit ?? 20);
        for (let i = 1; i < found.length; i++) expect(found[i]!.createdAt).toBeLessThanOrEqual(found[i - 1]!.createdAt);
        for (const m of found) {
          expect(stored.find((s) => s.id === m.id)).toMatchObject({ roomId: m.roomId, text: m.text, deleted: 0, createdAt: m.createdAt });
        }

        // For ASCII queries the match rule is exact: every word, ignoring case, as a prefix of a word of the text.
        const words = [...new Set(wordsOf(query))];
        if (!isAscii(query) || words.length === 0) return;
        const matches = (text: string) => words.every((w) => wordsOf(text).some((t) => t.startsWith(w)));
        for (const m of found) if (isAscii(m.text)) expect({ query, text: m.text, matches: matches(m.text) }).toEqual({ query, text: m.text, matches: true });
        const inScope = stored.filter((s) => scope.has(s.roomId) && !s.deleted);
        const sure = inScope.filter((s) => isAscii(s.text) && matches(s.text));
        const unsure = inScope.filter((s) => !isAscii(s.text));
        if (sure.length + unsure.length <= (limit ?? 20)) {
          const missing = sure.filter((s) => !found.some((m) => m.id === s.id)).map((s) => s.text);
          expect({ query, missing }).toEqual({ query, missing: [] });
        }
      },
      RUNS.search,
    );
  });
});

describe("events without a callback, or with it in odd places", () => {
  test("never crash the server; the next valid call is answered", async () => {
    const reserved = new Set(["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]);
    const anyPayload = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
    // Events the server would answer; for mutating ones only malformed payloads (a valid one would store).
    const answered = fc.constantFrom(...ACK_EVENTS).chain((event) =>
      fc.tuple(fc.constant(event), malformed(event).map((m) => m.payload as unknown)),
    );
    const unanswered = fc.tuple(
      fc.oneof(
        fc.constantFrom("typing", "error", "__proto__", "constructor", "toString", "hasOwnProperty", "message ", "MESSAGE", "room:*", "", "ping"),
        fc.string({ maxLength: 20 }),
      ).filter((e) => !reserved.has(e) && !(ACK_EVENTS as readonly string[]).includes(e)),
      fc.oneof(anyPayload, fc.record({ roomId: fc.constantFrom(fx.publicRoom.id, "nope"), typing: fc.boolean() })),
    );
    type Shape = "no args" | "payload only" | "payload and extras" | "callback only" | "callback first" | "callback in the middle" | "extras then callback";
    const shapes: Shape[] = ["no args", "payload only", "payload and extras", "callback only", "callback first", "callback in the middle", "extras then callback"];
    const arb = fc.oneof(
      fc.record({ target: answered, shape: fc.constantFrom(...shapes), extras: fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }) }),
      fc.record({
        target: unanswered,
        // Nothing answers these, so a callback last would only wait: none is given last.
        shape: fc.constantFrom<Shape>("no args", "payload only", "payload and extras", "callback first", "callback in the middle"),
        extras: fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }),
      }),
    );
    await fuzz(
      arb,
      async ({ target: [event, payload], shape, extras }) => {
        const answers: unknown[] = [];
        const cb = (r: unknown) => answers.push(r);
        const s = fx.alice.socket;
        const ackedCall = (...args: unknown[]) =>
          new Promise<unknown>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no ack for ${event} (${shape})`)), 5000);
            rawEmit(s, event, ...args, (r: unknown) => {
              clearTimeout(timer);
              resolve(r);
            });
          });
        switch (shape) {
          case "no args":
            rawEmit(s, event);
            break;
          case "payload only":
            rawEmit(s, event, payload);
            break;
          case "payload and extras":
            rawEmit(s, event, payload, ...extras);
            break;
          case "callback first":
            rawEmit(s, event, cb, payload);
            break;
          case "callback in the middle":
            rawEmit(s, event, payload, cb, ...extras);
            break;
          case "callback only": {
            // No payload: handled as `{}`.
            const result = await ackedCall();
            expectWellFormedResult(result);
            if (!EMPTY_PAYLOAD.has(event as AckEvent)) expectRefusal(result, "BAD_REQUEST");
            break;
          }
          case "extras then callback": {
            // The payload is the first argument; extras are ignored; the callback is still answered.
            const result = await ackedCall(payload, ...extras);
            expectRefusal(result, "BAD_REQUEST");
            break;
          }
        }
        // The next valid call on the same socket is answered.
        const next = await callRaw(s, "room:list", {});
        expect(next).toMatchObject({ ok: true });
        expect(s.connected).toBe(true);
        // A callback that was not the last argument is sent as JSON null, never called.
        expect(answers).toEqual([]);
      },
      RUNS.withoutCallback,
    );
  });
});

describe("prototype pollution", () => {
  test("own __proto__ / constructor / prototype keys on every event pollute nothing", async () => {
    await fuzz(
      fc.tuple(fc.constantFrom(...ACK_EVENTS), pollutionKeys, fc.boolean()),
      async ([event, keys, withBadField]) => {
        // Alone, or merged into a payload that is otherwise malformed.
        const payload = withBadField && !EMPTY_PAYLOAD.has(event) ? merge({ [Object.keys(fieldRules(event))[0]!]: 12345 }, keys) : keys;
        const result = await callRaw(fx.alice.socket, event, payload);
        if (EMPTY_PAYLOAD.has(event)) expectWellFormedResult(result);
        else expectRefusal(result, "BAD_REQUEST");
        expectPrototypesClean();
      },
      RUNS.prototypePollution,
    );
  });
});

describe("deep nesting", () => {
  // socket.io-client's encoder recurses (hasBinary), so the client itself cannot send much deeper than this.
  test.each([
    ["object", 3000],
    ["array", 3000],
  ] as const)("an %s nested %i levels deep, as the payload or a field, answers BAD_REQUEST", async (kind, depth) => {
    const before = await snapshot();
    for (const event of ACK_EVENTS) {
      const leaf = { roomId: fx.publicRoom.id, text: "hi", clientId: uniqueName("deep") };
      // For the `{}`-events a nested object is a valid payload; a nested array is not.
      if (!EMPTY_PAYLOAD.has(event) || kind === "array") {
        expectRefusal(await callRaw(fx.alice.socket, event, nested(depth, leaf, kind)), "BAD_REQUEST");
      }
      const field = Object.keys(fieldRules(event))[0];
      if (field) expectRefusal(await callRaw(fx.alice.socket, event, { roomId: fx.publicRoom.id, [field]: nested(depth, "x", kind) }), "BAD_REQUEST");
    }
    expect(await snapshot()).toStrictEqual(before);
    await expectServerUp();
  });

  test("hand-written frames nested up to the frame limit (25000 arrays, 9000 objects), for every event, answer BAD_REQUEST", async () => {
    const before = await snapshot();
    const deepArray = (n: number) => `${"[".repeat(n)}"x"${"]".repeat(n)}`;
    const deepObject = (n: number) => `${'{"a":'.repeat(n)}"x"${"}".repeat(n)}`;
    // Every field of every event, valid; each test below makes one of them deep.
    const valid: Payload = {
      roomId: fx.publicRoom.id,
      text: "hi",
      clientId: uniqueName("deep"),
      name: uniqueName("deep"),
      username: fx.bob.user.username,
      messageId: fx.messages[0]!.id,
      query: "setup",
      seq: 1,
    };
    for (const deepJson of [deepArray(25_000), deepObject(9_000)]) {
      expect(deepJson.length).toBeLessThan(60_000); // under the server's 64 KiB frame limit
      for (const event of ACK_EVENTS) {
        // As the payload: for the `{}`-events a nested object is valid, a nested array is not.
        const asPayload = await rawFrame(fx.alice.socket, `[${JSON.stringify(event)},${deepJson}]`);
        if (EMPTY_PAYLOAD.has(event) && deepJson.startsWith("{")) expect(asPayload).toMatchObject({ ok: true });
        else expectRefusal(asPayload, "BAD_REQUEST");
        // As each field in turn, the others valid.
        for (const field of Object.keys(fieldRules(event))) {
          const { [field]: _deep, ...rest } = valid;
          const frame = `[${JSON.stringify(event)},{${JSON.stringify(field)}:${deepJson},${JSON.stringify(rest).slice(1)}]`;
          expectRefusal(await rawFrame(fx.alice.socket, frame), "BAD_REQUEST");
        }
      }
    }
    expect(await snapshot()).toStrictEqual(before);
    await expectServerUp();
  });
});

// ---------------------------------------------------------------- boundaries, by example

describe("boundaries", () => {
  test("text is counted in code points: 4000 emoji are accepted, 4001 are BAD_REQUEST", async () => {
    const text4000 = "😀".repeat(4000);
    expect(text4000.length).toBe(8000);
    const accepted = await callRaw(fx.alice.socket, "message", { roomId: fx.publicRoom.id, text: text4000, clientId: uniqueName("e4000") });
    expect(accepted).toMatchObject({ ok: true, data: { text: text4000 } });
    const stored = await fx.storage.history(fx.publicRoom.id, { limit: 1 });
    expect(stored[0]?.text).toBe(text4000);

    const before = await snapshot();
    for (const text of ["😀".repeat(4001), "😀".repeat(3999) + "ab", "a".repeat(4001), "a" + "😀".repeat(4000)]) {
      expectRefusal(await callRaw(fx.alice.socket, "message", { roomId: fx.publicRoom.id, text, clientId: uniqueName("e4001") }), "BAD_REQUEST");
    }
    expect(await snapshot()).toStrictEqual(before);

    for (const text of ["a".repeat(4000), "😀".repeat(3999) + "a", "𝄞".repeat(2000) + "x".repeat(2000)]) {
      expect(await callRaw(fx.alice.socket, "message", { roomId: fx.publicRoom.id, text, clientId: uniqueName("ok4000") })).toMatchObject({
        ok: true,
        data: { text },
      });
    }
  });

  test("white space only is BAD_REQUEST for every \\s character, alone and together", async () => {
    const before = await snapshot();
    for (const text of [...WHITESPACE, WHITESPACE.join(""), " ".repeat(4000), "\u00a0\u2028\ufeff"]) {
      expectRefusal(await callRaw(fx.alice.socket, "message", { roomId: fx.publicRoom.id, text, clientId: uniqueName("ws") }), "BAD_REQUEST");
      expectRefusal(await callRaw(fx.alice.socket, "room:create", { name: text.slice(0, 64) }), "BAD_REQUEST");
    }
    expect(await snapshot()).toStrictEqual(before);
  });

  test('limit: "10" (a numeric string) is BAD_REQUEST, and limit 10 is not', async () => {
    for (const event of ["history", "search"] as const) {
      const payload = event === "history" ? { roomId: fx.publicRoom.id } : { query: "setup", roomId: fx.publicRoom.id };
      expectRefusal(await callRaw(fx.alice.socket, event, { ...payload, limit: "10" }), "BAD_REQUEST");
      const numeric = await callRaw(fx.alice.socket, event, { ...payload, limit: 10 });
      expect(numeric).toMatchObject({ ok: true });
    }
    for (const limit of [0, 101, -1, 1.5, null, 1e21]) {
      expectRefusal(await callRaw(fx.alice.socket, "history", { roomId: fx.publicRoom.id, limit }), "BAD_REQUEST");
    }
    for (const limit of [1, 100]) expect(await callRaw(fx.alice.socket, "history", { roomId: fx.publicRoom.id, limit })).toMatchObject({ ok: true });
  });

  test("history with both before and after is BAD_REQUEST; with either alone it is answered", async () => {
    expectRefusal(await callRaw(fx.alice.socket, "history", { roomId: fx.publicRoom.id, before: 5, after: 1 }), "BAD_REQUEST");
    expect(await callRaw(fx.alice.socket, "history", { roomId: fx.publicRoom.id, before: 5 })).toMatchObject({ ok: true });
    expect(await callRaw(fx.alice.socket, "history", { roomId: fx.publicRoom.id, after: 1 })).toMatchObject({ ok: true });
  });

  test("an oversized frame ends only that one socket; the server and the other sockets stay up", async () => {
    // Beyond socket.io's frame limit the transport, not the handler, refuses: the socket is closed.
    const extra = await connect(fx.url, fx.alice.token);
    const gone = new Promise<string>((resolve) => extra.once("disconnect", resolve));
    rawEmit(extra, "message", { roomId: fx.publicRoom.id, text: "x".repeat(200_000), clientId: uniqueName("big") }, () => {});
    expect(await gone).toBe("transport close");
    extra.close();
    await expectServerUp();
  });
});

describe("text that is not well-formed Unicode (lone surrogates)", () => {
  // JSON carries a lone surrogate (`"\ud800"`) to the server intact. PROTOCOL.md counts code points and
  // promises the ack comes "only after the message is durably stored": so such text is either refused
  // as BAD_REQUEST, or stored, acknowledged and read back exactly as sent. Never acknowledged as one
  // string and stored as another.
  test("is refused with BAD_REQUEST, or acknowledged and stored exactly as sent (text, clientId, room name)", async () => {
    const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
    const piece = fc.oneof(fc.string({ maxLength: 3 }), lone, fc.constantFrom("😀", "é", " "));
    // Starts with "x": never only white space, and far below every length limit.
    const odd = fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => `x${parts.join("")}`);
    let completed = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("text", "clientId", "name"), odd, async (field, value) => {
        completed++;
        if (field === "name") {
          const result = await callRaw(fx.alice.socket, "room:create", { name: `${uniqueName("s")}${value}`, private: true });
          if (!result.ok) return expectRefusal(result, "BAD_REQUEST");
          const created = result.data as Room;
          const listed = (await fx.storage.listRooms(fx.alice.user.id, { unjoinedPublic: 0 })).find((r) => r.id === created.id);
          expect({ acked: created.name, stored: listed?.name }).toStrictEqual({ acked: created.name, stored: created.name });
          return;
        }
        const payload = { roomId: fx.publicRoom.id, text: "round trip", clientId: uniqueName("rt"), [field]: value };
        const result = await callRaw(fx.alice.socket, "message", payload);
        if (!result.ok) return expectRefusal(result, "BAD_REQUEST");
        const acked = result.data as Message;
        expect({ text: acked.text, clientId: acked.clientId }).toStrictEqual({ text: payload.text, clientId: payload.clientId });
        const stored = (await fx.storage.history(fx.publicRoom.id, { limit: 100 })).find((m) => m.id === acked.id);
        expect({ text: stored?.text, clientId: stored?.clientId }).toStrictEqual({ text: acked.text, clientId: acked.clientId });
      }),
      { numRuns: RUNS.loneSurrogates },
    );
    expect(completed).toBe(RUNS.loneSurrogates);
    await expectServerUp();
  });
});

describe("afterwards", () => {
  test("Object.prototype is untouched and the original sockets are still the connected ones", async () => {
    expectPrototypesClean();
    await expectServerUp();
  });
});
