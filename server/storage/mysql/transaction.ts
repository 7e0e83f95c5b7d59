// Transactions with a bounded retry. InnoDB may pick a transaction as a
// deadlock's victim (1213) or give up on a lock wait (1205); both leave
// nothing written, so running the whole transaction again is safe. So is a
// connection lost before COMMIT was sent (one the server dropped while it sat
// idle in the pool, most often): nothing of it can have been committed. A
// connection lost during the COMMIT is the caller's to see: that commit may
// or may not have happened, and only the caller's idempotency (a message's
// clientId) can tell.
import type { PoolConnection, ResultSetHeader } from "mysql2/promise";
import { acquire, change, giveBack, isDuplicate, isFatal, isRetryable, withConnection, type Db, type Params } from "./pool";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full jitter over a doubling window (10, 20, 40 … ms, at most 320), so that the losers of a deadlock do not meet again. */
const backoff = (attempt: number) => Math.random() * 10 * 2 ** Math.min(attempt - 1, 5);

/** Runs `once` again after a deadlock or lock-wait timeout, up to `db.attempts` times in all. */
export async function retrying<T>(db: Db, once: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once();
    } catch (err) {
      if (!isRetryable(err) || attempt >= db.attempts) throw err;
      db.onRetry?.(err as Error, attempt);
      await sleep(backoff(attempt));
    }
  }
}

/**
 * Runs `fn` in one transaction on one connection: committed when it returns,
 * rolled back when it throws (what it threw is rethrown), and run again from
 * the start after a deadlock or lock-wait timeout.
 */
export function transaction<T>(db: Db, fn: (conn: PoolConnection) => Promise<T>): Promise<T> {
  let lostBeforeCommit = 0;
  return retrying(db, async function once(): Promise<T> {
    const conn = await acquire(db);
    let committing = false;
    try {
      await conn.query("START TRANSACTION");
      const result = await fn(conn);
      committing = true;
      await conn.query("COMMIT");
      giveBack(conn);
      return result;
    } catch (err) {
      await rollBack(conn, err);
      if (isFatal(err) && !committing && ++lostBeforeCommit <= 2) return once();
      throw err;
    }
  });
}

async function rollBack(conn: PoolConnection, cause: unknown): Promise<void> {
  if (isFatal(cause)) return giveBack(conn, cause);
  try {
    await conn.query("ROLLBACK");
    giveBack(conn);
  } catch {
    // A connection that cannot roll back is not trusted with another call.
    conn.destroy();
  }
}

/** One write statement on its own (autocommit), retried like a transaction. */
export function write(db: Db, sql: string, params: Params = []): Promise<ResultSetHeader> {
  return retrying(db, () => withConnection(db, (conn) => change(conn, sql, params)));
}

/** An INSERT of its own: true when the row went in, false when a unique key already held it. */
export async function insertNew(db: Db, sql: string, params: Params): Promise<boolean> {
  try {
    await write(db, sql, params);
    return true;
  } catch (err) {
    if (isDuplicate(err)) return false;
    throw err;
  }
}
