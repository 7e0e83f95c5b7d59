// Contacts: a user's own list of people, each with whether they are online.
import { FIELD_LIMITS, type Contact, type Empty, type Payload, type User } from "../../common/protocol";
import { errors } from "../errors";
import { assertCanRead, requireRoom, type Chat } from "./chat";

async function otherUser(chat: Chat, user: User, username: string): Promise<User> {
  if (username.toLowerCase() === user.username.toLowerCase()) throw errors.badRequest("You cannot add yourself");
  const found = await chat.storage.findUserByName(username);
  if (!found) throw errors.userNotFound();
  return { id: found.id, username: found.username };
}

export async function addContact(chat: Chat, user: User, { username }: Payload<"contacts:add">): Promise<Empty> {
  const contact = await otherUser(chat, user, username);
  await chat.storage.addContact(user.id, contact.id, chat.now());
  return {};
}

export async function removeContact(chat: Chat, user: User, { username }: Payload<"contacts:remove">): Promise<Empty> {
  const contact = await otherUser(chat, user, username);
  await chat.storage.removeContact(user.id, contact.id);
  return {};
}

/**
 * People to suggest while a username is typed: only those the user already
 * shares a room with, or has as contacts. `roomId` only orders them, and only
 * a room the user may read may order them (else it would tell who of them is
 * in a private room).
 */
export async function suggestPeople(chat: Chat, user: User, { query, roomId, limit }: Payload<"people:suggest">): Promise<User[]> {
  if (roomId !== undefined) await assertCanRead(chat, await requireRoom(chat, roomId), user);
  return chat.storage.suggestPeople(user.id, { prefix: query, roomId, limit: limit ?? FIELD_LIMITS.suggestDefault });
}

export async function listContacts(chat: Chat, user: User): Promise<Contact[]> {
  const contacts = await chat.storage.contacts(user.id);
  const online = await chat.presence.online(contacts.map((c) => c.id));
  return contacts.map((c) => ({ ...c, online: online.has(c.id) }));
}
