// The page's state and its pure timeline, in Node without a DOM: the store's
// message ordering and pending messages, history pages that arrive after the
// log started over, and the timeline's days, system events and grouping.
import { RoomDirectory } from "../../common/room-directory";
import { Store, type Change } from "../../browser/src/store";
import { buildTimeline, GROUP_WINDOW_MS } from "../../browser/src/timeline";
import { ME, sampleMessage, sampleRoom } from "../helpers/samples";

async function store(lastSeq = 10) {
  const directory = new RoomDirectory(ME, async () => [sampleRoom({ id: "r", lastSeq })]);
  await directory.refresh();
  const s = new Store(ME, directory);
  const changes: Change[] = [];
  s.subscribe((c) => changes.push(c));
  return { s, changes };
}
const at = (seq: number, fields = {}) => sampleMessage({ roomId: "r", seq, ...fields });
const seqs = (s: Store) => s.log("r").messages.map((m) => m.seq);

test("messages go in by seq, once per id, and a burst reaches subscribers as one change", async () => {
  const { s, changes } = await store();
  expect(s.addMessages("r", [at(3), at(1)], "newest").map((m) => m.seq)).toEqual([3, 1]);
  expect(s.addMessages("r", [at(2), at(3)], "live").map((m) => m.seq)).toEqual([2]);
  expect(seqs(s)).toEqual([1, 2, 3]);
  await Promise.resolve();
  expect(changes).toHaveLength(1);
  expect([...(changes[0]?.logs.get("r") ?? [])].sort()).toEqual(["live", "newest"]);
});

test("the user's pending message gives way to the stored one with its clientId, whichever way it comes", async () => {
  const { s } = await store();
  const pending = s.addPending("r", "hello");
  expect([...s.log("r").pending.keys()]).toEqual([pending.clientId]);
  s.setPendingStatus("r", pending.clientId, "failed", "no answer from the server");
  expect(s.pending("r", pending.clientId)).toMatchObject({ status: "failed", error: "no answer from the server" });
  s.addMessages("r", [at(1, { sender: ME, clientId: pending.clientId, text: "hello" })], "live");
  expect(s.log("r").pending.size).toBe(0);
  expect(seqs(s)).toEqual([1]);
});

test("showing an older stretch, live messages beyond it wait for the next page", async () => {
  const { s } = await store(60);
  const ticket = s.pageRequested("r", "window", 20);
  expect(s.log("r")).toMatchObject({ following: false, highlightSeq: 20, loadingNewest: true });
  s.pageArrived(ticket, [at(19), at(20), at(21)], { last: true });
  expect(s.log("r")).toMatchObject({ newestLoaded: true, following: false, loadingNewest: false });
  s.addMessages("r", [at(61)], "live");
  expect(seqs(s)).toEqual([19, 20, 21]);
});

test("a page asked for before the log started over is dropped; a failure is kept for Try again", async () => {
  const { s } = await store();
  const stale = s.pageRequested("r", "newest");
  s.resetLog("r");
  s.pageArrived(stale, [at(9), at(10)], { last: true });
  expect(seqs(s)).toEqual([]);
  const older = s.pageRequested("r", "older");
  s.pageFailed(older, "Couldn’t load older messages (no answer from the server).");
  expect(s.log("r")).toMatchObject({ loadingOlder: false, loadError: { what: "older" } });
});

test("edits replace the loaded message; the open room closes when the user is no longer in it", async () => {
  const { s } = await store();
  s.addMessages("r", [at(1)], "newest");
  s.updateMessage({ ...at(1), text: "edited", editedAt: 5 });
  expect(s.message("r:1")?.text).toBe("edited");
  s.setCurrent("r");
  s.directory.left("r");
  expect(s.currentRoomId).toBeNull();
});

test("the timeline: day separators, system events by time, runs of one sender grouped, pending messages last", async () => {
  const { s } = await store();
  const t0 = new Date(2025, 2, 3, 12, 0).getTime();
  s.addMessages("r", [at(1, { createdAt: t0 }), at(2, { createdAt: t0 + 1000 }), at(3, { createdAt: t0 + 1000 + GROUP_WINDOW_MS })], "newest");
  s.addSystem({ type: "member-joined", roomId: "r", user: ME, at: t0 + 500 });
  const nextDay = t0 + 24 * 3600 * 1000;
  s.addMessages("r", [at(4, { createdAt: nextDay }), at(5, { createdAt: nextDay + 1000 })], "live");
  s.addPending("r", "on its way");
  const items = buildTimeline(s.log("r"), ME);
  // A system event ends a run ("2" starts one), and a run is grouped by its first message's time: "3" is too late for it.
  expect(items.map((i) => (i.kind === "message" ? `${i.message ? i.message.seq : "pending"}${i.grouped ? "+" : ""}` : i.kind))).toEqual([
    "day",
    "1",
    "system",
    "2",
    "3",
    "day",
    "4",
    "5+",
    // Shown at the local clock, today.
    "day",
    "pending",
  ]);
});
