// Rooms, membership and dms as chat logic, without a socket: createChat over
// in-memory SQLite with a recording Effects. Who hears what is asked of the
// recorded effects; what is stored, of the functions' own answers.
import { createRoom, inviteToRoom, joinRoom, leaveRoom, listRooms, openDm, roomMembers } from "../../server/chat/rooms";
import { useChatWorld } from "../helpers/chat-world";

const world = useChatWorld();

async function people() {
  const w = world();
  return { w, alice: await w.user("alice"), bob: await w.user("bob"), carol: await w.user("carol") };
}

describe("creating and listing", () => {
  test("the creator is the first member, and their sockets are put in the room", async () => {
    const { w, alice } = await people();
    const room = await createRoom(w.chat, alice, { name: "general" });
    expect(room).toEqual({ id: room.id, kind: "public", name: "general", lastSeq: 0, joined: true, lastReadSeq: 0, unreadMentions: 0 });
    expect(w.effects.inRoom(alice.id, room.id)).toBe(true);
    expect(await listRooms(w.chat, alice)).toEqual([room]);
  });

  test("public names are unique ignoring case (CONFLICT); private rooms may share a name", async () => {
    const { w, alice, bob } = await people();
    await createRoom(w.chat, alice, { name: "Straße" });
    await expect(createRoom(w.chat, bob, { name: "STRASSE" })).rejects.toMatchObject({ code: "CONFLICT" });
    await createRoom(w.chat, bob, { name: "Straße", private: true });
    await createRoom(w.chat, alice, { name: "Straße", private: true });
  });

  test("the list has every public room and the user's own rooms, not others' private rooms", async () => {
    const { w, alice, bob } = await people();
    const open = await createRoom(w.chat, alice, { name: "open" });
    await createRoom(w.chat, alice, { name: "hidden", private: true });
    const listed = await listRooms(w.chat, bob);
    expect(listed.map((r) => [r.name, r.joined])).toEqual([["open", false]]);
    expect(listed[0]?.id).toBe(open.id);
  });
});

