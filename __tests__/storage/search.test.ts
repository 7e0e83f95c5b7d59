// The search contract, on every backend: the same terms (chat/search-terms.ts)
// give the same answers everywhere. Every query word is a prefix of some term;
// scope is the user's rooms or one room; newest first; bounded work.
import { randomUUID } from "node:crypto";
import { queryPrefixes } from "../../server/chat/search-terms";
import { describeEachBackend } from "../helpers/storage-backends";
import { builders } from "./fixture";

describeEachBackend("search contract", (storage) => {
  const { user, room, say } = builders(storage);

  const find = async (userId: string, query: string, options: { roomId?: string; limit?: number; maxMatches?: number } = {}) => {
    const result = await storage().search({
      userId,
      prefixes: queryPrefixes(query),
      roomId: options.roomId,
      limit: options.limit ?? 20,
      maxMatches: options.maxMatches ?? 1000,
    });
    if (result.tooBroad) throw new Error(`"${query}" was too broad`);
    return result.messages.map((m) => m.text);
  };

  test("every word must begin a word of the text, in any order, ignoring case and accents", async () => {
    const alice = await user();
    const roomId = await room(alice.id);
    for (const text of ["Hello World", "world peace", "Crème brûlée recipe", "STRASSE und Straße", "x y", "hello"]) await say(roomId, alice, text);
    expect(await find(alice.id, "wor hel")).toEqual(["Hello World"]);
    expect(await find(alice.id, "WORLD")).toEqual(["world peace", "Hello World"]);
    expect(await find(alice.id, "creme brulee")).toEqual(["Crème brûlée recipe"]);
    expect(await find(alice.id, "strasse")).toEqual(["STRASSE und Straße"]);
    // One- and two-letter words count like any other.
    expect(await find(alice.id, "x")).toEqual(["x y"]);
    expect(await find(alice.id, "y x")).toEqual(["x y"]);
    expect(await find(alice.id, "he")).toEqual(["hello", "Hello World"]);
    expect(await find(alice.id, "orld")).toEqual([]);
    expect(await find(alice.id, "hello planet")).toEqual([]);
  });

  test("any script: words of letters and digits; Han and kana character by character", async () => {
    const alice = await user();
    const roomId = await room(alice.id);
    for (const text of ["Привет мир", "東京タワーへ行く", "مرحبا بالعالم", "номер 42"]) await say(roomId, alice, text);
    expect(await find(alice.id, "МИР")).toEqual(["Привет мир"]);
    expect(await find(alice.id, "京都")).toEqual([]);
    expect(await find(alice.id, "東京")).toEqual(["東京タワーへ行く"]);
    expect(await find(alice.id, "タワ")).toEqual(["東京タワーへ行く"]);
    expect(await find(alice.id, "بالع")).toEqual(["مرحبا بالعالم"]);
    expect(await find(alice.id, "4")).toEqual(["номер 42"]);
  });

  test("only the user's rooms without a roomId, only that room with one", async () => {
    const alice = await user();
    const bob = await user();
    const mine = await room(alice.id);
    const theirs = await room(bob.id);
    await say(mine, alice, "apple in mine");
    await say(theirs, bob, "apple in theirs");
    expect(await find(alice.id, "apple")).toEqual(["apple in mine"]);
    expect(await find(bob.id, "apple")).toEqual(["apple in theirs"]);
    expect(await find(alice.id, "apple", { roomId: theirs })).toEqual(["apple in theirs"]);
    expect(await find((await user()).id, "apple")).toEqual([]);
    expect(await find(alice.id, "apple", { roomId: randomUUID() })).toEqual([]);
  });

  test("newest first, at most limit; a deleted message is not found, an edited one by its new text", async () => {
    const alice = await user();
    const roomId = await room(alice.id);
    const ms = [];
    for (let i = 0; i < 5; i++) ms.push(await say(roomId, alice, `note ${i}`));
    expect(await find(alice.id, "note", { limit: 3 })).toEqual(["note 4", "note 3", "note 2"]);
    await storage().deleteMessage(ms[4]!.id, 1);
    await storage().editMessage({ messageId: ms[3]!.id, text: "renamed", mentions: [], terms: ["renamed"], editedAt: 2 });
    expect(await find(alice.id, "note", { limit: 3 })).toEqual(["note 2", "note 1", "note 0"]);
    expect(await find(alice.id, "renam")).toEqual(["renamed"]);
  });

  test("a message with several words of one prefix is found once; equal times put the higher seq first", async () => {
    const alice = await user();
    const roomId = await room(alice.id);
    const { message } = builders(storage);
    await say(roomId, alice, "help helps helper");
    for (const text of ["tie one", "tie two"]) await storage().insertMessage(message(roomId, alice, randomUUID(), text, 5));
    expect(await find(alice.id, "help")).toEqual(["help helps helper"]);
    expect(await find(alice.id, "tie")).toEqual(["tie two", "tie one"]);
  });

  test("a user in hundreds of rooms: every room is searched, newest first across them, and counted together", async () => {
    const alice = await user();
    const rooms: string[] = [];
    for (let i = 0; i < 300; i++) rooms.push(await room(alice.id));
    // Oldest in the last room, newest in the first: the order must come from the times, not the rooms.
    for (const i of [299, 150, 0]) await say(rooms[i]!, alice, `needle ${i}`);
    for (const i of [10, 260]) await say(rooms[i]!, alice, `hay ${i}`);
    expect(await find(alice.id, "needle")).toEqual(["needle 0", "needle 150", "needle 299"]);
    expect(await find(alice.id, "needle", { limit: 2 })).toEqual(["needle 0", "needle 150"]);
    expect(await find(alice.id, "hay")).toEqual(["hay 260", "hay 10"]);
    const run = (maxMatches: number) => storage().search({ userId: alice.id, prefixes: ["needle"], limit: 20, maxMatches });
    expect(await run(2)).toEqual({ tooBroad: true });
    expect(await run(3)).toMatchObject({ tooBroad: false, messages: [expect.anything(), expect.anything(), expect.anything()] });
  });

  test("too broad only when even the rarest word matches more than maxMatches terms", async () => {
    const alice = await user();
    const roomId = await room(alice.id);
    for (let i = 0; i < 6; i++) await say(roomId, alice, `common word ${i}`);
    await say(roomId, alice, "common rare");
    const run = (query: string, maxMatches: number) =>
      storage().search({ userId: alice.id, prefixes: queryPrefixes(query), limit: 20, maxMatches });
    expect(await run("common", 6)).toEqual({ tooBroad: true });
    expect(await run("common", 7)).toMatchObject({ tooBroad: false, messages: expect.arrayContaining([]) });
    expect(await run("common rare", 1)).toMatchObject({ tooBroad: false, messages: [expect.objectContaining({ text: "common rare" })] });
    expect(await run("nothing", 0)).toEqual({ tooBroad: false, messages: [] });
  });
});
