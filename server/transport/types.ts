import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, Message, ServerToClientEvents, User } from "../../common/protocol";
import type { Audience } from "../chat/effects";

/**
 * Between nodes sharing an adapter: each node caches room membership, so a
 * change made on one node is announced to the others. Server-only, so it
 * lives here rather than in the protocol module the page imports.
 */
export type InterServerEvents = {
  "membership:changed": (change: { roomId: string; userId: string; member: boolean }) => void;
  /** A new message, for the receiving node to deliver to its sockets in seq order (ordered-delivery.ts). */
  "message:new": (message: Message) => void;
  /** Any other event for an audience, to emit to the receiving node's sockets; `at` ages volatile ones. */
  relay: (relayed: { audience: Audience; event: string; payload: unknown; at: number }) => void;
  "sockets:join": (change: { userId: string; roomId: string }) => void;
  "sockets:leave": (change: { userId: string; roomId: string }) => void;
  "sockets:disconnect": (target: { tokenHash: string }) => void;
};

export type SocketData = {
  user: User;
  /** Hash of the token the socket authenticated with, so logout can find it. */
  tokenHash: string;
  /** When that token expires (ms since epoch): the socket is disconnected then. */
  expiresAt: number;
};

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Socket.IO room names, so every node agrees on them. */
export const ioRooms = {
  user: (userId: string) => `user:${userId}`,
  token: (tokenHash: string) => `token:${tokenHash}`,
  chat: (roomId: string) => `room:${roomId}`,
};
