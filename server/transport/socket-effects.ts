// Effects (chat/effects.ts) carried out with Socket.IO. Everything goes
// through rooms and the adapter (never a local list of sockets), so the same
// calls work when several nodes share an adapter.
import type { Effects } from "../chat/effects";
import { ioRooms, type ChatServer } from "./types";

export function socketEffects(io: ChatServer, { clustered }: { clustered: boolean }): Effects {
  return {
    emit(audience, event, payload) {
      const targets = [...(audience.rooms ?? []).map(ioRooms.chat), ...(audience.users ?? []).map(ioRooms.user)];
      if (targets.length === 0) return;
      let operator = io.to(targets);
      if (audience.exceptUsers?.length) operator = operator.except(audience.exceptUsers.map(ioRooms.user));
      if (audience.volatile) operator = operator.volatile;
      // The event map types each emit by name; here the name is generic, so widen once.
      (operator.emit as (event: string, payload: unknown) => boolean)(event, payload);
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
