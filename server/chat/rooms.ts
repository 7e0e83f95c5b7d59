// Rooms, membership and direct messages.
import type { Contact, Empty, Payload, Room, SystemEvent, User } from "../../common/protocol";
import { errors } from "../errors";
import { assertCanRead, requireRoom, roomView, setMembership, type Chat } from "./chat";

function announce(chat: Chat, type: SystemEvent["type"], roomId: string, user: User, alsoUserId?: string) {
  const event: SystemEvent = { type, roomId, user, at: chat.now() };
  chat.effects.emit({ rooms: [roomId], users: alsoUserId ? [alsoUserId] : [] }, "system", event);
}

export async function createRoom(chat: Chat, user: User, { name, private: isPrivate }: Payload<"room:create">): Promise<Room> {
  const id = chat.newId();
  const kind = isPrivate ? "private" : "public";
  const created = await chat.storage.createRoom({ id, kind, name, dmUsers: null }, user.id, chat.now());
  if (!created) throw errors.conflict("A public room with that name exists");
  chat.effects.addUserToRoom(user.id, id);
  return { id, kind, name, lastSeq: 0, joined: true, lastReadSeq: 0, unreadMentions: 0 };
}

export function listRooms(chat: Chat, user: User): Promise<Room[]> {
  return chat.storage.listRooms(user.id);
}

export async function joinRoom(chat: Chat, user: User, { roomId }: Payload<"room:join">): Promise<Room> {
  const room = await requireRoom(chat, roomId);
  if (room.record.kind !== "public") {
    // Private rooms and dms are entered only by invitation or dm:open.
    if (!room.members.has(user.id)) throw errors.forbidden("This room is by invitation only");
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
  if (!room.members.has(user.id)) throw errors.notMember();
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
    await chat.rooms.setMember(room.id, userId, true);
    chat.effects.membershipChanged(room.id, userId, true);
    chat.effects.addUserToRoom(userId, room.id);
  }
  return roomView(chat, room.id, user);
}

/** Members with their online state; anyone may see a public room's, members only a private room's or a dm's. */
export async function roomMembers(chat: Chat, user: User, { roomId }: Payload<"room:members">): Promise<Contact[]> {
  assertCanRead(await requireRoom(chat, roomId), user);
  const members = await chat.storage.members(roomId);
  const online = await chat.effects.onlineUsers(members.map((m) => m.id));
  return members.map((m) => ({ ...m, online: online.has(m.id) }));
}
