// Well-formed payloads naming rooms, messages or users that do not exist (or
// hostile ids: SQL, prototype keys, another kind's real ids) answer NOT_FOUND.
import fc from "fast-check";
import { callRaw, uniqueName } from "../helpers/harness";
import { merge, type Payload } from "./arbitraries";
import { type AckEvent, LOOKUP_EVENTS, lookupsOf, type LookupField, RUNS } from "./events";
import { expectRefusal, fuzz, fx, testAfterwards, useFuzzFixture } from "./fixture";
import { overTheWire, protocolAccepts } from "./oracle";

useFuzzFixture();

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
        "people:suggest": { query: "b", roomId: fx.publicRoom.id },
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

testAfterwards();
