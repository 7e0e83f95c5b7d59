// A client that stops reading (a frozen tab, a stalled network, a hostile
// script) makes every packet for it wait in the server's memory, and
// Socket.IO sets no bound of its own. This counts what waits, in bytes:
// packets in engine.io's queue plus what the WebSocket holds unsent. Past a
// lower mark the socket is "congested" and gets no answers to expensive
// requests (handlers ask); past the bound it is cut: a live client
// reconnects and catches up from history, and the server's memory stays
// bounded whatever the answers weigh.
import type { Logger } from "pino";
import type { ChatSocket } from "./types";

export type SendQueueBounds = { maxBytes: number; congestedBytes: number };

/** engine.io's packet; `bytes` is ours, set when it joins the queue so it is counted once. */
type EnginePacket = { data?: unknown; bytes?: number };

// A broadcast hands every socket the same string: its length is measured once.
let lastData: string | null = null;
let lastBytes = 0;
function bytesOf(data: unknown): number {
  if (typeof data === "string") {
    if (data !== lastData) {
      lastData = data;
      lastBytes = Buffer.byteLength(data);
    }
    return lastBytes;
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** Returns whether the socket is congested right now. */
export function boundSendQueue(socket: ChatSocket, { maxBytes, congestedBytes }: SendQueueBounds, logger: Logger): () => boolean {
  const conn = socket.conn;
  // engine.io's transport, typed private: for a WebSocket, `socket` is the ws
  // instance, whose bufferedAmount is what was handed to it and not yet sent.
  const unsentInTransport = () => (conn.transport as unknown as { socket?: { bufferedAmount?: number } }).socket?.bufferedAmount ?? 0;
  let queued = 0;
  let dropped = false;
  const backlog = () => queued + unsentInTransport();

  // packetCreate fires as each packet joins engine.io's queue; flush hands the queue to the transport.
  conn.on("packetCreate", (packet: EnginePacket) => {
    packet.bytes = bytesOf(packet.data);
    queued += packet.bytes;
    if (dropped || backlog() <= maxBytes) return;
    dropped = true;
    logger.warn({ socketId: socket.id, userId: socket.data.user?.id, backlogBytes: backlog() }, "slow consumer disconnected");
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
  conn.on("flush", (packets: EnginePacket[]) => {
    for (const packet of packets) queued -= packet.bytes ?? 0;
  });
  return () => backlog() > congestedBytes;
}
