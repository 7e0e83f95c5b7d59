// Effects (chat/effects.ts) carried out with Socket.IO. Everything goes
// through rooms and the adapter (never a local list of sockets), so the same
// calls work when several nodes share an adapter.
import type { Effects } from "../chat/effects";
import { ioRooms, type ChatServer } from "./types";

export function socketEffects(io: ChatServer, { clustered }: { clustered: boolean }): Effects {
  return {
    emitToRoom(roomId, event, payload, options) {
      const targets = options?.alsoUserId ? [ioRooms.chat(roomId), ioRooms.user(options.alsoUserId)] : ioRooms.chat(roomId);
      // The event map types each emit by name; here the name is generic, so widen once.
      (io.to(targets).emit as (event: string, payload: unknown) => boolean)(event, payload);
    },
    addUserToRoom(userId, roomId) {
      io.in(ioRooms.user(userId)).socketsJoin(ioRooms.chat(roomId));
    },
    removeUserFromRoom(userId, roomId) {
      io.in(ioRooms.user(userId)).socketsLeave(ioRooms.chat(roomId));
    },
    membershipChanged(roomId, userId, member) {
      // The in-memory adapter has no other nodes to tell (and warns if asked).
      if (clustered) io.serverSideEmit("membership:changed", { roomId, userId, member });
    },
  };
}
