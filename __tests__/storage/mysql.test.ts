// What only a networked database can get wrong: several nodes (one pool
// each) writing one room, migrations started by several nodes at once,
// deadlocks and lock waits, connections killed mid-burst, the database
// unreachable and back, and durability settings. Skipped, saying why,
// without MYSQL_URL.
import { randomUUID } from "node:crypto";
import type { Connection } from "mysql2/promise";
import type { User } from "../../common/protocol";
import { openMysql, type MysqlOptions } from "../../server/storage/mysql";
import { SCHEMA_VERSION } from "../../server/storage/mysql/migrations";
import { createDb, ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT } from "../../server/storage/mysql/pool";
import { transaction } from "../../server/storage/mysql/transaction";
import type { InsertResult, Storage } from "../../server/storage/storage";
import { adminConnection, freshDatabase, MYSQL_SKIP, via, type TestDatabase } from "../helpers/mysql";
import { tcpForwarder } from "../helpers/tcp-forwarder";
import { builders } from "./fixture";

if (MYSQL_SKIP) console.warn(`mysql storage: skipped: ${MYSQL_SKIP}`);
const describeMysql = MYSQL_SKIP ? describe.skip : describe;

const errnoOf = (err: unknown) => (err as { errno?: number }).errno;

describeMysql("mysql storage", () => {
  let database: TestDatabase;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
    await database.drop();
  });

  /** A node: its own pool on the test database. */
  async function node(options: Partial<MysqlOptions> = {}): Promise<Storage> {
    const storage = await openMysql({ url: database.url, poolSize: 4, ...options });
    cleanups.push(() => storage.close());
    return storage;
  }

  async function admin(url = database.url): Promise<Connection> {
    const conn = await adminConnection();
    await conn.changeUser({ database: new URL(url).pathname.slice(1) });
    cleanups.push(() => conn.end());
    return conn;
  }

  const one = async (conn: Connection, sql: string, params: unknown[] = []) => {
    const [rows] = await conn.query(sql, params);
    return (rows as Array<Record<string, unknown>>)[0];
  };

  /** Every message of the room, by history pages. */
  async function everything(storage: Storage, roomId: string) {
    const all = [];
    for (let page = await storage.history(roomId, { after: 0, limit: 100 }); page.length > 0; ) {
      all.push(...page);
      page = await storage.history(roomId, { after: page[page.length - 1]!.seq, limit: 100 });
    }
    return all;
  }

  const gapFree = (seqs: number[]) => expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));

  test("commits are durable: innodb_flush_log_at_trx_commit is 1", async () => {
    const conn = await admin();
    const { v } = (await one(conn, "SELECT @@GLOBAL.innodb_flush_log_at_trx_commit AS v"))!;
    if (Number(v) !== 1) {
      throw new Error(`innodb_flush_log_at_trx_commit is ${String(v)}: an acknowledged message could be lost in a crash; set it to 1`);
    }
  });

  test("three nodes starting at once on an empty database all come up, and migrate it once", async () => {
    const nodes = await Promise.all([node(), node(), node()]);
    for (const storage of nodes) await expect(storage.ping()).resolves.toBeUndefined();
    const conn = await admin();
    const [versions] = await conn.query("SELECT version FROM schema_migrations ORDER BY version");
    expect((versions as Array<{ version: number }>).map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    const { engines } = (await one(
      conn,
      "SELECT GROUP_CONCAT(DISTINCT engine) AS engines FROM information_schema.tables WHERE table_schema = DATABASE()",
    ))!;
    expect(engines).toBe("InnoDB");
  });

  test("15 writers on 3 nodes, 20 messages each, some sent twice at once: seq 1..300, each clientId once", async () => {
    let retries = 0;
    const nodes = await Promise.all([0, 1, 2].map(() => node({ onRetry: () => retries++ })));
    const { user, room, message } = builders(() => nodes[0]!);
    const writers: User[] = [];
    for (let i = 0; i < 15; i++) writers.push(await user());
    const roomId = await room(writers[0]!.id);
    for (const w of writers.slice(1)) await nodes[0]!.addMember(roomId, w.id, 0);

    const answers = new Map<string, InsertResult[]>();
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let i = 0; i < 20; i++) {
          const m = message(roomId, writer, `${w}-${i}`);
          // Every fourth message is a retry racing its original through another node.
          const sends = i % 4 === 0 ? [nodes[w % 3]!, nodes[(w + 1) % 3]!] : [nodes[w % 3]!];
          answers.set(m.clientId, await Promise.all(sends.map((s) => s.insertMessage(m))));
        }
      }),
    );

    for (const [clientId, results] of answers) {
      const created = results.filter((r) => r.status === "created");
      expect({ clientId, created: created.length }).toEqual({ clientId, created: 1 });
      for (const r of results) expect(r).toMatchObject({ message: (created[0] as { message: unknown }).message });
    }
    const stored = await everything(nodes[2]!, roomId);
    gapFree(stored.map((m) => m.seq));
    expect(stored).toHaveLength(300);
    expect(new Set(stored.map((m) => m.clientId)).size).toBe(300);
    expect((await nodes[1]!.roomFor(roomId, writers[0]!.id))?.lastSeq).toBe(300);
    // Writers of one room queue on its row; they never deadlock.
    expect(retries).toBe(0);
  });

  test("one node's concurrent inserts into a room are answered in seq order, as the chat broadcasts them", async () => {
    // InnoDB lets the next writer take the room row before a commit is on disk,
    // so without care a later seq's commit can be answered first.
    const storage = await node({ poolSize: 10 });
    const { user, room, message } = builders(() => storage);
    const alice = await user();
    const roomId = await room(alice.id);
    const answered: number[] = [];
    await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        storage.insertMessage(message(roomId, alice, `m${i}`)).then((r) => answered.push((r as { message: { seq: number } }).message.seq)),
      ),
    );
    gapFree(answered);
  });

  test("concurrent dm opens, public names and usernames on three nodes give one winner each", async () => {
    const nodes = await Promise.all([node(), node(), node()]);
    const { user } = builders(() => nodes[0]!);
    const pair = [(await user()).id, (await user()).id].sort() as [string, string];
    const dms = await Promise.all(Array.from({ length: 9 }, (_, i) => nodes[i % 3]!.openDm(randomUUID(), pair, 0)));
    expect(new Set(dms.map((d) => d.id)).size).toBe(1);
    const creator = pair[0];
    const rooms = await Promise.all(
      ["Lobby", "lobby", "LOBBY", "ｌｏｂｂｙ"].map((name, i) =>
        nodes[i % 3]!.createRoom({ id: randomUUID(), kind: "public", name, dmUsers: null }, creator, 0),
      ),
    );
    expect(rooms.filter(Boolean)).toHaveLength(1);
    const users = await Promise.all(
      ["Zed_x", "zed_x", "ZED_X"].map((username, i) => nodes[i]!.createUser({ id: randomUUID(), username, passwordHash: "x" }, 0)),
    );
    expect(users.filter(Boolean)).toHaveLength(1);
  });

  test("a deadlock's victim is run again, after a jittered wait, and both transactions commit", async () => {
    const retries: number[] = [];
    const db = createDb({
      url: database.url,
      poolSize: 2,
      connectTimeoutMs: 5000,
      acquireTimeoutMs: 5000,
      lockWaitTimeoutSeconds: 10,
      attempts: 3,
      onRetry: (err) => retries.push(errnoOf(err)!),
    });
    cleanups.push(() => db.pool.end());
    await db.pool.query("CREATE TABLE locks (id INT PRIMARY KEY) ENGINE=InnoDB");
    await db.pool.query("INSERT INTO locks VALUES (1), (2)");

    // Each takes its first row, waits until the other has its own, then asks for the other's.
    const held = [deferred(), deferred()];
    let runs = 0;
    const crossing = (mine: 0 | 1) =>
      transaction(db, async (conn) => {
        runs++;
        await conn.execute("SELECT id FROM locks WHERE id = ? FOR UPDATE", [mine + 1]);
        held[mine]!.resolve();
        await held[1 - mine]!.promise;
        await conn.execute("SELECT id FROM locks WHERE id = ? FOR UPDATE", [2 - mine]);
        return mine;
      });
    await expect(Promise.all([crossing(0), crossing(1)])).resolves.toEqual([0, 1]);
    expect(retries).toEqual([ER_LOCK_DEADLOCK]);
    expect(runs).toBe(3);
  });

  test("an insert that times out waiting for the room's lock is retried and then stored", async () => {
    const retries: number[] = [];
    const blocker = await admin();
    const storage = await node({
      lockWaitTimeoutSeconds: 1,
      onRetry: (err) => {
        retries.push(errnoOf(err)!);
        void blocker.query("COMMIT");
      },
    });
    const { user, room, message } = builders(() => storage);
    const alice = await user();
    const roomId = await room(alice.id);
    await blocker.query("START TRANSACTION");
    await blocker.query("SELECT id FROM rooms WHERE id = ? FOR UPDATE", [roomId]);
    const result = await storage.insertMessage(message(roomId, alice, "waited"));
    expect(result).toMatchObject({ status: "created", message: { seq: 1 } });
    expect(retries).toEqual([ER_LOCK_WAIT_TIMEOUT]);
  });

  test("the membership check waits for a leave that is not yet committed, then refuses", async () => {
    const storage = await node({ lockWaitTimeoutSeconds: 1, attempts: 1 });
    const { user, room, message } = builders(() => storage);
    const alice = await user();
    const bob = await user();
    const roomId = await room(alice.id);
    await storage.addMember(roomId, bob.id, 0);
    const leaver = await admin();
    await leaver.query("START TRANSACTION");
    await leaver.query("DELETE FROM memberships WHERE room_id = ? AND user_id = ?", [roomId, bob.id]);
    await expect(storage.insertMessage(message(roomId, bob, "racing the leave"))).rejects.toMatchObject({ errno: ER_LOCK_WAIT_TIMEOUT });
    await leaver.query("COMMIT");
    expect(await storage.insertMessage(message(roomId, bob, "after the leave"))).toEqual({ status: "not-member" });
    expect(await storage.insertMessage(message(roomId, alice, "next"))).toMatchObject({ message: { seq: 1 } });
  });

  test("connections killed in the middle of a burst: a transaction cut before its commit runs again on a new connection; each insert is stored once", async () => {
    const storage = await node();
    const { user, room, message } = builders(() => storage);
    const alice = await user();
    const rooms = [await room(alice.id), await room(alice.id), await room(alice.id)];
    const killer = await admin();
    // Another session holds the first room's row, so that room's batch is surely in flight (waiting) at the kill.
    const holder = await admin();
    await holder.query("START TRANSACTION");
    await holder.query("SELECT last_seq FROM rooms WHERE id = ? FOR UPDATE", [rooms[0]]);

    const burst = Array.from({ length: 120 }, (_, i) => message(rooms[i % 3]!, alice, `burst-${i}`));
    const outcomes = burst.map((m) => storage.insertMessage(m));
    // A condition with no event: poll (bounded) until the batch's lock of the room row is seen waiting.
    for (let tries = 0; ; tries++) {
      const [waiting] = await killer.query(
        "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = ? AND info LIKE 'SELECT last_seq, num FROM rooms%'",
        [database.name],
      );
      if (Number((waiting as Array<{ n: number }>)[0]!.n) > 0) break;
      if (tries > 100) throw new Error("the batch never waited for the held row");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [threads] = await killer.query("SELECT id FROM information_schema.processlist WHERE db = ? AND id NOT IN (CONNECTION_ID(), ?)", [
      database.name,
      holder.threadId,
    ]);
    for (const { id } of threads as Array<{ id: number }>) await killer.query("KILL ?", [id]).catch(() => {});
    await holder.query("COMMIT");
    const results = await Promise.allSettled(outcomes);
    const storedBy = async () => (await Promise.all(rooms.map((r) => everything(storage, r)))).flat();
    const rejected = burst.filter((_, i) => results[i]!.status === "rejected");
    // The room's batch was cut while it waited for the row, before any commit: it ran again, so nothing failed.
    expect(rejected).toEqual([]);
    for (const r of rooms) gapFree((await everything(storage, r)).map((m) => m.seq));
    const stored = await storedBy();
    const byClientId = new Map(stored.map((m) => [m.clientId, m]));
    expect(byClientId.size).toBe(stored.length);
    results.forEach((r, i) => {
      if (r.status === "fulfilled") expect(byClientId.get(burst[i]!.clientId)).toEqual((r.value as { message: unknown }).message);
    });
    // A rejected insert may have committed before its answer was lost: the retry tells which.
    for (const m of rejected) {
      const retry = await storage.insertMessage(m);
      expect(retry.status).toBe(byClientId.has(m.clientId) ? "duplicate" : "created");
    }
    for (const r of rooms) gapFree((await everything(storage, r)).map((m) => m.seq));
    const after = await storedBy();
    expect(new Set(after.map((m) => m.clientId))).toEqual(new Set(burst.map((m) => m.clientId)));
    await expect(storage.ping()).resolves.toBeUndefined();
  });

  test("while the database is unreachable calls and ping reject; when it is back the pool reconnects by itself", async () => {
    const target = new URL(database.url);
    const forwarder = await tcpForwarder({ host: target.hostname, port: Number(target.port || 3306) });
    cleanups.push(() => forwarder.stop());
    const storage = await openMysql({ url: via(database.url, "127.0.0.1", forwarder.port), poolSize: 2, connectTimeoutMs: 2000 });
    cleanups.push(() => storage.close());
    const { user, room, message, say } = builders(() => storage);
    const alice = await user();
    const roomId = await room(alice.id);
    await say(roomId, alice, "before");

    await forwarder.stop();
    await expect(storage.ping()).rejects.toThrow();
    await expect(storage.insertMessage(message(roomId, alice, "during"))).rejects.toThrow();
    await expect(storage.history(roomId, { limit: 10 })).rejects.toThrow();

    const before = forwarder.connections();
    await forwarder.start();
    await expect(storage.ping()).resolves.toBeUndefined();
    expect(forwarder.connections()).toBeGreaterThan(before);
    expect(await say(roomId, alice, "after")).toMatchObject({ seq: 2 });
    expect((await storage.history(roomId, { limit: 10 })).map((m) => m.text)).toEqual(["before", "after"]);
  });
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
