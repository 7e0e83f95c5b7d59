// Rooms, membership and direct messages.
import {
  FIELD_LIMITS,
  roomNameKey,
  type Empty,
  type Payload,
  type Room,
  type RoomMember,
  type RoomPage,
  type SystemEvent,
  type User,
} from "../../common/protocol";
import { errors } from "../errors";
import { assertCanRead, isMember, requireRoom, roomView, setMembership, type Chat } from "./chat";

function announce(chat: Chat, type: SystemEvent["type"], roomId: string, user: User, alsoUserId?: string) {
  const event: SystemEvent = { type, roomId, user, at: chat.now() };
  chat.effects.emit({ rooms: [roomId], users: alsoUserId ? [alsoUserId] : [] }, "system", event);
}

export async function createRoom(chat: Chat, user: User, { name, private: isPrivate }: Payload<"room:create">): Promise<Room> {
  // Counted, not enforced in the insert: two creations at the same moment may pass the cap by one.
  if ((await chat.storage.roomsCreatedBy(user.id)) >= chat.caps.roomsPerUser) {
    throw errors.forbidden(`You have created ${chat.caps.roomsPerUser} rooms, the most one account may create`);
  }
  const id = chat.newId();
  const kind = isPrivate ? "private" : "public";
  const created = await chat.storage.createRoom({ id, kind, name, dmUsers: null }, user.id, chat.now());
  if (!created) throw errors.conflict("A public room with that name exists");
  chat.effects.addUserToRoom(user.id, id);
  return { id, kind, name, lastSeq: 0, joined: true, lastReadSeq: 0, unreadMentions: 0 };
}

/** The user's rooms, and the busiest public rooms they have not joined (room:browse finds the rest). */
export function listRooms(chat: Chat, user: User): Promise<Room[]> {
  return chat.storage.listRooms(user.id, { unjoinedPublic: chat.caps.unjoinedPublicListed });
}

export function browseRooms(chat: Chat, user: User, { query, cursor, limit }: Payload<"room:browse">): Promise<RoomPage> {
  return chat.storage.browseRooms(user.id, {
    query: query === undefined ? undefined : roomNameKey(query),
    after: cursor,
    limit: limit ?? FIELD_LIMITS.browseDefault,
  });
}

export async function joinRoom(chat: Chat, user: User, { roomId }: Payload<"room:join">): Promise<Room> {
  const room = await requireRoom(chat, roomId);
  if (room.record.kind !== "public") {
    // Private rooms and dms are entered only by invitation or dm:open.
    if (!(await isMember(chat, room, user.id))) throw errors.forbidden("This room is by invitation only");
    chat.effects.addUserToRoom(user.id, roomId);
  } else if (await setMembership(chat, roomId, user.id, true)) {
    // alsoUserId: the joiner's sockets hear it even before the join reaches every node.
    announce(chat, "member-joined", roomId, user, user.id);
  }
  return roomView(chat, roomId, user);
}

export async function leaveRoom(chat: Chat, user: User, { roomId }: Payload<"room:leave">): Promise<Empty> {
  await requireRoom(chat, roomId);
  if (await setMembership(chat, roomId, user.id, false)) {
    // The leaver's own sockets hear it too, before they leave the room.
    announce(chat, "member-left", roomId, user, user.id);
  }
  chat.effects.removeUserFromRoom(user.id, roomId);
  return {};
}

export async function inviteToRoom(chat: Chat, user: User, { roomId, username }: Payload<"room:invite">): Promise<Empty> {
  const room = await requireRoom(chat, roomId);
  if (room.record.kind !== "private") throw errors.badRequest("Only private rooms take invitations");
  if (!(await isMember(chat, room, user.id))) throw errors.notMember();
  const invitee = await chat.storage.findUserByName(username);
  if (!invitee) throw errors.userNotFound();
  const subject = { id: invitee.id, username: invitee.username };
  // Inviting a member again changes nothing and announces nothing.
  if (await setMembership(chat, roomId, subject.id, true)) announce(chat, "member-invited", roomId, subject, subject.id);
  return {};
}

export async function openDm(chat: Chat, user: User, { username }: Payload<"dm:open">): Promise<Room> {
  if (username.toLowerCase() === user.username.toLowerCase()) throw errors.badRequest("You cannot open a dm with yourself");
  const other = await chat.storage.findUserByName(username);
  if (!other) throw errors.userNotFound();
  const pair = [user.id, other.id].sort() as [string, string];
  const room = await chat.storage.openDm(chat.newId(), pair, chat.now());
  for (const userId of pair) {
    await chat.roomCache.setMember(room.id, userId, true);
    chat.effects.membershipChanged(room.id, userId, true);
    chat.effects.addUserToRoom(userId, room.id);
  }
  return roomView(chat, room.id, user);
}

/**
 * Who is in a room: anyone may see a public room's members, only members a
 * private room's or a dm's. Who of them is online is told to members only,
 * so joining nothing, nobody can watch a stranger come and go.
 */
export async function roomMembers(chat: Chat, user: User, { roomId }: Payload<"room:members">): Promise<RoomMember[]> {
  const room = await requireRoom(chat, roomId);
  await assertCanRead(chat, room, user);
  const members = await chat.storage.members(roomId);
  if (!(await isMember(chat, room, user.id))) return members;
  const online = await chat.presence.online(members.map((m) => m.id));
  return members.map((m) => ({ ...m, online: online.has(m.id) }));
}
