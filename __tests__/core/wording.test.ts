// The client core's wording and mention rules, shared by the page and the CLI.
import fc from "fast-check";
import { mentionSpans, mentionsUser } from "../../common/mentions";
import { mentionedUsernames } from "../../common/rules";
import { clockTime, count, roomLabel, systemEventText } from "../../common/wording";
import { BOB, ME, sampleMessage } from "../helpers/samples";

test("room labels: #name for rooms, the other user's name for a dm, with a prefix where one is asked for", () => {
  expect(roomLabel({ kind: "public", name: "general" })).toBe("#general");
  expect(roomLabel({ kind: "private", name: "secret" }, { dmPrefix: "@" })).toBe("#secret");
  expect(roomLabel({ kind: "dm", name: "bob" })).toBe("bob");
  expect(roomLabel({ kind: "dm", name: "bob" }, { dmPrefix: "@" })).toBe("@bob");
});

test("system events, counts and clock times", () => {
  expect(["member-joined", "member-left", "member-invited"].map((type) => systemEventText({ type: type as "member-left", user: BOB }))).toEqual([
    "bob joined",
    "bob left",
    "bob was invited",
  ]);
  expect([count(0, "room"), count(1, "room"), count(2, "room")]).toEqual(["0 rooms", "1 room", "2 rooms"]);
  expect([clockTime(new Date(2025, 0, 2, 9, 5).getTime()), clockTime(new Date(2025, 0, 2, 23, 59).getTime())]).toEqual(["09:05", "23:59"]);
});

test("a message mentions the user by name ignoring case; not when deleted, not their own, not a longer name", () => {
  const m = (text: string, fields = {}) => sampleMessage({ roomId: "r", seq: 1, text, ...fields });
  expect(mentionsUser(m("hi @alice."), ME)).toBe(true);
  expect(mentionsUser(m("hi @ALICE"), ME)).toBe(true);
  expect(mentionsUser(m("hi @alicex"), ME)).toBe(false);
  expect(mentionsUser(m("mail alice@alice.org"), ME)).toBe(false);
  expect(mentionsUser(m("", { deleted: true }), ME)).toBe(false);
  expect(mentionsUser(m("note to self @alice", { sender: ME }), ME)).toBe(false);
});

test("mention spans point at the @ and the name, and name exactly what the server's rule reads", () => {
  expect(mentionSpans("ping @bob. and @carol-, not a@b.c")).toEqual([
    { start: 5, end: 9, username: "bob" },
    { start: 15, end: 21, username: "carol" },
  ]);
  const text = fc.array(fc.constantFrom("@", "a", "b", "c", ".", "-", "_", " ", "x1", "é", "@ab"), { maxLength: 30 }).map((a) => a.join(""));
  fc.assert(
    fc.property(text, (s) => {
      const spans = mentionSpans(s);
      const names = mentionedUsernames(s);
      for (const span of spans) {
        expect(s.slice(span.start, span.end)).toBe(`@${span.username}`);
        expect(names).toContain(span.username.toLowerCase());
      }
      // Every name the server reads starts one of the spans (it may also read "bob." beside "bob").
      for (const name of names) expect(spans.some((span) => name.startsWith(span.username.toLowerCase()))).toBe(true);
    }),
  );
});
