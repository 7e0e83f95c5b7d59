// Rooms, membership, invitations and direct messages: every rule of the
// protocol in scope, each success and each failure code.
import { call, flush, harness, next, ok, record, uniqueName } from "./helpers/harness";

const h = harness();

async function setup() {
  const s = await h.startServer();
  const [alice, bob, carol] = await Promise.all([h.user(s, uniqueName("alice")), h.user(s, uniqueName("bob")), h.user(s, uniqueName("carol"))]);
  return { s, alice, bob, carol };
}

describe("room:create", () => {
  test("creates a public room whose creator is a member", async () => {
    const { alice } = await setup();
    const name = uniqueName("general");
    const room = await ok(alice.socket, "room:create", { name });
    expect(room).toEqual({ id: expect.any(String), kind: "public", name, lastSeq: 0, joined: true, lastReadSeq: 0, unreadMentions: 0 });
    const rooms = await ok(alice.socket, "room:list", {});
    expect(rooms).toContainEqual(room);
  });

  test("creates a private room, trimming the name", async () => {
    const { alice } = await setup();
    const room = await ok(alice.socket, "room:create", { name: "  secret plans ", private: true });
    expect(room).toMatchObject({ kind: "private", name: "secret plans", joined: true });
  });

  test("public names are unique ignoring case; private names need not be", async () => {
    const { alice, bob } = await setup();
    const name = uniqueName("Dup");
    await ok(alice.socket, "room:create", { name });
    const taken = await call(bob.socket, "room:create", { name: name.toLowerCase() });
    expect(taken).toEqual({ ok: false, error: { code: "CONFLICT", message: expect.any(String) } });
    await ok(bob.socket, "room:create", { name, private: true });
    await ok(alice.socket, "room:create", { name, private: true });
  });

  test.each([
    ["an empty name", { name: "" }],
    ["a white-space name", { name: " \t\n" }],
    ["a 65-character name", { name: "x".repeat(65) }],
    ["a non-boolean private", { name: "ok", private: "yes" }],
    ["a numeric name", { name: 42 }],
  ])("%s answers BAD_REQUEST", async (_what, payload) => {
    const { alice } = await setup();
    const r = await call(alice.socket, "room:create", payload as never);
    expect(r).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
  });

  test("64 emoji (128 UTF-16 units) are a valid name: lengths count code points", async () => {
    const { alice } = await setup();
    const room = await ok(alice.socket, "room:create", { name: "🎉".repeat(64) });
    expect(room.name).toBe("🎉".repeat(64));
  });
});

describe("room:list", () => {
  test("shows every public room and the user's own private rooms and dms, with joined flags", async () => {
    const { alice, bob } = await setup();
    const pub = await ok(alice.socket, "room:create", { name: uniqueName("pub") });
    const priv = await ok(alice.socket, "room:create", { name: uniqueName("priv"), private: true });
    const dm = await ok(alice.socket, "dm:open", { username: bob.user.username });

    const aliceRooms = await ok(alice.socket, "room:list", {});
    expect(aliceRooms.map((r) => r.id).sort()).toEqual([pub.id, priv.id, dm.id].sort());

    const bobRooms = await ok(bob.socket, "room:list", {});
    expect(bobRooms).toContainEqual({ ...pub, joined: false });
    expect(bobRooms.find((r) => r.id === priv.id)).toBeUndefined();
    expect(bobRooms).toContainEqual({ id: dm.id, kind: "dm", name: alice.user.username, lastSeq: 0, joined: true, lastReadSeq: 0, unreadMentions: 0 });
  });

  test("reports lastSeq of each room", async () => {
    const { alice } = await setup();
    const room = await ok(alice.socket, "room:create", { name: uniqueName("r") });
    for (let i = 1; i <= 3; i++) await ok(alice.socket, "message", { roomId: room.id, text: `m${i}`, clientId: `c${i}` });
    const rooms = await ok(alice.socket, "room:list", {});
    expect(rooms.find((r) => r.id === room.id)?.lastSeq).toBe(3);
  });
});

