// Own __proto__, constructor and prototype keys in every event's payload
// pollute nothing.
import fc from "fast-check";
import { callRaw } from "../helpers/harness";
import { fieldRules, merge, pollutionKeys } from "./arbitraries";
import { ACK_EVENTS, EMPTY_PAYLOAD, RUNS } from "./events";
import { expectPrototypesClean, expectRefusal, expectWellFormedResult, fuzz, fx, testAfterwards, useFuzzFixture } from "./fixture";

useFuzzFixture();

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

testAfterwards();
