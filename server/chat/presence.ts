// Presence: a user is online while any of their sockets is connected to a
// live node. The counting is the cluster's PresenceStore (one node's own
// counts, or counts shared in Redis); here is only who is told.
import type { User } from "../../common/protocol";
import type { Chat } from "./chat";

/** Who hears about this user: everyone sharing a room, and everyone who has them as a contact. */
export async function announcePresence(chat: Chat, user: User, online: boolean): Promise<void> {
  const [rooms, watchers] = await Promise.all([chat.storage.roomIdsOf(user.id), chat.storage.contactOf(user.id)]);
  chat.effects.emit({ rooms, users: watchers, exceptUsers: [user.id] }, "presence", { user, online });
}

/** Called once a socket is connected. */
export async function socketConnected(chat: Chat, user: User, socketId: string): Promise<void> {
  if (await chat.presence.add(user, socketId)) await announcePresence(chat, user, true);
}

/** Called once a socket is gone. */
export async function socketDisconnected(chat: Chat, user: User, socketId: string): Promise<void> {
  if (await chat.presence.remove(user, socketId)) await announcePresence(chat, user, false);
}
