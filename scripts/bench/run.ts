// The message benchmark: `node --import tsx scripts/bench/run.ts [--rounds 3]
// [--messages 2000] [--throughput-messages 10000] [--senders 10] [--window 20]
// [--warmup 200]` (or BENCH_ROUNDS, BENCH_MESSAGES, BENCH_THROUGHPUT_MESSAGES,
// BENCH_SENDERS, BENCH_WINDOW, BENCH_WARMUP).
//
// What it measures, for two servers run as child processes (server.ts): the
// real chat app (`chat`: validation, rate limiting, a SQLite transaction per
// message, one broadcast) and a bare Socket.IO server that only numbers and
// relays messages (`bare`): the floor any Socket.IO chat sits on. Clients are
// plain socket.io-client sockets (WebSocket transport) in this process, so the
// load generator and the server never share an event loop.
//   1. round trip: one sender sends messages one at a time; ms from emit to ack;
//   2. broadcast: for the same messages, ms from emit to arrival at a second
//      client in the room (each message is sent once the previous one is both
//      acked and received);
//   3. throughput: `senders` clients each keeping `window` messages in flight;
//      messages acked per second, with one receiver socket checked to get them
//      all, seqs contiguous (1..N in a fresh room for `chat`) and in order.
//      The servers' own CPU time per message is read over IPC, which is less
//      sensitive to a noisy neighbour than wall-clock rates.
// Why side by side: on a small shared machine absolute figures drift from run
// to run, so the kinds are interleaved (bare, chat, bare, chat, …), each round
// on a fresh server process, and the table gives the median over rounds of
// each metric, the range, and the chat/bare ratio, which is the figure that
// travels from machine to machine.
import type { ChildProcess } from "node:child_process";
import { cpus, platform, arch } from "node:os";
import { dirname, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { ClientSocket } from "../../common/client";
import type { Message } from "../../common/protocol";
import { startNodeScript } from "../../__tests__/helpers/child-process";
import { openSocket, registerUser } from "../../__tests__/helpers/sockets";
import type { CpuReply, CpuRequest, ServerKind } from "./server";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SERVER_SCRIPT = resolve(ROOT, "scripts", "bench", "server.ts");
const KINDS: readonly ServerKind[] = ["bare", "chat"];

const START_TIMEOUT_MS = 20_000;
const ACK_TIMEOUT_MS = 10_000;
/** No phase may run longer than this, whatever the message counts. */
const PHASE_TIMEOUT_MS = 120_000;
// A typical chat line: about 90 characters, no @mention.
const TEXT = "benchmark message: the quick brown fox jumps over the lazy dog, then checks the build again";
const PASSWORD = "benchmark password 1";

// ---------------------------------------------------------------- options

const USAGE = `usage: node --import tsx scripts/bench/run.ts [options]
  --rounds N               rounds of (bare, chat), interleaved     (BENCH_ROUNDS, 3)
  --messages N             messages for round trip and broadcast   (BENCH_MESSAGES, 2000)
  --throughput-messages N  messages for the throughput phase       (BENCH_THROUGHPUT_MESSAGES, 10000)
  --senders N              concurrent senders for throughput       (BENCH_SENDERS, 10)
  --window N               messages each sender keeps in flight    (BENCH_WINDOW, 20)
  --warmup N               unmeasured messages before measuring    (BENCH_WARMUP, 200)`;

type Options = { rounds: number; messages: number; throughputMessages: number; senders: number; window: number; warmup: number };

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string" },
      messages: { type: "string" },
      "throughput-messages": { type: "string" },
      senders: { type: "string" },
      window: { type: "string" },
      warmup: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  // A flag wins over its environment variable; a bad value stops the run before any server starts.
  const int = (flag: keyof typeof values, env: string, fallback: number, min: number, max: number): number => {
    const raw = values[flag] ?? process.env[env];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      console.error(`--${flag} / ${env}: expected an integer ${min}..${max}, got "${String(raw)}"\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  return {
    rounds: int("rounds", "BENCH_ROUNDS", 3, 1, 50),
    messages: int("messages", "BENCH_MESSAGES", 2000, 1, 1_000_000),
    throughputMessages: int("throughput-messages", "BENCH_THROUGHPUT_MESSAGES", 10_000, 1, 10_000_000),
    senders: int("senders", "BENCH_SENDERS", 10, 1, 200),
    window: int("window", "BENCH_WINDOW", 20, 1, 1000),
    warmup: int("warmup", "BENCH_WARMUP", 200, 0, 1_000_000),
  };
}

// ---------------------------------------------------------------- the server process

type ServerProcess = {
  url: string;
  pid: number;
  /** The server's own CPU time so far (user + system), in microseconds. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
};

/** Every server child still running, so an early exit of this process takes them with it. */
const live = new Set<ChildProcess>();

/**
 * SIGTERM, by PID: the server then closes and removes its temp folder, and
 * forces its own exit after 5 s (it also stops when this process's IPC
 * channel closes, however this process ends).
 */
function stopAll(): void {
  for (const child of live) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    }
  }
}
process.on("exit", stopAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopAll();
    process.exit(130);
  });
}

async function startServer(kind: ServerKind): Promise<ServerProcess> {
  const { child, pid, exited, ready } = await startNodeScript({
    script: SERVER_SCRIPT,
    args: [kind],
    cwd: ROOT,
    ipc: true,
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    timeoutMs: START_TIMEOUT_MS,
    what: `the ${kind} server`,
  });
  live.add(child);
  void exited.then(() => live.delete(child));
  const url = ready[1]!;

  let nextRequest = 0;
  const cpuMicros = () =>
    new Promise<number>((answer, reject) => {
      const id = ++nextRequest;
      const timer = setTimeout(() => done(new Error(`${kind} server did not report its CPU time`)), 5000);
      const onMessage = (reply: CpuReply) => {
        if (reply.type === "cpu" && reply.id === id) done(undefined, reply.usage.user + reply.usage.system);
      };
      function done(err?: Error, micros?: number) {
        clearTimeout(timer);
        child.off("message", onMessage);
        if (err) reject(err);
        else answer(micros!);
      }
      child.on("message", onMessage);
      child.send({ type: "cpu", id } satisfies CpuRequest);
    });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(pid, "SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((done) => (timer = setTimeout(() => done("late"), 5000)));
    if ((await Promise.race([exited, late])) === "late") {
      process.kill(pid, "SIGKILL");
      await exited;
    }
    clearTimeout(timer);
  };
  return { url, pid, cpuMicros, stop };
}

// ---------------------------------------------------------------- clients

function connect(url: string, token?: string): Promise<ClientSocket> {
  return openSocket(url, token, { timeoutMs: START_TIMEOUT_MS }).catch((err: Error) => {
    throw new Error(`connect failed: ${err.message}`);
  });
}

/** Sends one message and resolves with the stored (or relayed) message from its ack. */
async function send(socket: ClientSocket, roomId: string, clientId: string): Promise<Message> {
  const result = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("message", { roomId, text: TEXT, clientId });
  if (!result.ok) throw new Error(`message refused: ${result.error.code} ${result.error.message}`);
  return result.data;
}

async function createRoom(socket: ClientSocket, name: string): Promise<string> {
  const result = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("room:create", { name });
  if (!result.ok) throw new Error(`room:create refused: ${result.error.code}`);
  return result.data.id;
}

async function joinRoom(socket: ClientSocket, roomId: string): Promise<void> {
  const result = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("room:join", { roomId });
  if (!result.ok) throw new Error(`room:join refused: ${result.error.code}`);
}

function checkDeadline(deadline: number, what: string): void {
  if (performance.now() > deadline) throw new Error(`${what} took longer than ${PHASE_TIMEOUT_MS} ms`);
}

// ---------------------------------------------------------------- the phases

type Latency = { roundTrip: number[]; broadcast: number[] };

async function latencyPhase(sender: ClientSocket, receiver: ClientSocket, roomId: string, opts: Options): Promise<Latency> {
  const roundTrip: number[] = [];
  const broadcast: number[] = [];
  const deadline = performance.now() + PHASE_TIMEOUT_MS;
  let expected: { clientId: string; arrived(at: number): void } | undefined;
  const onMessage = (m: Message) => {
    if (expected && m.clientId === expected.clientId) expected.arrived(performance.now());
  };
  receiver.on("message", onMessage);
  try {
    for (let i = 0; i < opts.warmup + opts.messages; i++) {
      checkDeadline(deadline, "the latency phase");
      const clientId = `latency-${i}`;
      let timer: NodeJS.Timeout | undefined;
      const arrival = new Promise<number>((arrived, lost) => {
        timer = setTimeout(() => lost(new Error(`message ${i} never reached the second client`)), ACK_TIMEOUT_MS);
        expected = { clientId, arrived };
      });
      const start = performance.now();
      const acked = send(sender, roomId, clientId).then(() => performance.now());
      const [ackAt, arrivedAt] = await Promise.all([acked, arrival]).finally(() => clearTimeout(timer));
      if (i >= opts.warmup) {
        roundTrip.push(ackAt - start);
        broadcast.push(arrivedAt - start);
      }
    }
  } finally {
    receiver.off("message", onMessage);
  }
  return { roundTrip, broadcast };
}

type Throughput = {
  perSecond: number;
  received: number;
  /** Received seqs are first..first+N-1 with none missing or repeated (first = 1 for `chat`). */
  contiguous: boolean;
  inOrder: boolean;
  serverCpuPerMessageMicros: number;
  serverCpuPercent: number;
  clientCpuPercent: number;
};

async function throughputPhase(
  server: ServerProcess,
  senders: ClientSocket[],
  receiver: ClientSocket,
  roomId: string,
  expectFirstSeq: number | undefined,
  opts: Options,
): Promise<Throughput> {
  const total = opts.throughputMessages;
  const seqs: number[] = [];
  let allReceived: () => void = () => {};
  const received = new Promise<void>((done) => (allReceived = done));
  const onMessage = (m: Message) => {
    if (m.roomId !== roomId) return;
    seqs.push(m.seq);
    if (seqs.length === total) allReceived();
  };
  receiver.on("message", onMessage);
  const deadline = performance.now() + PHASE_TIMEOUT_MS;

  // Sender k sends its share with `window` lanes, each sending its next message as soon as the last is acked.
  const share = (k: number) => Math.floor(total / senders.length) + (k < total % senders.length ? 1 : 0);
  const runSender = async (socket: ClientSocket, k: number) => {
    const quota = share(k);
    let next = 0;
    const lane = async () => {
      while (next < quota) {
        checkDeadline(deadline, "the throughput phase");
        const i = next++;
        await send(socket, roomId, `tp-${k}-${i}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.window, quota) }, lane));
  };

  const serverCpuBefore = await server.cpuMicros();
  const clientCpuBefore = process.cpuUsage();
  const start = performance.now();
  await Promise.all(senders.map(runSender));
  const ackedAt = performance.now();
  // Bounded: a lost message shows as a failed check, not a hang.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([received, new Promise<void>((done) => (timer = setTimeout(done, ACK_TIMEOUT_MS)))]);
  clearTimeout(timer);
  const end = performance.now();
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const serverCpu = (await server.cpuMicros()) - serverCpuBefore;
  receiver.off("message", onMessage);

  const sorted = [...seqs].sort((a, b) => a - b);
  const first = sorted[0] ?? 0;
  const wallMicros = (end - start) * 1000;
  return {
    perSecond: total / ((ackedAt - start) / 1000),
    received: seqs.length,
    contiguous:
      seqs.length === total && (expectFirstSeq === undefined || first === expectFirstSeq) && sorted.every((s, i) => s === first + i),
    inOrder: seqs.every((s, i) => i === 0 || s === seqs[i - 1]! + 1),
    serverCpuPerMessageMicros: serverCpu / total,
    serverCpuPercent: (100 * serverCpu) / wallMicros,
    clientCpuPercent: (100 * (clientCpu.user + clientCpu.system)) / wallMicros,
  };
}

