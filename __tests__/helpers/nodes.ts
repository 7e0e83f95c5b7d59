// Several nodes in one test process, as the Redis adapter's own tests run
// three servers: each a full app with its own Socket.IO server, storage
// connection and Redis connections, all sharing one database (the backend
// under test) and one Redis key prefix of the test's own.
import pino from "pino";
import type { AbuseLimits } from "../../server/limits";
import { redisCluster } from "../../server/cluster/redis-cluster";
import type { PresenceTiming } from "../../server/cluster/redis-presence";
import type { harness, TestServer } from "./harness";
import { dropPrefix, REDIS_SKIP, REDIS_URL, uniquePrefix } from "./redis";
import type { TestData } from "./storage-backends";

type Harness = ReturnType<typeof harness>;
export type NodeOptions = { limits?: Partial<AbuseLimits>; presenceTiming?: PresenceTiming; data?: TestData; prefix?: string };

/** `describe`, or `describe.skip` with the reason printed when there is no Redis. */
export function describeNodes(title: string, body: () => void): void {
  if (REDIS_SKIP) console.warn(`${title}: skipped: ${REDIS_SKIP}`);
  (REDIS_SKIP ? describe.skip : describe)(title, body);
}

/** `count` nodes on one database and one Redis prefix; all closed (apps, then Redis, then keys) after the test. */
export async function startNodes(h: Harness, count: number, options: NodeOptions = {}): Promise<TestServer[]> {
  const data = options.data ?? (await h.freshData());
  const prefix = options.prefix ?? uniquePrefix();
  h.onCleanup(() => dropPrefix(REDIS_URL!, prefix));
  const nodes: TestServer[] = [];
  for (let i = 0; i < count; i++) {
    const cluster = await redisCluster({ url: REDIS_URL!, prefix, logger: pino({ level: "silent" }), presenceTiming: options.presenceTiming });
    h.onCleanup(() => cluster.close());
    nodes.push(await h.startServer({ data, cluster, limits: options.limits }));
  }
  return nodes;
}
