// Payloads and fields nested thousands of levels deep, through the client's
// encoder and in hand-written frames up to the frame limit.
import { callRaw, uniqueName } from "../helpers/harness";
import { fieldRules, nested, type Payload } from "./arbitraries";
import { ACK_EVENTS, EMPTY_PAYLOAD } from "./events";
import { expectRefusal, expectServerUp, fx, rawFrame, snapshot, testAfterwards, useFuzzFixture } from "./fixture";

useFuzzFixture();

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

testAfterwards();
