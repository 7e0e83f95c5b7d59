// What a node does for the others and with them: keep its membership cache in
// step with their announcements, tell users that a dead node's sockets are
// gone, check everything again when the shared layer comes back from an
// outage, and leave cleanly.
import type { Logger } from "pino";
import type { Chat } from "../chat/chat";
import { announcePresence } from "../chat/presence";
import type { Cluster } from "../cluster/cluster";
import { followOtherNodes, type NodeLink } from "./socket-effects";
import { ioRooms, type ChatServer, type ChatSocket } from "./types";

export function followCluster(io: ChatServer, chat: Chat, cluster: Cluster, logger: Logger, link: NodeLink | null): void {
  if (link) followOtherNodes(io, link, (roomId, userId, member) => void chat.roomCache.setMember(roomId, userId, member));
  chat.presence.onOrphaned((users) => {
    for (const user of users) announcePresence(chat, user, false).catch((err: unknown) => logger.warn({ err }, "presence update failed"));
  });
  cluster.onRecovered(() => {
    chat.roomCache.clear();
    resyncSocketRooms(io, chat).catch((err: unknown) => logger.warn({ err }, "re-syncing socket rooms failed"));
  });
}

/**
 * Puts this node's sockets in exactly their users' rooms, as the database
 * has them: joins and leaves announced while the shared layer was away may
 * not have reached this node.
 */
export async function resyncSocketRooms(io: ChatServer, chat: Chat): Promise<void> {
  const byUser = new Map<string, ChatSocket[]>();
  for (const socket of io.of("/").sockets.values()) {
    const list = byUser.get(socket.data.user.id) ?? [];
    list.push(socket);
    byUser.set(socket.data.user.id, list);
  }
  for (const [userId, sockets] of byUser) {
    const rooms = new Set((await chat.storage.roomIdsOf(userId)).map(ioRooms.chat));
    for (const socket of sockets) {
      for (const room of socket.rooms) if (room.startsWith(ioRooms.chat("")) && !rooms.has(room)) void socket.leave(room);
      void socket.join([...rooms]);
    }
  }
}

/** Before this node stops: its sockets stop counting, and users it leaves with none anywhere are announced offline. */
export async function leaveCluster(chat: Chat, cluster: Cluster, logger: Logger): Promise<void> {
  const gone = await chat.presence.drain();
  // Alone, there is nobody left to tell.
  if (!cluster.shared) return;
  await Promise.all(gone.map((user) => announcePresence(chat, user, false).catch((err: unknown) => logger.warn({ err }, "presence update failed"))));
}