describe("room:join", () => {
  test("anyone may join a public room; every socket in the room, the joiner's included, hears member-joined", async () => {
    const { s, alice, bob } = await setup();
    const room = await ok(alice.socket, "room:create", { name: uniqueName("pub") });
    const bobTab2 = await h.connect(s, bob.token);
    const aliceHears = next(alice.socket, "system");
    const bobHears = next(bob.socket, "system");
    const bobTab2Hears = next(bobTab2, "system");

    const joined = await ok(bob.socket, "room:join", { roomId: room.id });
    expect(joined).toEqual({ ...room, joined: true });
    const expected = { type: "member-joined", roomId: room.id, user: bob.user, at: expect.any(Number) };
    expect(await aliceHears).toEqual(expected);
    expect(await bobHears).toEqual(expected);
    expect(await bobTab2Hears).toEqual(expected);

    // Every socket of the joiner now receives the room's messages.
    const inTab2 = next(bobTab2, "message");
    await ok(alice.socket, "message", { roomId: room.id, text: "welcome", clientId: "w1" });
    expect((await inTab2).text).toBe("welcome");
  });

  test("joining twice is not an error and announces nothing the second time", async () => {
    const { alice, bob } = await setup();
    const room = await ok(alice.socket, "room:create", { name: uniqueName("pub") });
    const firstJoin = next(alice.socket, "system");
    await ok(bob.socket, "room:join", { roomId: room.id });
    await firstJoin;
    const heard = record(alice.socket, "system");
    await ok(bob.socket, "room:join", { roomId: room.id });
    await flush(alice.socket, bob.socket);
    expect(heard).toEqual([]);
  });

  test("a private room or a dm answers FORBIDDEN to a non-member", async () => {
    const { alice, bob, carol } = await setup();
    const priv = await ok(alice.socket, "room:create", { name: uniqueName("priv"), private: true });
    const dm = await ok(alice.socket, "dm:open", { username: bob.user.username });
    expect(await call(carol.socket, "room:join", { roomId: priv.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await call(carol.socket, "room:join", { roomId: dm.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    // Members may "join" again, which is how a client re-enters the room view.
    expect(await ok(bob.socket, "room:join", { roomId: dm.id })).toMatchObject({ id: dm.id, joined: true });
  });

  test("an unknown room answers NOT_FOUND", async () => {
    const { alice } = await setup();
    expect(await call(alice.socket, "room:join", { roomId: "no-such-room" })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});

describe("room:leave", () => {
  test("announces member-left to the room and the leaver, then takes all the leaver's sockets out", async () => {
    const { s, alice, bob } = await setup();
    const room = await ok(alice.socket, "room:create", { name: uniqueName("pub") });
    await ok(bob.socket, "room:join", { roomId: room.id });
    const bobTab2 = await h.connect(s, bob.token);
    const aliceHears = next(alice.socket, "system", (e) => e.type === "member-left");
    const bobHears = next(bobTab2, "system", (e) => e.type === "member-left");

    expect(await ok(bob.socket, "room:leave", { roomId: room.id })).toEqual({});
    expect(await aliceHears).toEqual({ type: "member-left", roomId: room.id, user: bob.user, at: expect.any(Number) });
    expect(await bobHears).toMatchObject({ type: "member-left", user: bob.user });

    const bobMessages = [...[bob.socket, bobTab2].map((sock) => record(sock, "message"))];
    await ok(alice.socket, "message", { roomId: room.id, text: "after bob left", clientId: "x" });
    await flush(bob.socket, bobTab2);
    expect(bobMessages.flat()).toEqual([]);
    expect(await call(bob.socket, "message", { roomId: room.id, text: "hi", clientId: "y" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
  });

  test("a left private room can only be re-entered by a new invitation", async () => {
    const { alice, bob } = await setup();
    const priv = await ok(alice.socket, "room:create", { name: uniqueName("priv"), private: true });
    await ok(alice.socket, "room:invite", { roomId: priv.id, username: bob.user.username });
    await ok(bob.socket, "room:leave", { roomId: priv.id });
    expect(await call(bob.socket, "room:join", { roomId: priv.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await call(bob.socket, "history", { roomId: priv.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    await ok(alice.socket, "room:invite", { roomId: priv.id, username: bob.user.username });
    expect(await ok(bob.socket, "room:join", { roomId: priv.id })).toMatchObject({ joined: true });
  });

  test("an unknown room answers NOT_FOUND", async () => {
    const { alice } = await setup();
    expect(await call(alice.socket, "room:leave", { roomId: "nope" })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});

describe("room:invite", () => {
  test("a member invites by name (ignoring case); the invitee's sockets join and everyone hears member-invited", async () => {
    const { alice, bob } = await setup();
    const priv = await ok(alice.socket, "room:create", { name: uniqueName("priv"), private: true });
    const aliceHears = next(alice.socket, "system");
    const bobHears = next(bob.socket, "system");
    expect(await ok(alice.socket, "room:invite", { roomId: priv.id, username: bob.user.username.toUpperCase() })).toEqual({});
    const expected = { type: "member-invited", roomId: priv.id, user: bob.user, at: expect.any(Number) };
    expect(await aliceHears).toEqual(expected);
    expect(await bobHears).toEqual(expected);

    const bobGets = next(bob.socket, "message");
    await ok(alice.socket, "message", { roomId: priv.id, text: "psst", clientId: "p1" });
    expect((await bobGets).text).toBe("psst");
    expect((await ok(bob.socket, "room:list", {})).find((r) => r.id === priv.id)).toMatchObject({ joined: true, kind: "private" });
  });

  test("only members may invite; public rooms and dms take no invitations; unknown users and rooms are NOT_FOUND", async () => {
    const { alice, bob, carol } = await setup();
    const priv = await ok(alice.socket, "room:create", { name: uniqueName("priv"), private: true });
    const pub = await ok(alice.socket, "room:create", { name: uniqueName("pub") });
    const dm = await ok(alice.socket, "dm:open", { username: bob.user.username });
    const code = async (p: Promise<unknown>) => ((await p) as { error?: { code: string } }).error?.code;

    expect(await code(call(carol.socket, "room:invite", { roomId: priv.id, username: bob.user.username }))).toBe("FORBIDDEN");
    expect(await code(call(alice.socket, "room:invite", { roomId: pub.id, username: bob.user.username }))).toBe("BAD_REQUEST");
    expect(await code(call(alice.socket, "room:invite", { roomId: dm.id, username: carol.user.username }))).toBe("BAD_REQUEST");
    expect(await code(call(alice.socket, "room:invite", { roomId: priv.id, username: uniqueName("ghost") }))).toBe("NOT_FOUND");
    expect(await code(call(alice.socket, "room:invite", { roomId: "nope", username: bob.user.username }))).toBe("NOT_FOUND");
    expect(await code(call(alice.socket, "room:invite", { roomId: priv.id, username: "x" }))).toBe("BAD_REQUEST");
  });

  test("inviting a member again answers ok and announces nothing", async () => {
    const { alice, bob } = await setup();
    const priv = await ok(alice.socket, "room:create", { name: uniqueName("priv"), private: true });
    const firstInvite = next(bob.socket, "system");
    await ok(alice.socket, "room:invite", { roomId: priv.id, username: bob.user.username });
    await firstInvite;
    const heard = record(bob.socket, "system");
    await ok(alice.socket, "room:invite", { roomId: priv.id, username: bob.user.username });
    await flush(alice.socket, bob.socket);
    expect(heard).toEqual([]);
  });
});

describe("dm:open", () => {
  test("returns the same room for the same pair, whoever opens it, named after the other user", async () => {
    const { alice, bob } = await setup();
    const fromAlice = await ok(alice.socket, "dm:open", { username: bob.user.username });
    const fromBob = await ok(bob.socket, "dm:open", { username: alice.user.username.toUpperCase() });
    expect(fromAlice.id).toBe(fromBob.id);
    expect(fromAlice).toMatchObject({ kind: "dm", name: bob.user.username, joined: true });
    expect(fromBob).toMatchObject({ kind: "dm", name: alice.user.username, joined: true });
    expect(await ok(alice.socket, "dm:open", { username: bob.user.username })).toEqual(fromAlice);
  });

  test("both users' connected sockets join it at once", async () => {
    const { s, alice, bob } = await setup();
    const bobTab2 = await h.connect(s, bob.token);
    const dm = await ok(alice.socket, "dm:open", { username: bob.user.username });
    const inBob = next(bob.socket, "message");
    const inBobTab2 = next(bobTab2, "message");
    const sent = await ok(alice.socket, "message", { roomId: dm.id, text: "hey bob", clientId: "d1" });
    expect(await inBob).toEqual(sent);
    expect(await inBobTab2).toEqual(sent);
  });

  test("a third user cannot read, join or write a dm", async () => {
    const { alice, bob, carol } = await setup();
    const dm = await ok(alice.socket, "dm:open", { username: bob.user.username });
    for (const [event, payload] of [
      ["room:join", { roomId: dm.id }],
      ["history", { roomId: dm.id }],
      ["message", { roomId: dm.id, text: "intrude", clientId: "i1" }],
    ] as const) {
      expect(await call(carol.socket, event, payload as never)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    }
  });

  test("with oneself is BAD_REQUEST, with an unknown user NOT_FOUND", async () => {
    const { alice } = await setup();
    expect(await call(alice.socket, "dm:open", { username: alice.user.username.toLowerCase() })).toMatchObject({
      ok: false,
      error: { code: "BAD_REQUEST" },
    });
    expect(await call(alice.socket, "dm:open", { username: uniqueName("ghost") })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
  });
});

describe("on connect", () => {
  test("a new socket is placed in every room the user is a member of, dms included", async () => {
    const { s, alice, bob } = await setup();
    const pub = await ok(alice.socket, "room:create", { name: uniqueName("pub") });
    await ok(bob.socket, "room:join", { roomId: pub.id });
    const dm = await ok(alice.socket, "dm:open", { username: bob.user.username });
    const fresh = await h.connect(s, bob.token);
    const seen = record(fresh, "message");
    await ok(alice.socket, "message", { roomId: pub.id, text: "in public", clientId: "a" });
    await ok(alice.socket, "message", { roomId: dm.id, text: "in dm", clientId: "b" });
    await flush(fresh);
    expect(seen.map((m) => m.text)).toEqual(["in public", "in dm"]);
  });
});
