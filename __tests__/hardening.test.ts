// Rules a review found missing, each shown by a test that fails without it:
// membership for edits, names without invisible characters, a room list that
// does not grow with the server, bounded search, relayed typing at a bounded
// rate, and tokens that end on time.
import { randomUUID } from "node:crypto";
import type { Room } from "../common/protocol";
import { call, flush, harness, next, ok, record, uniqueName } from "./helpers/harness";

const h = harness();

async function twoInPrivateRoom() {
  const s = await h.startServer();
  const [alice, bob] = await Promise.all([h.user(s), h.user(s)]);
  const room = await ok(alice.socket, "room:create", { name: uniqueName("p"), private: true });
  await ok(alice.socket, "room:invite", { roomId: room.id, username: bob.user.username });
  return { s, alice, bob, room };
}

describe("edits and deletes need current membership", () => {
  test("an author who has left cannot edit or delete; nothing is stored or broadcast", async () => {
    const { alice, bob, room } = await twoInPrivateRoom();
    const m = await ok(bob.socket, "message", { roomId: room.id, text: "said while a member", clientId: "m1" });
    await ok(bob.socket, "room:leave", { roomId: room.id });
    const updates = record(alice.socket, "message:updated");
    expect(await call(bob.socket, "message:edit", { messageId: m.id, text: "now @alice sees this" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await call(bob.socket, "message:delete", { messageId: m.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    await flush(alice.socket, bob.socket);
    expect(updates).toEqual([]);
    expect(await ok(alice.socket, "history", { roomId: room.id })).toEqual([m]);
    expect((await ok(alice.socket, "room:list", {})).find((r) => r.id === room.id)?.unreadMentions).toBe(0);
  });
});

describe("room names", () => {
  test.each([
    ["a zero-width space", "general\u200B"],
    ["a right-to-left override", "\u202Elareneg"],
    ["a byte-order mark", "\uFEFFgeneral"],
    ["a word joiner", "gen\u2060eral"],
  ])("refuse %s", async (_what, name) => {
    const s = await h.startServer();
    const alice = await h.user(s);
    expect(await call(alice.socket, "room:create", { name })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
  });
});

describe("the room list does not grow with the server", () => {
  test("room:list holds the user's rooms and at most 50 public rooms not joined; room:browse pages through all by name", async () => {
    const s = await h.startServer();
    const alice = await h.user(s);
    const owner = await h.register(s);
    const names = Array.from({ length: 75 }, (_, i) => `bulk-${String(i).padStart(3, "0")}`);
    for (const name of names) await s.storage.createRoom({ id: randomUUID(), kind: "public", name, dmUsers: null }, owner.user.id, 0);
    const own = await ok(alice.socket, "room:create", { name: uniqueName("own"), private: true });
    const listed = await ok(alice.socket, "room:list", {});
    expect(listed.filter((r) => !r.joined)).toHaveLength(50);
    expect(listed.filter((r) => r.joined).map((r) => r.id)).toEqual([own.id]);

    const seen: Room[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const got = await ok(alice.socket, "room:browse", { query: "BULK", limit: 20, ...(cursor ? { cursor } : {}) });
      seen.push(...got.rooms);
      if (!got.nextCursor) break;
      cursor = got.nextCursor;
    }
    expect(seen.map((r) => r.name)).toEqual(names);
    expect((await ok(alice.socket, "room:browse", { query: "bulk-07" })).rooms.map((r) => r.name)).toEqual(
      names.filter((n) => n.includes("bulk-07")),
    );
  });
});

describe("search is bounded and blind to other rooms", () => {
  test("other users' rooms cost nothing: only matches in the searcher's own rooms count against the bound", async () => {
    const s = await h.startServer({ caps: { searchMatches: 10 } });
    const [alice, bob] = await Promise.all([h.user(s), h.user(s)]);
    const bobs = await ok(bob.socket, "room:create", { name: uniqueName("b") });
    for (let i = 0; i < 40; i++) await ok(bob.socket, "message", { roomId: bobs.id, text: `apple ${i}`, clientId: `b${i}` });
    const mine = await ok(alice.socket, "room:create", { name: uniqueName("a") });
    await ok(alice.socket, "message", { roomId: mine.id, text: "one apple here", clientId: "a1" });
    expect((await ok(alice.socket, "search", { query: "apple" })).map((m) => m.text)).toEqual(["one apple here"]);
    // A user in no room searches nothing at all.
    const carol = await h.user(s);
    expect(await ok(carol.socket, "search", { query: "a p" })).toEqual([]);
    // In bob's own rooms, "apple" is past the bound: refused, not scanned; a rarer word is fine.
    expect(await call(bob.socket, "search", { query: "apple" })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect((await ok(bob.socket, "search", { query: "apple 17" })).map((m) => m.text)).toEqual(["apple 17"]);
  });

  test("a query names at most 8 words", async () => {
    const s = await h.startServer();
    const alice = await h.user(s);
    expect((await call(alice.socket, "search", { query: "a b c d e f g h" })).ok).toBe(true);
    expect(await call(alice.socket, "search", { query: "a b c d e f g h i" })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    // Words that begin another word of the query add nothing and do not count.
    expect((await call(alice.socket, "search", { query: "a ab abc abcd abcde b c d e f g" })).ok).toBe(true);
  });
});

describe("typing", () => {
  test("refreshes faster than every 2.5 s are not relayed; the end always is", async () => {
    const { alice, bob, room } = await twoInPrivateRoom();
    const heard = record(bob.socket, "typing");
    const first = next(bob.socket, "typing");
    for (let i = 0; i < 20; i++) alice.socket.emit("typing", { roomId: room.id, typing: true });
    await first;
    const ended = next(bob.socket, "typing", (e) => !e.typing);
    alice.socket.emit("typing", { roomId: room.id, typing: false });
    await ended;
    expect(heard.map((e) => e.typing)).toEqual([true, false]);
  });
});

describe("sessions end on time", () => {
  test("a socket is disconnected when its token expires, and the token no longer connects", async () => {
    const s = await h.startServer({ tokenTtlMs: 1500 });
    const alice = await h.user(s);
    const gone = new Promise<string>((resolve) => alice.socket.once("disconnect", resolve));
    expect(await gone).toBe("io server disconnect");
    await expect(h.connect(s, alice.token)).rejects.toThrow("UNAUTHORIZED");
  });

  test("expired tokens are purged from the database when the server starts", async () => {
    const s = await h.startServer({ tokenTtlMs: 1 });
    const alice = await h.register(s);
    const live = await s.app.accounts.login({ username: alice.user.username, password: "correct horse battery" }, "127.0.0.1");
    expect(live.token).toBeDefined();
    await s.close();
    const again = await h.startServer({ data: s.data });
    // Both tokens lasted a millisecond: the purge at start removed them.
    expect(await again.storage.purgeExpiredTokens(Date.now())).toBe(0);
  });
});

describe("people suggestions", () => {
  test("suggest only people one shares a room with or has as a contact, never strangers", async () => {
    const s = await h.startServer();
    const [alice, bob] = await Promise.all([h.user(s, uniqueName("sg_a")), h.user(s, uniqueName("sg_b"))]);
    const carol = await h.register(s, uniqueName("sg_c"));
    const prefix = "sg_";
    expect(await ok(alice.socket, "people:suggest", { query: prefix })).toEqual([]);
    const room = await ok(alice.socket, "room:create", { name: uniqueName("r") });
    await ok(bob.socket, "room:join", { roomId: room.id });
    await ok(alice.socket, "contacts:add", { username: carol.user.username });
    expect(await ok(alice.socket, "people:suggest", { query: prefix.toUpperCase(), roomId: room.id })).toEqual([carol.user, bob.user]);
    // Bob shares a room with alice, not with carol, and has no contacts.
    expect(await ok(bob.socket, "people:suggest", { query: prefix })).toEqual([alice.user]);
  });
});