describe("joining and leaving", () => {
  test("joining a public room announces member-joined to the room, the joiner included; joining again announces nothing", async () => {
    const { w, alice, bob } = await people();
    const room = await createRoom(w.chat, alice, { name: "general" });
    const joined = await joinRoom(w.chat, bob, { roomId: room.id });
    expect(joined).toMatchObject({ id: room.id, joined: true });
    await joinRoom(w.chat, bob, { roomId: room.id });
    expect(w.effects.payloads("system")).toEqual([{ type: "member-joined", roomId: room.id, user: bob, at: expect.any(Number) }]);
    expect(w.effects.audiences("system")).toEqual([[alice.id, bob.id]]);
    expect(w.effects.announced).toContainEqual({ roomId: room.id, userId: bob.id, member: true });
  });

  test("private rooms are by invitation only (FORBIDDEN); unknown rooms are NOT_FOUND", async () => {
    const { w, alice, bob } = await people();
    const secret = await createRoom(w.chat, alice, { name: "secret", private: true });
    await expect(joinRoom(w.chat, bob, { roomId: secret.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(joinRoom(w.chat, bob, { roomId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(leaveRoom(w.chat, bob, { roomId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  test("leaving announces member-left to the room and the leaver, then takes the leaver's sockets out", async () => {
    const { w, alice, bob } = await people();
    const room = await createRoom(w.chat, alice, { name: "general" });
    await joinRoom(w.chat, bob, { roomId: room.id });
    w.effects.clear();
    await leaveRoom(w.chat, bob, { roomId: room.id });
    expect(w.effects.payloads("system")).toEqual([expect.objectContaining({ type: "member-left", user: bob })]);
    expect(w.effects.audiences("system")).toEqual([[alice.id, bob.id]]);
    expect(w.effects.inRoom(bob.id, room.id)).toBe(false);
    expect((await listRooms(w.chat, bob))[0]).toMatchObject({ id: room.id, joined: false });
    // Leaving a room one is not in changes nothing and announces nothing.
    await leaveRoom(w.chat, bob, { roomId: room.id });
    expect(w.effects.payloads("system")).toHaveLength(1);
  });

  test("after leaving a private room, coming back needs a new invitation", async () => {
    const { w, alice, bob } = await people();
    const secret = await createRoom(w.chat, alice, { name: "secret", private: true });
    await inviteToRoom(w.chat, alice, { roomId: secret.id, username: "bob" });
    await joinRoom(w.chat, bob, { roomId: secret.id });
    await leaveRoom(w.chat, bob, { roomId: secret.id });
    await expect(joinRoom(w.chat, bob, { roomId: secret.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("invitations", () => {
  test("a member invites by name (ignoring case); the invitee hears member-invited even before their sockets are in", async () => {
    const { w, alice, bob } = await people();
    const secret = await createRoom(w.chat, alice, { name: "secret", private: true });
    w.effects.clear();
    await inviteToRoom(w.chat, alice, { roomId: secret.id, username: "BOB" });
    expect(w.effects.payloads("system")).toEqual([expect.objectContaining({ type: "member-invited", roomId: secret.id, user: bob })]);
    expect(w.effects.audiences("system")).toEqual([[alice.id, bob.id]]);
    expect(w.effects.inRoom(bob.id, secret.id)).toBe(true);
    // Inviting a member again announces nothing.
    await inviteToRoom(w.chat, alice, { roomId: secret.id, username: "bob" });
    expect(w.effects.payloads("system")).toHaveLength(1);
  });

  test("only private rooms take invitations (BAD_REQUEST), only from members (FORBIDDEN), only of users (NOT_FOUND)", async () => {
    const { w, alice, carol } = await people();
    const open = await createRoom(w.chat, alice, { name: "open" });
    const secret = await createRoom(w.chat, alice, { name: "secret", private: true });
    await expect(inviteToRoom(w.chat, alice, { roomId: open.id, username: "bob" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(inviteToRoom(w.chat, carol, { roomId: secret.id, username: "bob" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(inviteToRoom(w.chat, alice, { roomId: secret.id, username: "nobody" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("direct messages", () => {
  test("one dm per pair, whoever opens it, named after the other user; both users' sockets are put in", async () => {
    const { w, alice, bob } = await people();
    const fromAlice = await openDm(w.chat, alice, { username: "bob" });
    const fromBob = await openDm(w.chat, bob, { username: "Alice" });
    expect(fromAlice).toMatchObject({ kind: "dm", name: "bob", joined: true });
    expect(fromBob).toMatchObject({ id: fromAlice.id, kind: "dm", name: "alice" });
    expect([w.effects.inRoom(alice.id, fromAlice.id), w.effects.inRoom(bob.id, fromAlice.id)]).toEqual([true, true]);
  });

  test("not with oneself (BAD_REQUEST), not with nobody (NOT_FOUND); others cannot join it", async () => {
    const { w, alice, carol } = await people();
    await expect(openDm(w.chat, alice, { username: "ALICE" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(openDm(w.chat, alice, { username: "nobody" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const dm = await openDm(w.chat, alice, { username: "bob" });
    await expect(joinRoom(w.chat, carol, { roomId: dm.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

test("members are listed, with who is online for members only; anyone may see a public room's, only members a private room's", async () => {
  const { w, alice, bob, carol } = await people();
  const open = await createRoom(w.chat, alice, { name: "open" });
  await joinRoom(w.chat, bob, { roomId: open.id });
  const secret = await createRoom(w.chat, alice, { name: "secret", private: true });
  await w.chat.presence.add(bob, "bob-socket");
  const members = await roomMembers(w.chat, alice, { roomId: open.id });
  expect(members.map((m) => [m.username, m.online])).toEqual([
    ["alice", false],
    ["bob", true],
  ]);
  // Carol is not in the room: she sees who is in it, not who of them is online.
  expect(await roomMembers(w.chat, carol, { roomId: open.id })).toEqual([alice, bob]);
  await expect(roomMembers(w.chat, carol, { roomId: secret.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
});
