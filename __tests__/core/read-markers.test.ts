// Read-marker reporting without a server: one `read` call in flight at most,
// wishes merged to the newest seq per room, nothing the server already has,
// a failed call not repeated until a reconnect, nothing sent while offline.
import { ChatError } from "../../common/chat-error";
import type { Room } from "../../common/protocol";
import { ReadMarkers } from "../../common/read-markers";
import { RoomDirectory } from "../../common/room-directory";
import { deferred, ME, sampleRoom } from "../helpers/samples";

async function setup(rooms: Room[], options: { online?: () => boolean } = {}) {
  const directory = new RoomDirectory(ME, async () => rooms);
  await directory.refresh();
  const calls: Array<{ roomId: string; seq: number; answer: ReturnType<typeof deferred<unknown>> }> = [];
  const waiting = new Map<number, () => void>();
  const errors: unknown[] = [];
  const reads = new ReadMarkers(
    directory,
    (roomId, seq) => {
      const answer = deferred<unknown>();
      calls.push({ roomId, seq, answer });
      waiting.get(calls.length - 1)?.();
      return answer.promise;
    },
    { canSend: options.online, onError: (err) => errors.push(err) },
  );
  const sent = () => calls.map((c) => `${c.roomId}@${c.seq}`);
  /** The n-th call (from 0), once it has been made. */
  const call = (n: number) =>
    calls[n] ? Promise.resolve(calls[n]) : new Promise<(typeof calls)[number]>((resolve) => waiting.set(n, () => resolve(calls[n]!)));
  return { directory, reads, calls, call, sent, errors };
}

test("a burst of marks is one call in flight, then one for the newest seq asked meanwhile", async () => {
  const { reads, call, sent, directory } = await setup([sampleRoom({ id: "a", lastSeq: 10 })]);
  for (let seq = 1; seq <= 5; seq++) reads.mark("a", seq);
  // Shown at once, whatever the server has said so far.
  expect(directory.get("a")?.lastReadSeq).toBe(5);
  expect(sent()).toEqual(["a@1"]);
  (await call(0)).answer.resolve({});
  (await call(1)).answer.resolve({});
  await reads.settled();
  expect(sent()).toEqual(["a@1", "a@5"]);
  expect(directory.serverReadSeq("a")).toBe(5);
});

test("nothing is sent at or below what the server holds, for rooms not joined, or for seq 0", async () => {
  const { reads, sent } = await setup([sampleRoom({ id: "a", lastSeq: 9, lastReadSeq: 7 }), sampleRoom({ id: "b", lastSeq: 3, joined: false })]);
  reads.mark("a", 7);
  reads.mark("a", 3);
  reads.mark("b", 3);
  reads.mark("a", 0);
  expect(sent()).toEqual([]);
});

test("marks for several rooms go one after the other, each once", async () => {
  const { reads, call, sent } = await setup([sampleRoom({ id: "a", lastSeq: 9 }), sampleRoom({ id: "b", lastSeq: 9 })]);
  reads.mark("a", 2);
  reads.mark("b", 4);
  reads.mark("b", 6);
  (await call(0)).answer.resolve({});
  (await call(1)).answer.resolve({});
  await reads.settled();
  expect(sent()).toEqual(["a@2", "b@6"]);
});

test("a failed call is not repeated for the same seq; after a reconnect, or for a newer seq, it is", async () => {
  const { reads, calls, sent, errors } = await setup([sampleRoom({ id: "a", lastSeq: 9 })]);
  reads.mark("a", 3);
  calls[0]!.answer.reject(new ChatError("INTERNAL", "oops"));
  await reads.settled();
  reads.mark("a", 3);
  expect(sent()).toEqual(["a@3"]);
  expect(errors).toEqual([expect.objectContaining({ code: "INTERNAL" })]);
  reads.reconnected();
  expect(sent()).toEqual(["a@3"]);
  reads.mark("a", 3);
  expect(sent()).toEqual(["a@3", "a@3"]);
  calls[1]!.answer.resolve({});
  await reads.settled();
  reads.mark("a", 4);
  expect(sent()).toEqual(["a@3", "a@3", "a@4"]);
});

test("a room left meanwhile or a lost connection is nothing to report", async () => {
  const { reads, calls, errors } = await setup([sampleRoom({ id: "a", lastSeq: 9 })]);
  reads.mark("a", 1);
  calls[0]!.answer.reject(new ChatError("FORBIDDEN", "not a member"));
  await reads.settled();
  reads.mark("a", 2);
  calls[1]!.answer.reject(new ChatError("TIMEOUT", "no answer"));
  await reads.settled();
  expect(errors).toEqual([]);
});

test("offline, marks wait (and settled() does not); reconnected() sends the newest of them", async () => {
  let online = false;
  const { reads, calls, sent } = await setup([sampleRoom({ id: "a", lastSeq: 9 })], { online: () => online });
  reads.mark("a", 2);
  reads.mark("a", 4);
  await reads.settled();
  expect(sent()).toEqual([]);
  online = true;
  reads.reconnected();
  expect(sent()).toEqual(["a@4"]);
  calls[0]!.answer.resolve({});
  await reads.settled();
});

test("forget: after leaving, nothing waits for the room, and a later join starts afresh", async () => {
  const { reads, calls, sent } = await setup([sampleRoom({ id: "a", lastSeq: 9 }), sampleRoom({ id: "b", lastSeq: 9 })]);
  reads.mark("b", 1);
  reads.mark("a", 5);
  reads.forget("a");
  calls[0]!.answer.resolve({});
  await reads.settled();
  expect(sent()).toEqual(["b@1"]);
});
