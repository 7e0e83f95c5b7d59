import type { DatabaseConfig } from "../config";
import { openSqlite } from "./sqlite";
import type { Storage } from "./storage";

export async function openStorage(config: DatabaseConfig): Promise<Storage> {
  switch (config.kind) {
    case "sqlite":
      return openSqlite({ path: config.path });
    case "mysql":
      throw new Error("DATABASE_URL: MySQL storage is not available in this version yet; use sqlite:<path>");
  }
}
