// Read markers, mentions, presence, typing and contacts as chat logic,
// without a socket.
import { addContact, listContacts, removeContact } from "../../server/chat/contacts";
import { deleteMessage, editMessage, sendMessage } from "../../server/chat/messages";
import { socketConnected, socketDisconnected } from "../../server/chat/presence";
import { markRead } from "../../server/chat/reads";
import { createRoom, joinRoom, listRooms } from "../../server/chat/rooms";
import { useChatWorld, type ChatWorld } from "../helpers/chat-world";

const world = useChatWorld();

async function roomWithTwo(w: ChatWorld = world()) {
  const alice = await w.user("alice");
  const bob = await w.user("bob");
  const room = await createRoom(w.chat, alice, { name: "general" });
  await joinRoom(w.chat, bob, { roomId: room.id });
  let n = 0;
  const say = (who: typeof alice, text: string) => sendMessage(w.chat, who, { roomId: room.id, text, clientId: `c${++n}` });
  const seenBy = async (who: typeof alice) => (await listRooms(w.chat, who)).find((r) => r.id === room.id)!;
  w.effects.clear();
  return { w, alice, bob, room, say, seenBy };
}

describe("read markers", () => {
  test("move forward only, never past the newest message; each move is relayed to the room once", async () => {
    const { w, alice, bob, room, say, seenBy } = await roomWithTwo();
    for (const text of ["one", "two", "three"]) await say(alice, text);
    await markRead(w.chat, bob, { roomId: room.id, seq: 2 });
    await markRead(w.chat, bob, { roomId: room.id, seq: 1 });
    await markRead(w.chat, bob, { roomId: room.id, seq: 99 });
    expect(w.effects.payloads("read")).toEqual([
      { roomId: room.id, user: bob, seq: 2 },
      { roomId: room.id, user: bob, seq: 3 },
    ]);
    expect(w.effects.audiences("read")).toEqual([
      [alice.id, bob.id],
      [alice.id, bob.id],
    ]);
    expect(await seenBy(bob)).toMatchObject({ lastSeq: 3, lastReadSeq: 3 });
  });

  test("sending moves the author's own marker to the message", async () => {
    const { alice, bob, say, seenBy } = await roomWithTwo();
    await say(alice, "one");
    await say(bob, "two");
    expect([(await seenBy(alice)).lastReadSeq, (await seenBy(bob)).lastReadSeq]).toEqual([1, 2]);
  });

  test("members only (FORBIDDEN)", async () => {
    const { w, room } = await roomWithTwo();
    const carol = await w.user("carol");
    await expect(markRead(w.chat, carol, { roomId: room.id, seq: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("mentions", () => {
  test("count for a member after their marker, follow edits and deletes, and end when read past", async () => {
    const { w, alice, bob, room, say, seenBy } = await roomWithTwo();
    const first = await say(alice, "hey @BOB, look");
    const second = await say(alice, "and @bob again, and @nobody");
    expect((await seenBy(bob)).unreadMentions).toBe(2);
    await editMessage(w.chat, alice, { messageId: first.id, text: "hey, look" });
    expect((await seenBy(bob)).unreadMentions).toBe(1);
    await deleteMessage(w.chat, alice, { messageId: second.id });
    expect((await seenBy(bob)).unreadMentions).toBe(0);
    await say(alice, "@bob once more");
    await markRead(w.chat, bob, { roomId: room.id, seq: 3 });
    expect((await seenBy(bob)).unreadMentions).toBe(0);
    // The author is never counted, nor is anyone outside the room.
    await say(bob, "note to self @bob, and to @alice");
    expect([(await seenBy(bob)).unreadMentions, (await seenBy(alice)).unreadMentions]).toEqual([0, 1]);
  });
});

describe("presence", () => {
  test("online at the first socket, offline at the last, told to room-mates and watchers but not to the user", async () => {
    const { w, alice, bob } = await roomWithTwo();
    const watcher = await w.user("watcher");
    await addContact(w.chat, watcher, { username: "bob" });
    await socketConnected(w.chat, bob, "s1");
    await socketConnected(w.chat, bob, "s2");
    await socketDisconnected(w.chat, bob, "s1");
    expect(w.effects.payloads("presence")).toEqual([{ user: bob, online: true }]);
    await socketDisconnected(w.chat, bob, "s2");
    expect(w.effects.payloads("presence")).toEqual([
      { user: bob, online: true },
      { user: bob, online: false },
    ]);
    expect(w.effects.audiences("presence")).toEqual([
      [alice.id, watcher.id],
      [alice.id, watcher.id],
    ]);
  });
});

describe("typing", () => {
  // setImmediate stays real: storage answers writes after a group commit scheduled with it.
  beforeEach(() => jest.useFakeTimers({ doNotFake: ["setImmediate"] }));
  afterEach(() => jest.useRealTimers());

  test("is relayed to the room but the typist (volatile), ends by itself after 5 s, and when the typist's socket goes", async () => {
    const { w, alice, bob, room } = await roomWithTwo();
    w.chat.typing.set(bob, room.id, true, "socket-1");
    expect(w.effects.emitted).toEqual([
      { audience: { rooms: [room.id], exceptUsers: [bob.id], volatile: true }, event: "typing", payload: { roomId: room.id, user: bob, typing: true }, reached: [alice.id] },
    ]);
    jest.advanceTimersByTime(4999);
    expect(w.effects.payloads("typing")).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(w.effects.payloads("typing")[1]).toEqual({ roomId: room.id, user: bob, typing: false });

    w.chat.typing.set(bob, room.id, true, "socket-2");
    w.chat.typing.socketGone("socket-2");
    expect(w.effects.payloads("typing").map((t) => t.typing)).toEqual([true, false, true, false]);
    jest.advanceTimersByTime(10_000);
    expect(w.effects.payloads("typing")).toHaveLength(4);
  });
});

describe("contacts", () => {
  test("add and remove by name ignoring case, listed with who is online; not oneself, not nobody", async () => {
    const w = world();
    const alice = await w.user("alice");
    const bob = await w.user("Bob");
    await addContact(w.chat, alice, { username: "BOB" });
    await addContact(w.chat, alice, { username: "bob" });
    await w.chat.presence.add(bob, "bob-socket");
    expect(await listContacts(w.chat, alice)).toEqual([{ ...bob, online: true }]);
    await removeContact(w.chat, alice, { username: "bob" });
    expect(await listContacts(w.chat, alice)).toEqual([]);
    await expect(addContact(w.chat, alice, { username: "Alice" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(addContact(w.chat, alice, { username: "nobody" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
