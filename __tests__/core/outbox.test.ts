// The outbox of unsent messages without a server, on jest's fake clock: the
// order written, one try at a time per room, the same clientId on every try,
// tries made again by themselves (after a reconnect at once, while connected
// after a pause), and a failure only on a refusal or after the time limit.
import { ChatError } from "../../common/chat-error";
import { Outbox, type OutboxEntry } from "../../common/outbox";
import type { Message } from "../../common/protocol";
import { deferred, ME, sampleMessage } from "../helpers/samples";

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

function setup({ online = true } = {}) {
  let connected = online;
  let ids = 0;
  const tries: Array<{ roomId: string; text: string; clientId: string; answer: ReturnType<typeof deferred<Message>> }> = [];
  const stored: Message[] = [];
  const outbox = new Outbox({
    send: (roomId, text, clientId) => {
      const answer = deferred<Message>();
      tries.push({ roomId, text, clientId, answer });
      return answer.promise;
    },
    canSend: () => connected,
    onStored: (m) => stored.push(m),
    newId: () => `c${++ids}`,
  });
  const changed: string[] = [];
  outbox.subscribe((roomId) => changed.push(roomId));
  const storedAs = (n: number, seq: number) => {
    const t = tries[n]!;
    t.answer.resolve(sampleMessage({ roomId: t.roomId, seq, sender: ME, text: t.text, clientId: t.clientId }));
  };
  const status = (roomId: string) => outbox.forRoom(roomId).map((e: OutboxEntry) => `${e.text}:${e.status}`);
  return {
    outbox,
    tries,
    stored,
    changed,
    storedAs,
    status,
    goOffline: () => {
      connected = false;
      outbox.disconnected();
    },
    comeBack: () => {
      connected = true;
      outbox.reconnected();
    },
  };
}

/** Lets promise callbacks run (the fake clock does not move for them). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

test("messages go in the order written, one try at a time per room, rooms side by side", async () => {
  const { outbox, tries, storedAs, status, stored } = setup();
  outbox.add("a", "one");
  outbox.add("a", "two");
  outbox.add("b", "elsewhere");
  expect(tries.map((t) => t.text)).toEqual(["one", "elsewhere"]);
  storedAs(0, 1);
  await settle();
  expect(tries.map((t) => t.text)).toEqual(["one", "elsewhere", "two"]);
  expect(status("a")).toEqual(["two:sending"]);
  storedAs(2, 2);
  storedAs(1, 1);
  await settle();
  expect(status("a")).toEqual([]);
  expect(stored.map((m) => m.text)).toEqual(["one", "two", "elsewhere"]);
});

test("offline, messages wait; back online they go by themselves with the clientIds they were written with", async () => {
  const { outbox, tries, storedAs, status, goOffline, comeBack } = setup({ online: false });
  const first = outbox.add("a", "while away");
  outbox.add("a", "and more");
  expect(status("a")).toEqual(["while away:waiting", "and more:waiting"]);
  expect(tries).toEqual([]);
  jest.advanceTimersByTime(15_000);
  comeBack();
  expect(tries.map((t) => t.clientId)).toEqual([first.clientId]);
  expect(status("a")).toEqual(["while away:sending", "and more:sending"]);
  storedAs(0, 1);
  await settle();
  storedAs(1, 2);
  await settle();
  expect(status("a")).toEqual([]);
  goOffline();
  expect(tries).toHaveLength(2);
});

test("a try lost with the connection is made again at once on the reconnect, with the same clientId; a late answer to either counts once", async () => {
  const { outbox, tries, status, goOffline, comeBack, stored } = setup();
  const entry = outbox.add("a", "in flight");
  goOffline();
  expect(status("a")).toEqual(["in flight:waiting"]);
  comeBack();
  expect(tries.map((t) => t.clientId)).toEqual([entry.clientId, entry.clientId]);
  // The first try times out late: it no longer counts.
  tries[0]!.answer.reject(new ChatError("TIMEOUT", "no answer"));
  await settle();
  expect(status("a")).toEqual(["in flight:sending"]);
  tries[1]!.answer.resolve(sampleMessage({ roomId: "a", seq: 1, sender: ME, clientId: entry.clientId }));
  await settle();
  expect(status("a")).toEqual([]);
  expect(stored).toHaveLength(1);
});

test("while connected, a timeout or RATE_LIMITED is tried again after a pause that grows", async () => {
  const { outbox, tries, status } = setup();
  outbox.add("a", "busy server");
  tries[0]!.answer.reject(new ChatError("TIMEOUT", "no answer"));
  await settle();
  expect(tries).toHaveLength(1);
  jest.advanceTimersByTime(1000);
  expect(tries).toHaveLength(2);
  tries[1]!.answer.reject(new ChatError("RATE_LIMITED", "slow down"));
  await settle();
  jest.advanceTimersByTime(1999);
  expect(tries).toHaveLength(2);
  jest.advanceTimersByTime(1);
  expect(tries).toHaveLength(3);
  expect(new Set(tries.map((t) => t.clientId)).size).toBe(1);
  expect(status("a")).toEqual(["busy server:sending"]);
});

test("a refusal fails the message at once; the next one in the room still goes; Retry tries it again with its clientId", async () => {
  const { outbox, tries, status, storedAs } = setup();
  const refused = outbox.add("a", "refused");
  outbox.add("a", "fine");
  tries[0]!.answer.reject(new ChatError("FORBIDDEN", "not a member"));
  await settle();
  expect(status("a")).toEqual(["refused:failed", "fine:sending"]);
  expect(outbox.get(refused.clientId)?.error?.code).toBe("FORBIDDEN");
  storedAs(1, 1);
  await settle();
  outbox.retry(refused.clientId);
  expect(status("a")).toEqual(["refused:sending"]);
  expect(tries.map((t) => t.clientId)).toEqual([refused.clientId, tries[1]!.clientId, refused.clientId]);
});

test("a message that has not got through in two minutes fails, with its last reason; one stored meanwhile by another way is gone", async () => {
  const { outbox, status, goOffline, tries } = setup();
  const stuck = outbox.add("a", "stuck");
  tries[0]!.answer.reject(new ChatError("TIMEOUT", "no answer"));
  await settle();
  goOffline();
  const other = outbox.add("b", "heard of later");
  jest.advanceTimersByTime(119_000);
  expect(status("a")).toEqual(["stuck:waiting"]);
  // Its broadcast came first (a catch-up): nothing more to send.
  outbox.noteStored({ roomId: "b", clientId: other.clientId });
  jest.advanceTimersByTime(1000);
  expect(status("a")).toEqual(["stuck:failed"]);
  expect(outbox.get(stuck.clientId)?.error?.code).toBe("TIMEOUT");
  expect(status("b")).toEqual([]);
});

test("leaving a room forgets its unsent messages", () => {
  const { outbox, status, changed } = setup({ online: false });
  outbox.add("a", "never mind");
  outbox.forget("a");
  expect(status("a")).toEqual([]);
  expect(changed).toEqual(["a", "a"]);
});
