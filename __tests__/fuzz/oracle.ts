// PROTOCOL.md as an oracle: whether a payload, as the server receives it, is
// well-formed. Written from the protocol text and independent of the
// server's zod schemas, so a schema that drifts from the protocol shows up.
import { MAX_QUERY_WORDS, queryPrefixes } from "../../server/chat/search-terms";
import type { AckEvent } from "./events";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer);
const own = (o: Record<string, unknown>, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);
const codePoints = (s: string) => [...s].length;
export const chars = (v: unknown, min: number, max: number) => typeof v === "string" && codePoints(v) >= min && codePoints(v) <= max;
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
export function protocolAccepts(event: AckEvent, p: unknown): boolean {
  if (!isPlainObject(p)) return false;
  const f = (k: string) => own(p, k);
  switch (event) {
    case "room:list":
    case "contacts:list":
      return true;
    case "room:create":
      // 1–64 characters; the project also refuses names that are only white space or hold format characters (Cf).
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
      // The project bounds a query to 1–256 characters and 8 words (not counting words that begin another).
      return (
        chars(f("query"), 1, 256) &&
        queryPrefixes(f("query") as string).length <= MAX_QUERY_WORDS &&
        optional(f("roomId"), isId) &&
        optional(f("limit"), isLimit)
      );
    case "room:members":
      return isId(f("roomId"));
    case "people:suggest":
      // The project's own event: a username prefix of 0–32 username characters, an optional room, 1–20 people.
      return (
        typeof f("query") === "string" &&
        /^[A-Za-z0-9_.-]{0,32}$/.test(f("query") as string) &&
        optional(f("roomId"), isId) &&
        optional(f("limit"), (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 20)
      );
    case "room:browse":
      // The project bounds the name fragment and the cursor (an opaque string), and pages of 1–100.
      return (
        optional(f("query"), (v) => typeof v === "string" && v.length <= 256) &&
        optional(f("cursor"), (v) => typeof v === "string" && v.length <= 256) &&
        optional(f("limit"), isLimit)
      );
  }
}

/** What the server receives: socket.io sends JSON (NaN and ±Infinity become null, undefined keys vanish). */
export function overTheWire(v: unknown): unknown {
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

