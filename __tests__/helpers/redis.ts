// Redis for tests: the machine's own (REDIS_URL, set by .ci/run) under a key
// prefix of the test's own, or a private redis-server on a free port that a
// fault test may stop and start again. The machine's Redis is never stopped.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "redis";
import { freePort } from "./process";

export const REDIS_URL = process.env.REDIS_URL || undefined;
/** Why Redis tests do not run here, or undefined when they do. */
export const REDIS_SKIP = REDIS_URL ? undefined : "REDIS_URL is not set (.ci/run sets it)";

let counter = 0;
/** A key prefix no other test file or test uses. */
export const uniquePrefix = () => `t${process.pid}:${++counter}:${Math.random().toString(36).slice(2, 8)}:`;

/** Deletes every key under the prefix. */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  client.on("error", () => {});
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length) await client.del(keys);
  } finally {
    await client.quit();
  }
}

export type PrivateRedis = { url: string; port: number; start(): Promise<void>; stop(): Promise<void> };

/** A redis-server of this test's own on a free port, keeping nothing on disk; registers its final stop. */
export async function privateRedis(onCleanup: (f: () => Promise<void> | void) => void): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "chat-redis-"));
  let child: ChildProcess | null = null;
  const start = async () => {
    const proc = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    await new Promise<void>((ready, fail) => {
      let out = "";
      proc.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("Ready to accept connections")) ready();
      });
      proc.once("exit", (code) => fail(new Error(`redis-server exited with ${code}: ${out}`)));
    });
  };
  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((done) => proc.once("exit", done));
    proc.kill("SIGKILL");
    await exited;
  };
  onCleanup(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop };
}
