// What chat logic asks of the transport once storage has changed: tell the
// right sockets, and move a user's sockets in or out of a room. Socket.IO implements it (transport/socket-effects.ts) through
// rooms and the adapter, so every call means the same with several nodes.
import type { Message, ServerToClientEvents } from "../../common/protocol";

export type ServerEvent = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

/** Every socket in any of `rooms` or of any of `users` (each once), less the sockets of `exceptUsers`. */
export type Audience = {
  rooms?: string[];
  users?: string[];
  exceptUsers?: string[];
  /** May be dropped for a slow or disconnected socket (typing indicators). */
  volatile?: boolean;
};

export interface Effects {
  emit<E extends ServerEvent>(audience: Audience, event: E, payload: ServerEventPayload<E>): void;
  /** A new message, to every socket of its room on every node, in seq order per room. */
  deliver(message: Message): void;
  /** Puts all of the user's sockets, on every node, into the room. */
  addUserToRoom(userId: string, roomId: string): void;
  removeUserFromRoom(userId: string, roomId: string): void;
  /** Tells the other nodes, which cache membership too. */
  membershipChanged(roomId: string, userId: string, member: boolean): void;
}
