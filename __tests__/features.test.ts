// The rest of protocol v1: edits, deletes, read markers, typing, contacts,
// presence, search and mentions, each with its failure codes.
import { call, flush, harness, next, ok, record, uniqueName } from "./helpers/harness";

const h = harness();

async function setup(options: Parameters<typeof h.startServer>[0] = {}) {
  const s = await h.startServer(options);
  const [alice, bob, carol] = await Promise.all([h.user(s, uniqueName("alice")), h.user(s, uniqueName("bob")), h.user(s, uniqueName("carol"))]);
  const room = await ok(alice.socket, "room:create", { name: uniqueName("room") });
  await ok(bob.socket, "room:join", { roomId: room.id });
  return { s, alice, bob, carol, room };
}
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? "ok" : r.error!.code);

describe("message:edit and message:delete", () => {
  test("the author edits: same seq, editedAt set, message:updated to the room, history shows the new text", async () => {
    const { alice, bob, room } = await setup();
    const sent = await ok(alice.socket, "message", { roomId: room.id, text: "teh typo", clientId: "e1" });
    const updated = next(bob.socket, "message:updated");
    const edited = await ok(alice.socket, "message:edit", { messageId: sent.id, text: "the typo" });
    expect(edited).toEqual({ ...sent, text: "the typo", editedAt: expect.any(Number) });
    expect(await updated).toEqual(edited);
    expect(await ok(bob.socket, "history", { roomId: room.id })).toEqual([edited]);
  });

  test("the author deletes: text becomes empty, seq stays, everyone sees message:updated; deleting again is a no-op", async () => {
    const { alice, bob, room } = await setup();
    const first = await ok(alice.socket, "message", { roomId: room.id, text: "oops", clientId: "d1" });
    const second = await ok(alice.socket, "message", { roomId: room.id, text: "kept", clientId: "d2" });
    const updated = next(bob.socket, "message:updated");
    expect(await ok(alice.socket, "message:delete", { messageId: first.id })).toEqual({});
    const tombstone = await updated;
    expect(tombstone).toMatchObject({ id: first.id, seq: 1, text: "", deleted: true });
    expect(await ok(bob.socket, "history", { roomId: room.id })).toEqual([tombstone, second]);

    const heard = record(bob.socket, "message:updated");
    expect(await ok(alice.socket, "message:delete", { messageId: first.id })).toEqual({});
    await flush(bob.socket);
    expect(heard).toEqual([]);
    expect(code(await call(alice.socket, "message:edit", { messageId: first.id, text: "revived" }))).toBe("CONFLICT");
  });

  test("others may neither edit nor delete (FORBIDDEN); unknown ids are NOT_FOUND; edit text follows the message rules", async () => {
    const { alice, bob, room } = await setup();
    const sent = await ok(alice.socket, "message", { roomId: room.id, text: "mine", clientId: "f1" });
    expect(code(await call(bob.socket, "message:edit", { messageId: sent.id, text: "yours now" }))).toBe("FORBIDDEN");
    expect(code(await call(bob.socket, "message:delete", { messageId: sent.id }))).toBe("FORBIDDEN");
    expect(code(await call(alice.socket, "message:edit", { messageId: "nope", text: "x" }))).toBe("NOT_FOUND");
    expect(code(await call(alice.socket, "message:delete", { messageId: "nope" }))).toBe("NOT_FOUND");
    expect(code(await call(alice.socket, "message:edit", { messageId: sent.id, text: "   " }))).toBe("BAD_REQUEST");
    expect(code(await call(alice.socket, "message:edit", { messageId: sent.id, text: "x".repeat(4001) }))).toBe("BAD_REQUEST");
    expect((await ok(alice.socket, "history", { roomId: room.id }))[0]).toEqual(sent);
  });
});

