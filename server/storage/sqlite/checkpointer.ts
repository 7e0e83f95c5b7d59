// Checkpoints of the WAL into the database file, off the event loop: a worker
// thread with its own connection, synchronous=FULL, so a checkpoint syncs the
// database file before SQLite may reuse the WAL from its start. The main
// connection never checkpoints by itself (wal_autocheckpoint=0): its own
// checkpoints would not sync, since it commits with synchronous=OFF and
// leaves syncing the WAL to the group-commit writer.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

// Plain JavaScript, so the worker needs no TypeScript loader.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("synchronous = FULL");
db.pragma("wal_autocheckpoint = 0");
db.pragma("busy_timeout = 5000");
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [result] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ ok: true, result });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err) });
  }
});
`;

const here = typeof __filename !== "undefined" ? __filename : fileURLToPath(import.meta.url);
const DRIVER = createRequire(here).resolve("better-sqlite3");

export type CheckpointResult = { busy: number; log: number; checkpointed: number };

/** Writes since the last checkpoint are checkpointed at most this often, and at once past `everyBatches` batches. */
export class Checkpointer {
  private readonly worker: Worker;
  private dirty = 0;
  private running = false;
  private readonly timer: NodeJS.Timeout;
  private readonly done = new Set<() => void>();

  constructor(
    path: string,
    private readonly onError: (err: unknown) => void,
    private readonly everyBatches = 200,
    everyMs = 1000,
  ) {
    this.worker = new Worker(WORKER, { eval: true, workerData: { driver: DRIVER, path } });
    this.worker.unref();
    this.worker.on("message", (reply: { ok: boolean; error?: string }) => {
      this.running = false;
      if (!reply.ok) this.onError(new Error(`checkpoint failed: ${reply.error}`));
      for (const resolve of this.done) resolve();
      this.done.clear();
    });
    this.worker.on("error", this.onError);
    this.timer = setInterval(() => this.dirty > 0 && this.checkpoint(), everyMs);
    this.timer.unref();
  }

  /** A batch was committed. */
  wrote(): void {
    if (++this.dirty >= this.everyBatches) this.checkpoint();
  }

  private checkpoint(): void {
    if (this.running) return;
    this.running = true;
    this.dirty = 0;
    this.worker.postMessage("checkpoint");
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.worker.ref();
    if (this.running) await new Promise<void>((resolve) => this.done.add(resolve));
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    // Held open until the worker is gone, or a process with nothing else to do would end first.
    this.worker.ref();
    this.worker.postMessage("close");
    await exited;
  }
}
