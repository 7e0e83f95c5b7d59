// Presence: a user is online while any of their sockets is connected, on any
// node. It is derived from the adapter (socket counts), never from a
// process-local counter, so it stays right with several nodes.
import type { User } from "../../common/protocol";
import type { Chat } from "./chat";

/** Who hears about this user: everyone sharing a room, and everyone who has them as a contact. */
async function announce(chat: Chat, user: User, online: boolean): Promise<void> {
  const [rooms, watchers] = await Promise.all([chat.storage.roomIdsOf(user.id), chat.storage.contactOf(user.id)]);
  chat.effects.emit({ rooms, users: watchers, exceptUsers: [user.id] }, "presence", { user, online });
}

/** Called once a socket is connected (and counted). */
export async function socketConnected(chat: Chat, user: User): Promise<void> {
  if ((await chat.effects.socketCount(user.id)) === 1) await announce(chat, user, true);
}

/** Called once a socket is gone (and no longer counted). */
export async function socketDisconnected(chat: Chat, user: User): Promise<void> {
  if ((await chat.effects.socketCount(user.id)) === 0) await announce(chat, user, false);
}
