// Nodes as child processes (`server/main.ts` with REDIS_URL), for what only a
// real process shows: a node SIGKILLed mid-burst, Redis stopped and started
// under load, and nodes that start at the same moment on an empty database.
// The database is the backend under test (a shared SQLite file, or MySQL).
import { ChatClient } from "../../common/client";
import type { Message } from "../../common/protocol";
import { harness, uniqueName } from "../helpers/harness";
import { describeNodes } from "../helpers/nodes";
import { spawnServer, type ServerProcess } from "../helpers/process";
import { dropPrefix, privateRedis, REDIS_URL, uniquePrefix } from "../helpers/redis";
import type { TestData } from "../helpers/storage-backends";

const h = harness();
const PASSWORD = "correct horse battery";
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** `count` node processes on one database and one Redis prefix, started side by side. */
async function spawnNodes(count: number, data: TestData, redisUrl = REDIS_URL!, prefix = uniquePrefix()): Promise<ServerProcess[]> {
  h.onCleanup(() => dropPrefix(redisUrl, prefix).catch(() => {}));
  return Promise.all(
    Array.from({ length: count }, () =>
      spawnServer({
        databaseUrl: data.databaseUrl,
        onCleanup: h.onCleanup,
        // Load beyond a person's pace is the point here.
        env: { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, RATE_LIMITS: "off" },
        startTimeoutMs: 30_000,
      }),
    ),
  );
}

async function clientOn(node: { url: string }, username: string, register = false) {
  const { client } = await ChatClient.connectAs(node.url, { username, password: PASSWORD, register }, {
    socket: { transports: ["websocket"], forceNew: true },
    ackTimeoutMs: 2000,
  });
  h.onCleanup(() => client.close());
  return client;
}

/** Every message stored in the room, in seq order. */
async function storedLog(client: ChatClient, roomId: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let page = await client.call("history", { roomId, after: 0, limit: 100 }); page.length; ) {
    all.push(...page);
    page = await client.call("history", { roomId, after: page[page.length - 1]!.seq, limit: 100 });
  }
  return all;
}

/** Resolves once the client's ordered stream has delivered seq `seq` of the room. */
function seen(live: Message[], client: ChatClient, roomId: string, seq: number): Promise<void> {
  if (live.some((m) => m.roomId === roomId && m.seq >= seq)) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = client.onMessage((m) => {
      if (m.roomId === roomId && m.seq >= seq) {
        stop();
        resolve();
      }
    });
  });
}

