// Contacts: a user's own list of people, each with whether they are online.
import type { Contact, Empty, Payload, User } from "../../common/protocol";
import { errors } from "../errors";
import type { Chat } from "./chat";

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

export async function listContacts(chat: Chat, user: User): Promise<Contact[]> {
  const contacts = await chat.storage.contacts(user.id);
  const online = await chat.presence.online(contacts.map((c) => c.id));
  return contacts.map((c) => ({ ...c, online: online.has(c.id) }));
}
