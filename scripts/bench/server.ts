// One benchmark server process: `node --import tsx scripts/bench/server.ts <bare|chat>`.
// Listens on 127.0.0.1, port 0, and prints `listening on http://127.0.0.1:PORT`.
//
//   bare  the floor: a plain Socket.IO server, no Express, no auth, no
//         validation, no storage. Every connection joins one room; a
//         `message` gets the room's next in-memory seq, is broadcast to the
//         room, then acked `{ok: true, data: message}`.
//   chat  the real app (createApp) on a fresh SQLite file in a temp folder
//         (default WAL, synchronous=NORMAL), a silent logger, and the abuse
//         limits raised so the load generator is never rate limited. The
//         production defaults (server/limits.ts) are unchanged.
//
// Started by run.ts with an IPC channel, it answers `{type: "cpu"}` with its
// own process.cpuUsage(), and exits when the parent goes away.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Server } from "socket.io";
import type { Message, PayloadIn, Result } from "../../common/protocol";
import { createApp, MAX_FRAME_BYTES } from "../../server/app";
import { limitsOff, type AbuseLimits } from "../../server/limits";
import { createLogger } from "../../server/logger";
import { openSqlite } from "../../server/storage/sqlite";

export type ServerKind = "bare" | "chat";

/** What run.ts asks over IPC, and what this process answers. */
export type CpuRequest = { type: "cpu"; id: number };
export type CpuReply = { type: "cpu"; id: number; usage: NodeJS.CpuUsage };

// Benchmark only: high enough that no limit is met by a run of any size. The
// send-queue bound is raised too: the bare server has none, and a load
// generator briefly behind its reads must not be cut off mid-run.
const BENCH_LIMITS: Partial<AbuseLimits> = { ...limitsOff(), maxQueuedBytes: 1_000_000_000, congestedQueuedBytes: 1_000_000_000 };

type Running = { url: string; stop(): Promise<void> };

async function startBare(): Promise<Running> {
  const httpServer = createServer();
  // The same engine options as the real app, so only the work per message differs.
  const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: MAX_FRAME_BYTES });
  const ROOM = "bench";
  const seqs = new Map<string, number>();
  let nextId = 0;
  io.on("connection", (socket) => {
    void socket.join(ROOM);
    socket.on("message", (payload: PayloadIn<"message">, ack: (result: Result<Message>) => void) => {
      const seq = (seqs.get(ROOM) ?? 0) + 1;
      seqs.set(ROOM, seq);
      // The same shape as the real app's Message, so both send frames of about the same size.
      const message: Message = {
        id: `m${++nextId}`,
        roomId: payload.roomId,
        seq,
        sender: { id: socket.id, username: "bench" },
        text: payload.text,
        clientId: payload.clientId,
        createdAt: Date.now(),
        editedAt: null,
        deleted: false,
      };
      io.to(ROOM).emit("message", message);
      ack({ ok: true, data: message });
    });
  });
  await new Promise<void>((listening) => httpServer.listen(0, "127.0.0.1", listening));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((closed) => {
        void io.close(() => closed());
        httpServer.closeAllConnections();
      }),
  };
}

async function startChat(): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), "chat-bench-"));
  const storage = openSqlite({ path: join(dir, "chat.db") });
  const app = createApp({ storage, logger: createLogger("silent"), limits: BENCH_LIMITS });
  const { url } = await app.listen(0, "127.0.0.1");
  return {
    url,
    async stop() {
      await app.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  if (kind !== "bare" && kind !== "chat") {
    console.error(`usage: node --import tsx scripts/bench/server.ts <bare|chat>`);
    process.exit(2);
  }
  const running = kind === "bare" ? await startBare() : await startChat();
  console.log(`listening on ${running.url}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Never linger holding a port or a temp folder if closing hangs.
    setTimeout(() => process.exit(1), 5000).unref();
    await running.stop();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  if (process.send) {
    process.on("message", (request: CpuRequest) => {
      if (request.type === "cpu") process.send?.({ type: "cpu", id: request.id, usage: process.cpuUsage() } satisfies CpuReply);
    });
    // The parent (run.ts) is gone, however it ended: do not outlive it.
    process.on("disconnect", stop);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
