// Every Storage implementation, for tests that loop over them (Kysely's
// DIALECTS pattern). A networked backend joins with a factory that makes its
// own fresh database; where its server is not configured, it is listed with
// the reason it is skipped, which the contract test prints.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openMysql } from "../../server/storage/mysql";
import { openSqlite } from "../../server/storage/sqlite";
import type { Storage } from "../../server/storage/storage";
import { freshDatabase, MYSQL_SKIP } from "./mysql";
import { tempDir } from "./temp";

/**
 * The backend the protocol tests run on: jest's projects (jest.config.cjs)
 * run them once on SQLite and, where MYSQL_URL is set, once more on MySQL.
 */
export const TEST_BACKEND: Storage["dialect"] = process.env.TEST_BACKEND === "mysql" ? "mysql" : "sqlite";

export type Backend = {
  name: string;
  dialect: Storage["dialect"];
  /** Why this backend does not run here; undefined when it does. */
  skip?: string;
  /** A fresh, empty, migrated storage and how to remove it afterwards. */
  open(): Promise<{ storage: Storage; dispose(): Promise<void> }>;
};

/**
 * A fresh, empty place to keep data on either backend: a SQLite file in a
 * temp folder, or a MySQL database of its own (MYSQL_URL must be set).
 * `open()` may be called again, as a restarted server or a second node
 * would; `dispose()` closes whatever was opened and removes the data.
 */
export type TestData = {
  kind: Storage["dialect"];
  /** As the server's DATABASE_URL, for a server run as a child process. */
  databaseUrl: string;
  open(): Promise<Storage>;
  dispose(): Promise<void>;
};

export async function testData(kind: Storage["dialect"]): Promise<TestData> {
  const opened: Storage[] = [];
  const closeAll = () => Promise.all(opened.map((s) => s.close()));
  if (kind === "sqlite") {
    const dir = tempDir();
    const path = join(dir, "chat.db");
    return {
      kind,
      databaseUrl: `sqlite:${path}`,
      async open() {
        const storage = openSqlite({ path });
        opened.push(storage);
        return storage;
      },
      async dispose() {
        await closeAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (MYSQL_SKIP) throw new Error(`mysql storage: ${MYSQL_SKIP}`);
  const database = await freshDatabase();
  return {
    kind,
    databaseUrl: database.url,
    async open() {
      const storage = await openMysql({ url: database.url, poolSize: 4 });
      opened.push(storage);
      return storage;
    },
    async dispose() {
      await closeAll();
      await database.drop();
    },
  };
}

/** One storage on fresh data of either backend, for the protocol harness and the contract. */
export async function openTestStorage(kind: Storage["dialect"]): Promise<{ storage: Storage; dispose(): Promise<void> }> {
  const data = await testData(kind);
  try {
    return { storage: await data.open(), dispose: () => data.dispose() };
  } catch (err) {
    await data.dispose();
    throw err;
  }
}

export const BACKENDS: Backend[] = [
  { name: "sqlite (file)", dialect: "sqlite", open: () => openTestStorage("sqlite") },
  {
    // Search reads postings alone here: in the default, most test messages are still past the index's mark.
    name: "sqlite (postings at once)",
    dialect: "sqlite",
    async open() {
      const storage = openSqlite({ path: ":memory:", deferIndex: false });
      return { storage, dispose: () => storage.close() };
    },
  },
  {
    name: "sqlite (memory)",
    dialect: "sqlite",
    async open() {
      const storage = openSqlite({ path: ":memory:" });
      return { storage, dispose: () => storage.close() };
    },
  },
  { name: "mysql", dialect: "mysql", skip: MYSQL_SKIP, open: () => openTestStorage("mysql") },
];

/**
 * `describe(title: backend)` once per backend, each test on a fresh storage
 * (`storage()` inside a test). A backend that cannot run here is skipped
 * with its reason printed.
 */
export function describeEachBackend(title: string, body: (storage: () => Storage, backend: Backend) => void): void {
  for (const backend of BACKENDS) {
    if (backend.skip) console.warn(`${title}: ${backend.name} skipped: ${backend.skip}`);
    (backend.skip ? describe.skip : describe)(`${title}: ${backend.name}`, () => {
      let opened: { storage: Storage; dispose(): Promise<void> } | undefined;
      beforeEach(async () => {
        opened = await backend.open();
      });
      afterEach(async () => {
        await opened?.dispose();
        opened = undefined;
      });
      body(() => {
        if (!opened) throw new Error("storage is only open inside a test");
        return opened.storage;
      }, backend);
    });
  }
}
