// The fuzzer's own coverage, without a server: its event list is the protocol
// module's, its lookups match its field rules, and its case budget adds up.
import { fieldRules } from "./arbitraries";
import { ACK_EVENTS, FUZZED_EVENTS, lookupsOf, RUNS, TOTAL_CASES } from "./events";

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
