// What chat logic asks of the transport once storage has changed: tell the
// room, and move the user's sockets in or out of it. Socket.IO implements it
// (transport/socket-effects.ts); unit tests can record the calls instead.
import type { ServerToClientEvents } from "../../common/protocol";

export type ServerEvent = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

export interface Effects {
  /** Sends to every socket in the room, and to every socket of `alsoUserId` (once each). */
  emitToRoom<E extends ServerEvent>(
    roomId: string,
    event: E,
    payload: ServerEventPayload<E>,
    options?: { alsoUserId?: string },
  ): void;
  /** Puts all of the user's sockets, on every node, into the room. */
  addUserToRoom(userId: string, roomId: string): void;
  removeUserFromRoom(userId: string, roomId: string): void;
  /** Tells the other nodes, which cache membership too. */
  membershipChanged(roomId: string, userId: string, member: boolean): void;
}
