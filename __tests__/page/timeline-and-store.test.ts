// The page's state and its pure timeline, in Node without a DOM: the store's
// message ordering and pending messages, history pages that arrive after the
// log started over, and the timeline's days, system events, grouping and
// the line before the first unread message.
import { ChatError } from "../../common/chat-error";
import { Outbox } from "../../common/outbox";
import { RoomDirectory } from "../../common/room-directory";
import { Store, type Change } from "../../browser/src/store";
import { buildTimeline, GROUP_WINDOW_MS } from "../../browser/src/timeline";
import { ME, sampleMessage, sampleRoom } from "../helpers/samples";

const outboxes: Outbox[] = [];
afterEach(() => outboxes.splice(0).forEach((o) => o.dispose()));

/** An outbox whose tries are refused with `refuse` (or never answered). */
function outbox(refuse: ChatError | null = null) {
  let n = 0;
  const made = new Outbox({
    send: () => (refuse ? Promise.reject(refuse) : new Promise(() => {})),
    canSend: () => true,
    newId: () => `c${++n}`,
  });
  outboxes.push(made);
  return made;
}

async function store(lastSeq = 10, { lastReadSeq = 0, refuse = null as ChatError | null } = {}) {
  const directory = new RoomDirectory(ME, async () => [sampleRoom({ id: "r", lastSeq, lastReadSeq })]);
  await directory.refresh();
  const s = new Store(ME, directory, outbox(refuse));
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
  const { s } = await store(10, { refuse: new ChatError("BAD_REQUEST", "text refused") });
  const pending = s.addPending("r", "hello");
  expect(s.unsent("r").map((p) => p.clientId)).toEqual([pending.clientId]);
  await Promise.resolve();
  await Promise.resolve();
  expect(s.pending("r", pending.clientId)).toMatchObject({ status: "failed", error: { code: "BAD_REQUEST" } });
  s.addMessages("r", [at(1, { sender: ME, clientId: pending.clientId, text: "hello" })], "live");
  expect(s.unsent("r")).toHaveLength(0);
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
  const items = buildTimeline(s.log("r"), s.unsent("r"), ME);
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

test("a room entered with unread messages gets a 'New messages' line before the first of them, only where the loaded stretch reaches it", async () => {
  const { s } = await store(6, { lastReadSeq: 3 });
  s.enterRoom("r");
  expect(s.log("r").unreadAfter).toBe(3);
  const kinds = () => buildTimeline(s.log("r"), [], ME).map((i) => (i.kind === "message" ? String(i.message?.seq) : i.kind));
  s.addMessages("r", [at(5), at(6)], "newest");
  // The stretch starts after the first unread message: no line at a wrong place.
  expect(kinds()).toEqual(["day", "5", "6"]);
  s.addMessages("r", [at(2), at(3), at(4)], "older");
  expect(kinds()).toEqual(["day", "2", "3", "unread", "4", "5", "6"]);
  // The first unread message shows its sender again, even within a run.
  const first = buildTimeline(s.log("r"), [], ME).find((i) => i.kind === "message" && i.message?.seq === 4);
  expect(first).toMatchObject({ grouped: false });
  // Read meanwhile, entered again: no line.
  s.directory.markRead("r", 6);
  s.enterRoom("r");
  expect(s.log("r").unreadAfter).toBeNull();
});
