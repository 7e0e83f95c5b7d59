// Effects (chat/effects.ts) carried out with Socket.IO. Everything goes
// through rooms and the adapter (never a local list of sockets), so the same
// calls work when several nodes share an adapter. New messages are the one
// exception: beside other nodes, each node delivers them to its own sockets
// through an ordered queue (ordered-delivery.ts), so they arrive in seq order.
import type { Effects } from "../chat/effects";
import type { OrderedDelivery } from "./ordered-delivery";
import { ioRooms, type ChatServer } from "./types";

/** `ordered`: present when other nodes may exist. */
export function socketEffects(io: ChatServer, ordered: OrderedDelivery | null): Effects {
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
    deliver(message) {
      if (!ordered) {
        io.to(ioRooms.chat(message.roomId)).emit("message", message);
        return;
      }
      io.serverSideEmit("message:new", message);
      ordered.push(message);
    },
    addUserToRoom(userId, roomId) {
      io.in(ioRooms.user(userId)).socketsJoin(ioRooms.chat(roomId));
    },
    removeUserFromRoom(userId, roomId) {
      io.in(ioRooms.user(userId)).socketsLeave(ioRooms.chat(roomId));
    },
    membershipChanged(roomId, userId, member) {
      // The in-memory adapter has no other nodes to tell (and warns if asked).
      if (ordered) io.serverSideEmit("membership:changed", { roomId, userId, member });
    },
  };
}
