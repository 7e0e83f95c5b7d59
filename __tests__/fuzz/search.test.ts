// Search never finds a message in a room the searcher may not read, whatever
// the query (FTS syntax included); for ASCII queries its match rule is exact.
import fc from "fast-check";
import type { Message } from "../../common/protocol";
import type { ClientSocket } from "../../common/client";
import { callRaw } from "../helpers/harness";
import { type Payload } from "./arbitraries";
import { RUNS } from "./events";
import { expectRefusal, expectWellFormedResult, fuzz, fx, testAfterwards, useFuzzFixture } from "./fixture";
import { chars, protocolAccepts } from "./oracle";

useFuzzFixture();

describe("search", () => {
  type Searcher = { name: string; socket: ClientSocket; memberOf: Set<string>; mayRead: Set<string> };
  type Stored = { id: string; roomId: string; text: string; deleted: number; createdAt: number };
  const WORD = /[\p{L}\p{N}]+/gu;
  const isAscii = (s: string) => [...s].every((c) => c.charCodeAt(0) < 0x80);
  const wordsOf = (s: string) => s.toLowerCase().match(WORD) ?? [];

  function searchers(): Searcher[] {
    const publicRooms = (fx.raw.prepare("SELECT id FROM rooms WHERE kind = 'public'").all() as Array<{ id: string }>).map((r) => r.id);
    return [
      ["alice", fx.alice],
      ["bob", fx.bob],
      ["carol", fx.carol],
    ].map(([name, who]) => {
      const u = who as typeof fx.alice;
      const memberOf = new Set(
        (fx.raw.prepare("SELECT room_id FROM memberships WHERE user_id = ?").all(u.user.id) as Array<{ room_id: string }>).map((r) => r.room_id),
      );
      return { name: name as string, socket: u.socket, memberOf, mayRead: new Set([...memberOf, ...publicRooms]) };
    });
  }
  const storedMessages = () =>
    fx.raw.prepare("SELECT id, room_id AS roomId, text, deleted, created_at AS createdAt FROM messages").all() as Stored[];

  async function searchAs(who: Searcher, payload: Payload): Promise<Message[]> {
    const result = await callRaw(who.socket, "search", payload);
    if (!result.ok) throw new Error(`search ${JSON.stringify(payload)} as ${who.name} answered ${JSON.stringify(result.error)}`);
    return result.data as Message[];
  }

  test("by example: without roomId only the searcher's own rooms; with one, any room they may read", async () => {
    const [alice, bob, carol] = searchers() as [Searcher, Searcher, Searcher];
    const roomsOf = (found: Message[]) => found.map((m) => m.roomId).sort();
    // "secret" is in alice's private room and in bob's private room, which she is not in.
    expect(roomsOf(await searchAs(alice, { query: "secret" }))).toEqual([fx.privateRoom.id]);
    expect(roomsOf(await searchAs(bob, { query: "SECRET" }))).toEqual([fx.privateRoom.id, fx.bobsPrivateRoom.id].sort());
    expectRefusal(await callRaw(alice.socket, "search", { query: "secret", roomId: fx.bobsPrivateRoom.id }), "FORBIDDEN");
    // A public room alice is not in: readable with its roomId, not among "her rooms".
    expect(await searchAs(alice, { query: "outsider" })).toEqual([]);
    expect(roomsOf(await searchAs(alice, { query: "outs", roomId: fx.bobsPublicRoom.id }))).toEqual([fx.bobsPublicRoom.id]);
    // Carol is in no room: nothing without a roomId, public rooms with one.
    expect(await searchAs(carol, { query: "setup" })).toEqual([]);
    expect(roomsOf(await searchAs(carol, { query: "banana", roomId: fx.publicRoom.id }))).toEqual([fx.publicRoom.id, fx.publicRoom.id]);
    for (const roomId of [fx.privateRoom.id, fx.dm.id, fx.bobsPrivateRoom.id]) {
      expectRefusal(await callRaw(carol.socket, "search", { query: "setup", roomId }), "FORBIDDEN");
    }
    // Query text is words, never FTS syntax.
    for (const query of ['"', "*", "secret OR bobonly", "bobonly", "NEAR(secret bobonly)", "text:secret", "-apple", "^bob*", "secret AND NOT x"]) {
      expect(roomsOf(await searchAs(alice, { query }))).not.toContain(fx.bobsPrivateRoom.id);
    }
    expect(await searchAs(bob, { query: "secret OR cherry" })).toEqual([]); // "or" is a word no message has
  });

  test("any query, as anyone, in any or no room: never a message from a room they may not read", async () => {
    const people = searchers();
    const stored = storedMessages();
    const VOCABULARY = ["setup", "apple", "banana", "cherry", "secret", "dmword", "bobonly", "outsider", "still", "here", "hello", "fz"];
    const token = fc.oneof(
      { arbitrary: fc.constantFrom(...VOCABULARY), weight: 4 },
      { arbitrary: fc.constantFrom(...VOCABULARY).chain((w) => fc.integer({ min: 1, max: w.length }).map((n) => w.slice(0, n))), weight: 3 },
      { arbitrary: fc.constantFrom(...VOCABULARY).map((w) => w.toUpperCase()), weight: 1 },
      {
        arbitrary: fc.constantFrom("OR", "AND", "NOT", "NEAR", "NEAR(", "*", '"', "'", "(", ")", ":", "-", "^", "+", "text:", "{text}", "%", "_", "\\", "--", ";", "0"),
        weight: 2,
      },
      { arbitrary: fc.stringMatching(/^[a-z0-9]{1,6}$/), weight: 1 },
      { arbitrary: fc.string({ maxLength: 4 }), weight: 1 },
      { arbitrary: fc.string({ minLength: 1, maxLength: 3, unit: "grapheme" }), weight: 1 },
    );
    const separated = fc.tuple(token, fc.constantFrom(" ", "", "  ", "\t", ","));
    // Mostly one or two words, so that many queries do match; sometimes up to six.
    const query = fc
      .oneof(
        { arbitrary: fc.array(separated, { minLength: 1, maxLength: 2 }), weight: 3 },
        { arbitrary: fc.array(separated, { minLength: 1, maxLength: 6 }), weight: 1 },
      )
      .map((parts) => parts.map(([t, sep]) => t + sep).join(""))
      .filter((q) => chars(q, 1, 256));
    const roomId = fc.option(fc.oneof(fc.constantFrom(...fx.rooms.map((r) => r.id)), fc.uuid(), fc.constantFrom("__proto__", "%")), { freq: 2 });
    const arb = fc.record({ who: fc.nat(people.length - 1), query, roomId, limit: fc.option(fc.integer({ min: 1, max: 100 })) });
    await fuzz(
      arb,
      async ({ who, query, roomId, limit }) => {
        const searcher = people[who]!;
        const payload: Payload = { query };
        if (roomId !== null) payload.roomId = roomId;
        if (limit !== null) payload.limit = limit;
        expect(protocolAccepts("search", payload)).toBe(true);
        const result = await callRaw(searcher.socket, "search", payload);
        if (roomId !== null && !fx.rooms.some((r) => r.id === roomId)) return expectRefusal(result, "NOT_FOUND");
        if (roomId !== null && !searcher.mayRead.has(roomId)) return expectRefusal(result, "FORBIDDEN");
        expectWellFormedResult(result);
        expect(result).toMatchObject({ ok: true });
        const found = (result as { data: Message[] }).data;
        const scope = roomId !== null ? new Set([roomId]) : searcher.memberOf;

        // Nothing from outside the scope, ever; nothing twice; at most `limit`; newest first; as stored.
        const outside = found.filter((m) => !scope.has(m.roomId));
        expect({ searcher: searcher.name, query, outside }).toEqual({ searcher: searcher.name, query, outside: [] });
        expect(new Set(found.map((m) => m.id)).size).toBe(found.length);
        expect(found.length).toBeLessThanOrEqual(limit ?? 20);
        for (let i = 1; i < found.length; i++) expect(found[i]!.createdAt).toBeLessThanOrEqual(found[i - 1]!.createdAt);
        for (const m of found) {
          expect(stored.find((s) => s.id === m.id)).toMatchObject({ roomId: m.roomId, text: m.text, deleted: 0, createdAt: m.createdAt });
        }

        // For ASCII queries the match rule is exact: every word, ignoring case, as a prefix of a word of the text.
        const words = [...new Set(wordsOf(query))];
        if (!isAscii(query) || words.length === 0) return;
        const matches = (text: string) => words.every((w) => wordsOf(text).some((t) => t.startsWith(w)));
        for (const m of found) if (isAscii(m.text)) expect({ query, text: m.text, matches: matches(m.text) }).toEqual({ query, text: m.text, matches: true });
        const inScope = stored.filter((s) => scope.has(s.roomId) && !s.deleted);
        const sure = inScope.filter((s) => isAscii(s.text) && matches(s.text));
        const unsure = inScope.filter((s) => !isAscii(s.text));
        if (sure.length + unsure.length <= (limit ?? 20)) {
          const missing = sure.filter((s) => !found.some((m) => m.id === s.id)).map((s) => s.text);
          expect({ query, missing }).toEqual({ query, missing: [] });
        }
      },
      RUNS.search,
    );
  });
});

testAfterwards();