// ---------------------------------------------------------------- one round of one kind

type RoundResult = {
  roundTripMedian: number;
  roundTripP95: number;
  broadcastMedian: number;
  broadcastP95: number;
  throughput: Throughput;
};

/** Nearest-rank percentile of an unsorted sample. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
const median = (values: number[]) => percentile(values, 50);

async function runKind(kind: ServerKind, round: number, opts: Options): Promise<RoundResult> {
  const server = await startServer(kind);
  const sockets: ClientSocket[] = [];
  const open = async (token?: string) => {
    const socket = await connect(server.url, token);
    sockets.push(socket);
    return socket;
  };
  try {
    // `chat`: a registered user per socket (senders s0..sN-1 and the receiver r), as real users would be.
    const tokens: Array<string | undefined> =
      kind === "chat"
        ? (
            await Promise.all(
              Array.from({ length: opts.senders + 1 }, (_, i) =>
                registerUser(server.url, i < opts.senders ? `bench_s${i}` : "bench_r", PASSWORD),
              ),
            )
          ).map((auth) => auth.token)
        : Array.from({ length: opts.senders + 1 }, () => undefined);
    const receiverToken = tokens[opts.senders];

    // Round trip and broadcast: sender s0 and the receiver, alone in a room.
    const sender = await open(tokens[0]);
    const second = await open(receiverToken);
    let roomId = "bench";
    if (kind === "chat") {
      roomId = await createRoom(sender, `latency ${round}`);
      await joinRoom(second, roomId);
    }
    const latency = await latencyPhase(sender, second, roomId, opts);
    sender.close();
    second.close();

    // Throughput: every sender and the receiver in one room (fresh for `chat`, so seqs start at 1).
    const senders = await Promise.all(tokens.slice(0, opts.senders).map((token) => open(token)));
    const receiver = await open(receiverToken);
    let expectFirstSeq: number | undefined;
    if (kind === "chat") {
      roomId = await createRoom(senders[0]!, `throughput ${round}`);
      await Promise.all([...senders.slice(1), receiver].map((socket) => joinRoom(socket, roomId)));
      expectFirstSeq = 1;
    }
    const throughput = await throughputPhase(server, senders, receiver, roomId, expectFirstSeq, opts);

    return {
      roundTripMedian: median(latency.roundTrip),
      roundTripP95: percentile(latency.roundTrip, 95),
      broadcastMedian: median(latency.broadcast),
      broadcastP95: percentile(latency.broadcast, 95),
      throughput,
    };
  } finally {
    for (const socket of sockets) socket.close();
    await server.stop();
  }
}

// ---------------------------------------------------------------- report

type Metric = { label: string; of(r: RoundResult): number; format(n: number): string };

const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);
const whole = (n: number) => Math.round(n).toLocaleString("en-US");
const METRICS: Metric[] = [
  { label: "round trip, median (ms)", of: (r) => r.roundTripMedian, format: ms },
  { label: "round trip, p95 (ms)", of: (r) => r.roundTripP95, format: ms },
  { label: "broadcast, median (ms)", of: (r) => r.broadcastMedian, format: ms },
  { label: "broadcast, p95 (ms)", of: (r) => r.broadcastP95, format: ms },
  { label: "throughput (messages acked/s)", of: (r) => r.throughput.perSecond, format: whole },
  { label: "server CPU per message (µs)", of: (r) => r.throughput.serverCpuPerMessageMicros, format: whole },
  { label: "server CPU in throughput (% of a core)", of: (r) => r.throughput.serverCpuPercent, format: whole },
  { label: "load generator CPU (% of a core)", of: (r) => r.throughput.clientCpuPercent, format: whole },
];

function report(results: Record<ServerKind, RoundResult[]>, opts: Options): boolean {
  const cpu = cpus();
  const lines = [
    `node ${process.version}, ${cpu[0]?.model.trim() ?? "unknown CPU"} (${cpu.length} cores), ${platform()} ${arch()}`,
    `${opts.rounds} round(s) of bare then chat, each on a fresh server process; round trip and broadcast over ` +
      `${opts.messages} messages sent one at a time after ${opts.warmup} unmeasured; throughput: ` +
      `${opts.throughputMessages} messages from ${opts.senders} senders × ${opts.window} in flight, 1 receiver.`,
    `Each cell: median over rounds (min–max).`,
    "",
    "| metric | bare | chat | chat/bare |",
    "|---|--:|--:|--:|",
  ];
  for (const metric of METRICS) {
    const cell = (kind: ServerKind) => {
      const values = results[kind].map(metric.of);
      const range = values.length > 1 ? ` (${metric.format(Math.min(...values))}–${metric.format(Math.max(...values))})` : "";
      return { median: median(values), text: `${metric.format(median(values))}${range}` };
    };
    const bare = cell("bare");
    const chat = cell("chat");
    lines.push(`| ${metric.label} | ${bare.text} | ${chat.text} | ${(chat.median / bare.median).toFixed(2)} |`);
  }
  let ok = true;
  lines.push("");
  for (const kind of KINDS) {
    const rounds = results[kind];
    const all = rounds.filter((r) => r.throughput.received === opts.throughputMessages).length;
    const contiguous = rounds.filter((r) => r.throughput.contiguous).length;
    const ordered = rounds.filter((r) => r.throughput.inOrder).length;
    if (all < rounds.length || contiguous < rounds.length) ok = false;
    const seqs = kind === "chat" ? "seqs 1..N without gaps" : "seqs contiguous";
    lines.push(
      `checks, ${kind}: all ${opts.throughputMessages} received by the receiver in ${all}/${rounds.length} rounds; ` +
        `${seqs} in ${contiguous}/${rounds.length}; in seq order in ${ordered}/${rounds.length}.`,
    );
  }
  console.log(lines.join("\n"));
  return ok;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const opts = readOptions();
  const results: Record<ServerKind, RoundResult[]> = { bare: [], chat: [] };
  const began = performance.now();
  for (let round = 1; round <= opts.rounds; round++) {
    for (const kind of KINDS) {
      const r = await runKind(kind, round, opts);
      results[kind].push(r);
      const t = r.throughput;
      console.error(
        `round ${round}/${opts.rounds} ${kind}: round trip ${ms(r.roundTripMedian)}/${ms(r.roundTripP95)} ms, ` +
          `broadcast ${ms(r.broadcastMedian)}/${ms(r.broadcastP95)} ms (median/p95), ${whole(t.perSecond)} msg/s, ` +
          `received ${t.received}, server ${whole(t.serverCpuPerMessageMicros)} µs CPU/msg, ` +
          `CPU server ${whole(t.serverCpuPercent)}% / load ${whole(t.clientCpuPercent)}%`,
      );
    }
  }
  console.error(`done in ${((performance.now() - began) / 1000).toFixed(0)} s\n`);
  if (!report(results, opts)) {
    console.error("a delivery check failed");
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  stopAll();
  process.exit(1);
});
