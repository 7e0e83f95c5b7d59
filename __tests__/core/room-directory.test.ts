// The client core's room directory, without a server: counts derived from the
// list and kept right from delivered messages, edits and read events; lists
// coalesced, and a list that predates a local change does not undo it.
import { RoomDirectory } from "../../common/room-directory";
import type { Room } from "../../common/protocol";
import { BOB, deferred, ME, sampleMessage, sampleRoom } from "../helpers/samples";

/** A directory whose room:list answers with `lists` in turn (the last one again after that); `asked` counts calls. */
function directoryWith(...lists: Room[][]) {
  const state = { asked: 0 };
  const directory = new RoomDirectory(ME, async () => lists[Math.min(state.asked++, lists.length - 1)] ?? []);
  return { directory, state };
}

const mention = (roomId: string, seq: number) => sampleMessage({ roomId, seq, text: `hey @${ME.username.toLowerCase()}!` });

test("unread and mention counts come from the list: lastSeq - lastReadSeq, for joined rooms only", async () => {
  const { directory } = directoryWith([
    sampleRoom({ id: "a", lastSeq: 5, lastReadSeq: 2, unreadMentions: 1 }),
    sampleRoom({ id: "b", lastSeq: 9, joined: false }),
    sampleRoom({ id: "c", lastSeq: 3, lastReadSeq: 3 }),
  ]);
  expect(directory.listed).toBe(false);
  await directory.refresh();
  expect(directory.listed).toBe(true);
  expect(["a", "b", "c"].map((id) => [directory.unread(id), directory.mentions(id)])).toEqual([
    [3, 1],
    [0, 0],
    [0, 0],
  ]);
  expect(directory.totalUnread()).toBe(3);
  expect(directory.unread("unknown")).toBe(0);
});

test("a delivered message raises lastSeq; one mentioning the user after the marker counts once, a repeat not again", async () => {
  const { directory } = directoryWith([sampleRoom({ id: "a", lastSeq: 2, lastReadSeq: 2 })]);
  await directory.refresh();
  expect(directory.noteMessage(sampleMessage({ roomId: "a", seq: 3 }))).toMatchObject({ fresh: true, mentionsMe: false });
  expect(directory.noteMessage(mention("a", 4))).toMatchObject({ fresh: true, mentionsMe: true, room: { lastSeq: 4, unreadMentions: 1 } });
  // A catch-up after a reconnect may deliver what the directory knows already.
  expect(directory.noteMessage(mention("a", 4))).toMatchObject({ fresh: false, mentionsMe: true });
  expect([directory.unread("a"), directory.mentions("a")]).toEqual([2, 1]);
});

test("a mention of someone else, a deleted one, or one by the user themselves does not count", async () => {
  const { directory } = directoryWith([sampleRoom({ id: "a" })]);
  await directory.refresh();
  directory.noteMessage(sampleMessage({ roomId: "a", seq: 1, text: "@alicex and @bobby" }));
  directory.noteMessage({ ...mention("a", 2), deleted: true, text: "" });
  expect(directory.get("a")).toMatchObject({ lastSeq: 2, unreadMentions: 0 });
});

test("the user's own message moves their marker to it, as the server does: what they wrote is read", async () => {
  const { directory } = directoryWith([sampleRoom({ id: "a", lastSeq: 4, lastReadSeq: 1, unreadMentions: 2 })]);
  await directory.refresh();
  directory.noteMessage(sampleMessage({ roomId: "a", seq: 5, sender: ME, text: "me too" }));
  expect(directory.get("a")).toMatchObject({ lastSeq: 5, lastReadSeq: 5, unreadMentions: 0 });
  expect(directory.serverReadSeq("a")).toBe(5);
});

test("a message in a room it does not know asks for the list, which then names the room", async () => {
  const invited = sampleRoom({ id: "new", kind: "private", lastSeq: 1, unreadMentions: 1 });
  const { directory, state } = directoryWith([], [invited]);
  await directory.refresh();
  const news = directory.noteMessage(mention("new", 1));
  expect(news).toEqual({ room: undefined, listed: expect.any(Promise), fresh: true, mentionsMe: true });
  expect(await news.listed).toEqual(invited);
  expect(state.asked).toBe(2);
  expect(directory.mentions("new")).toBe(1);
});

