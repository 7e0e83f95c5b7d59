// Builders for the storage contract: users, rooms and messages made straight
// through a Storage, with the search terms the chat logic would compute.
import { randomUUID } from "node:crypto";
import { mentionedUsernames, type User } from "../../common/protocol";
import { termsOf } from "../../server/chat/search-terms";
import type { NewMessage, Storage } from "../../server/storage/storage";

let clock = 1_700_000_000_000;
/** Strictly increasing timestamps, so "newest first" is never a tie unless a test wants one. */
export const tick = () => ++clock;

export function builders(storage: () => Storage) {
  async function user(username = `u_${randomUUID().slice(0, 8)}`): Promise<User> {
    const u = { id: randomUUID(), username };
    expect(await storage().createUser({ ...u, passwordHash: "x" }, tick())).toBe(true);
    return u;
  }

  async function room(creatorId: string, kind: "public" | "private" = "public", name = `r-${randomUUID()}`): Promise<string> {
    const id = randomUUID();
    expect(await storage().createRoom({ id, kind, name, dmUsers: null }, creatorId, tick())).toBe(true);
    return id;
  }

  const message = (roomId: string, sender: User, clientId: string, text = clientId, createdAt = tick()): NewMessage => ({
    id: randomUUID(),
    roomId,
    sender,
    text,
    clientId,
    createdAt,
    mentions: mentionedUsernames(text),
    terms: termsOf(text),
  });

  /** Stores a message and returns it, failing unless it was created. */
  async function say(roomId: string, sender: User, text: string, clientId: string = randomUUID()) {
    const result = await storage().insertMessage(message(roomId, sender, clientId, text));
    if (result.status !== "created") throw new Error(`insertMessage answered ${result.status}`);
    return result.message;
  }

  return { user, room, message, say };
}