describe("read", () => {
  test("moves forward only, is clamped to lastSeq, is relayed to the room, and shows in room:list", async () => {
    const { alice, bob, room } = await setup();
    for (let i = 1; i <= 5; i++) await ok(alice.socket, "message", { roomId: room.id, text: `m${i}`, clientId: `r${i}` });
    const relayed = next(alice.socket, "read");
    expect(await ok(bob.socket, "read", { roomId: room.id, seq: 3 })).toEqual({});
    expect(await relayed).toEqual({ roomId: room.id, user: bob.user, seq: 3 });
    const listed = async () => (await ok(bob.socket, "room:list", {})).find((r) => r.id === room.id)!;
    expect(await listed()).toMatchObject({ lastSeq: 5, lastReadSeq: 3 });

    const heard = record(alice.socket, "read");
    expect(await ok(bob.socket, "read", { roomId: room.id, seq: 2 })).toEqual({});
    await flush(alice.socket);
    expect(heard).toEqual([]);
    expect((await listed()).lastReadSeq).toBe(3);

    expect(await ok(bob.socket, "read", { roomId: room.id, seq: 999 })).toEqual({});
    expect((await listed()).lastReadSeq).toBe(5);
  });

  test("sending a message moves the author's own marker to it", async () => {
    const { alice, bob, room } = await setup();
    await ok(alice.socket, "message", { roomId: room.id, text: "one", clientId: "a1" });
    await ok(bob.socket, "message", { roomId: room.id, text: "two", clientId: "b1" });
    const marker = async (socket: typeof bob.socket) => (await ok(socket, "room:list", {})).find((r) => r.id === room.id)!.lastReadSeq;
    expect(await marker(bob.socket)).toBe(2);
    expect(await marker(alice.socket)).toBe(1);
  });

  test("members only; unknown rooms NOT_FOUND; bad seq BAD_REQUEST", async () => {
    const { carol, bob, room } = await setup();
    expect(code(await call(carol.socket, "read", { roomId: room.id, seq: 1 }))).toBe("FORBIDDEN");
    expect(code(await call(bob.socket, "read", { roomId: "nope", seq: 1 }))).toBe("NOT_FOUND");
    expect(code(await call(bob.socket, "read", { roomId: room.id, seq: -1 }))).toBe("BAD_REQUEST");
    expect(code(await call(bob.socket, "read", { roomId: room.id, seq: "1" } as never))).toBe("BAD_REQUEST");
  });
});

describe("typing", () => {
  test("is relayed to the room's other users but never to any of the typist's own sockets", async () => {
    const { s, alice, bob, room } = await setup();
    const aliceTab2 = await h.connect(s, alice.token);
    const ownTabs = [record(alice.socket, "typing"), record(aliceTab2, "typing")];
    const toBob = next(bob.socket, "typing");
    alice.socket.emit("typing", { roomId: room.id, typing: true });
    expect(await toBob).toEqual({ roomId: room.id, user: alice.user, typing: true });
    const stopped = next(bob.socket, "typing");
    alice.socket.emit("typing", { roomId: room.id, typing: false });
    expect(await stopped).toMatchObject({ typing: false });
    await flush(alice.socket, aliceTab2);
    expect(ownTabs.flat()).toEqual([]);
  });

  test("ends by itself after the timeout, and when the typist's socket disconnects", async () => {
    const { s, alice, bob, room } = await setup({ typingTimeoutMs: 200 });
    const started = next(bob.socket, "typing", (e) => e.typing);
    alice.socket.emit("typing", { roomId: room.id, typing: true });
    await started;
    expect(await next(bob.socket, "typing", () => true, 3000)).toMatchObject({ user: alice.user, typing: false });

    const other = await h.connect(s, alice.token);
    const again = next(bob.socket, "typing", (e) => e.typing);
    other.emit("typing", { roomId: room.id, typing: true });
    await again;
    const ended = next(bob.socket, "typing", (e) => !e.typing, 3000);
    other.disconnect();
    expect(await ended).toMatchObject({ user: alice.user, typing: false });
  });

  test("from a non-member, or malformed, is dropped without breaking anything", async () => {
    const { carol, bob, room } = await setup();
    const heard = record(bob.socket, "typing");
    carol.socket.emit("typing", { roomId: room.id, typing: true });
    (carol.socket.emit as (e: string, p: unknown) => void)("typing", { roomId: room.id, typing: "yes" });
    (carol.socket.emit as (e: string, p: unknown) => void)("typing", null);
    await flush(carol.socket, bob.socket);
    expect(heard).toEqual([]);
  });
});