test("a list asked for before live messages arrived neither lowers lastSeq nor loses the mentions counted since", async () => {
  const list = deferred<Room[]>();
  const directory = new RoomDirectory(ME, () => list.promise);
  directory.upsert(sampleRoom({ id: "a", lastSeq: 1, lastReadSeq: 1 }));
  const refreshed = directory.refresh();
  directory.noteMessage(mention("a", 2));
  list.resolve([sampleRoom({ id: "a", lastSeq: 1, lastReadSeq: 1 })]);
  await refreshed;
  expect(directory.get("a")).toMatchObject({ lastSeq: 2, lastReadSeq: 1, unreadMentions: 1 });
});

test("a room joined or left while a list is on its way keeps what was done here", async () => {
  const list = deferred<Room[]>();
  const directory = new RoomDirectory(ME, () => list.promise);
  const refreshed = directory.refresh();
  directory.upsert(sampleRoom({ id: "joined", lastSeq: 3, lastReadSeq: 3 }));
  directory.upsert(sampleRoom({ id: "private", kind: "private" }));
  directory.left("private");
  list.resolve([sampleRoom({ id: "joined", lastSeq: 3, joined: false }), sampleRoom({ id: "private", kind: "private" })]);
  await refreshed;
  expect(directory.get("joined")).toMatchObject({ joined: true });
  expect(directory.get("private")).toBeUndefined();
});

test("refresh calls while one list is on its way make one more list, not one each; each resolves after a list asked after it", async () => {
  const answers = [deferred<Room[]>(), deferred<Room[]>()];
  let asked = 0;
  const directory = new RoomDirectory(ME, () => answers[asked++]!.promise);
  const first = directory.refresh();
  const second = directory.refresh();
  const third = directory.refresh();
  expect(second).toBe(third);
  answers[0]!.resolve([sampleRoom({ id: "a", lastSeq: 1 })]);
  answers[1]!.resolve([sampleRoom({ id: "a", lastSeq: 2 })]);
  expect((await first).map((r) => r.lastSeq)).toEqual([1]);
  expect((await second).map((r) => r.lastSeq)).toEqual([2]);
  expect(asked).toBe(2);
});

test("a list that fails rejects that refresh; the next one asks again", async () => {
  let fail = true;
  const directory = new RoomDirectory(ME, async () => {
    if (fail) throw new Error("down");
    return [sampleRoom({ id: "a" })];
  });
  await expect(directory.refresh()).rejects.toThrow("down");
  fail = false;
  await expect(directory.refresh()).resolves.toHaveLength(1);
});

test("edits and deletes after the marker add or take away a mention; without the old text the server counts again", async () => {
  const { directory, state } = directoryWith([sampleRoom({ id: "a", lastSeq: 3, lastReadSeq: 1, unreadMentions: 1 })]);
  await directory.refresh();
  const plain = sampleMessage({ roomId: "a", seq: 2 });
  const mentioning = mention("a", 3);
  directory.noteEdit(plain, { ...plain, text: `@${ME.username}` });
  expect(directory.get("a")?.unreadMentions).toBe(2);
  directory.noteEdit(mentioning, { ...mentioning, deleted: true, text: "" });
  expect(directory.get("a")?.unreadMentions).toBe(1);
  // Before the marker, or the user's own: nothing to count.
  directory.noteEdit(undefined, { ...mention("a", 1) });
  directory.noteEdit(undefined, { ...mention("a", 3), sender: ME });
  expect(state.asked).toBe(1);
  const recount = new Promise<void>((resolve) => directory.subscribe(resolve));
  directory.noteEdit(undefined, mention("a", 2));
  await recount;
  expect(state.asked).toBe(2);
});

