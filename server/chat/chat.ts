// What every piece of chat logic is given: storage, the membership cache, the
// transport's effects, and a clock and id source that tests can fix.
import { randomUUID } from "node:crypto";
import type { Room, User } from "../../common/protocol";
import { errors } from "../errors";
import type { Storage } from "../storage/storage";
import type { Effects } from "./effects";
import { RoomCache, type CachedRoom } from "./room-cache";
import { TypingTracker } from "./typing";

export type Chat = {
  storage: Storage;
  rooms: RoomCache;
  effects: Effects;
  typing: TypingTracker;
  now: () => number;
  newId: () => string;
};

export function createChat(storage: Storage, effects: Effects, overrides: Partial<Chat> = {}): Chat {
  return {
    storage,
    effects,
    rooms: new RoomCache(storage),
    typing: new TypingTracker(effects),
    now: Date.now,
    newId: randomUUID,
    ...overrides,
  };
}

export async function requireRoom(chat: Chat, roomId: string): Promise<CachedRoom> {
  const room = await chat.rooms.get(roomId);
  if (!room) throw errors.roomNotFound();
  return room;
}

/** Members may read any room; anyone may read a public one. */
export function assertCanRead(room: CachedRoom, user: User): void {
  if (room.record.kind !== "public" && !room.members.has(user.id)) throw errors.notMember();
}

export function assertMember(room: CachedRoom, user: User): void {
  if (!room.members.has(user.id)) throw errors.notMember();
}

/** The room as `user` sees it (name of a dm, joined, read marker). */
export async function roomView(chat: Chat, roomId: string, user: User): Promise<Room> {
  const view = await chat.storage.roomFor(roomId, user.id);
  if (!view) throw errors.roomNotFound();
  return view;
}

/** Stores a membership change and applies it to the cache, the other nodes and the user's sockets. */
export async function setMembership(chat: Chat, roomId: string, userId: string, member: boolean): Promise<boolean> {
  const changed = member
    ? await chat.storage.addMember(roomId, userId, chat.now())
    : await chat.storage.removeMember(roomId, userId);
  await chat.rooms.setMember(roomId, userId, member);
  if (changed) chat.effects.membershipChanged(roomId, userId, member);
  if (member) chat.effects.addUserToRoom(userId, roomId);
  return changed;
}
