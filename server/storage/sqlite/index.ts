// The embedded default storage: one SQLite file (or memory), WAL mode,
// prepared statements, versioned migrations. Each part of the Storage
// interface is built in its own module over the one connection; every write
// goes through the group-commit writer, so it is answered only once it is on
// disk (writer.ts), and a worker checkpoints the WAL (checkpointer.ts).
// Write transactions begin IMMEDIATE: one that begins with a read and then
// writes would fail at once, not wait, if another process (a second node on
// the same file) wrote in between.
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Storage } from "../storage";
import { accountStore } from "./accounts";
import { Checkpointer } from "./checkpointer";
import { contactStore } from "./contacts";
import { messageStore } from "./messages";
import { migrate } from "./migrations";
import { roomStore } from "./rooms";
import { searchStore } from "./search";
import { termIndex } from "./term-index";
import { GroupCommitWriter, type BatchInfo } from "./writer";

export type { BatchInfo } from "./writer";

export type SqliteOptions = {
  /** A file path, or ":memory:". */
  path: string;
  /**
   * "fsync" (the default): every write is answered only after the WAL holds
   * it on disk, which survives a power cut. "process": after the commit
   * reaches the OS, which survives a crash of the server process but not of
   * the machine, and saves an fdatasync per batch.
   */
  durability?: "fsync" | "process";
  /** Told after each group commit (metrics). */
  onBatch?: (info: BatchInfo) => void;
  /** Told when a background checkpoint or indexing job fails (logs). */
  onError?: (err: unknown) => void;
  /** Whether a message's search postings are written a little after it (the default) or with it. */
  deferIndex?: boolean;
};

/** SQLite's storage, with a way to wait for its background indexing (tests). */
export type SqliteStorage = Storage & { indexed(): Promise<void> };

export function openSqlite(options: SqliteOptions): SqliteStorage {
  const inMemory = options.path === ":memory:";
  if (!inMemory) mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  // Migrations are rare and made durable the plain way.
  db.pragma("synchronous = FULL");
  migrate(db);
  db.pragma("synchronous = OFF");
  db.pragma("wal_autocheckpoint = 0");

  const durable = !inMemory && (options.durability ?? "fsync") === "fsync";
  const walFd = durable ? openSync(`${options.path}-wal`, "r+") : null;
  const checkpointer = inMemory ? null : new Checkpointer(options.path, options.onError ?? (() => {}));
  const writer = new GroupCommitWriter(db, {
    walFd,
    onBatch: (info) => {
      checkpointer?.wrote();
      options.onBatch?.(info);
    },
  });
  const index = termIndex(db, writer, options.onError ?? (() => {}), options.deferIndex ?? true);
  const ping = db.prepare("SELECT 1");
  let closing: Promise<void> | null = null;

  return {
    dialect: "sqlite",
    indexed: () => index.catchUp(),
    async ping() {
      if (closing) throw new Error("storage is closed");
      ping.get();
    },
    close() {
      closing ??= (async () => {
        index.close();
        await writer.drained();
        await checkpointer?.close();
        if (walFd !== null) closeSync(walFd);
        // The last connection checkpoints as it closes: let that one sync.
        if (db.open) {
          db.pragma("synchronous = FULL");
          db.close();
        }
      })();
      return closing;
    },
    ...accountStore(db, writer),
    ...roomStore(db, writer),
    ...messageStore(db, writer, index),
    ...searchStore(db),
    ...contactStore(db, writer),
  };
}