describeNodes("nodes as processes", () => {
  test("three nodes started at once on an empty database all come up", async () => {
    const nodes = await spawnNodes(3, await h.freshData());
    for (const node of nodes) expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
  });

  test("SIGKILL one node while clients on every node send with retries: they fail over with the same clientIds; every acked message is stored once, seqs have no gap, a watcher's live view is the stored log", async () => {
    const data = await h.freshData();
    const nodes = await spawnNodes(3, data);
    const [victim, ...survivors] = nodes as [ServerProcess, ServerProcess, ServerProcess];
    const owner = await clientOn(survivors[0], uniqueName("owner"), true);
    const room = await owner.call("room:create", { name: uniqueName("chaos") });
    const watcher = await clientOn(survivors[1], uniqueName("watcher"), true);
    await watcher.call("room:join", { roomId: room.id });
    const live: Message[] = [];
    watcher.onMessage((m) => m.roomId === room.id && live.push(m));

    const PER_SENDER = 40;
    const senders = await Promise.all(
      nodes.flatMap((node) =>
        [0, 1].map(async () => {
          const name = uniqueName("s");
          return { name, client: await clientOn(node, name, true), node };
        }),
      ),
    );
    for (const s of senders) await s.client.call("room:join", { roomId: room.id });
    const acked = new Map<string, Message>();
    let killed = false;
    const killedNow = () => {
      if (killed) return;
      killed = true;
      void victim.kill("SIGKILL");
    };

    // Each sender sends its messages one after another; a failure on the dead node moves it to a survivor,
    // where the same clientId is sent again until it is answered.
    await Promise.all(
      senders.map(async (sender, i) => {
        let client = sender.client;
        for (let j = 0; j < PER_SENDER; j++) {
          const clientId = `s${i}-m${j}`;
          for (;;) {
            try {
              acked.set(clientId, await client.send(room.id, `${clientId} text`, { clientId, tries: 2 }));
              break;
            } catch (err) {
              if (sender.node !== victim) throw new Error(`a send failed on a survivor: ${clientId}`, { cause: err });
              client.close();
              const survivor = survivors[i % 2]!;
              client = await clientOn(survivor, sender.name);
              sender.node = survivor;
            }
          }
          if (acked.size === 60) killedNow();
        }
      }),
    );
    expect(killed).toBe(true);
    expect((await victim.exited).signal).toBe("SIGKILL");
    const total = senders.length * PER_SENDER;
    expect(acked.size).toBe(total);

    const stored = await storedLog(owner, room.id);
    expect(stored.map((m) => m.seq)).toEqual(range(1, total));
    expect(new Set(stored.map((m) => m.clientId)).size).toBe(total);
    for (const [clientId, m] of acked) expect(stored[m.seq - 1]).toEqual(acked.get(clientId));
    await seen(live, watcher, room.id, total);
    expect(live).toEqual(stored);
  });

  test("Redis stopped and started under load: no node crashes, /healthz says Redis is down then up, nothing acked is lost, delivery across nodes resumes", async () => {
    const redis = await privateRedis(h.onCleanup);
    const [a, b] = (await spawnNodes(2, await h.freshData(), redis.url)) as [ServerProcess, ServerProcess];
    const alice = await clientOn(a, uniqueName("alice"), true);
    const bob = await clientOn(b, uniqueName("bob"), true);
    const room = await alice.call("room:create", { name: uniqueName("r") });
    await bob.call("room:join", { roomId: room.id });
    const carol = await clientOn(a, uniqueName("carol"), true);
    await carol.call("room:join", { roomId: room.id });
    const live: Message[] = [];
    bob.onMessage((m) => m.roomId === room.id && live.push(m));
    const onA: Message[] = [];
    carol.onMessage((m) => m.roomId === room.id && onA.push(m));
    const health = async (node: ServerProcess) => {
      const res = await fetch(`${node.url}/healthz`);
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };
    /** Polls /healthz (a condition, not an event) until it answers `status`, for at most 15 s. */
    const healthBecomes = async (node: ServerProcess, status: number) => {
      for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
        const now = await health(node);
        if (now.status === status) return now.body;
      }
      throw new Error(`/healthz of ${node.url} never answered ${status}`);
    };

    let n = 0;
    const say = () => alice.send(room.id, `message ${++n}`, { clientId: `m${n}` });
    for (let i = 0; i < 10; i++) await say();
    await redis.stop();
    expect(await healthBecomes(a, 503)).toEqual({ status: "unavailable", database: "ok", redis: "down" });
    expect(await healthBecomes(b, 503)).toMatchObject({ redis: "down" });
    // Messages are still stored and acknowledged: the database decides, not Redis; and the
    // node's own sockets still hear them at once.
    for (let i = 0; i < 10; i++) await say();
    await seen(onA, carol, room.id, 20);
    expect(onA.map((m) => m.seq)).toEqual(range(1, 20));
    await redis.start();
    expect(await healthBecomes(a, 200)).toEqual({ status: "ok" });
    await healthBecomes(b, 200);
    for (let i = 0; i < 10; i++) await say();
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
    // Bob's client, on the other node, has everything once and in order: live, or caught up by seq.
    await seen(live, bob, room.id, 30);
    expect(live.map((m) => m.seq)).toEqual(range(1, 30));
    expect((await storedLog(bob, room.id)).map((m) => m.text)).toEqual(range(1, 30).map((i) => `message ${i}`));
  });
});
