// The real server as a child process (`node --import tsx server/main.ts`), for
// what an in-process server cannot show: a crash (SIGKILL), a clean stop
// (SIGTERM and its exit code), and a restart on the same port and database
// file so that clients reconnect to the URL they already know.
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { startNodeScript, type Exit } from "./child-process";

export type { Exit } from "./child-process";

/** Where `server/main.ts` lives: the project root, whatever jest's cwd is. */
export const PROJECT_ROOT = resolve(__dirname, "..", "..");

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
  /** The server's DATABASE_URL (a harness `TestData`'s `databaseUrl`, or `sqlite:<file>`). */
  databaseUrl: string;
  /** More environment: REDIS_URL and REDIS_PREFIX for a node of several, LIMIT_* … (REDIS_URL is unset otherwise). */
  env?: NodeJS.ProcessEnv;
  /** A fixed port, so a restarted server has the same URL; a free one when omitted. */
  port?: number;
  /** The server's LOG_LEVEL; its `listening on` line is printed at any level. */
  logLevel?: "silent" | "warn" | "info" | "debug" | "trace";
  /** Registers the final kill once it runs (use the harness's `onCleanup`); one that never starts is killed at once. */
  onCleanup: (cleanup: () => Promise<void> | void) => void;
  /** Upper bound for the start, not a sleep: it only fails a server that never says it listens. */
  startTimeoutMs?: number;
};

/** Starts the server and resolves once it printed `listening on http://127.0.0.1:PORT`. */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const { child, pid, exited, output } = await startNodeScript({
    script: "server/main.ts",
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: options.databaseUrl,
      LOG_LEVEL: options.logLevel ?? "warn",
      REDIS_URL: "",
      ...options.env,
    },
    ready: new RegExp(`listening on http://127\\.0\\.0\\.1:${port}\\b`),
    timeoutMs: options.startTimeoutMs ?? 20_000,
    what: "the server",
  });
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
  options.onCleanup(async () => {
    await kill("SIGKILL");
  });
  return { url: `http://127.0.0.1:${port}`, port, pid, child, exited, kill, output };
}
