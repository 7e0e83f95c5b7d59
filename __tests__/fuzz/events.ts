// Property-based fuzzing of every client→server event against a real server
// (port 0, a real SQLite file; one per file of this folder), with fast-check.
// The contract under test is the protocol's "Acknowledgements" section: a malformed payload answers
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
// itself, and coverage.test.ts fails if the fuzzer lacks a row for any of them.
// `RUNS` here is the case budget (at least 10,000 generated cases in all,
// asserted), and each property checks that exactly its budget ran.
//
// Whether a generated payload is malformed is decided by `protocolAccepts`
// (oracle.ts), written from PROTOCOL.md and independent of the server's zod
// schemas, so a schema that drifts from the protocol shows up here.
//
// This file: the events, the fields each one looks up, and the case budget.
// oracle.ts is PROTOCOL.md as code, arbitraries.ts the generators,
// fixture.ts the server and the checks; each property has a file of its own.
import { Payloads, type AckEventName } from "../../common/protocol";

export type AckEvent = AckEventName;

/** Every acknowledged event, from the protocol module itself: all of `Payloads` but `typing`. */
export const ACK_EVENTS: AckEvent[] = Object.keys(Payloads)
  .filter((e): e is AckEvent => e !== "typing")
  .sort();

/** A field whose value names something the server looks up: an unknown value there answers NOT_FOUND. */
export type LookupField = "roomId" | "messageId" | "username";

/**
 * The fuzzer's own list of events, each with the fields it looks up. `satisfies` makes tsc refuse a missing or
 * unknown event; the first test compares the keys with ACK_EVENTS at run time, and the lookups with `fieldRules`.
 */
export const LOOKUPS = {
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
  "people:suggest": ["roomId"],
} as const satisfies Record<AckEvent, readonly LookupField[]>;
export const FUZZED_EVENTS = Object.keys(LOOKUPS).sort() as AckEvent[];
export const lookupsOf = (event: AckEvent): readonly LookupField[] => LOOKUPS[event];
/** Events that look something up: each one is in the NOT_FOUND property. */
export const LOOKUP_EVENTS = FUZZED_EVENTS.filter((e) => lookupsOf(e).length > 0);

/** Events whose payload is `{}`: any object is valid, only non-objects are malformed. */
export const EMPTY_PAYLOAD = new Set<AckEvent>(["room:list", "contacts:list", "room:browse"]);

/** Events that store nothing whatever they are given, so a fuzzer may send them valid payloads too. */
export const READ_ONLY = new Set<AckEvent>(["room:list", "history", "search", "contacts:list", "room:members", "room:browse", "people:suggest"]);

/** Generated cases per property: the file's case budget. */
export const RUNS = {
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
export const TOTAL_CASES = (Object.keys(RUNS) as Array<keyof typeof RUNS>).reduce(
  (sum, key) => sum + RUNS[key] * (PER_EVENT.has(key) ? ACK_EVENTS.length : 1),
  0,
);

