// The shared layer on Redis: the Socket.IO Redis streams adapter, presence
// counts (redis-presence.ts) and rate-limiter-flexible's Redis store. Two
// connections: one for the adapter, which keeps commands queued while Redis
// is away (its stream reader would otherwise spin) and sends them when it is
// back; one for presence and limits, which fails at once instead, so a node
// without Redis answers (limits fall back to this node's own counts) rather
// than waits. Correctness never rests on what goes through Redis: messages
// are numbered and stored by the database, and clients catch up by seq.
import { randomUUID } from "node:crypto";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { Logger } from "pino";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { createClient, type RedisClientType } from "redis";
import type { LimiterStore } from "../limits";
import type { Cluster } from "./cluster";
import { RedisPresence, type PresenceTiming } from "./redis-presence";

export type RedisClusterOptions = {
  url: string;
  /** Prefix of every key, stream and channel, so that several deployments (or test files) can share one Redis. */
  prefix: string;
  logger: Logger;
  /** How long the first connection may take before start-up fails. */
  connectTimeoutMs?: number;
  /** Heartbeat timing of presence (tests shorten it). */
  presenceTiming?: PresenceTiming;
};

const PING_TIMEOUT_MS = 2000;

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function redisCluster(options: RedisClusterOptions): Promise<Cluster> {
  const { url, prefix, logger, connectTimeoutMs = 10_000 } = options;
  const nodeId = randomUUID().slice(0, 8);
  const log = logger.child({ component: "redis" });
  const startedAt = Date.now();
  let connectedOnce = false;
  const socket = {
    connectTimeout: 2000,
    // Until the first connection, give up after connectTimeoutMs so a wrong URL stops the start;
    // after it, keep trying for as long as Redis is away.
    reconnectStrategy: (retries: number) =>
      !connectedOnce && Date.now() - startedAt > connectTimeoutMs
        ? new Error(`REDIS_URL: cannot reach Redis within ${connectTimeoutMs} ms`)
        : Math.min(50 * 2 ** retries, 2000),
  };
  const commands = createClient({ url, socket, disableOfflineQueue: true }) as RedisClientType;
  const streams = createClient({ url, socket }) as RedisClientType;

  const listeners: Array<() => void> = [];
  let down = false;
  let errorCount = 0;
  for (const [name, client] of [["commands", commands], ["streams", streams]] as const) {
    // node-redis reconnects by itself; an error event unheard would crash the process.
    client.on("error", (err: Error) => {
      errorCount++;
      if (!down) log.warn({ err: err.message, client: name }, "Redis connection lost; retrying");
      down = true;
    });
  }
  commands.on("ready", () => {
    if (!down) return;
    down = false;
    log.info("Redis is back");
    for (const listener of listeners) listener();
  });

  await Promise.all([commands.connect(), streams.connect()]);
  connectedOnce = true;

  const presence = new RedisPresence(commands, prefix, nodeId, log, options.presenceTiming);
  // Back from an outage: put this node's own presence back first.
  listeners.push(() => void presence.restore().catch((err: unknown) => log.warn({ err }, "presence restore failed")));

  const limiterStore: LimiterStore = (options) =>
    new RateLimiterRedis({
      ...options,
      keyPrefix: `${prefix}${options.keyPrefix ?? "limit"}`,
      storeClient: commands,
      useRedisPackage: true,
      // While Redis is away, each node counts for itself rather than refusing everything.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });

  return {
    nodeId,
    shared: true,
    adapter: createAdapter(streams, {
      streamName: `${prefix}socket.io`,
      channelPrefix: `${prefix}socket.io`,
      sessionKeyPrefix: `${prefix}sio:session:`,
      // A stopping node waits for its stream read to return: keep that short.
      blockTimeInMs: 500,
    }),
    presence,
    limiterStore,
    async ping() {
      await within(PING_TIMEOUT_MS, "Redis", commands.ping());
    },
    ready: () => streams.isReady && !down,
    errors: () => errorCount,
    onRecovered(listener) {
      listeners.push(listener);
    },
    async close() {
      await Promise.allSettled([commands.quit(), streams.quit()]);
    },
  };
}
