import type { Logger } from "pino";
import type { DatabaseConfig } from "../config";
import { openMysql } from "./mysql";
import { openSqlite } from "./sqlite";
import type { Storage } from "./storage";

export type StorageHooks = {
  logger: Logger;
  /** Told the size of each group commit (metrics). */
  onBatch?: (info: { size: number }) => void;
};

export async function openStorage(config: DatabaseConfig, { logger, onBatch }: StorageHooks): Promise<Storage> {
  switch (config.kind) {
    case "sqlite":
      if (config.durability !== "fsync") logger.warn("DURABILITY=process: a power cut may lose acknowledged messages");
      return openSqlite({
        path: config.path,
        durability: config.durability,
        onBatch,
        onError: (err) => logger.error({ err }, "SQLite checkpoint failed"),
      });
    case "mysql":
      return openMysql({
        url: config.url,
        poolSize: config.poolSize,
        onBatch,
        onRetry: (err, attempt) => logger.info({ err: (err as Error).message, attempt }, "MySQL transaction retried"),
        onDurability: (flush) => {
          if (flush !== 1) logger.warn({ innodb_flush_log_at_trx_commit: flush }, "MySQL is not durable per commit: set innodb_flush_log_at_trx_commit=1");
        },
      });
  }
}
