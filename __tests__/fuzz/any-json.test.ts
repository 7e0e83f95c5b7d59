// Any JSON value as any event's payload: BAD_REQUEST exactly when the protocol
// oracle calls it malformed, never INTERNAL otherwise.
import fc from "fast-check";
import { callRaw } from "../helpers/harness";
import { merge, type Payload, pollutionKeys } from "./arbitraries";
import { ACK_EVENTS, READ_ONLY, RUNS } from "./events";
import { expectRefusal, expectWellFormedResult, fuzz, fx, testAfterwards, useFuzzFixture } from "./fixture";
import { overTheWire, protocolAccepts } from "./oracle";

useFuzzFixture();

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

testAfterwards();
