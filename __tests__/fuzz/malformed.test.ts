// Malformed payloads for every event (generated field by field from the
// protocol oracle's rules) answer BAD_REQUEST, store nothing, leave the server up.
import { callRaw } from "../helpers/harness";
import { malformed } from "./arbitraries";
import { ACK_EVENTS, RUNS } from "./events";
import { expectRefusal, fuzz, fx, testAfterwards, useFuzzFixture } from "./fixture";
import { overTheWire, protocolAccepts } from "./oracle";

useFuzzFixture();

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

testAfterwards();
