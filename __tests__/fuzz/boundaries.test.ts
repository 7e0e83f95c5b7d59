// The protocol's boundaries by example: code points, white space, numeric
// strings, before/after, and a frame beyond the transport's limit.
import { callRaw, uniqueName } from "../helpers/harness";
import { WHITESPACE } from "./arbitraries";
import { connect, expectRefusal, expectServerUp, fx, rawEmit, snapshot, testAfterwards, useFuzzFixture } from "./fixture";

useFuzzFixture();

describe("boundaries", () => {
  test("text is counted in code points: 4000 emoji are accepted, 4001 are BAD_REQUEST", async () => {
    const text4000 = "😀".repeat(4000);
    expect(text4000.length).toBe(8000);
    const accepted = await callRaw(fx.alice.socket, "message", { roomId: fx.publicRoom.id, text: text4000, clientId: uniqueName("e4000") });
    expect(accepted).toMatchObject({ ok: true, data: { text: text4000 } });
    const stored = await fx.storage.history(fx.publicRoom.id, { limit: 1 });
    expect(stored[0]?.text).toBe(text4000);

    const before = await snapshot();
    for (const text of ["😀".repeat(4001), "😀".repeat(3999) + "ab", "a".repeat(4001), "a" + "😀".repeat(4000)]) {
      expectRefusal(await callRaw(fx.alice.socket, "message", { roomId: fx.publicRoom.id, text, clientId: uniqueName("e4001") }), "BAD_REQUEST");
    }
    expect(await snapshot()).toStrictEqual(before);

    for (const text of ["a".repeat(4000), "😀".repeat(3999) + "a", "𝄞".repeat(2000) + "x".repeat(2000)]) {
      expect(await callRaw(fx.alice.socket, "message", { roomId: fx.publicRoom.id, text, clientId: uniqueName("ok4000") })).toMatchObject({
        ok: true,
        data: { text },
      });
    }
  });

  test("white space only is BAD_REQUEST for every \\s character, alone and together", async () => {
    const before = await snapshot();
    for (const text of [...WHITESPACE, WHITESPACE.join(""), " ".repeat(4000), "\u00a0\u2028\ufeff"]) {
      expectRefusal(await callRaw(fx.alice.socket, "message", { roomId: fx.publicRoom.id, text, clientId: uniqueName("ws") }), "BAD_REQUEST");
      expectRefusal(await callRaw(fx.alice.socket, "room:create", { name: text.slice(0, 64) }), "BAD_REQUEST");
    }
    expect(await snapshot()).toStrictEqual(before);
  });

  test('limit: "10" (a numeric string) is BAD_REQUEST, and limit 10 is not', async () => {
    for (const event of ["history", "search"] as const) {
      const payload = event === "history" ? { roomId: fx.publicRoom.id } : { query: "setup", roomId: fx.publicRoom.id };
      expectRefusal(await callRaw(fx.alice.socket, event, { ...payload, limit: "10" }), "BAD_REQUEST");
      const numeric = await callRaw(fx.alice.socket, event, { ...payload, limit: 10 });
      expect(numeric).toMatchObject({ ok: true });
    }
    for (const limit of [0, 101, -1, 1.5, null, 1e21]) {
      expectRefusal(await callRaw(fx.alice.socket, "history", { roomId: fx.publicRoom.id, limit }), "BAD_REQUEST");
    }
    for (const limit of [1, 100]) expect(await callRaw(fx.alice.socket, "history", { roomId: fx.publicRoom.id, limit })).toMatchObject({ ok: true });
  });

  test("history with both before and after is BAD_REQUEST; with either alone it is answered", async () => {
    expectRefusal(await callRaw(fx.alice.socket, "history", { roomId: fx.publicRoom.id, before: 5, after: 1 }), "BAD_REQUEST");
    expect(await callRaw(fx.alice.socket, "history", { roomId: fx.publicRoom.id, before: 5 })).toMatchObject({ ok: true });
    expect(await callRaw(fx.alice.socket, "history", { roomId: fx.publicRoom.id, after: 1 })).toMatchObject({ ok: true });
  });

  test("an oversized frame ends only that one socket; the server and the other sockets stay up", async () => {
    // Beyond socket.io's frame limit the transport, not the handler, refuses: the socket is closed.
    const extra = await connect(fx.url, fx.alice.token);
    const gone = new Promise<string>((resolve) => extra.once("disconnect", resolve));
    rawEmit(extra, "message", { roomId: fx.publicRoom.id, text: "x".repeat(200_000), clientId: uniqueName("big") }, () => {});
    expect(await gone).toBe("transport close");
    extra.close();
    await expectServerUp();
  });
});

testAfterwards();
