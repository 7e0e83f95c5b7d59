// Messages: send, edit, delete, history and search. The send path is:
// authorize from the membership cache (no database read), one write
// transaction that checks membership, assigns seq and inserts, then one
// broadcast. Only a committed message is answered or broadcast.
import { FIELD_LIMITS, mentionedUsernames, type Empty, type Message, type Payload, type User } from "../../common/protocol";
import { errors } from "../errors";
import { assertCanRead, assertMember, requireRoom, type Chat } from "./chat";
import { MAX_QUERY_WORDS, queryPrefixes, termsOf } from "./search-terms";

/**
 * `admit` is the abuse limit: it throws (RATE_LIMITED) past it. A retry of a
 * stored message is still answered with the original when over the limit,
 * since the client is only asking what happened to what it sent.
 */
export async function sendMessage(
  chat: Chat,
  user: User,
  { roomId, text, clientId }: Payload<"message">,
  admit: () => Promise<void> = async () => {},
): Promise<Message> {
  await assertMember(chat, await requireRoom(chat, roomId), user);
  try {
    await admit();
  } catch (err) {
    const original = await chat.storage.findMessageByClientId(user.id, clientId);
    if (original?.roomId === roomId) return original;
    throw err;
  }
  const result = await chat.storage.insertMessage({
    id: chat.newId(),
    roomId,
    sender: user,
    text,
    clientId,
    createdAt: chat.now(),
    mentions: mentionedUsernames(text),
    terms: termsOf(text),
  });
  switch (result.status) {
    case "not-member":
      // The cache was behind a leave made elsewhere; the database has the last word.
      await chat.roomCache.setMember(roomId, user.id, false);
      throw errors.notMember();
    case "duplicate":
      // A retry: answer with what was stored, broadcast nothing new.
      if (result.message.roomId !== roomId) throw errors.conflict("That clientId was already used in another room");
      return result.message;
    case "created":
      chat.effects.deliver(result.message);
      return result.message;
  }
}

/** The message, if `user` wrote it and is still a member of its room (asked of the database: edits are rare). */
async function ownMessage(chat: Chat, user: User, messageId: string): Promise<Message> {
  const message = await chat.storage.findMessage(messageId);
  if (!message) throw errors.messageNotFound();
  if (message.sender.id !== user.id) throw errors.forbidden("Only the author may change a message");
  if (!(await chat.storage.isMember(message.roomId, user.id))) throw errors.notMember();
  return message;
}

export async function editMessage(chat: Chat, user: User, { messageId, text }: Payload<"message:edit">): Promise<Message> {
  const message = await ownMessage(chat, user, messageId);
  if (message.deleted) throw errors.conflict("A deleted message cannot be edited");
  if (message.text === text) return message;
  const edited = await chat.storage.editMessage({
    messageId,
    text,
    mentions: mentionedUsernames(text),
    terms: termsOf(text),
    editedAt: chat.now(),
  });
  if (!edited) throw errors.conflict("A deleted message cannot be edited");
  chat.effects.emit({ rooms: [edited.roomId] }, "message:updated", edited);
  return edited;
}

export async function deleteMessage(chat: Chat, user: User, { messageId }: Payload<"message:delete">): Promise<Empty> {
  const message = await ownMessage(chat, user, messageId);
  // Deleting twice changes nothing and announces nothing.
  if (message.deleted) return {};
  const deleted = await chat.storage.deleteMessage(messageId, chat.now());
  if (deleted) chat.effects.emit({ rooms: [deleted.roomId] }, "message:updated", deleted);
  return {};
}

export async function history(chat: Chat, user: User, { roomId, before, after, limit }: Payload<"history">): Promise<Message[]> {
  await assertCanRead(chat, await requireRoom(chat, roomId), user);
  return chat.storage.history(roomId, { before, after, limit: limit ?? FIELD_LIMITS.historyDefault });
}

export async function search(chat: Chat, user: User, { query, roomId, limit }: Payload<"search">): Promise<Message[]> {
  if (roomId !== undefined) await assertCanRead(chat, await requireRoom(chat, roomId), user);
  const prefixes = queryPrefixes(query);
  if (prefixes.length > MAX_QUERY_WORDS) throw errors.badRequest(`Search for at most ${MAX_QUERY_WORDS} words`);
  const result = await chat.storage.search({
    userId: user.id,
    prefixes,
    roomId,
    limit: limit ?? FIELD_LIMITS.searchDefault,
    maxMatches: chat.caps.searchMatches,
  });
  if (result.tooBroad) throw errors.badRequest("Those words match too many messages; make one of them longer or rarer");
  return result.messages;
}
