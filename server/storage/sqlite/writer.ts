// Group commit for SQLite. Every write (a message, a join, a read marker …)
// is a job; jobs that arrive together (in one turn of the event loop, or
// while the previous batch's fsync is in flight) run in one transaction, each
// in a savepoint of its own, so one that fails rolls back alone and answers
// its own error. The batch is then made durable by one fdatasync of the WAL
// file, done on libuv's thread pool so the event loop never waits for the
// disk, and only then is each job answered: an ack always follows an fsync.
//
// The connection runs with synchronous=OFF and no automatic checkpoints:
// commits only write into the WAL (the OS's cache), this writer syncs it, and
// a worker with its own connection (checkpointer.ts) checkpoints with
// synchronous=FULL, syncing the database file before the WAL is reused.
import { fdatasync } from "node:fs";
import type { Database } from "better-sqlite3";

type Job = { run: () => unknown; resolve: (value: unknown) => void; reject: (err: unknown) => void };
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export type BatchInfo = { size: number; commitMs: number; syncMs: number };

export type WriterOptions = {
  /** A descriptor of the WAL file to fdatasync after each batch; null: no sync (memory, or durability traded away). */
  walFd: number | null;
  /** Told after each batch (metrics). */
  onBatch?: (info: BatchInfo) => void;
};

const sync = (fd: number) => new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));

export class GroupCommitWriter {
  private queue: Job[] = [];
  private busy = false;
  private scheduled = false;
  private idle: Array<() => void> = [];
  private readonly batch: (jobs: Job[]) => Outcome[];

  constructor(
    db: Database,
    private readonly options: WriterOptions,
  ) {
    // Each job runs in a savepoint (a nested better-sqlite3 transaction): a
    // thrown job's writes are rolled back and the others stay.
    const inSavepoint = db.transaction((run: () => unknown) => run());
    this.batch = db.transaction((jobs: Job[]) =>
      jobs.map((job): Outcome => {
        try {
          return { ok: true, value: inSavepoint(job.run) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    ).immediate as (jobs: Job[]) => Outcome[];
  }

  /** Runs `work` in the next batch; resolves with its result once that batch is on disk. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Resolves once every job given so far is answered. */
  drained(): Promise<void> {
    if (!this.busy && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.busy || this.scheduled) return;
    this.scheduled = true;
    // One turn of the event loop: whatever arrives with this job joins it.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const jobs = this.queue;
    this.queue = [];
    if (jobs.length === 0) return this.settled();
    this.busy = true;
    const started = performance.now();
    let outcomes: Outcome[];
    try {
      outcomes = this.batch(jobs);
    } catch (error) {
      // The transaction itself failed (disk full, database closed): nothing of it was kept.
      outcomes = jobs.map(() => ({ ok: false, error }));
    }
    const committed = performance.now();
    let syncError: unknown = null;
    if (this.options.walFd !== null && outcomes.some((o) => o.ok)) {
      try {
        await sync(this.options.walFd);
      } catch (error) {
        syncError = error;
      }
    }
    this.options.onBatch?.({ size: jobs.length, commitMs: committed - started, syncMs: performance.now() - committed });
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]!;
      // Not known to be on disk is not acknowledged.
      if (syncError) job.reject(syncError);
      else if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
    this.busy = false;
    if (this.queue.length > 0) void this.flush();
    else this.settled();
  }

  private settled(): void {
    for (const resolve of this.idle.splice(0)) resolve();
  }
}
