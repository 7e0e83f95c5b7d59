// Sending messages and reading history: the protocol's rules for `message`
// and `history`, each success and each failure code.
import { call, flush, harness, next, ok, record, uniqueName } from "./helpers/harness";

const h = harness();

async function setup() {
  const s = await h.startServer();
  const [alice, bob, carol] = await Promise.all([h.user(s, uniqueName("alice")), h.user(s, uniqueName("bob")), h.user(s, uniqueName("carol"))]);
  const room = await ok(alice.socket, "room:create", { name: uniqueName("room") });
  await ok(bob.socket, "room:join", { roomId: room.id });
  return { s, alice, bob, carol, room };
}

describe("message", () => {
  test("is acked after storing and broadcast to every socket in the room, the sender's included", async () => {
    const { s, alice, bob, room } = await setup();
    const aliceTab2 = await h.connect(s, alice.token);
    const toBob = next(bob.socket, "message");
    const toAlice = next(alice.socket, "message");
    const toAliceTab2 = next(aliceTab2, "message");
    const before = Date.now();
    const sent = await ok(alice.socket, "message", { roomId: room.id, text: "hello", clientId: "c-1" });
    expect(sent).toEqual({
      id: expect.any(String),
      roomId: room.id,
      seq: 1,
      sender: alice.user,
      text: "hello",
      clientId: "c-1",
      createdAt: expect.any(Number),
      editedAt: null,
      deleted: false,
    });
    expect(sent.createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(await toBob).toEqual(sent);
    expect(await toAlice).toEqual(sent);
    expect(await toAliceTab2).toEqual(sent);
    expect(await ok(bob.socket, "history", { roomId: room.id })).toEqual([sent]);
  });

  test("ignores extra fields such as a forged sender", async () => {
    const { alice, bob, room } = await setup();
    const payload = { roomId: room.id, text: "really me", clientId: "f-1", sender: bob.user, seq: 99, id: "forged" };
    const sent = await ok(alice.socket, "message", payload as never);
    expect(sent).toMatchObject({ sender: alice.user, seq: 1, text: "really me" });
    expect(sent.id).not.toBe("forged");
  });

  test("only members may send", async () => {
    const { alice, carol, room } = await setup();
    const priv = await ok(alice.socket, "room:create", { name: uniqueName("p"), private: true });
    for (const roomId of [room.id, priv.id]) {
      expect(await call(carol.socket, "message", { roomId, text: "hi", clientId: `x-${roomId}` })).toEqual({
        ok: false,
        error: { code: "FORBIDDEN", message: expect.any(String) },
      });
    }
    expect(await call(carol.socket, "message", { roomId: "nope", text: "hi", clientId: "n" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await storedIn(alice.socket, room.id)).toEqual([]);
  });

  test.each([
    ["empty text", { text: "", clientId: "a" }],
    ["white-space text", { text: " \n\t\u00a0\u2028\ufeff", clientId: "a" }],
    ["4001 characters", { text: "x".repeat(4001), clientId: "a" }],
    ["4001 emoji", { text: "😀".repeat(4001), clientId: "a" }],
    ["an empty clientId", { text: "hi", clientId: "" }],
    ["a 65-character clientId", { text: "hi", clientId: "c".repeat(65) }],
    ["a numeric text", { text: 5, clientId: "a" }],
    ["no clientId", { text: "hi" }],
  ])("%s answers BAD_REQUEST and stores nothing", async (_what, fields) => {
    const { alice, room } = await setup();
    const r = await call(alice.socket, "message", { roomId: room.id, ...fields } as never);
    expect(r).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(await storedIn(alice.socket, room.id)).toEqual([]);
  });

  test("4000 emoji (8000 UTF-16 units) are a valid text", async () => {
    const { alice, room } = await setup();
    const sent = await ok(alice.socket, "message", { roomId: room.id, text: "😀".repeat(4000), clientId: "e" });
    expect(sent.text).toBe("😀".repeat(4000));
  });

  test("a retry with the same clientId answers the stored original and broadcasts nothing new", async () => {
    const { alice, bob, room } = await setup();
    const heard = record(bob.socket, "message");
    const first = await ok(alice.socket, "message", { roomId: room.id, text: "once", clientId: "retry-1" });
    const again = await ok(alice.socket, "message", { roomId: room.id, text: "different text", clientId: "retry-1" });
    expect(again).toEqual(first);
    await flush(bob.socket);
    expect(heard).toEqual([first]);
    expect(await storedIn(alice.socket, room.id)).toEqual([first]);
  });

  test("the same clientId in another room is CONFLICT; other users may use the same clientId", async () => {
    const { alice, bob, room } = await setup();
    const other = await ok(alice.socket, "room:create", { name: uniqueName("other") });
    await ok(alice.socket, "message", { roomId: room.id, text: "a", clientId: "shared" });
    expect(await call(alice.socket, "message", { roomId: other.id, text: "a", clientId: "shared" })).toMatchObject({
      ok: false,
      error: { code: "CONFLICT" },
    });
    const bobs = await ok(bob.socket, "message", { roomId: room.id, text: "b", clientId: "shared" });
    expect(bobs).toMatchObject({ seq: 2, sender: bob.user });
  });

  test("seq is per room, starting at 1", async () => {
    const { alice, room } = await setup();
    const other = await ok(alice.socket, "room:create", { name: uniqueName("other") });
    expect((await ok(alice.socket, "message", { roomId: room.id, text: "1", clientId: "1" })).seq).toBe(1);
    expect((await ok(alice.socket, "message", { roomId: room.id, text: "2", clientId: "2" })).seq).toBe(2);
    expect((await ok(alice.socket, "message", { roomId: other.id, text: "1", clientId: "3" })).seq).toBe(1);
  });

  test("too many messages from one user answer RATE_LIMITED, store nothing beyond the limit, and do not slow others", async () => {
    const s = await h.startServer({ limits: { messagesPerWindow: 5, messageWindowSeconds: 60 } });
    const [alice, bob] = await Promise.all([h.user(s), h.user(s)]);
    const room = await ok(alice.socket, "room:create", { name: uniqueName("r") });
    await ok(bob.socket, "room:join", { roomId: room.id });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call(alice.socket, "message", { roomId: room.id, text: `m${i}`, clientId: `m${i}` })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(Array(3).fill("RATE_LIMITED"));
    // A retry of a stored message is answered with the original even over the limit.
    const stored = results.find((r) => r.ok)!;
    expect(await call(alice.socket, "message", { roomId: room.id, text: "again", clientId: stored.ok ? stored.data.clientId : "" })).toEqual(stored);
    expect(await ok(bob.socket, "message", { roomId: room.id, text: "bob is fine", clientId: "b" })).toMatchObject({ seq: 6 });
    expect((await storedIn(bob.socket, room.id)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe("history", () => {
  async function withMessages(n: number) {
    const ctx = await setup();
    await Promise.all(
      Array.from({ length: n }, (_, i) => ok(ctx.alice.socket, "message", { roomId: ctx.room.id, text: `m${i + 1}`, clientId: `h${i}` })),
    );
    return ctx;
  }
  const seqs = (messages: { seq: number }[]) => messages.map((m) => m.seq);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  test("without cursors: the newest `limit` messages, ascending; default limit 50", async () => {
    const { bob, room } = await withMessages(120);
    expect(seqs(await ok(bob.socket, "history", { roomId: room.id }))).toEqual(range(71, 120));
    expect(seqs(await ok(bob.socket, "history", { roomId: room.id, limit: 5 }))).toEqual(range(116, 120));
    expect(seqs(await ok(bob.socket, "history", { roomId: room.id, limit: 100 }))).toEqual(range(21, 120));
  });

  test("before: the newest `limit` messages with seq < before", async () => {
    const { bob, room } = await withMessages(30);
    expect(seqs(await ok(bob.socket, "history", { roomId: room.id, before: 11, limit: 5 }))).toEqual(range(6, 10));
    expect(seqs(await ok(bob.socket, "history", { roomId: room.id, before: 3 }))).toEqual([1, 2]);
    expect(await ok(bob.socket, "history", { roomId: room.id, before: 1 })).toEqual([]);
  });

  test("after: the oldest `limit` messages with seq > after, so a client can page forward to catch up", async () => {
    const { bob, room } = await withMessages(30);
    expect(seqs(await ok(bob.socket, "history", { roomId: room.id, after: 0, limit: 10 }))).toEqual(range(1, 10));
    expect(seqs(await ok(bob.socket, "history", { roomId: room.id, after: 25 }))).toEqual(range(26, 30));
    expect(await ok(bob.socket, "history", { roomId: room.id, after: 30 })).toEqual([]);
    const pages: number[] = [];
    for (let after = 0; ; ) {
      const page = await ok(bob.socket, "history", { roomId: room.id, after, limit: 7 });
      if (!page.length) break;
      pages.push(...seqs(page));
      after = page[page.length - 1]!.seq;
    }
    expect(pages).toEqual(range(1, 30));
  });

  test.each([
    ["both cursors", { before: 5, after: 1 }],
    ["limit 0", { limit: 0 }],
    ["limit 101", { limit: 101 }],
    ["a string limit", { limit: "10" }],
    ["a fractional cursor", { after: 1.5 }],
    ["a negative cursor", { before: -1 }],
  ])("%s answers BAD_REQUEST", async (_what, extra) => {
    const { bob, room } = await setup();
    expect(await call(bob.socket, "history", { roomId: room.id, ...extra } as never)).toMatchObject({
      ok: false,
      error: { code: "BAD_REQUEST" },
    });
  });

  test("any user may read a public room; private rooms and dms only their members; unknown rooms are NOT_FOUND", async () => {
    const { alice, bob, carol, room } = await setup();
    await ok(alice.socket, "message", { roomId: room.id, text: "public words", clientId: "p" });
    expect((await ok(carol.socket, "history", { roomId: room.id })).map((m) => m.text)).toEqual(["public words"]);

    const priv = await ok(alice.socket, "room:create", { name: uniqueName("priv"), private: true });
    await ok(alice.socket, "message", { roomId: priv.id, text: "secret", clientId: "s" });
    expect(await call(carol.socket, "history", { roomId: priv.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    await ok(alice.socket, "room:invite", { roomId: priv.id, username: carol.user.username });
    expect((await ok(carol.socket, "history", { roomId: priv.id })).map((m) => m.text)).toEqual(["secret"]);

    const dm = await ok(alice.socket, "dm:open", { username: bob.user.username });
    expect(await call(carol.socket, "history", { roomId: dm.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await call(carol.socket, "history", { roomId: "missing" })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});

async function storedIn(socket: Parameters<typeof ok>[0], roomId: string) {
  return ok(socket, "history", { roomId, limit: 100 });
}
