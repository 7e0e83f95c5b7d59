// Binary attachments (Buffers, ArrayBuffers, typed arrays, DataViews) anywhere
// in any event's payload, by socket.io-client and in hand-written frames.
import { callRaw, uniqueName } from "../helpers/harness";
import { fieldRules, MAX_ATTACHMENTS, type Payload, withBinary } from "./arbitraries";
import { ACK_EVENTS, EMPTY_PAYLOAD, READ_ONLY, RUNS } from "./events";
import { connect, expectPrototypesClean, expectRefusal, expectServerUp, expectWellFormedResult, fuzz, fx, rawBinaryFrame, rawEmit, snapshot, testAfterwards, useFuzzFixture } from "./fixture";
import { overTheWire, protocolAccepts } from "./oracle";

useFuzzFixture();

describe("binary attachments", () => {
  test.each(ACK_EVENTS)("%s: BAD_REQUEST when malformed, never INTERNAL, store nothing", async (event) => {
    await fuzz(
      withBinary(event),
      async ({ payload, extras }) => {
        const accepted = protocolAccepts(event, overTheWire(payload));
        // The generator's own promise: a valid payload only for an event that stores nothing.
        if (!READ_ONLY.has(event)) expect(accepted).toBe(false);
        const result = await callRaw(fx.alice.socket, event, payload, ...extras);
        if (!accepted) return expectRefusal(result, "BAD_REQUEST");
        // Valid, with attachments on keys the protocol does not name (ignored): answered like any other call.
        expectWellFormedResult(result);
        if (!(result as { ok: boolean }).ok) expect((result as { error: { code: string } }).error.code).not.toBe("BAD_REQUEST");
      },
      RUNS.binaryPerEvent,
    );
  });

  test("a binary payload where `{}` is expected (room:list, contacts:list, room:browse) is BAD_REQUEST", async () => {
    const before = await snapshot();
    const answers: Record<string, unknown> = {};
    for (const event of EMPTY_PAYLOAD) {
      for (const [kind, payload] of [
        ["Buffer", Buffer.from("{}")],
        ["ArrayBuffer", new ArrayBuffer(2)],
        ["Uint8Array", new Uint8Array([123, 125])],
        ["Float64Array", new Float64Array(1)],
        ["DataView", new DataView(new ArrayBuffer(2))],
      ] as const) {
        const result = await callRaw(fx.alice.socket, event, payload);
        answers[`${event} ${kind}`] = result.ok ? "ok" : result.error.code;
      }
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((k) => [k, "BAD_REQUEST"])));
    expect(await snapshot()).toStrictEqual(before);
    await expectServerUp();
  });

  test("hand-written binary frames: own __proto__ / constructor keys, binary fields and binary payloads, for every event", async () => {
    const before = await snapshot();
    const placeholder = (num: number) => ({ _placeholder: true, num });
    const valid: Payload = {
      roomId: fx.publicRoom.id,
      text: "hi",
      clientId: uniqueName("bin"),
      name: uniqueName("bin"),
      username: fx.bob.user.username,
      messageId: fx.messages[0]!.id,
      query: "setup",
      seq: 1,
    };
    const frame = (event: string, payload: unknown) => `[${JSON.stringify(event)},${JSON.stringify(payload)}]`;
    const answers: Record<string, unknown> = {};
    const codeOf = (r: unknown) => ((r as { ok: boolean }).ok ? "ok" : (r as { error: { code: string } }).error.code);
    for (const event of ACK_EVENTS) {
      const expected = EMPTY_PAYLOAD.has(event) ? "ok" : "BAD_REQUEST";
      // Every field only behind __proto__ and constructor.prototype, as own keys, next to an attachment.
      const hidden = `[${JSON.stringify(event)},{"__proto__":${JSON.stringify(valid)},"constructor":{"prototype":${JSON.stringify(valid)}},"file":${JSON.stringify(placeholder(0))}}]`;
      const result = await rawBinaryFrame(fx.alice.socket, hidden, [Buffer.from("attachment")]);
      expectWellFormedResult(result);
      answers[`${event}: fields behind __proto__`] = [codeOf(result), expected];
      expectPrototypesClean();
      // Each field in turn an attachment, the others valid.
      for (const field of Object.keys(fieldRules(event))) {
        const r = await rawBinaryFrame(fx.alice.socket, frame(event, { ...valid, [field]: placeholder(0) }), [Buffer.from(String(valid[field]))]);
        expectWellFormedResult(r);
        answers[`${event}: binary ${field}`] = [codeOf(r), "BAD_REQUEST"];
      }
      // The whole payload an attachment (a Buffer on the server): not an object.
      const whole = await rawBinaryFrame(fx.alice.socket, `[${JSON.stringify(event)},${JSON.stringify(placeholder(0))}]`, [Buffer.from("{}")]);
      expectWellFormedResult(whole);
      answers[`${event}: binary payload`] = [codeOf(whole), "BAD_REQUEST"];
    }
    // Listed together, so one run shows every event that answers otherwise.
    const wrong = Object.entries(answers).filter(([, v]) => (v as string[])[0] !== (v as string[])[1]);
    expect(Object.fromEntries(wrong)).toEqual({});
    expect(await snapshot()).toStrictEqual(before);
    await expectServerUp();
  });

  test("a broken binary packet (a placeholder beyond the attachments, or more than 10 of them) ends only its own socket", async () => {
    const before = await snapshot();
    // Without an attachment a placeholder is an ordinary object: not a string, so the field is malformed.
    expectRefusal(await callRaw(fx.alice.socket, "room:join", { roomId: { _placeholder: true, num: 0 } }), "BAD_REQUEST");
    for (const args of [
      [{ roomId: { _placeholder: true, num: 7 }, file: Buffer.from("x") }],
      [{ roomId: fx.publicRoom.id, files: Array.from({ length: MAX_ATTACHMENTS + 1 }, (_, i) => Buffer.from([i])) }],
    ]) {
      // The transport refuses these, as it does an oversized frame: the socket is closed, nothing is answered.
      const extra = await connect(fx.url, fx.alice.token);
      const gone = new Promise<string>((resolve) => extra.once("disconnect", resolve));
      rawEmit(extra, "history", ...args, () => {});
      expect(await gone).toBe("transport close");
      extra.close();
    }
    // Exactly MAX_ATTACHMENTS is an ordinary event.
    const files = Array.from({ length: MAX_ATTACHMENTS }, (_, i) => Buffer.from([i]));
    expect(await callRaw(fx.alice.socket, "history", { roomId: fx.publicRoom.id, limit: 1, files })).toMatchObject({ ok: true });
    expect(await snapshot()).toStrictEqual(before);
    await expectServerUp();
  });
});

testAfterwards();
