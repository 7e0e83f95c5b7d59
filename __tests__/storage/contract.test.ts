// The storage contract: every Storage method, run against every backend in
// helpers/storage-backends.ts. A backend whose server is not configured here
// is skipped with its reason printed (never in CI, where .ci/run sets them).
import { randomUUID } from "node:crypto";
import type { User } from "../../common/protocol";
import { describeEachBackend } from "../helpers/storage-backends";
import { builders } from "./fixture";

describeEachBackend("storage contract", (storage, backend) => {
  const { user, room, message, say } = builders(storage);

  test("ping answers, and says which dialect it is", async () => {
    await expect(storage().ping()).resolves.toBeUndefined();
    expect(storage().dialect).toBe(backend.dialect);
  });

  describe("accounts", () => {
    test("usernames are unique ignoring case and found ignoring case", async () => {
      const alice = await user("Alice");
      expect(await storage().createUser({ id: randomUUID(), username: "ALICE", passwordHash: "x" }, 0)).toBe(false);
      expect(await storage().findUserByName("aLiCe")).toEqual({ ...alice, passwordHash: "x" });
      expect(await storage().findUserByName("bob")).toBeNull();
    });

    test("ignoring case means ASCII case only, as usernames are ASCII", async () => {
      const kate = await user("kate_k");
      expect(await storage().findUserByName("KATE_K")).toEqual({ ...kate, passwordHash: "x" });
      // U+212A KELVIN SIGN lowercases to "k" in Unicode, but is not a username's k.
      expect(await storage().findUserByName("\u212Aate_k")).toBeNull();
      expect(await storage().findUserByName("kate_k ")).toBeNull();
    });

    test("tokens find their session until they expire or are deleted; expired ones are purged", async () => {
      const alice = await user();
      await storage().createToken("live", alice.id, 2000);
      await storage().createToken("old", alice.id, 1000);
      expect(await storage().findSession("live", 1000)).toEqual({ user: alice, expiresAt: 2000 });
      expect(await storage().findSession("live", 2000)).toBeNull();
      expect(await storage().purgeExpiredTokens(1500)).toBe(1);
      expect(await storage().purgeExpiredTokens(1500)).toBe(0);
      expect(await storage().findSession("live", 1500)).toEqual({ user: alice, expiresAt: 2000 });
      expect(await storage().deleteToken("live")).toBe(true);
      expect(await storage().deleteToken("live")).toBe(false);
      expect(await storage().findSession("live", 1000)).toBeNull();
    });
  });

  describe("rooms", () => {
    test("public room names are unique ignoring case; private ones are not; rooms are counted per creator", async () => {
      const alice = await user();
      await room(alice.id, "public", "General");
      expect(await storage().createRoom({ id: randomUUID(), kind: "public", name: "general", dmUsers: null }, alice.id, 0)).toBe(false);
      await room(alice.id, "private", "general");
      await room(alice.id, "private", "general");
      expect(await storage().roomsCreatedBy(alice.id)).toBe(3);
      expect(await storage().roomsCreatedBy((await user()).id)).toBe(0);
    });

    test("ignoring case means Unicode case, not only ASCII", async () => {
      const alice = await user();
      const taken = (name: string) =>
        storage().createRoom({ id: randomUUID(), kind: "public", name, dmUsers: null }, alice.id, 0).then((created) => !created);
      await room(alice.id, "public", "Élan");
      expect(await taken("élan")).toBe(true);
      expect(await taken("ÉLAN")).toBe(true);
      await room(alice.id, "public", "Straße");
      expect(await taken("STRASSE")).toBe(true);
      expect(await taken("Ｓｔｒａｓｓｅ")).toBe(true);
      expect(await taken("Elan")).toBe(false);
    });

    test("ids compare exactly: not ignoring case, not ignoring trailing spaces", async () => {
      const alice = await user();
      const roomId = await room(alice.id);
      const m = await say(roomId, alice, "hello", "cid");
      for (const other of [roomId.toUpperCase(), `${roomId} `]) {
        expect(await storage().findRoom(other)).toBeNull();
        expect(await storage().roomFor(other, alice.id)).toBeNull();
        expect(await storage().isMember(other, alice.id)).toBe(false);
      }
      expect(await storage().findMessage(m.id.toUpperCase())).toBeNull();
      expect(await storage().findMessage(`${m.id} `)).toBeNull();
      // clientIds are the client's own strings: any difference makes another message.
      for (const clientId of ["CID", "cid ", " cid"]) expect(await say(roomId, alice, clientId, clientId)).toMatchObject({ clientId });
      expect(await storage().findMessageByClientId(alice.id, "cid ")).toMatchObject({ text: "cid " });
    });

    test("members and contacts are listed by username ignoring case", async () => {
      const names = ["Zed_o", "amy_o", "_ab_o"];
      const [zed, amy, ab] = [await user(names[0]), await user(names[1]), await user(names[2])];
      const roomId = await room(zed!.id);
      for (const u of [amy!, ab!]) await storage().addMember(roomId, u.id, 0);
      expect((await storage().members(roomId)).map((u) => u.username)).toEqual(["_ab_o", "amy_o", "Zed_o"]);
      const owner = await user();
      for (const u of [zed!, amy!, ab!]) await storage().addContact(owner.id, u.id, 0);
      expect((await storage().contacts(owner.id)).map((u) => u.username)).toEqual(["_ab_o", "amy_o", "Zed_o"]);
    });

    test("concurrent opens of one dm pair give one room", async () => {
      const pair = [(await user()).id, (await user()).id].sort() as [string, string];
      const dms = await Promise.all(Array.from({ length: 6 }, () => storage().openDm(randomUUID(), pair, 0)));
      expect(new Set(dms.map((d) => d.id)).size).toBe(1);
      expect((await storage().memberIds(dms[0]!.id)).sort()).toEqual(pair);
    });

    test("findRoom, memberships, dms and the per-user room list", async () => {
      const alice = await user("alice_s");
      const bob = await user("bob_s");
      const pub = await room(alice.id, "public", "Pub");
      const priv = await room(alice.id, "private");
      expect(await storage().findRoom(pub)).toEqual({ id: pub, kind: "public", name: "Pub", dmUsers: null });
      expect(await storage().findRoom(randomUUID())).toBeNull();
      expect(await storage().addMember(pub, bob.id, 0)).toBe(true);
      expect(await storage().addMember(pub, bob.id, 0)).toBe(false);
      expect(await storage().isMember(pub, bob.id)).toBe(true);
      expect(await storage().isMember(priv, bob.id)).toBe(false);
      expect((await storage().memberIds(pub)).sort()).toEqual([alice.id, bob.id].sort());
      expect(await storage().members(pub)).toEqual([alice, bob]);

      const pair = [alice.id, bob.id].sort() as [string, string];
      const dm = await storage().openDm(randomUUID(), pair, 0);
      expect(dm).toMatchObject({ kind: "dm", name: null, dmUsers: pair });
      expect(await storage().openDm(randomUUID(), pair, 0)).toEqual(dm);
      expect((await storage().roomFor(dm.id, alice.id))?.name).toBe("bob_s");
      expect((await storage().roomFor(dm.id, bob.id))?.name).toBe("alice_s");
      expect(await storage().roomsCreatedBy(alice.id)).toBe(2); // dms do not count

      const bobs = await storage().listRooms(bob.id, { unjoinedPublic: 10 });
      expect(bobs.map((r) => r.id).sort()).toEqual([pub, dm.id].sort());
      expect((await storage().roomIdsOf(bob.id)).sort()).toEqual([pub, dm.id].sort());
      expect(await storage().removeMember(pub, bob.id)).toBe(true);
      expect(await storage().removeMember(pub, bob.id)).toBe(false);
      expect(await storage().isMember(pub, bob.id)).toBe(false);
      const after = await storage().listRooms(bob.id, { unjoinedPublic: 10 });
      expect(after.find((r) => r.id === pub)).toMatchObject({ joined: false, lastReadSeq: 0, unreadMentions: 0 });
      expect(after.find((r) => r.id === priv)).toBeUndefined();
    });

    test("room:list holds every joined room but only the busiest public rooms not joined", async () => {
      const alice = await user();
      const bob = await user();
      const quiet = await room(alice.id, "public", "quiet");
      const busy = await room(alice.id, "public", "busy");
      const busier = await room(alice.id, "public", "busier");
      await say(busy, alice, "one");
      for (const text of ["one", "two"]) await say(busier, alice, text);
      const mine = await room(bob.id, "public", "mine");
      const ids = async (n: number) => (await storage().listRooms(bob.id, { unjoinedPublic: n })).map((r) => r.id);
      expect(await ids(2)).toEqual([mine, busier, busy]);
      expect(await ids(0)).toEqual([mine]);
      expect((await ids(10)).sort()).toEqual([mine, quiet, busy, busier].sort());
      expect((await storage().roomFor(busier, bob.id))).toMatchObject({ lastSeq: 2, joined: false });
    });

    test("browseRooms pages public rooms by name key, matching a fragment anywhere", async () => {
      const alice = await user();
      const bob = await user();
      const names = ["Alpha", "beta", "Gamma team", "delta TEAM", "Épsilon"];
      for (const name of names) await room(alice.id, "public", name);
      await room(alice.id, "private", "team secret");
      const first = await storage().browseRooms(bob.id, { limit: 2 });
      expect(first.rooms.map((r) => r.name)).toEqual(["Alpha", "beta"]);
      expect(first.nextCursor).not.toBeNull();
      const second = await storage().browseRooms(bob.id, { limit: 2, after: first.nextCursor! });
      expect(second.rooms.map((r) => r.name)).toEqual(["delta TEAM", "Gamma team"]);
      const third = await storage().browseRooms(bob.id, { limit: 2, after: second.nextCursor! });
      expect(third).toEqual({ rooms: [expect.objectContaining({ name: "Épsilon", joined: false })], nextCursor: null });
      const teams = await storage().browseRooms(bob.id, { query: "team", limit: 10 });
      expect(teams.rooms.map((r) => r.name)).toEqual(["delta TEAM", "Gamma team"]);
      expect((await storage().browseRooms(alice.id, { query: "alpha", limit: 10 })).rooms).toEqual([
        expect.objectContaining({ name: "Alpha", joined: true }),
      ]);
    });

    test("name keys compare byte for byte: a control character is not padding, a trailing space in a cursor counts", async () => {
      const alice = await user();
      for (const name of ["ab!", "ab\u0001", "ab"]) await room(alice.id, "public", name);
      expect((await storage().browseRooms(alice.id, { limit: 10 })).rooms.map((r) => r.name)).toEqual(["ab", "ab\u0001", "ab!"]);
      expect((await storage().browseRooms(alice.id, { after: "ab ", limit: 10 })).rooms.map((r) => r.name)).toEqual(["ab!"]);
      expect((await storage().browseRooms(alice.id, { query: "b\u0001", limit: 10 })).rooms.map((r) => r.name)).toEqual(["ab\u0001"]);
    });
  });

  describe("messages", () => {
    test("seq is assigned per room, gap-free; a repeated clientId returns the original and burns no seq", async () => {
      const alice = await user();
      const roomA = await room(alice.id);
      const roomB = await room(alice.id);
      const first = await storage().insertMessage(message(roomA, alice, "c1", "original"));
      expect(first).toMatchObject({ status: "created", message: { seq: 1, text: "original", editedAt: null, deleted: false } });
      expect(await say(roomA, alice, "two", "c2")).toMatchObject({ seq: 2 });
      expect(await say(roomB, alice, "three", "c3")).toMatchObject({ seq: 1 });
      const retry = await storage().insertMessage(message(roomA, alice, "c1", "changed"));
      expect(retry).toEqual({ status: "duplicate", message: first.status === "created" ? first.message : null });
      expect(await say(roomA, alice, "four", "c4")).toMatchObject({ seq: 3 });
      expect((await storage().roomFor(roomA, alice.id))?.lastSeq).toBe(3);
      // The same clientId in another room is the same stored original: the caller decides it is a conflict.
      expect(await storage().insertMessage(message(roomB, alice, "c1"))).toMatchObject({ status: "duplicate", message: { roomId: roomA } });
    });

    test("a sender who is not a member stores nothing and burns no seq", async () => {
      const alice = await user();
      const bob = await user();
      const roomId = await room(alice.id);
      expect(await storage().insertMessage(message(roomId, bob, "b1"))).toEqual({ status: "not-member" });
      expect(await say(roomId, alice, "first")).toMatchObject({ seq: 1 });
      expect(await storage().findMessageByClientId(bob.id, "b1")).toBeNull();
    });

    test("find by id and by clientId; the author's read marker follows their own message", async () => {
      const alice = await user();
      const roomId = await room(alice.id);
      const m = await say(roomId, alice, "hello", "cid");
      expect(await storage().findMessage(m.id)).toEqual(m);
      expect(await storage().findMessageByClientId(alice.id, "cid")).toEqual(m);
      expect(await storage().findMessage(randomUUID())).toBeNull();
      expect((await storage().roomFor(roomId, alice.id))?.lastReadSeq).toBe(1);
    });

    test("history pages by cursor in ascending seq", async () => {
      const alice = await user();
      const roomId = await room(alice.id);
      for (let i = 1; i <= 10; i++) await say(roomId, alice, `m${i}`);
      const seqs = async (q: { before?: number; after?: number; limit: number }) => (await storage().history(roomId, q)).map((m) => m.seq);
      expect(await seqs({ limit: 3 })).toEqual([8, 9, 10]);
      expect(await seqs({ before: 5, limit: 3 })).toEqual([2, 3, 4]);
      expect(await seqs({ after: 5, limit: 3 })).toEqual([6, 7, 8]);
      expect(await seqs({ after: 10, limit: 3 })).toEqual([]);
      expect(await seqs({ before: 1, limit: 3 })).toEqual([]);
    });

    test("edit replaces the text; delete blanks it and keeps the seq; neither touches a deleted message", async () => {
      const alice = await user();
      const roomId = await room(alice.id);
      const m = await say(roomId, alice, "first draft");
      const edited = await storage().editMessage({ messageId: m.id, text: "second draft", mentions: [], terms: ["second", "draft"], editedAt: 5 });
      expect(edited).toEqual({ ...m, text: "second draft", editedAt: 5 });
      const deleted = await storage().deleteMessage(m.id, 6);
      expect(deleted).toEqual({ ...m, text: "", editedAt: 6, deleted: true });
      expect(await storage().editMessage({ messageId: m.id, text: "again", mentions: [], terms: ["again"], editedAt: 7 })).toBeNull();
      expect(await storage().deleteMessage(m.id, 8)).toEqual(deleted);
      expect(await storage().deleteMessage(randomUUID(), 8)).toBeNull();
      expect(await storage().history(roomId, { limit: 10 })).toEqual([deleted]);
    });

    test("mentions count for members after their read marker, follow edits and deletes, and clear on read", async () => {
      const alice = await user("alice_m");
      const bob = await user("bob_m");
      const carol = await user("carol_m");
      const roomId = await room(alice.id);
      await storage().addMember(roomId, bob.id, 0);
      const hi = await say(roomId, alice, "hi @BOB_M and @carol_m");
      const unread = async (u: string) => (await storage().roomFor(roomId, u))?.unreadMentions;
      expect(await unread(bob.id)).toBe(1);
      expect(await unread(carol.id)).toBe(0); // not a member
      await storage().editMessage({ messageId: hi.id, text: "hi all", mentions: [], terms: ["hi", "all"], editedAt: 1 });
      expect(await unread(bob.id)).toBe(0);
      const again = await say(roomId, alice, "@bob_m again");
      expect(await unread(bob.id)).toBe(1);
      await storage().deleteMessage(again.id, 2);
      expect(await unread(bob.id)).toBe(0);
      await say(roomId, alice, "@bob_m third");
      expect(await storage().markRead(roomId, bob.id, 3)).toBe(3);
      expect(await unread(bob.id)).toBe(0);
    });

    test("read markers only move forward, are clamped to the last seq, and need membership", async () => {
      const alice = await user();
      const bob = await user();
      const roomId = await room(alice.id);
      await storage().addMember(roomId, bob.id, 0);
      for (let i = 0; i < 3; i++) await say(roomId, alice, `m${i}`);
      expect(await storage().markRead(roomId, bob.id, 2)).toBe(2);
      expect(await storage().markRead(roomId, bob.id, 1)).toBeNull();
      expect(await storage().markRead(roomId, bob.id, 99)).toBe(3);
      expect(await storage().markRead(roomId, bob.id, 99)).toBeNull();
      expect((await storage().roomFor(roomId, bob.id))?.lastReadSeq).toBe(3);
      expect(await storage().markRead(roomId, (await user()).id, 1)).toBeNull();
      expect(await storage().markRead(randomUUID(), bob.id, 1)).toBeNull();
    });

    test("an edit that adds a mention counts it; a repeated name counts once", async () => {
      const alice = await user("alice_e");
      const bob = await user("bob_e");
      const roomId = await room(alice.id);
      await storage().addMember(roomId, bob.id, 0);
      const m = await say(roomId, alice, "hello");
      await storage().editMessage({ messageId: m.id, text: "hello @bob_e @BOB_E", mentions: ["bob_e", "BOB_E"], terms: ["hello"], editedAt: 1 });
      expect((await storage().roomFor(roomId, bob.id))?.unreadMentions).toBe(1);
    });
  });

  describe("contacts", () => {
    test("add, remove, list by username, and who has a user as a contact", async () => {
      const alice = await user("alice_c");
      const bob = await user("bob_c");
      const carol = await user("carol_c");
      expect(await storage().addContact(alice.id, carol.id, 0)).toBe(true);
      expect(await storage().addContact(alice.id, bob.id, 0)).toBe(true);
      expect(await storage().addContact(alice.id, bob.id, 0)).toBe(false);
      expect(await storage().contacts(alice.id)).toEqual([bob, carol]);
      expect(await storage().contactOf(bob.id)).toEqual([alice.id]);
      expect(await storage().removeContact(alice.id, bob.id)).toBe(true);
      expect(await storage().removeContact(alice.id, bob.id)).toBe(false);
      expect(await storage().contacts(alice.id)).toEqual([carol]);
      expect(await storage().contactOf(bob.id)).toEqual([]);
    });

    test("suggestions: contacts and room-mates by username prefix, contacts first, then members of the given room; never strangers", async () => {
      const me = await user("me_sg");
      const [amy, anna, andy, alX, alex] = (await Promise.all(["Amy_sg", "anna_sg", "andy_sg", "al_x_sg", "alex_sg"].map((n) => user(n)))) as [
        User, User, User, User, User,
      ];
      await user("ann_stranger");
      await storage().addContact(me.id, andy.id, 0);
      const shared = await room(me.id, "private");
      const other = await room(me.id, "public");
      for (const u of [amy, anna, alX]) await storage().addMember(shared, u.id, 0);
      await storage().addMember(other, alex.id, 0);
      const names = async (prefix: string, roomId?: string, limit = 10) =>
        (await storage().suggestPeople(me.id, { prefix, roomId, limit })).map((u) => u.username);
      expect(await names("a")).toEqual(["andy_sg", "al_x_sg", "alex_sg", "Amy_sg", "anna_sg"]);
      expect(await names("A", other)).toEqual(["andy_sg", "alex_sg", "al_x_sg", "Amy_sg", "anna_sg"]);
      expect(await names("an")).toEqual(["andy_sg", "anna_sg"]);
      expect(await names("al_")).toEqual(["al_x_sg"]); // "_" is a character, not a wildcard
      expect(await names("a", undefined, 2)).toEqual(["andy_sg", "al_x_sg"]);
      expect(await names("me_")).toEqual([]); // never oneself
      expect(await names("ann_s")).toEqual([]); // never a stranger
    });
  });
});
