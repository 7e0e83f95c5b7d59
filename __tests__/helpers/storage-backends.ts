// Every Storage implementation, for tests that loop over them (Kysely's
// DIALECTS pattern). A networked backend joins with a factory that makes its
// own fresh database; where its server is not configured, it is listed with
// the reason it is skipped, which the contract test prints.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openSqlite } from "../../server/storage/sqlite";
import type { Storage } from "../../server/storage/storage";
import { tempDir } from "./harness";

export type Backend = {
  name: string;
  dialect: Storage["dialect"];
  /** Why this backend does not run here; undefined when it does. */
  skip?: string;
  /** A fresh, empty, migrated storage and how to remove it afterwards. */
  open(): Promise<{ storage: Storage; dispose(): Promise<void> }>;
};

export const BACKENDS: Backend[] = [
  {
    name: "sqlite (file)",
    dialect: "sqlite",
    async open() {
      const dir = tempDir();
      const storage = openSqlite({ path: join(dir, "chat.db") });
      return {
        storage,
        async dispose() {
          await storage.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
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
