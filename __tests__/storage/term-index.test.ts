// SQLite writes a message's search postings a little after the message
// (term-index.ts); search must find it all the same, before and after, and
// through edits, deletes and a restart.
import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { queryPrefixes } from "../../server/chat/search-terms";
import { openSqlite, type SqliteStorage } from "../../server/storage/sqlite";
import { tempDir } from "../helpers/temp";
import { builders } from "./fixture";

let dir: string;
let storage: SqliteStorage;
beforeEach(() => {
  dir = tempDir();
  storage = openSqlite({ path: join(dir, "chat.db") });
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});
const { user, room, say } = builders(() => storage);
const postings = () => {
  const raw = new Database(join(dir, "chat.db"), { readonly: true });
  const n = (raw.prepare("SELECT COUNT(*) AS n FROM search_terms").get() as { n: number }).n;
  raw.close();
  return n;
};

async function texts(userId: string, query: string) {
  const result = await storage.search({ userId, prefixes: queryPrefixes(query), limit: 20, maxMatches: 1000 });
  if (result.tooBroad) throw new Error("too broad");
  return result.messages.map((m) => m.text);
}

test("a message is found right after it is stored, before its postings exist, and after", async () => {
  const alice = await user();
  const roomId = await room(alice.id);
  await say(roomId, alice, "old news");
  await storage.indexed();
  const before = postings();
  await say(roomId, alice, "fresh news");
  expect(postings()).toBe(before); // not yet indexed...
  expect(await texts(alice.id, "news")).toEqual(["fresh news", "old news"]); // ...and found all the same
  await storage.indexed();
  expect(postings()).toBe(before + 2);
  expect(await texts(alice.id, "fre ne")).toEqual(["fresh news"]);
});

test("edits and deletes, of messages indexed or not, leave exactly the current words findable", async () => {
  const alice = await user();
  const roomId = await room(alice.id);
  const indexed = await say(roomId, alice, "apple banana");
  await storage.indexed();
  const pending = await say(roomId, alice, "cherry date");
  for (const m of [indexed, pending]) {
    await storage.editMessage({ messageId: m.id, text: `${m.text} edited`, mentions: [], terms: [...m.text.split(" "), "edited"], editedAt: 1 });
  }
  expect(await texts(alice.id, "edited")).toEqual(["cherry date edited", "apple banana edited"]);
  await storage.deleteMessage(indexed.id, 2);
  expect(await texts(alice.id, "apple")).toEqual([]);
  await storage.indexed();
  expect(await texts(alice.id, "edited")).toEqual(["cherry date edited"]);
  expect(await texts(alice.id, "banana")).toEqual([]);
});

test("what was not yet indexed when the server stopped is indexed after it starts again", async () => {
  const alice = await user();
  const roomId = await room(alice.id);
  for (let i = 0; i < 5; i++) await say(roomId, alice, `word${i} shared`);
  await storage.close();
  expect(postings()).toBe(0);
  storage = openSqlite({ path: join(dir, "chat.db") });
  await storage.indexed();
  expect(postings()).toBe(10);
  expect((await texts(alice.id, "shared")).length).toBe(5);
});
