// Messages as chat logic, without a socket: seq order, idempotent retries,
// edits and deletes by the author only, history windows, search scope.
import { deleteMessage, editMessage, history, search, sendMessage } from "../../server/chat/messages";
import { createRoom, joinRoom } from "../../server/chat/rooms";
import { errors } from "../../server/errors";
import type { ChatWorld } from "../helpers/chat-world";
import { useChatWorld } from "../helpers/chat-world";

const world = useChatWorld();

async function roomWithTwo(w: ChatWorld = world()) {
  const alice = await w.user("alice");
  const bob = await w.user("bob");
  const carol = await w.user("carol");
  const room = await createRoom(w.chat, alice, { name: "general" });
  await joinRoom(w.chat, bob, { roomId: room.id });
  w.effects.clear();
  const say = (who: typeof alice, text: string, clientId = `${who.username}-${text}`) =>
    sendMessage(w.chat, who, { roomId: room.id, text, clientId });
  return { w, alice, bob, carol, room, say };
}

describe("sending", () => {
  test("each message gets the room's next seq, is answered as stored and broadcast once to the room", async () => {
    const { w, alice, bob, room, say } = await roomWithTwo();
    const sent = [await say(alice, "one"), await say(bob, "two"), await say(alice, "three")];
    expect(sent.map((m) => [m.seq, m.sender.username, m.text])).toEqual([
      [1, "alice", "one"],
      [2, "bob", "two"],
      [3, "alice", "three"],
    ]);
    expect(w.effects.payloads("message")).toEqual(sent);
    expect(w.effects.audiences("message")).toEqual(Array(3).fill([alice.id, bob.id]));
    expect(await history(w.chat, alice, { roomId: room.id })).toEqual(sent);
  });

  test("a retry with the same clientId answers the original and broadcasts nothing; in another room it is CONFLICT", async () => {
    const { w, alice, say } = await roomWithTwo();
    const other = await createRoom(w.chat, alice, { name: "other" });
    const first = await say(alice, "hello", "c-1");
    expect(await say(alice, "hello again", "c-1")).toEqual(first);
    expect(w.effects.payloads("message")).toEqual([first]);
    await expect(sendMessage(w.chat, alice, { roomId: other.id, text: "x", clientId: "c-1" })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  test("over the abuse limit a new message is refused, but a retry of a stored one still answers the original", async () => {
    const { w, alice, room, say } = await roomWithTwo();
    const stored = await say(alice, "once", "c-9");
    const overLimit = async () => {
      throw errors.rateLimited();
    };
    const retry = await sendMessage(w.chat, alice, { roomId: room.id, text: "once", clientId: "c-9" }, overLimit);
    expect(retry).toEqual(stored);
    await expect(sendMessage(w.chat, alice, { roomId: room.id, text: "new", clientId: "c-10" }, overLimit)).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
  });

  test("members only (FORBIDDEN), even in a public room; unknown rooms are NOT_FOUND", async () => {
    const { w, carol, room } = await roomWithTwo();
    await expect(sendMessage(w.chat, carol, { roomId: room.id, text: "hi", clientId: "c" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(sendMessage(w.chat, carol, { roomId: "nope", text: "hi", clientId: "c" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(w.effects.payloads("message")).toEqual([]);
  });
});

describe("editing and deleting", () => {
  test("the author edits: same seq, editedAt set, message:updated to the room; the same text again changes nothing", async () => {
    const { w, alice, say } = await roomWithTwo();
    const m = await say(alice, "helo");
    w.tick(1000);
    const edited = await editMessage(w.chat, alice, { messageId: m.id, text: "hello" });
    expect(edited).toMatchObject({ id: m.id, seq: m.seq, text: "hello", editedAt: m.createdAt + 1000, deleted: false });
    expect(await editMessage(w.chat, alice, { messageId: m.id, text: "hello" })).toEqual(edited);
    expect(w.effects.payloads("message:updated")).toEqual([edited]);
  });

  test("the author deletes: the text is gone, the seq stays; a deleted message cannot be edited; deleting again is a no-op", async () => {
    const { w, alice, room, say } = await roomWithTwo();
    const m = await say(alice, "oops");
    expect(await deleteMessage(w.chat, alice, { messageId: m.id })).toEqual({});
    await deleteMessage(w.chat, alice, { messageId: m.id });
    expect(w.effects.payloads("message:updated")).toEqual([expect.objectContaining({ id: m.id, seq: 1, text: "", deleted: true })]);
    await expect(editMessage(w.chat, alice, { messageId: m.id, text: "back" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await history(w.chat, alice, { roomId: room.id })).toEqual([expect.objectContaining({ seq: 1, deleted: true, text: "" })]);
  });

  test("nobody else may change a message (FORBIDDEN); unknown ids are NOT_FOUND", async () => {
    const { w, alice, bob, say } = await roomWithTwo();
    const m = await say(alice, "mine");
    await expect(editMessage(w.chat, bob, { messageId: m.id, text: "theirs" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(deleteMessage(w.chat, bob, { messageId: m.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(editMessage(w.chat, bob, { messageId: "nope", text: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(w.effects.payloads("message:updated")).toEqual([]);
  });
});

describe("history", () => {
  test("pages before or after a seq, ascending, at most limit; readable by anyone in a public room", async () => {
    const { w, alice, carol, room, say } = await roomWithTwo();
    for (let i = 1; i <= 7; i++) await say(alice, `m${i}`);
    const seqs = async (query: { before?: number; after?: number; limit?: number }) =>
      (await history(w.chat, carol, { roomId: room.id, ...query })).map((m) => m.seq);
    expect(await seqs({ limit: 3 })).toEqual([5, 6, 7]);
    expect(await seqs({ before: 5, limit: 2 })).toEqual([3, 4]);
    expect(await seqs({ after: 5 })).toEqual([6, 7]);
    expect(await seqs({ after: 7 })).toEqual([]);
  });

  test("a private room's history is for members only", async () => {
    const { w, alice, carol } = await roomWithTwo();
    const secret = await createRoom(w.chat, alice, { name: "secret", private: true });
    await expect(history(w.chat, carol, { roomId: secret.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("search", () => {
  test("every word as a prefix, in the user's own rooms, or in one readable room by id", async () => {
    const { w, alice, bob, carol, room, say } = await roomWithTwo();
    const secret = await createRoom(w.chat, alice, { name: "secret", private: true });
    await say(alice, "the quick brown fox");
    await say(bob, "a quick reply");
    await sendMessage(w.chat, alice, { roomId: secret.id, text: "quick and secret", clientId: "s1" });
    const texts = async (who: typeof alice, query: string, roomId?: string) =>
      (await search(w.chat, who, { query, ...(roomId ? { roomId } : {}) })).map((m) => m.text).sort();
    expect(await texts(alice, "QUI")).toEqual(["a quick reply", "quick and secret", "the quick brown fox"]);
    expect(await texts(alice, "quick fo")).toEqual(["the quick brown fox"]);
    expect(await texts(bob, "secret")).toEqual([]);
    // Carol is in no room: nothing without a room, a public one by id.
    expect(await texts(carol, "quick")).toEqual([]);
    expect(await texts(carol, "quick", room.id)).toEqual(["a quick reply", "the quick brown fox"]);
    await expect(search(w.chat, carol, { query: "quick", roomId: secret.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
