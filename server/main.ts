// The entry point: read the configuration, open storage, build the app and
// listen. Everything else lives in the factory (app.ts).
import { createApp } from "./app";
import { createMetrics } from "./metrics";
import { localCluster } from "./cluster/cluster";
import { redisCluster } from "./cluster/redis-cluster";
import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./logger";
import { openStorage } from "./storage/open";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const metrics = createMetrics();
  const storage = await openStorage(config.database, { logger, onBatch: metrics.batchCommitted });
  const cluster = config.redisUrl
    ? await redisCluster({ url: config.redisUrl, prefix: config.redisPrefix, logger })
    : localCluster();
  if (config.rateLimitsOff) logger.warn("RATE_LIMITS=off: every rate limit and cap is off; run this only on a trusted network");
  const app = createApp({
    storage,
    cluster,
    logger,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
    limits: config.limits,
    metrics,
    metricsToken: config.metricsToken,
  });
  const { url } = await app.listen(config.port, config.host);
  logger.info({ node: cluster.nodeId, database: config.database.kind, redis: Boolean(config.redisUrl) }, "server started");
  // The protocol's start-up line, printed whatever LOG_LEVEL says.
  console.log(`listening on ${url}`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    // If something hangs, still exit rather than linger holding the port.
    setTimeout(() => process.exit(1), 10_000).unref();
    await app.close();
    await cluster.close();
    await storage.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // A library's promise that nobody awaited (seen around connections that drop) must not stop a node that serves everyone.
  process.on("unhandledRejection", (err) => logger.error({ err }, "unhandled rejection"));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || (err instanceof Error && /^(DATABASE_URL|REDIS_URL):/.test(err.message))) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exit(1);
});
