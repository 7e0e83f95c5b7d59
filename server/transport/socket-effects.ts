// Effects (chat/effects.ts) carried out with Socket.IO. Every effect is done
// on this node's own sockets at once (`io.local`), and told to the other
// nodes as a server-side event that each carries out on its own sockets. The
// adapter's own cross-node broadcast is not used: it waits for Redis before
// it delivers even locally, so an outage would hold every broadcast, join
// and leave on every node. While Redis is away nothing is told (nothing piles
// up in memory); when it is back, every node re-checks its sockets' rooms
// (cluster-events.ts) and clients fill gaps by seq. New messages reach each
// node's sockets through an ordered queue (ordered-delivery.ts), so they
// arrive in seq order whichever node stored them.
import type { Audience, Effects, ServerEvent, ServerEventPayload } from "../chat/effects";
import type { OrderedDelivery } from "./ordered-delivery";
import { ioRooms, type ChatServer, type InterServerEvents } from "./types";

/** How nodes reach each other; absent for one node alone. */
export type NodeLink = {
  ordered: OrderedDelivery;
  /** Whether the shared layer is up: told events are dropped, not queued, while it is not. */
  ready(): boolean;
};

/** A volatile event relayed later than this is no longer worth showing (a typing indicator). */
const VOLATILE_MAX_AGE_MS = 3000;

function emitLocal(io: ChatServer, audience: Audience, event: ServerEvent, payload: unknown): void {
  const targets = [...(audience.rooms ?? []).map(ioRooms.chat), ...(audience.users ?? []).map(ioRooms.user)];
  if (targets.length === 0) return;
  let operator = io.local.to(targets);
  if (audience.exceptUsers?.length) operator = operator.except(audience.exceptUsers.map(ioRooms.user));
  if (audience.volatile) operator = operator.volatile;
  // The event map types each emit by name; here the name is generic, so widen once.
  (operator.emit as (event: string, payload: unknown) => boolean)(event, payload);
}

export type ClusterActions = Effects & {
  /** Disconnects every socket opened with this token, on every node (logout). */
  disconnectToken(tokenHash: string): void;
};

export function socketEffects(io: ChatServer, link: NodeLink | null): ClusterActions {
  const tell = <E extends keyof InterServerEvents>(event: E, ...args: Parameters<InterServerEvents[E]>) => {
    if (link?.ready()) (io.serverSideEmit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
  };
  return {
    emit<E extends ServerEvent>(audience: Audience, event: E, payload: ServerEventPayload<E>) {
      emitLocal(io, audience, event, payload);
      tell("relay", { audience, event, payload, at: Date.now() });
    },
    deliver(message) {
      if (!link) {
        io.to(ioRooms.chat(message.roomId)).emit("message", message);
        return;
      }
      link.ordered.push(message);
      tell("message:new", message);
    },
    addUserToRoom(userId, roomId) {
      io.local.in(ioRooms.user(userId)).socketsJoin(ioRooms.chat(roomId));
      tell("sockets:join", { userId, roomId });
    },
    removeUserFromRoom(userId, roomId) {
      io.local.in(ioRooms.user(userId)).socketsLeave(ioRooms.chat(roomId));
      tell("sockets:leave", { userId, roomId });
    },
    membershipChanged(roomId, userId, member) {
      tell("membership:changed", { roomId, userId, member });
    },
    disconnectToken(tokenHash) {
      io.local.in(ioRooms.token(tokenHash)).disconnectSockets(true);
      tell("sockets:disconnect", { tokenHash });
    },
  };
}

/** What another node told this one, carried out on this node's sockets. */
export function followOtherNodes(io: ChatServer, link: NodeLink, onMembership: (roomId: string, userId: string, member: boolean) => void): void {
  io.on("relay", ({ audience, event, payload, at }) => {
    if (audience.volatile && Date.now() - at > VOLATILE_MAX_AGE_MS) return;
    emitLocal(io, audience, event as ServerEvent, payload);
  });
  io.on("message:new", (message) => link.ordered.push(message));
  io.on("sockets:join", ({ userId, roomId }) => io.local.in(ioRooms.user(userId)).socketsJoin(ioRooms.chat(roomId)));
  io.on("sockets:leave", ({ userId, roomId }) => io.local.in(ioRooms.user(userId)).socketsLeave(ioRooms.chat(roomId)));
  io.on("sockets:disconnect", ({ tokenHash }) => io.local.in(ioRooms.token(tokenHash)).disconnectSockets(true));
  io.on("membership:changed", ({ roomId, userId, member }) => onMembership(roomId, userId, member));
}
