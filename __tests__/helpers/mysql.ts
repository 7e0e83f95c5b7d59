// MySQL for tests: MYSQL_URL names a server (and a database to connect to
// first, such as `test`); each test database is made fresh on it and dropped
// afterwards, so test files can run in parallel. Without MYSQL_URL the MySQL
// cases are skipped, saying why (.ci/run always sets it).
import { randomBytes } from "node:crypto";
import mysql, { type Connection } from "mysql2/promise";

export const MYSQL_URL = process.env.MYSQL_URL || undefined;
export const MYSQL_SKIP = MYSQL_URL ? undefined : "MYSQL_URL is not set (for example mysql://root@127.0.0.1:3306/test)";

/** A connection of the test's own to MYSQL_URL, for creating databases and meddling (KILL, locks). */
export function adminConnection(): Promise<Connection> {
  if (!MYSQL_URL) throw new Error(MYSQL_SKIP);
  return mysql.createConnection({ uri: MYSQL_URL, charset: "utf8mb4_bin" });
}

let counter = 0;

export type TestDatabase = { name: string; url: string; drop(): Promise<void> };

/** An empty database of its own, `chat_t_<pid>_<n>_<random>`, and its URL with another host and port if given. */
export async function freshDatabase(): Promise<TestDatabase> {
  const name = `chat_t_${process.pid}_${++counter}_${randomBytes(3).toString("hex")}`;
  const admin = await adminConnection();
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  const url = new URL(MYSQL_URL!);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const conn = await adminConnection();
      try {
        // Connections left by a killed server would hold metadata locks that DROP waits for.
        const [rows] = await conn.query("SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()", [name]);
        for (const { id } of rows as Array<{ id: number }>) await conn.query(`KILL ${Number(id)}`).catch(() => {});
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

/** The same URL through another host:port, e.g. a forwarder in front of the server. */
export function via(dbUrl: string, host: string, port: number): string {
  const url = new URL(dbUrl);
  url.hostname = host;
  url.port = String(port);
  return url.toString();
}
