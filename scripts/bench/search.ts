// The search benchmark: `npm run bench:search [-- --messages 100000]`.
//
// Seeds a SQLite file with `messages` messages (ten rooms of chat-like text)
// that one user is in none of, and a room of a tenth of them that another user
// has joined; starts the real server on it (`server/main.ts`, RATE_LIMITS=off
// so that only cost is measured); then times, over WebSocket clients:
//   1. worst-case queries (8 one-letter words, one common letter, a rare word)
//      from the user in no room and from the member of the big room;
//   2. GET /healthz, polled every 10 ms while 10 worst-case searches run at
//      once, again and again, for a few seconds.
// Figures are medians and p99 in ms; the README quotes them.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { io, type Socket } from "socket.io-client";
import { login } from "../../common/client";
import type { Result } from "../../common/protocol";
import { termsOf } from "../../server/chat/search-terms";
import { hashPassword } from "../../server/accounts/passwords";
import { openSqlite } from "../../server/storage/sqlite";

const PASSWORD = "benchmark password 1";
const WORDS = (
  "a I an as at be by do go he if in is it me my no of on or so to up us we the and for are but not you all any can " +
  "had her was one our out day get has him his how man new now old see two way who boy did its let put say she too " +
  "use build deploy review merge branch release ticket meeting standup lunch coffee server client socket message " +
  "room search index query latency throughput database cluster redis mysql sqlite browser page test flaky green red"
).split(" ");

const { values } = parseArgs({ options: { messages: { type: "string" }, seconds: { type: "string" } } });
const TOTAL = Number(values.messages ?? 100_000);
const LOAD_SECONDS = Number(values.seconds ?? 5);

function line(seed: number): string {
  const n = 4 + (seed % 9);
  return Array.from({ length: n }, (_, i) => WORDS[(seed * 31 + i * 17 + ((seed >> 3) ^ i)) % WORDS.length]).join(" ");
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const fmt = (xs: number[]) => `median ${quantile(xs, 0.5).toFixed(2)} ms, p99 ${quantile(xs, 0.99).toFixed(2)} ms (n=${xs.length})`;

async function seed(path: string) {
  const storage = openSqlite({ path });
  const hash = await hashPassword(PASSWORD);
  const mk = async (username: string) => {
    const u = { id: randomUUID(), username };
    await storage.createUser({ ...u, passwordHash: hash }, Date.now());
    return u;
  };
  const owner = await mk("owner");
  await mk("loner");
  const member = await mk("member");
  const rooms: string[] = [];
  for (let r = 0; r < 10; r++) {
    const id = randomUUID();
    await storage.createRoom({ id, kind: "public", name: `bulk-${r}`, dmUsers: null }, owner.id, Date.now());
    rooms.push(id);
  }
  await storage.addMember(rooms[0]!, member.id, Date.now());
  const started = performance.now();
  for (let i = 0; i < TOTAL; i++) {
    const text = line(i);
    await storage.insertMessage({
      id: randomUUID(),
      roomId: rooms[i % rooms.length]!,
      sender: owner,
      text,
      clientId: `c${i}`,
      createdAt: Date.now(),
      mentions: [],
      terms: termsOf(text),
    });
  }
  console.log(`seeded ${TOTAL} messages in ${rooms.length} rooms in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await storage.close();
}

async function startServer(path: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: resolve(import.meta.dirname, "..", ".."),
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATABASE_URL: `sqlite:${path}`, LOG_LEVEL: "warn", RATE_LIMITS: "off", REDIS_URL: "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((ready, fail) => {
    createInterface({ input: child.stdout! }).on("line", (l) => {
      const m = /listening on (http:\/\/\S+)/.exec(l);
      if (m) ready(m[1]!);
    });
    child.once("exit", (code) => fail(new Error(`server exited with ${code}`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

async function connect(url: string, username: string): Promise<Socket> {
  const { token } = await login(url, { username, password: PASSWORD });
  const socket = io(url, { auth: { token }, transports: ["websocket"], reconnection: false });
  await new Promise<void>((ok, fail) => {
    socket.once("connect", () => ok());
    socket.once("connect_error", fail);
  });
  return socket;
}

async function timedSearch(socket: Socket, query: string): Promise<{ ms: number; result: Result<unknown[]> }> {
  const t = performance.now();
  const result = (await socket.timeout(30_000).emitWithAck("search", { query })) as Result<unknown[]>;
  return { ms: performance.now() - t, result };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "chat-bench-search-"));
  const path = join(dir, "chat.db");
  await seed(path);
  const server = await startServer(path);
  try {
    const loner = await connect(server.url, "loner");
    const member = await connect(server.url, "member");
    const queries = ["a b c d e f g h", "e", "flaky green", "zzz"];
    for (const [who, socket] of [["user in no room", loner], [`member of a room of ${TOTAL / 10}`, member]] as const) {
      for (const query of queries) {
        const times: number[] = [];
        let outcome = "";
        for (let i = 0; i < 30; i++) {
          const { ms, result } = await timedSearch(socket, query);
          times.push(ms);
          outcome = result.ok ? `${result.data.length} results` : result.error.code;
        }
        console.log(`search "${query}" as ${who}: ${fmt(times)}; ${outcome}`);
      }
    }
    for (const [who, socket] of [["user in no room", loner], ["member", member]] as const) {
      const health: number[] = [];
      const until = performance.now() + LOAD_SECONDS * 1000;
      let searches = 0;
      const load = Array.from({ length: 10 }, async () => {
        while (performance.now() < until) {
          await timedSearch(socket, "a b c d e f g h");
          searches++;
        }
      });
      while (performance.now() < until) {
        const t = performance.now();
        await fetch(`${server.url}/healthz`);
        health.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 10));
      }
      await Promise.all(load);
      console.log(`/healthz during 10 concurrent worst-case searches by a ${who}: ${fmt(health)}; ${searches} searches answered`);
    }
    loner.close();
    member.close();
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
