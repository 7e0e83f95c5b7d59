// The real server as a child process (`node --import tsx server/main.ts`), for
// what an in-process server cannot show: a crash (SIGKILL), a clean stop
// (SIGTERM and its exit code), and a restart on the same port and database
// file so that clients reconnect to the URL they already know.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

/** Where `server/main.ts` lives: the project root, whatever jest's cwd is. */
export const PROJECT_ROOT = resolve(__dirname, "..", "..");

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type ServerProcess = {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Resolves once the process has exited (never rejects). */
  exited: Promise<Exit>;
  /** Sends `signal` to the server's PID and resolves with how it exited. */
  kill(signal: NodeJS.Signals): Promise<Exit>;
  /** The last few KB of its stdout and stderr, for failure messages. */
  output(): string;
};

/** A port that was free a moment ago (the OS picks it; we release it at once). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

export type SpawnOptions = {
  /** The SQLite file: DATABASE_URL=sqlite:<dbPath>. */
  dbPath: string;
  /** A fixed port, so a restarted server has the same URL; a free one when omitted. */
  port?: number;
  /** The server's LOG_LEVEL; its `listening on` line is printed at any level. */
  logLevel?: "silent" | "warn" | "info" | "debug" | "trace";
  /** Registers the final kill (use the harness's `onCleanup`). */
  onCleanup: (cleanup: () => Promise<void> | void) => void;
  /** Upper bound for the start, not a sleep: it only fails a server that never says it listens. */
  startTimeoutMs?: number;
};

/** Starts the server and resolves once it printed `listening on http://127.0.0.1:PORT`. */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `sqlite:${options.dbPath}`,
      LOG_LEVEL: options.logLevel ?? "warn",
      REDIS_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error("could not spawn the server process");
  const pid = child.pid;

  let log = "";
  const keep = (chunk: Buffer | string) => {
    log = (log + chunk.toString()).slice(-8000);
  };
  child.stderr!.on("data", keep);
  const exited = new Promise<Exit>((done) => child.once("exit", (code, signal) => done({ code, signal })));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const kill = async (signal: NodeJS.Signals): Promise<Exit> => {
    if (!hasExited) {
      try {
        process.kill(pid, signal);
      } catch {
        // Already gone: `exited` has the answer.
      }
    }
    return exited;
  };
  // Registered before waiting, so a server that never starts is still killed.
  options.onCleanup(async () => {
    await kill("SIGKILL");
  });

  const expected = `listening on http://127.0.0.1:${port}`;
  const lines = createInterface({ input: child.stdout! });
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  await new Promise<void>((ready, reject) => {
    const timer = setTimeout(() => finish(new Error(`server did not print "${expected}" within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onLine = (line: string) => {
      keep(`${line}\n`);
      if (line.includes(expected)) finish();
    };
    const onExit = (exit: Exit) => finish(new Error(`server exited (${JSON.stringify(exit)}) before listening:\n${log}`));
    function finish(err?: Error) {
      clearTimeout(timer);
      lines.off("line", onLine);
      if (err) reject(err);
      else ready();
    }
    lines.on("line", onLine);
    void exited.then(onExit);
  });
  // Keep draining stdout so the child never blocks on a full pipe.
  lines.on("line", (line) => keep(`${line}\n`));

  return { url: `http://127.0.0.1:${port}`, port, pid, child, exited, kill, output: () => log };
}
