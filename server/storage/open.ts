import type { DatabaseConfig } from "../config";
import { openMysql } from "./mysql";
import { openSqlite } from "./sqlite";
import type { Storage } from "./storage";

export async function openStorage(config: DatabaseConfig): Promise<Storage> {
  switch (config.kind) {
    case "sqlite":
      return openSqlite({ path: config.path });
    case "mysql":
      return openMysql({ url: config.url, poolSize: config.poolSize });
  }
}
