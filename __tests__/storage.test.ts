// The storage contract: every Storage implementation runs the same tests.
// Only SQLite exists today; a networked database joins the list with a
// factory and, where its server is not configured, a printed skip reason.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openSqlite } from "../server/storage/sqlite";
import type { Storage } from "../server/storage/storage";
import { tempDir } from "./helpers/harness";

type Implementation = { name: string; open(): Promise<{ storage: Storage; dispose(): void }> };

const IMPLEMENTATIONS: Implementation[] = [
  {
    name: "sqlite (file)",
    async open() {
      const dir = tempDir();
      const storage = openSqlite({ path: join(dir, "chat.db") });
      return { storage, dispose: () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: "sqlite (memory)",
    async open() {
      return { storage: openSqlite({ path: ":memory:" }), dispose: () => {} };
    },
  },
];

for (const impl of IMPLEMENTATIONS) {
  describe(`storage contract: ${impl.name}`, () => {
    let storage: Storage;
    let dispose: () => void;
    beforeEach(async () => {
      ({ storage, dispose } = await impl.open());
    });
    afterEach(async () => {
      await storage.close();
      dispose();
    });

    async function user(username = `u_${randomUUID().slice(0, 8)}`) {
      const u = { id: randomUUID(), username };
      expect(await storage.createUser({ ...u, passwordHash: "x" }, Date.now())).toBe(true);
      return u;
    }
    async function room(creatorId: string, kind: "public" | "private" = "public", name = `r-${randomUUID()}`) {
      const id = randomUUID();
      expect(await storage.createRoom({ id, kind, name, dmUsers: null }, creatorId, Date.now())).toBe(true);
      return id;
    }
    const message = (roomId: string, sender: { id: string; username: string }, clientId: string, text = clientId) => ({
      id: randomUUID(),
      roomId,
      sender,
      text,
      clientId,
      createdAt: Date.now(),
      mentions: [],
    });

    test("usernames are unique ignoring case and found ignoring case", async () => {
      const alice = await user("Alice");
      expect(await storage.createUser({ id: randomUUID(), username: "ALICE", passwordHash: "x" }, 0)).toBe(false);
      expect(await storage.findUserByName("aLiCe")).toEqual({ ...alice, passwordHash: "x" });
      expect(await storage.findUserByName("bob")).toBeNull();
    });

    test("tokens expire and can be deleted", async () => {
      const alice = await user();
      await storage.createToken("live", alice.id, 2000);
      expect(await storage.findUserByToken("live", 1000)).toEqual(alice);
      expect(await storage.findUserByToken("live", 2000)).toBeNull();
      expect(await storage.deleteToken("live")).toBe(true);
      expect(await storage.deleteToken("live")).toBe(false);
      expect(await storage.findUserByToken("live", 1000)).toBeNull();
    });

    test("public room names are unique ignoring case; private ones are not", async () => {
      const alice = await user();
      await room(alice.id, "public", "General");
      expect(await storage.createRoom({ id: randomUUID(), kind: "public", name: "general", dmUsers: null }, alice.id, 0)).toBe(false);
      await room(alice.id, "private", "general");
      await room(alice.id, "private", "general");
    });

    test("ignoring case means Unicode case, not only ASCII", async () => {
      const alice = await user();
      const taken = (name: string) =>
        storage.createRoom({ id: randomUUID(), kind: "public", name, dmUsers: null }, alice.id, 0).then((created) => !created);
      await room(alice.id, "public", "Élan");
      expect(await taken("élan")).toBe(true);
      expect(await taken("ÉLAN")).toBe(true);
      await room(alice.id, "public", "Straße");
      expect(await taken("STRASSE")).toBe(true);
      expect(await taken("Ｓｔｒａｓｓｅ")).toBe(true);
      expect(await taken("Elan")).toBe(false);
    });

    test("seq is assigned per room, gap-free, and a repeated clientId returns the original", async () => {
      const alice = await user();
      const roomA = await room(alice.id);
      const roomB = await room(alice.id);
      const first = await storage.insertMessage(message(roomA, alice, "c1", "original"));
      expect(first).toMatchObject({ created: true, message: { seq: 1, text: "original", editedAt: null, deleted: false } });
      expect((await storage.insertMessage(message(roomA, alice, "c2"))).message.seq).toBe(2);
      expect((await storage.insertMessage(message(roomB, alice, "c3"))).message.seq).toBe(1);

      const retry = await storage.insertMessage(message(roomA, alice, "c1", "changed"));
      expect(retry).toEqual({ created: false, message: first.message });
      // The rolled-back retry did not use up a seq.
      expect((await storage.insertMessage(message(roomA, alice, "c4"))).message.seq).toBe(3);
      expect((await storage.roomFor(roomA, alice.id))?.lastSeq).toBe(3);
    });

    test("history pages by cursor in ascending seq", async () => {
      const alice = await user();
      const roomId = await room(alice.id);
      for (let i = 1; i <= 10; i++) await storage.insertMessage(message(roomId, alice, `m${i}`));
      const seqs = async (q: { before?: number; after?: number; limit: number }) =>
        (await storage.history(roomId, q)).map((m) => m.seq);
      expect(await seqs({ limit: 3 })).toEqual([8, 9, 10]);
      expect(await seqs({ before: 5, limit: 3 })).toEqual([2, 3, 4]);
      expect(await seqs({ after: 5, limit: 3 })).toEqual([6, 7, 8]);
      expect(await seqs({ after: 10, limit: 3 })).toEqual([]);
    });

    test("memberships, dms and the per-user room list", async () => {
      const alice = await user("alice_s");
      const bob = await user("bob_s");
      const pub = await room(alice.id, "public");
      const priv = await room(alice.id, "private");
      expect(await storage.addMember(pub, bob.id, 0)).toBe(true);
      expect(await storage.addMember(pub, bob.id, 0)).toBe(false);
      expect((await storage.memberIds(pub)).sort()).toEqual([alice.id, bob.id].sort());

      const pair = [alice.id, bob.id].sort() as [string, string];
      const dm = await storage.openDm(randomUUID(), pair, 0);
      expect(await storage.openDm(randomUUID(), pair, 0)).toEqual(dm);
      expect((await storage.roomFor(dm.id, alice.id))?.name).toBe("bob_s");
      expect((await storage.roomFor(dm.id, bob.id))?.name).toBe("alice_s");

      const bobs = await storage.listRooms(bob.id);
      expect(bobs.map((r) => r.id).sort()).toEqual([pub, dm.id].sort());
      expect((await storage.roomIdsOf(bob.id)).sort()).toEqual([pub, dm.id].sort());
      expect(await storage.removeMember(pub, bob.id)).toBe(true);
      expect(await storage.removeMember(pub, bob.id)).toBe(false);
      expect((await storage.listRooms(bob.id)).find((r) => r.id === pub)).toMatchObject({ joined: false });
      expect((await storage.listRooms(bob.id)).find((r) => r.id === priv)).toBeUndefined();
    });
  });
}
