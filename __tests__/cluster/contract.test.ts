// The cluster contract: what one node and several nodes must agree on,
// looped over the local and the Redis implementations. Redis cases use the
// machine's Redis under a prefix of their own (skipped, saying why, without
// REDIS_URL), and a node's death is shown with shortened heartbeats.
import pino from "pino";
import { createClient, type RedisClientType } from "redis";
import { LocalPresence, type PresenceStore } from "../../server/cluster/presence";
import { RedisPresence } from "../../server/cluster/redis-presence";
import { createGuards, DEFAULT_ABUSE_LIMITS, memoryLimiterStore, type LimiterStore } from "../../server/limits";
import { redisCluster } from "../../server/cluster/redis-cluster";
import { dropPrefix, REDIS_SKIP, REDIS_URL, uniquePrefix } from "../helpers/redis";

const silent = pino({ level: "silent" });
const alice = { id: "u-alice", username: "alice" };
const bob = { id: "u-bob", username: "bob" };

type Impl = {
  name: string;
  skip?: string;
  /** Two views of the same shared state, as two nodes see it (local: the same node twice). */
  open(): Promise<{ a: PresenceStore; b: PresenceStore; store: LimiterStore; close(): Promise<void> }>;
};

async function redisClient(): Promise<RedisClientType> {
  const client = createClient({ url: REDIS_URL, disableOfflineQueue: true }) as RedisClientType;
  client.on("error", () => {});
  await client.connect();
  return client;
}

const IMPLEMENTATIONS: Impl[] = [
  {
    name: "local",
    async open() {
      const one = new LocalPresence();
      return { a: one, b: one, store: memoryLimiterStore, close: async () => {} };
    },
  },
  {
    name: "redis",
    skip: REDIS_SKIP,
    async open() {
      const prefix = uniquePrefix();
      const client = await redisClient();
      const a = new RedisPresence(client, prefix, "node-a", silent);
      const b = new RedisPresence(client, prefix, "node-b", silent);
      const cluster = await redisCluster({ url: REDIS_URL!, prefix, logger: silent });
      return {
        a,
        b,
        store: cluster.limiterStore,
        async close() {
          await a.drain();
          await b.drain();
          await cluster.close();
          await client.quit();
          await dropPrefix(REDIS_URL!, prefix);
        },
      };
    },
  },
];

for (const impl of IMPLEMENTATIONS) {
  if (impl.skip) console.warn(`cluster contract: ${impl.name} skipped: ${impl.skip}`);
  (impl.skip ? describe.skip : describe)(`cluster contract: ${impl.name}`, () => {
    let opened: Awaited<ReturnType<Impl["open"]>>;
    beforeEach(async () => {
      opened = await impl.open();
    });
    afterEach(() => opened.close());

    test("a user is online from their first socket on any node to their last", async () => {
      const { a, b } = opened;
      expect(await a.add(alice, "s1")).toBe(true);
      expect(await b.add(alice, "s2")).toBe(false);
      expect(await a.add(alice, "s1")).toBe(false); // the same socket twice counts once
      expect(await a.count(alice.id)).toBe(2);
      expect(await b.online([alice.id, bob.id])).toEqual(new Set([alice.id]));
      expect(await a.remove(alice, "s1")).toBe(false);
      expect(await a.remove(alice, "s1")).toBe(false); // already gone
      expect(await b.remove(alice, "s2")).toBe(true);
      expect(await a.count(alice.id)).toBe(0);
      expect(await a.online([alice.id])).toEqual(new Set());
    });

    test("drain forgets a node's sockets and names the users it leaves with none", async () => {
      const { a, b } = opened;
      await a.add(alice, "s1");
      await a.add(bob, "s2");
      await b.add(bob, "s3");
      const gone = await a.drain();
      expect(gone.map((u) => u.id).sort()).toEqual(a === b ? [alice.id, bob.id].sort() : [alice.id]);
    });

    test("limits count per key across every node that shares the store", async () => {
      const limits = { ...DEFAULT_ABUSE_LIMITS, messagesPerWindow: 3, messageWindowSeconds: 60 };
      const nodeA = createGuards(limits, opened.store);
      // Local: one node, so one set of counters; Redis: each node builds its own over the shared store.
      const nodeB = opened.a === opened.b ? nodeA : createGuards(limits, opened.store);
      await nodeA.message("u1");
      await nodeB.message("u1");
      await nodeA.message("u1");
      await expect(nodeB.message("u1")).rejects.toMatchObject({ code: "RATE_LIMITED" });
      await expect(nodeA.message("u2")).resolves.toBeUndefined();
    });
  });
}

(REDIS_SKIP ? describe.skip : describe)("redis presence: a node that dies", () => {
  test("stops counting within its alive time, and one live node announces its users offline once", async () => {
    const prefix = uniquePrefix();
    const client = await redisClient();
    const timing = { heartbeatMs: 100, aliveSeconds: 1 };
    const dying = new RedisPresence(client, prefix, "dying", silent, { heartbeatMs: 60_000, aliveSeconds: 1 });
    const live = [new RedisPresence(client, prefix, "live-1", silent, timing), new RedisPresence(client, prefix, "live-2", silent, timing)];
    try {
      const announced: string[] = [];
      const swept = new Promise<void>((done) => {
        for (const node of live) {
          node.onOrphaned((users) => {
            announced.push(...users.map((u) => u.id));
            done();
          });
        }
      });
      await dying.add(alice, "s1");
      await dying.add(bob, "s2");
      await live[0]!.add(bob, "s3");
      expect(await live[1]!.online([alice.id, bob.id])).toEqual(new Set([alice.id, bob.id]));
      // The dying node's heartbeat (one a minute here) lapses after a second; the live ones then sweep it.
      await swept;
      expect(announced).toEqual([alice.id]);
      expect(await live[1]!.online([alice.id, bob.id])).toEqual(new Set([bob.id]));
      expect(await live[0]!.count(bob.id)).toBe(1);
    } finally {
      for (const p of [dying, ...live]) await p.drain();
      await client.quit();
      await dropPrefix(REDIS_URL!, prefix);
    }
  });

  test("after Redis lost everything, each node writes its own counts back", async () => {
    const prefix = uniquePrefix();
    const client = await redisClient();
    const node = new RedisPresence(client, prefix, "n1", silent);
    try {
      await node.add(alice, "s1");
      await node.add(alice, "s2");
      await node.add(bob, "s3");
      await node.remove(bob, "s3");
      await dropPrefix(REDIS_URL!, prefix); // as a restarted Redis, which keeps nothing
      expect(await node.count(alice.id)).toBe(0);
      await node.restore();
      expect(await node.count(alice.id)).toBe(2);
      expect(await node.online([alice.id, bob.id])).toEqual(new Set([alice.id]));
    } finally {
      await node.drain();
      await client.quit();
      await dropPrefix(REDIS_URL!, prefix);
    }
  });
});
