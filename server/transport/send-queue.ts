// A client that stops reading (a frozen tab, a stalled network, a hostile
// script) makes every packet for it wait in the server's memory. Past a
// bound, the socket is disconnected instead: a live client reconnects and
// catches up from history, and the server's memory stays bounded.
import type { Logger } from "pino";
import type { ChatSocket } from "./types";

export function boundSendQueue(socket: ChatSocket, maxQueuedPackets: number, logger: Logger): void {
  const conn = socket.conn;
  // engine.io keeps unsent packets in `writeBuffer`, typed private; it has no
  // limit of its own. The slow-consumer test pins this behaviour down.
  const queued = () => (conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;
  let dropped = false;
  // packetCreate fires for each packet as it joins the queue.
  conn.on("packetCreate", () => {
    if (dropped || queued() < maxQueuedPackets) return;
    dropped = true;
    logger.warn({ socketId: socket.id, userId: socket.data.user?.id, queued: queued() }, "slow consumer disconnected");
    // close(true) discards the queue instead of waiting for it to drain,
    // which it never would. A WebSocket is also cut at once: a peer that does
    // not read would not answer the closing handshake either (ws waits 30 s).
    // Not from inside the engine's own send path.
    setImmediate(() => {
      const websocket = (conn.transport as unknown as { socket?: { terminate?: () => void } }).socket;
      conn.close(true);
      websocket?.terminate?.();
    });
  });
}
