// The connection pool and the three ways the stores use it: a read, one
// write statement, and a transaction (transaction.ts). Every call takes its
// connection through `acquire`, which gives up after `acquireTimeoutMs`, so
// an unreachable database fails calls in seconds instead of queueing them.
import mysql, { type Pool, type PoolConnection, type ResultSetHeader, type RowDataPacket } from "mysql2/promise";

/** Positional (`?`) or named (`:name`) parameters. */
export type Params = unknown[] | Record<string, unknown>;

/** What a store may run statements on: the pool's own connection inside a call or a transaction. */
export type Conn = Pick<PoolConnection, "execute">;

export type RetryHook = (err: Error, attempt: number) => void;

export type Db = {
  pool: Pool;
  acquireTimeoutMs: number;
  /** How many times a transaction runs before a deadlock or lock-wait timeout is given up on. */
  attempts: number;
  /** Told of each retry (a deadlock or lock-wait timeout), for logs and tests. */
  onRetry?: RetryHook;
  lockWaitTimeoutSeconds: number;
};

export type PoolOptions = {
  url: string;
  poolSize: number;
  connectTimeoutMs: number;
  acquireTimeoutMs: number;
  lockWaitTimeoutSeconds: number;
  attempts: number;
  onRetry?: RetryHook;
};

export function createDb(options: PoolOptions): Db {
  const pool = mysql.createPool({
    uri: options.url,
    connectionLimit: options.poolSize,
    maxIdle: options.poolSize,
    waitForConnections: true,
    connectTimeout: options.connectTimeoutMs,
    enableKeepAlive: true,
    // Literals and parameters compare byte for byte, like the binary columns.
    charset: "utf8mb4_bin",
    // BIGINTs arrive as numbers; rows.ts checks that each one is exact.
    supportBigNumbers: false,
    bigNumberStrings: false,
    namedPlaceholders: true,
    multipleStatements: false,
  });
  return {
    pool,
    acquireTimeoutMs: options.acquireTimeoutMs,
    attempts: options.attempts,
    onRetry: options.onRetry,
    lockWaitTimeoutSeconds: options.lockWaitTimeoutSeconds,
  };
}

// Session settings are made once per physical connection, before its first use.
const prepared = new WeakSet<object>();

/** A connection from the pool, or a rejection after `acquireTimeoutMs`. */
export function acquire(db: Db): Promise<PoolConnection> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new Error(`mysql: no connection within ${db.acquireTimeoutMs} ms`));
    }, db.acquireTimeoutMs);
    db.pool.getConnection().then(
      async (conn) => {
        if (late) return conn.release();
        try {
          if (!prepared.has(conn.connection)) {
            // Strict, whatever the server's default, so that nothing is silently
            // cut; lock waits short enough for a retry to be worth it.
            await conn.query("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION', SESSION innodb_lock_wait_timeout = ?", [
              db.lockWaitTimeoutSeconds,
            ]);
            prepared.add(conn.connection);
          }
          clearTimeout(timer);
          if (late) conn.release();
          else resolve(conn);
        } catch (err) {
          clearTimeout(timer);
          conn.destroy();
          if (!late) reject(err as Error);
        }
      },
      (err: unknown) => {
        clearTimeout(timer);
        if (!late) reject(err as Error);
      },
    );
  });
}

/** A connection that failed underneath a call is dropped, never handed out again. */
export function giveBack(conn: PoolConnection, err?: unknown): void {
  if (err !== undefined && isFatal(err)) conn.destroy();
  else conn.release();
}

export async function withConnection<T>(db: Db, fn: (conn: PoolConnection) => Promise<T>): Promise<T> {
  const conn = await acquire(db);
  try {
    const result = await fn(conn);
    giveBack(conn);
    return result;
  } catch (err) {
    giveBack(conn, err);
    throw err;
  }
}

export async function select<T>(conn: Conn, sql: string, params: Params = []): Promise<T[]> {
  const [rows] = await conn.execute<RowDataPacket[]>(sql, params as never);
  return rows as unknown as T[];
}

export async function change(conn: Conn, sql: string, params: Params = []): Promise<ResultSetHeader> {
  const [result] = await conn.execute<ResultSetHeader>(sql, params as never);
  return result;
}

/**
 * A read on a connection of its own (autocommit: it sees what is committed).
 * A read changes nothing, so one that lost its connection (a connection the
 * server dropped while it sat idle in the pool) is tried once more on another.
 */
export async function read<T>(db: Db, sql: string, params: Params = []): Promise<T[]> {
  try {
    return await withConnection(db, (conn) => select<T>(conn, sql, params));
  } catch (err) {
    if (!isFatal(err)) throw err;
    return withConnection(db, (conn) => select<T>(conn, sql, params));
  }
}

const errno = (err: unknown): number | undefined =>
  typeof err === "object" && err !== null ? ((err as { errno?: unknown }).errno as number | undefined) : undefined;

export const ER_DUP_ENTRY = 1062;
export const ER_LOCK_WAIT_TIMEOUT = 1205;
export const ER_LOCK_DEADLOCK = 1213;

export const isDuplicate = (err: unknown) => errno(err) === ER_DUP_ENTRY;
export const isRetryable = (err: unknown) => errno(err) === ER_LOCK_DEADLOCK || errno(err) === ER_LOCK_WAIT_TIMEOUT;
/** The driver marks errors that leave the connection unusable (lost, killed, protocol) as fatal. */
export const isFatal = (err: unknown) => typeof err === "object" && err !== null && (err as { fatal?: unknown }).fatal === true;
