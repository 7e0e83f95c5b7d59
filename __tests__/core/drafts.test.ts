// Drafts kept per user and room in a key-value store: read back after a
// "reload" (a new Drafts on the same store), removed when emptied, kept
// apart between users, both kept when two tabs write different rooms.
import { Drafts } from "../../common/drafts";
import { guardedStore, memoryStore } from "../../common/key-value";

test("a draft survives a new Drafts on the same store, per room and per user; emptying it removes it", () => {
  const store = memoryStore();
  new Drafts(store, "u1").set("a", "half a thought");
  new Drafts(store, "u1").set("b", "another");
  const reloaded = new Drafts(store, "u1");
  expect([reloaded.get("a"), reloaded.get("b"), reloaded.get("c")]).toEqual(["half a thought", "another", ""]);
  expect(new Drafts(store, "u2").get("a")).toBe("");
  reloaded.set("a", "   ");
  expect(new Drafts(store, "u1").get("a")).toBe("");
  reloaded.clear();
  expect(new Drafts(store, "u1").get("b")).toBe("");
});

test("two tabs writing drafts for different rooms keep both; at most 50 rooms are kept, the most recent", () => {
  const store = memoryStore();
  const tab1 = new Drafts(store, "u1");
  const tab2 = new Drafts(store, "u1");
  tab1.set("a", "from tab 1");
  tab2.set("b", "from tab 2");
  expect([tab1.get("a"), tab1.get("b")]).toEqual(["from tab 1", "from tab 2"]);
  for (let i = 0; i < 60; i++) tab1.set(`r${i}`, `draft ${i}`, 1000 + i);
  expect(tab1.get("r59")).toBe("draft 59");
  expect(tab1.get("r9")).toBe("");
});

test("a store that throws (storage disabled) or holds garbage keeps nothing and breaks nothing", () => {
  const broken = guardedStore(() => {
    throw new Error("SecurityError");
  });
  const drafts = new Drafts(broken, "u1");
  drafts.set("a", "lost");
  expect(drafts.get("a")).toBe("");
  const garbage = memoryStore();
  garbage.setItem("chat.drafts.u1", "{not json");
  expect(new Drafts(garbage, "u1").get("a")).toBe("");
  garbage.setItem("chat.drafts.u1", JSON.stringify({ a: { text: 5 }, b: { text: "ok", at: 1 } }));
  expect([new Drafts(garbage, "u1").get("a"), new Drafts(garbage, "u1").get("b")]).toEqual(["", "ok"]);
});
