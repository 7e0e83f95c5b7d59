// Events without a callback, with it in odd places, or under names the server
// does not know: nothing crashes, and the next valid call is answered.
import fc from "fast-check";
import { callRaw } from "../helpers/harness";
import { malformed } from "./arbitraries";
import { ACK_EVENTS, type AckEvent, EMPTY_PAYLOAD, RUNS } from "./events";
import { expectRefusal, expectWellFormedResult, fuzz, fx, rawEmit, testAfterwards, useFuzzFixture } from "./fixture";

useFuzzFixture();

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

testAfterwards();