describe("contacts and presence", () => {
  test("add, list with online flags, remove; names ignore case; self is BAD_REQUEST, unknown NOT_FOUND", async () => {
    const { alice, bob, carol } = await setup();
    expect(await ok(alice.socket, "contacts:add", { username: bob.user.username.toUpperCase() })).toEqual({});
    expect(await ok(alice.socket, "contacts:add", { username: bob.user.username })).toEqual({});
    expect(await ok(alice.socket, "contacts:add", { username: carol.user.username })).toEqual({});
    // alice has carol as a contact, so she hears carol go offline.
    const carolOffline = next(alice.socket, "presence", (p) => p.user.id === carol.user.id && !p.online);
    carol.socket.disconnect();
    await carolOffline;
    const list = await ok(alice.socket, "contacts:list", {});
    expect(list).toEqual(
      expect.arrayContaining([
        { ...bob.user, online: true },
        { ...carol.user, online: false },
      ]),
    );
    expect(list).toHaveLength(2);
    expect(await ok(alice.socket, "contacts:remove", { username: carol.user.username })).toEqual({});
    expect((await ok(alice.socket, "contacts:list", {})).map((c) => c.id)).toEqual([bob.user.id]);
    expect(code(await call(alice.socket, "contacts:add", { username: alice.user.username }))).toBe("BAD_REQUEST");
    expect(code(await call(alice.socket, "contacts:add", { username: uniqueName("ghost") }))).toBe("NOT_FOUND");
    expect(code(await call(alice.socket, "contacts:remove", { username: uniqueName("ghost") }))).toBe("NOT_FOUND");
  });

  test("presence: online at the first socket, offline only when the last one closes (two tabs)", async () => {
    const s = await h.startServer();
    const [watcher, dave] = await Promise.all([h.user(s), h.register(s)]);
    await ok(watcher.socket, "contacts:add", { username: dave.user.username });

    const online = next(watcher.socket, "presence");
    const tab1 = await h.connect(s, dave.token);
    expect(await online).toEqual({ user: dave.user, online: true });

    const heard = record(watcher.socket, "presence");
    const tab2 = await h.connect(s, dave.token);
    tab1.disconnect();
    await ok(tab2, "room:list", {});
    await flush(watcher.socket);
    expect(heard).toEqual([]);

    const offline = next(watcher.socket, "presence");
    tab2.disconnect();
    expect(await offline).toEqual({ user: dave.user, online: false });
  });

  test("presence reaches users who share a room, without being contacts", async () => {
    const { s, alice, room } = await setup();
    const erin = await h.register(s);
    const erinSocket = await h.connect(s, erin.token);
    await ok(erinSocket, "room:join", { roomId: room.id });
    const offline = next(alice.socket, "presence", (p) => p.user.id === erin.user.id);
    erinSocket.disconnect();
    expect(await offline).toEqual({ user: erin.user, online: false });
  });
});

describe("room:members", () => {
  test("lists members, with online flags for members only; public rooms to anyone, private rooms to members only", async () => {
    const { alice, bob, carol, room } = await setup();
    bob.socket.disconnect();
    await next(alice.socket, "presence", (p) => p.user.id === bob.user.id && !p.online);
    const members = await ok(alice.socket, "room:members", { roomId: room.id });
    expect(members).toEqual(expect.arrayContaining([{ ...alice.user, online: true }, { ...bob.user, online: false }]));
    expect(members).toHaveLength(2);
    // Carol is not in the room: she may see who is in it, not who of them is online.
    const seenFromOutside = await ok(carol.socket, "room:members", { roomId: room.id });
    expect(seenFromOutside).toEqual(expect.arrayContaining([alice.user, bob.user]));
    expect(seenFromOutside).toHaveLength(2);
    const priv = await ok(alice.socket, "room:create", { name: uniqueName("p"), private: true });
    expect(code(await call(carol.socket, "room:members", { roomId: priv.id }))).toBe("FORBIDDEN");
    expect(code(await call(carol.socket, "room:members", { roomId: "nope" }))).toBe("NOT_FOUND");
    expect(await ok(alice.socket, "room:members", { roomId: priv.id })).toEqual([{ ...alice.user, online: true }]);
  });
});

