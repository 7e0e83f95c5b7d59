// A client that stops reading: its backlog is counted in bytes; past the
// lower mark it gets RATE_LIMITED instead of large answers, past the bound it
// is cut, and the server's memory stays bounded whatever the answers weigh.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { io } from "socket.io-client";
import type { ClientSocket } from "../common/client";
import type { Message, Result } from "../common/protocol";
import { DEFAULT_ABUSE_LIMITS } from "../server/limits";
import type { ChatSocket } from "../server/transport/types";
import { call, harness, ok, uniqueName, type TestServer } from "./helpers/harness";

const h = harness();

// Measured heap is only meaningful after a collection: expose gc() to this test.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const MiB = 1024 * 1024;

/** 100 messages of 4000 × U+0001, each 6 bytes in JSON: one history page of them is about 2.4 MB. */
async function heavyRoom(s: TestServer) {
  const author = await h.user(s);
  const room = await ok(author.socket, "room:create", { name: uniqueName("heavy") });
  const text = "\u0001".repeat(4000);
  for (let i = 0; i < 100; i++) await ok(author.socket, "message", { roomId: room.id, text, clientId: `h${i}` });
  return { author, room };
}

/** A connected socket whose TCP connection stays open while the client reads nothing off it. */
async function stalledReader(s: TestServer, roomId: string) {
  const { token } = await h.register(s);
  const socket: ClientSocket = io(s.url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
  h.onCleanup(() => void socket.close());
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  await ok(socket, "room:join", { roomId });
  const serverSide = s.app.io.of("/").sockets.get(socket.id!) as ChatSocket;
  const tcp = (socket.io.engine.transport as unknown as { ws: { _socket: { pause(): void; resume(): void } } }).ws._socket;
  return { socket, serverSide, pause: () => tcp.pause(), resume: () => tcp.resume() };
}

/** Resolves once the server has written `count` acknowledgements to this socket (engine "4" + socket.io ack "3"). */
function acksWritten(serverSide: ChatSocket, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const onPacket = (packet: { type: string; data?: unknown }) => {
      if (packet.type === "message" && typeof packet.data === "string" && packet.data.startsWith("3")) seen++;
      if (seen < count) return;
      serverSide.conn.off("packetCreate", onPacket);
      resolve();
    };
    serverSide.conn.on("packetCreate", onPacket);
  });
}

test("past the lower mark, a reader that is behind gets RATE_LIMITED instead of more large answers, until it drains", async () => {
  const s = await h.startServer();
  const { room } = await heavyRoom(s);
  const reader = await stalledReader(s, room.id);
  reader.pause();
  const asked = 12;
  const written = acksWritten(reader.serverSide, asked);
  const answers = Array.from({ length: asked }, () => call(reader.socket, "history", { roomId: room.id, limit: 100 }));
  await written; // every request handled while nothing was read
  reader.resume();
  const results = await Promise.all(answers);
  const served = results.filter((r) => r.ok).length;
  const refused = results.filter((r): r is Extract<Result<Message[]>, { ok: false }> => !r.ok);
  // 12 answers are about 29 MB: far more than loopback buffers take before the backlog passes 1 MiB.
  expect(served).toBeGreaterThanOrEqual(1);
  expect(refused.length).toBeGreaterThanOrEqual(1);
  expect(new Set(refused.map((r) => r.error.code))).toEqual(new Set(["RATE_LIMITED"]));
  expect(refused[0]!.error.message).toMatch(/behind/);
  // Drained: answered again.
  expect(await ok(reader.socket, "history", { roomId: room.id, limit: 100 })).toHaveLength(100);
});

test("a stalled reader flooded with large answers and broadcasts is cut; the server's heap grows by less than 32 MiB", async () => {
  const s = await h.startServer();
  const { author, room } = await heavyRoom(s);
  const reader = await stalledReader(s, room.id);
  const cut = new Promise<string>((resolve) => reader.serverSide.once("disconnect", resolve));
  let isCut = false;
  void cut.then(() => (isCut = true));
  gc();
  const before = process.memoryUsage();
  let peak = 0;
  const sample = () => {
    gc();
    const now = process.memoryUsage();
    peak = Math.max(peak, now.heapUsed + now.arrayBuffers - (before.heapUsed + before.arrayBuffers));
  };

  reader.pause();
  // Unbounded, 200 history pages would hold about 480 MB for this one socket.
  const written = acksWritten(reader.serverSide, 200);
  for (let i = 0; i < 200; i++) reader.socket.emit("history", { roomId: room.id, limit: 100 }, () => {});
  await written;
  sample();
  // Broadcasts are not refused: they fill the backlog to the bound, and the socket is cut.
  const text = "\u0001".repeat(4000);
  for (let i = 0; i < 2000 && !isCut; i++) {
    await ok(author.socket, "message", { roomId: room.id, text, clientId: `b${i}` });
    if (i % 20 === 0) sample();
  }
  expect(await cut).toBe("forced close");
  sample();
  expect(s.app.io.of("/").sockets.has(reader.socket.id!)).toBe(false);
  expect(peak).toBeLessThan(32 * MiB);
  // The bound is what the defaults say it is.
  expect(DEFAULT_ABUSE_LIMITS.maxQueuedBytes).toBe(4 * MiB);
  // The author never noticed.
  expect((await ok(author.socket, "message", { roomId: room.id, text: "after", clientId: "after" })).text).toBe("after");
});
