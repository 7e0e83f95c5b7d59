// The fuzzer's generators (fast-check arbitraries): valid-looking payloads
// with ids that exist, ways to break each field, binary attachments, deep
// nesting and prototype-pollution keys. Built inside tests, once the
// fixture's rooms and messages exist.
import fc from "fast-check";
import { READ_ONLY, type AckEvent } from "./events";
import { fx } from "./fixture";
import { isPlainObject, type Json } from "./oracle";
import { uniqueName } from "../helpers/harness";

export const WHITESPACE = [..."\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"];
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
export const binary: fc.Arbitrary<unknown> = fc.oneof(
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

export type Payload = Record<string, unknown>;

/** A valid-looking payload for each event, with ids that exist. */
export function validBase(event: AckEvent): fc.Arbitrary<Payload> {
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
    case "people:suggest":
      return fc.record(
        { query: fc.constantFrom("", "b", "BO", "ali", "zz"), roomId, limit: fc.integer({ min: 1, max: 20 }) },
        { requiredKeys: ["query"] },
      );
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
export function fieldRules(event: AckEvent): Record<string, { bad: fc.Arbitrary<unknown>; required: boolean }> {
  switch (event) {
    case "room:create":
      return { name: { bad: badRoomName, required: true }, private: { bad: notABoolean, required: false } };
    case "room:list":
    case "contacts:list":
      return {};
    case "people:suggest":
      return {
        query: { bad: fc.oneof(notAString, tooLong(33), fc.constantFrom("a b", "é", "%", "a*")), required: true },
        roomId: { bad: badId, required: false },
        limit: { bad: fc.oneof(badLimit, fc.constant(21)), required: false },
      };
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
export const pollutionKeys = fc
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
export function merge(...parts: Payload[]): Payload {
  const out: Payload = {};
  for (const part of parts) {
    for (const key of Object.keys(part)) {
      Object.defineProperty(out, key, { value: part[key], enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

export const nested = (depth: number, leaf: unknown, kind: "object" | "array") => {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = kind === "object" ? { a: v } : [v];
  return v;
};
const deep = fc.tuple(fc.integer({ min: 10, max: 1500 }), fc.constantFrom<"object" | "array">("object", "array")).map(([d, k]) => nested(d, "x", k));

/** Malformed payloads for `event`, each labelled with how it was broken. */
export function malformed(event: AckEvent): fc.Arbitrary<{ how: string; payload: unknown }> {
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

/**
 * Binary attachments anywhere: as the payload, as a field, beside the fields (as an extra key or an extra argument),
 * nested, with prototype-pollution keys. The payload is malformed, or valid for an event that stores nothing.
 */
export function withBinary(event: AckEvent): fc.Arbitrary<{ how: string; payload: unknown; extras: unknown[] }> {
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
export const MAX_ATTACHMENTS = 10;
const isBinary = (v: unknown) => ArrayBuffer.isView(v) || v instanceof ArrayBuffer;
/** How many binary attachments socket.io-client makes of a value: one per occurrence. */
function attachments(v: unknown): number {
  if (isBinary(v)) return 1;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + attachments(x), 0);
  if (typeof v === "object" && v !== null) return Object.values(v).reduce((n: number, x) => n + attachments(x), 0);
  return 0;
}