test("the user's read events move the marker; read only part of the way past mentions, the list is asked for again", async () => {
  const { directory, state } = directoryWith([sampleRoom({ id: "a", lastSeq: 6, lastReadSeq: 0, unreadMentions: 2 })]);
  await directory.refresh();
  directory.noteRead("a", 9);
  expect(directory.get("a")).toMatchObject({ lastReadSeq: 6, unreadMentions: 0 });
  expect(directory.serverReadSeq("a")).toBe(9);
  expect(state.asked).toBe(1);

  const partial = directoryWith([sampleRoom({ id: "a", lastSeq: 6, unreadMentions: 2 })]);
  await partial.directory.refresh();
  partial.directory.noteRead("a", 3);
  expect(partial.directory.get("a")).toMatchObject({ lastReadSeq: 3, unreadMentions: 2 });
  await partial.directory.refresh();
  expect(partial.state.asked).toBe(3);
});

test("markRead moves the shown marker forward only, never past lastSeq, and leaves the server's marker alone", async () => {
  const { directory } = directoryWith([sampleRoom({ id: "a", lastSeq: 4, lastReadSeq: 2, unreadMentions: 1 })]);
  await directory.refresh();
  directory.markRead("a", 1);
  expect(directory.get("a")?.lastReadSeq).toBe(2);
  directory.markRead("a", 100);
  expect(directory.get("a")).toMatchObject({ lastReadSeq: 4, unreadMentions: 0 });
  expect(directory.serverReadSeq("a")).toBe(2);
});

test("leaving: a public room stays listed, not joined and without counts; a private room or dm is gone", async () => {
  const { directory } = directoryWith([
    sampleRoom({ id: "pub", lastSeq: 4 }),
    sampleRoom({ id: "priv", kind: "private", lastSeq: 4 }),
    sampleRoom({ id: "dm", kind: "dm", name: BOB.username }),
  ]);
  await directory.refresh();
  for (const id of ["pub", "priv", "dm"]) directory.left(id);
  expect(directory.all().map((r) => [r.id, r.joined])).toEqual([["pub", false]]);
  expect(directory.unread("pub")).toBe(0);
});

test("publicRoomNamed compares names as the server does (case folded, NFKC)", async () => {
  const { directory } = directoryWith([
    sampleRoom({ id: "s", name: "Straße" }),
    sampleRoom({ id: "p", name: "secret", kind: "private" }),
  ]);
  await directory.refresh();
  expect(directory.publicRoomNamed(" STRASSE ")?.id).toBe("s");
  expect(directory.publicRoomNamed("secret")).toBeUndefined();
});

test("listeners hear every change, and nothing for a change that changes nothing", async () => {
  const { directory } = directoryWith([sampleRoom({ id: "a", lastSeq: 2, lastReadSeq: 2 })]);
  let heard = 0;
  directory.subscribe(() => heard++);
  await directory.refresh();
  expect(heard).toBe(1);
  directory.markRead("a", 2);
  directory.noteMessage(sampleMessage({ roomId: "a", seq: 1 }));
  expect(heard).toBe(1);
  directory.noteMessage(sampleMessage({ roomId: "a", seq: 3 }));
  expect(heard).toBe(2);
});

test("rooms sort by activity: the newest message heard of first (live, a history page, or a join just now), the rest by name", async () => {
  const { directory } = directoryWith([sampleRoom({ id: "a", name: "alpha" }), sampleRoom({ id: "b", name: "beta" }), sampleRoom({ id: "c", name: "Gamma" })]);
  await directory.refresh();
  const order = () => directory.all().sort(directory.byActivity).map((r) => r.id);
  expect(order()).toEqual(["a", "b", "c"]);
  directory.noteMessage(sampleMessage({ roomId: "c", seq: 1, createdAt: 5000 }));
  directory.noteActivity("b", 3000);
  expect(order()).toEqual(["c", "b", "a"]);
  // Older news does not move a room back.
  directory.noteActivity("c", 1000);
  expect(directory.lastActivity("c")).toBe(5000);
  directory.upsert(sampleRoom({ id: "d", name: "delta" }));
  expect(order()[0]).toBe("d");
});
