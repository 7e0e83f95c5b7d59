// What every piece of chat logic is given: storage, the membership cache, the
// transport's effects, and a clock and id source that tests can fix.
import { randomUUID } from "node:crypto";
import type { Room, User } from "../../common/protocol";
import { errors } from "../errors";
import { LocalPresence, type PresenceStore } from "../cluster/presence";
import type { Storage } from "../storage/storage";
import type { Effects } from "./effects";
import { RoomCache, type CachedRoom } from "./room-cache";
import { TypingTracker } from "./typing";

/** Bounds on what one request may cost or one user may hold. */
export type ChatCaps = {
  /** Public and private rooms one user may create in all. */
  roomsPerUser: number;
  /** Public rooms not joined that room:list includes (room:browse pages through the rest). */
  unjoinedPublicListed: number;
  /** Index entries the rarest word of a search may match before the search is refused as too broad. */
  searchMatches: number;
};

export const DEFAULT_CAPS: ChatCaps = { roomsPerUser: 100, unjoinedPublicListed: 50, searchMatches: 20_000 };

export type Chat = {
  storage: Storage;
  /** Rooms and their member sets, so a message needs no database read. */
  roomCache: RoomCache;
  effects: Effects;
  /** Who is online, on this node or across all of them. */
  presence: PresenceStore;
  typing: TypingTracker;
  caps: ChatCaps;
  now: () => number;
  newId: () => string;
};

export function createChat(storage: Storage, effects: Effects, overrides: Partial<Chat> = {}): Chat {
  return {
    storage,
    effects,
    roomCache: new RoomCache(storage),
    presence: new LocalPresence(),
    typing: new TypingTracker(effects),
    caps: DEFAULT_CAPS,
    now: Date.now,
    newId: randomUUID,
    ...overrides,
  };
}

export async function requireRoom(chat: Chat, roomId: string): Promise<CachedRoom> {
  const room = await chat.roomCache.get(roomId);
  if (!room) throw errors.roomNotFound();
  return room;
}

/**
 * Whether the user is a member. The cache answers a yes at once; a no is
 * checked against the database before it is believed, since a join made
 * through another node may not have reached this node's cache yet.
 */
export async function isMember(chat: Chat, room: CachedRoom, userId: string): Promise<boolean> {
  if (room.members.has(userId)) return true;
  if (!(await chat.storage.isMember(room.record.id, userId))) return false;
  await chat.roomCache.setMember(room.record.id, userId, true);
  return true;
}

/** Whether the room exists and the user is a member of it (for events that are dropped rather than refused). */
export async function isMemberOf(chat: Chat, roomId: string, userId: string): Promise<boolean> {
  const room = await chat.roomCache.get(roomId);
  return room !== null && (await isMember(chat, room, userId));
}

/** Members may read any room; anyone may read a public one. */
export async function assertCanRead(chat: Chat, room: CachedRoom, user: User): Promise<void> {
  if (room.record.kind !== "public" && !(await isMember(chat, room, user.id))) throw errors.notMember();
}

export async function assertMember(chat: Chat, room: CachedRoom, user: User): Promise<void> {
  if (!(await isMember(chat, room, user.id))) throw errors.notMember();
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
  await chat.roomCache.setMember(roomId, userId, member);
  if (changed) chat.effects.membershipChanged(roomId, userId, member);
  if (member) chat.effects.addUserToRoom(userId, roomId);
  return changed;
}