describe("search", () => {
  async function withCorpus() {
    const ctx = await setup();
    const { alice, bob, room } = ctx;
    const texts = ["Deploying the café release tonight", "the release notes are ready", "lunch at noon?", "release-candidate 2 is out"];
    for (const [i, text] of texts.entries()) await ok(i % 2 ? bob.socket : alice.socket, "message", { roomId: room.id, text, clientId: `s${i}` });
    const priv = await ok(ctx.carol.socket, "room:create", { name: uniqueName("hidden"), private: true });
    await ok(ctx.carol.socket, "message", { roomId: priv.id, text: "secret release plans", clientId: "hidden" });
    return { ...ctx, priv };
  }
  const texts = (ms: { text: string }[]) => ms.map((m) => m.text);

  test("every word must match, as a prefix, ignoring case and accents; newest first", async () => {
    const { bob } = await withCorpus();
    expect(texts(await ok(bob.socket, "search", { query: "RELEASE" }))).toEqual([
      "release-candidate 2 is out",
      "the release notes are ready",
      "Deploying the café release tonight",
    ]);
    expect(texts(await ok(bob.socket, "search", { query: "rel not" }))).toEqual(["the release notes are ready"]);
    expect(texts(await ok(bob.socket, "search", { query: "cafe" }))).toEqual(["Deploying the café release tonight"]);
    expect(texts(await ok(bob.socket, "search", { query: "release", limit: 1 }))).toHaveLength(1);
  });

  test("never returns messages from rooms the user may not read, whatever the query", async () => {
    const { bob, carol, priv, room } = await withCorpus();
    const adversarial = ['"', '"release', "release*", "*", "NEAR(release plans)", "release OR secret", "-release", "secret AND plans", "text:secret", "^secret", "re*se", "secret\"", "(secret)", "{text}: secret", "'; DROP TABLE messages; --", "\u0000secret"];
    for (const query of adversarial) {
      const r = await call(bob.socket, "search", { query });
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.data.every((m) => m.roomId === room.id)).toBe(true);
    }
    expect(code(await call(bob.socket, "search", { query: "secret", roomId: priv.id }))).toBe("FORBIDDEN");
    expect(texts(await ok(carol.socket, "search", { query: "secret", roomId: priv.id }))).toEqual(["secret release plans"]);
    expect(code(await call(bob.socket, "search", { query: "x", roomId: "nope" }))).toBe("NOT_FOUND");
  });

  test("a public room can be searched by roomId without joining; edits and deletes are reflected", async () => {
    const { alice, carol, room } = await withCorpus();
    expect(texts(await ok(carol.socket, "search", { query: "lunch", roomId: room.id }))).toEqual(["lunch at noon?"]);
    expect(await ok(carol.socket, "search", { query: "lunch" })).toEqual([]);
    const [lunch] = await ok(alice.socket, "search", { query: "lunch" });
    const sent = await ok(alice.socket, "message", { roomId: room.id, text: "pizza party", clientId: "p" });
    await ok(alice.socket, "message:edit", { messageId: sent.id, text: "sushi party" });
    expect(texts(await ok(alice.socket, "search", { query: "pizza" }))).toEqual([]);
    expect(texts(await ok(alice.socket, "search", { query: "sushi" }))).toEqual(["sushi party"]);
    await ok(alice.socket, "message:delete", { messageId: sent.id });
    expect(await ok(alice.socket, "search", { query: "sushi" })).toEqual([]);
    expect(lunch?.text).toBe("lunch at noon?");
  });

  test("malformed queries are BAD_REQUEST", async () => {
    const { bob } = await setup();
    expect(code(await call(bob.socket, "search", { query: "" }))).toBe("BAD_REQUEST");
    expect(code(await call(bob.socket, "search", { query: "x", limit: 0 }))).toBe("BAD_REQUEST");
    expect(code(await call(bob.socket, "search", { query: "x", limit: "10" } as never))).toBe("BAD_REQUEST");
  });
});

describe("mentions", () => {
  test("@username counts for a member until they read past it; non-members and the author are not counted", async () => {
    const { alice, bob, carol, room } = await setup();
    const mentions = async (socket: typeof bob.socket) => (await ok(socket, "room:list", {})).find((r) => r.id === room.id)!.unreadMentions;
    await ok(alice.socket, "message", { roomId: room.id, text: `hey @${bob.user.username.toUpperCase()}, and @${carol.user.username}`, clientId: "m1" });
    await ok(alice.socket, "message", { roomId: room.id, text: `again @${bob.user.username}. Also @${alice.user.username}`, clientId: "m2" });
    expect(await mentions(bob.socket)).toBe(2);
    expect(await mentions(alice.socket)).toBe(0);
    expect((await ok(carol.socket, "room:list", {})).find((r) => r.id === room.id)!.unreadMentions).toBe(0);
    await ok(bob.socket, "read", { roomId: room.id, seq: 1 });
    expect(await mentions(bob.socket)).toBe(1);
    await ok(bob.socket, "read", { roomId: room.id, seq: 2 });
    expect(await mentions(bob.socket)).toBe(0);
  });

  test("mentions follow edits and deletes", async () => {
    const { alice, bob, room } = await setup();
    const mentions = async () => (await ok(bob.socket, "room:list", {})).find((r) => r.id === room.id)!.unreadMentions;
    const plain = await ok(alice.socket, "message", { roomId: room.id, text: "no names here", clientId: "n1" });
    const named = await ok(alice.socket, "message", { roomId: room.id, text: `ping @${bob.user.username}`, clientId: "n2" });
    expect(await mentions()).toBe(1);
    await ok(alice.socket, "message:edit", { messageId: plain.id, text: `now naming @${bob.user.username}` });
    expect(await mentions()).toBe(2);
    await ok(alice.socket, "message:edit", { messageId: named.id, text: "never mind" });
    expect(await mentions()).toBe(1);
    await ok(alice.socket, "message:delete", { messageId: plain.id });
    expect(await mentions()).toBe(0);
  });
});
