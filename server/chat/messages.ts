// Sending messages and reading history. The send path is: authorize from the
// membership cache (no database read), one write transaction that assigns
// seq and inserts, then one broadcast. Only a committed message is answered
// or broadcast.
import { LIMITS, type Message, type Payload, type User } from "../../common/protocol";
import { errors } from "../errors";
import { assertCanRead, assertMember, requireRoom, type Chat } from "./chat";

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
  assertMember(await requireRoom(chat, roomId), user);
  try {
    await admit();
  } catch (err) {
    const original = await chat.storage.findMessageByClientId(user.id, clientId);
    if (original?.roomId === roomId) return original;
    throw err;
  }
  const { created, message } = await chat.storage.insertMessage({
    id: chat.newId(),
    roomId,
    sender: user,
    text,
    clientId,
    createdAt: chat.now(),
  });
  if (!created) {
    // A retry: answer with what was stored, broadcast nothing new.
    if (message.roomId !== roomId) throw errors.conflict("That clientId was already used in another room");
    return message;
  }
  chat.effects.emitToRoom(roomId, "message", message);
  return message;
}

export async function history(chat: Chat, user: User, { roomId, before, after, limit }: Payload<"history">): Promise<Message[]> {
  assertCanRead(await requireRoom(chat, roomId), user);
  return chat.storage.history(roomId, { before, after, limit: limit ?? LIMITS.historyDefault });
}
