// Losing the MySQL database under a running server: connections killed in
// the middle of a burst, and the database unreachable for a while (a TCP
// forwarder between the pool and MariaDB is stopped; MariaDB itself is never
// touched). Calls then answer an error, never a false ack; /healthz says the
// database is down; the pool recovers by itself. MySQL only: SQLite is a file.
import pino from "pino";
import type { Message, Result } from "../common/protocol";
import { createApp } from "../server/app";
import { openMysql } from "../server/storage/mysql";
import { call, harness, ok, uniqueName } from "./helpers/harness";
import { adminConnection, freshDatabase, MYSQL_SKIP, via } from "./helpers/mysql";
import { tcpForwarder } from "./helpers/tcp-forwarder";

const h = harness();
if (MYSQL_SKIP) console.warn(`database outage: skipped: ${MYSQL_SKIP}`);
const suite = MYSQL_SKIP ? describe.skip : describe;

/** A server whose pool reaches MariaDB through a forwarder the test controls. */
async function serverThroughForwarder() {
  const database = await freshDatabase();
  h.onCleanup(() => database.drop());
  const target = new URL(database.url);
  const forwarder = await tcpForwarder({ host: target.hostname, port: Number(target.port || 3306) });
  h.onCleanup(() => forwarder.stop());
  const storage = await openMysql({ url: via(database.url, "127.0.0.1", forwarder.port), poolSize: 4 });
  h.onCleanup(() => storage.close());
  const app = createApp({ storage, logger: pino({ level: "silent" }), limits: { messagesPerWindow: 1_000_000, eventsPerWindow: 1_000_000 } });
  const { port } = await app.listen(0, "127.0.0.1");
  h.onCleanup(() => app.close());
  return { url: `http://127.0.0.1:${port}`, database, forwarder };
}

suite("the database goes away under a running server", () => {
  test("connections killed mid-burst: every call is answered; each ack is stored once; retries of the failed ones store the rest", async () => {
    const s = await serverThroughForwarder();
    const alice = await h.user(s);
    const room = await ok(alice.socket, "room:create", { name: uniqueName("k") });
    const admin = await adminConnection();
    h.onCleanup(() => admin.end());
    const send = (i: number) => call(alice.socket, "message", { roomId: room.id, text: `m${i}`, clientId: `c${i}` });
    const burst = Array.from({ length: 100 }, (_, i) => send(i));
    // Kill every connection the server holds, while the burst is in flight.
    const [rows] = await admin.query("SELECT id FROM information_schema.processlist WHERE db = ?", [s.database.name]);
    expect((rows as unknown[]).length).toBeGreaterThan(0);
    for (const { id } of rows as Array<{ id: number }>) await admin.query(`KILL ${Number(id)}`).catch(() => {});
    const answers = await Promise.all(burst);
    for (const a of answers) if (!a.ok) expect(a.error.code).toBe("INTERNAL");
    const acked = answers.filter((a): a is Extract<Result<Message>, { ok: true }> => a.ok).map((a) => a.data);
    // Retrying every clientId answers the stored original where there is one, and stores the rest once.
    const retried = await Promise.all(Array.from({ length: 100 }, (_, i) => ok(alice.socket, "message", { roomId: room.id, text: `m${i}`, clientId: `c${i}` })));
    for (const m of acked) expect(retried.find((r) => r.clientId === m.clientId)).toEqual(m);
    const stored = await ok(alice.socket, "history", { roomId: room.id, after: 0, limit: 100 });
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(new Set(stored.map((m) => m.clientId)).size).toBe(100);
  });

  test("unreachable: /healthz says the database is down and a message answers an error; reachable again, both recover by themselves", async () => {
    const s = await serverThroughForwarder();
    const alice = await h.user(s);
    const room = await ok(alice.socket, "room:create", { name: uniqueName("u") });
    await ok(alice.socket, "message", { roomId: room.id, text: "before", clientId: "b" });
    await s.forwarder.stop();
    const down = await fetch(`${s.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "unavailable", database: "down" });
    const during = await call(alice.socket, "message", { roomId: room.id, text: "during", clientId: "d" });
    expect(during).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
    await s.forwarder.start();
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    // The same clientId again: stored now, once, right after "before".
    expect((await ok(alice.socket, "message", { roomId: room.id, text: "during", clientId: "d" })).seq).toBe(2);
  });
});
