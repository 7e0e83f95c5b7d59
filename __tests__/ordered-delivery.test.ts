// The hold-back queue that keeps each node's deliveries in seq order per
// room, driven with fake timers: no network, no server.
import type { Message } from "../common/protocol";
import { OrderedDelivery } from "../server/transport/ordered-delivery";

const message = (roomId: string, seq: number): Message => ({
  id: `${roomId}-${seq}`,
  roomId,
  seq,
  sender: { id: "u", username: "u" },
  text: `m${seq}`,
  clientId: `c${seq}`,
  createdAt: seq,
  editedAt: null,
  deleted: false,
});

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

function queue() {
  const delivered: string[] = [];
  const q = new OrderedDelivery((m) => delivered.push(m.id), 500);
  return { q, delivered };
}

test("messages that arrive out of order are delivered in order, each room on its own", () => {
  const { q, delivered } = queue();
  q.push(message("a", 1));
  q.push(message("a", 3));
  q.push(message("b", 1));
  q.push(message("a", 2));
  expect(delivered).toEqual(["a-1", "b-1", "a-2", "a-3"]);
});

test("a room first heard mid-conversation waits for earlier messages, then starts from the lowest", () => {
  const { q, delivered } = queue();
  q.push(message("a", 21));
  q.push(message("a", 20));
  expect(delivered).toEqual([]);
  jest.advanceTimersByTime(500);
  expect(delivered).toEqual(["a-20", "a-21"]);
  q.push(message("a", 22));
  expect(delivered).toEqual(["a-20", "a-21", "a-22"]);
});

test("a gap that does not fill is skipped after the hold time; a straggler is still delivered", () => {
  const { q, delivered } = queue();
  q.push(message("a", 1));
  q.push(message("a", 3));
  q.push(message("a", 4));
  expect(delivered).toEqual(["a-1"]);
  jest.advanceTimersByTime(499);
  expect(delivered).toEqual(["a-1"]);
  jest.advanceTimersByTime(1);
  expect(delivered).toEqual(["a-1", "a-3", "a-4"]);
  q.push(message("a", 2));
  expect(delivered).toEqual(["a-1", "a-3", "a-4", "a-2"]);
});
