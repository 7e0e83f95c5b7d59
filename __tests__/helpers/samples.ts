// Protocol values for unit tests that need no server: a room, a message,
// each with sensible defaults and the fields a test cares about given.
import type { Message, Room, User } from "../../common/protocol";

export const ME: User = { id: "u-me", username: "Alice" };
export const BOB: User = { id: "u-bob", username: "bob" };

export function sampleRoom(fields: Partial<Room> & { id: string }): Room {
  return { kind: "public", name: fields.id, lastSeq: 0, joined: true, lastReadSeq: 0, unreadMentions: 0, ...fields };
}

export function sampleMessage(fields: Partial<Message> & { roomId: string; seq: number }): Message {
  return {
    id: `${fields.roomId}:${fields.seq}`,
    sender: BOB,
    text: `message ${fields.seq}`,
    clientId: `c-${fields.roomId}-${fields.seq}`,
    createdAt: 1_700_000_000_000 + fields.seq,
    editedAt: null,
    deleted: false,
    ...fields,
  };
}

/** A promise with its resolve and reject at hand, for answering a call when the test says so. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
