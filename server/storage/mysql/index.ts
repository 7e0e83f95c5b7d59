// The networked storage for several nodes: MySQL 8 or MariaDB 10.6+, InnoDB,
// utf8mb4, a pool of connections per node, versioned migrations under a lock.
// Each part of the Storage interface is built in its own module over the one
// pool, as in storage/sqlite/.
import type { Storage } from "../storage";
import { accountStore } from "./accounts";
import { contactStore } from "./contacts";
import { messageStore } from "./messages";
import { migrate } from "./migrations";
import { acquire, createDb, giveBack, read, type RetryHook } from "./pool";
import { roomStore } from "./rooms";
import { searchStore } from "./search";

export type MysqlOptions = {
  /** mysql://user:pass@host:port/db; the database must exist. */
  url: string;
  /** Connections this node keeps at most (DATABASE_POOL_SIZE). */
  poolSize?: number;
  /** A new connection gives up after this long (default 5 s). */
  connectTimeoutMs?: number;
  /** A call waiting for a free connection gives up after this long (default 10 s). */
  acquireTimeoutMs?: number;
  /** innodb_lock_wait_timeout for the pool's sessions (default 5 s; the server's default is 50). */
  lockWaitTimeoutSeconds?: number;
  /** Runs of a transaction in all, the first included, when it meets deadlocks or lock-wait timeouts (default 5). */
  attempts?: number;
  onRetry?: RetryHook;
  /** Told the server's innodb_flush_log_at_trx_commit at start: only 1 makes every commit durable. */
  onDurability?: (flushLogAtTrxCommit: number) => void;
  /** Told the size of each group commit of messages (metrics). */
  onBatch?: (info: { size: number }) => void;
};

export async function openMysql(options: MysqlOptions): Promise<Storage> {
  if (!/^mysql:\/\/[^/]+\/[^/?]+/.test(options.url)) {
    throw new Error("DATABASE_URL: name the database, as in mysql://user:pass@host:port/db");
  }
  const db = createDb({
    url: options.url,
    poolSize: options.poolSize ?? 10,
    connectTimeoutMs: options.connectTimeoutMs ?? 5000,
    acquireTimeoutMs: options.acquireTimeoutMs ?? 10_000,
    lockWaitTimeoutSeconds: options.lockWaitTimeoutSeconds ?? 5,
    attempts: options.attempts ?? 5,
    onRetry: options.onRetry,
  });
  try {
    const conn = await acquire(db);
    try {
      await migrate(conn);
      giveBack(conn);
    } catch (err) {
      giveBack(conn, err);
      throw err;
    }
  } catch (err) {
    await db.pool.end();
    throw err;
  }

  if (options.onDurability) {
    const [row] = await read<{ flush: number | string }>(db, "SELECT @@innodb_flush_log_at_trx_commit AS flush");
    options.onDurability(Number(row?.flush));
  }

  let closed = false;
  return {
    dialect: "mysql",
    async ping() {
      await read(db, "SELECT 1");
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.pool.end();
    },
    ...accountStore(db),
    ...roomStore(db),
    ...messageStore(db, options.onBatch && ((size) => options.onBatch!({ size }))),
    ...searchStore(db),
    ...contactStore(db),
  };
}
