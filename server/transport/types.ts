import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "../../common/protocol";

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Socket.IO room names, so every node agrees on them. */
export const ioRooms = {
  user: (userId: string) => `user:${userId}`,
  token: (tokenHash: string) => `token:${tokenHash}`,
  chat: (roomId: string) => `room:${roomId}`,
};
