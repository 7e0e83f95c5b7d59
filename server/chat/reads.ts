// Read markers: how far each member has read each room. Unread counts are
// derived (`lastSeq - lastReadSeq` from room:list), never stored.
import type { Empty, Payload, User } from "../../common/protocol";
import { assertMember, requireRoom, type Chat } from "./chat";

export async function markRead(chat: Chat, user: User, { roomId, seq }: Payload<"read">): Promise<Empty> {
  await assertMember(chat, await requireRoom(chat, roomId), user);
  // Only forward, and never past the newest message; a marker that did not move announces nothing.
  const marker = await chat.storage.markRead(roomId, user.id, seq);
  if (marker !== null) chat.effects.emit({ rooms: [roomId] }, "read", { roomId, user, seq: marker });
  return {};
}
