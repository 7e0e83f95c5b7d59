// SQLite's group commit: writes that arrive together share one transaction
// and one fdatasync of the WAL, each with its own seq, its own idempotency
// check and its own answer; an answer comes only after the sync.
import { randomUUID } from "node:crypto";
import { openSync, closeSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openSqlite } from "../../server/storage/sqlite";
import { GroupCommitWriter, type BatchInfo } from "../../server/storage/sqlite/writer";
import type { Storage } from "../../server/storage/storage";
import { tempDir } from "../helpers/temp";
import { builders } from "./fixture";

let dir: string;
let storage: Storage;
const batches: BatchInfo[] = [];
beforeEach(() => {
  dir = tempDir();
  batches.length = 0;
  storage = openSqlite({ path: join(dir, "chat.db"), onBatch: (b) => batches.push(b) });
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const { user, room, message } = builders(() => storage);

test("messages sent together share one commit; a duplicate and a non-member's message answer alone, the rest get seqs in order", async () => {
  const alice = await user();
  const stranger = await user();
  const roomId = await room(alice.id);
  const first = await storage.insertMessage(message(roomId, alice, "dup", "the original"));
  batches.length = 0;
  // All given in one turn of the event loop.
  const answers = await Promise.all([
    storage.insertMessage(message(roomId, alice, "a1")),
    storage.insertMessage(message(roomId, alice, "dup", "a retry")),
    storage.insertMessage(message(roomId, stranger, "s1")),
    storage.insertMessage(message(roomId, alice, "a2")),
    storage.insertMessage(message(randomUUID(), alice, "nowhere")),
    storage.insertMessage(message(roomId, alice, "a3")),
  ]);
  expect(batches.map((b) => b.size)).toEqual([6]);
  expect(answers.map((a) => a.status)).toEqual(["created", "duplicate", "not-member", "created", "not-member", "created"]);
  expect(answers[1]).toEqual({ status: "duplicate", message: first.status === "created" ? first.message : null });
  expect(answers.filter((a) => a.status === "created").map((a) => (a.status === "created" ? a.message.seq : 0))).toEqual([2, 3, 4]);
  expect((await storage.history(roomId, { limit: 10 })).map((m) => m.clientId)).toEqual(["dup", "a1", "a2", "a3"]);
});

test("writes that arrive while a batch is syncing go together in the next one", async () => {
  const alice = await user();
  const roomId = await room(alice.id);
  batches.length = 0;
  const firstWave = Array.from({ length: 5 }, (_, i) => storage.insertMessage(message(roomId, alice, `w1-${i}`)));
  // Given a turn later, while the first batch is in its fdatasync.
  await new Promise((resolve) => setImmediate(resolve));
  const secondWave = Array.from({ length: 7 }, (_, i) => storage.insertMessage(message(roomId, alice, `w2-${i}`)));
  await Promise.all([...firstWave, ...secondWave]);
  expect(batches.map((b) => b.size)).toEqual([5, 7]);
});

test("nothing is answered as done until the WAL is synced: a failed sync fails every write of its batch", async () => {
  const path = join(dir, "raw.db");
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE t (x INTEGER)");
  const fd = openSync(`${path}-wal`, "r+");
  closeSync(fd); // a descriptor that no longer names the file: fdatasync fails with EBADF
  const writer = new GroupCommitWriter(db, { walFd: fd });
  const insert = db.prepare("INSERT INTO t (x) VALUES (?)");
  const results = await Promise.allSettled([writer.run(() => insert.run(1)), writer.run(() => insert.run(2))]);
  expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  db.close();
});

test("a job that throws rolls back alone: its partial writes are gone, its neighbours' stay", async () => {
  const path = join(dir, "raw2.db");
  const db = new Database(path);
  db.exec("CREATE TABLE t (x INTEGER UNIQUE)");
  const writer = new GroupCommitWriter(db, { walFd: null });
  const insert = db.prepare("INSERT INTO t (x) VALUES (?)");
  const results = await Promise.allSettled([
    writer.run(() => insert.run(1)),
    writer.run(() => {
      insert.run(2);
      insert.run(1); // a unique violation, after a write of its own
    }),
    writer.run(() => insert.run(3)),
  ]);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect(db.prepare("SELECT x FROM t ORDER BY x").pluck().all()).toEqual([1, 3]);
  db.close();
});
