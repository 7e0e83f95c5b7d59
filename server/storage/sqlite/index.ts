// The embedded default storage: one SQLite file (or memory), WAL mode,
// prepared statements, versioned migrations. Each part of the Storage
// interface is built in its own module over the one connection. Write
// transactions begin IMMEDIATE: one that begins with a read and then writes
// would fail at once, not wait, if another process (a second node on the
// same file) wrote in between.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Storage } from "../storage";
import { accountStore } from "./accounts";
import { contactStore } from "./contacts";
import { messageStore } from "./messages";
import { migrate } from "./migrations";
import { roomStore } from "./rooms";
import { searchStore } from "./search";

export type SqliteOptions = {
  /** A file path, or ":memory:". */
  path: string;
  /**
   * NORMAL (the default) in WAL mode loses nothing on a process crash, which
   * is the failure the protocol's guarantee is about; FULL also survives
   * power loss, at the price of an fsync per commit.
   */
  synchronous?: "NORMAL" | "FULL";
};

export function openSqlite(options: SqliteOptions): Storage {
  if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${options.synchronous ?? "NORMAL"}`);
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  const ping = db.prepare("SELECT 1");

  return {
    dialect: "sqlite",
    async ping() {
      ping.get();
    },
    async close() {
      if (db.open) db.close();
    },
    ...accountStore(db),
    ...roomStore(db),
    ...messageStore(db),
    ...searchStore(db),
    ...contactStore(db),
  };
}
