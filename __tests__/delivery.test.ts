// The protocol's delivery guarantees (PROTOCOL.md, "Delivery guarantees"),
// against real servers: seq order without gaps under concurrent senders,
// idempotent retries, nothing acknowledged lost on a crash (SIGKILL of the
// real process), and the client module catching up after a reconnect, a
// missed broadcast and a server restart.
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ChatClient, ChatError, type ClientSocket } from "../common/client";
import type { Message } from "../common/protocol";
import { openSqlite } from "../server/storage/sqlite";
import type { Storage } from "../server/storage/storage";
import { ioRooms } from "../server/transport/types";
import { call, flush, harness, ok, record, tempDir, uniqueName } from "./helpers/harness";
import { freePort, spawnServer } from "./helpers/process";
import type { TestData } from "./helpers/storage-backends";

const h = harness();

/** A growing list, with a promise for "at least n items have arrived". */
function arrivals<T>(what: string) {
  const items: T[] = [];
  const waiters: Array<{ n: number; resolve: (items: T[]) => void }> = [];
  return {
    items,
    push(item: T) {
      items.push(item);
      for (const w of waiters.filter((w) => items.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(items);
      }
    },
    /** Resolves once n items have arrived; the timeout only turns a hang into a readable failure. */
    until(n: number, timeoutMs = 10_000): Promise<T[]> {
      if (items.length >= n) return Promise.resolve(items);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${what}: ${items.length} of ${n} arrived within ${timeoutMs} ms`)), timeoutMs);
        h.onCleanup(() => clearTimeout(timer));
        waiters.push({
          n,
          resolve: (all) => {
            clearTimeout(timer);
            resolve(all);
          },
        });
      });
    },
  };
}

/** Every `message` event a raw socket receives. */
function messagesOn(socket: ClientSocket, what: string) {
  const got = arrivals<Message>(what);
  socket.on("message", (m) => got.push(m));
  return got;
}

/** Every message the client module delivers through onMessage. */
function messagesOf(client: ChatClient, what: string) {
  const got = arrivals<Message>(what);
  client.onMessage((m) => got.push(m));
  return got;
}

/** The room's whole history, paged oldest first with `after`, 100 at a time. */
async function fullHistory(socket: ClientSocket, roomId: string): Promise<{ messages: Message[]; pages: number[] }> {
  const messages: Message[] = [];
  const pages: number[] = [];
  let after = 0;
  for (;;) {
    const page = await ok(socket, "history", { roomId, after, limit: 100 });
    pages.push(page.length);
    messages.push(...page);
    if (page.length < 100) return { messages, pages };
    after = page[page.length - 1]!.seq;
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const seqs = (messages: Message[]) => messages.map((m) => m.seq);
/** The fields that identify a stored message (createdAt etc. must match too where the whole object is compared). */
const identity = (m: Message) => ({ id: m.id, seq: m.seq, text: m.text, clientId: m.clientId, senderId: m.sender.id });

function waitForEvent(socket: ClientSocket, event: "connect" | "disconnect"): Promise<string | undefined> {
  return new Promise((resolve) => (socket as unknown as { once(e: string, l: (r?: string) => void): void }).once(event, resolve));
}

describe("concurrent senders", () => {
  test("5 senders x 200 concurrent messages: seqs 1..1000 without gaps, the same order for every receiver and in history", async () => {
    const s = await h.startServer();
    const senders = await Promise.all(range(1, 5).map(() => h.user(s)));
    const receivers = await Promise.all(range(1, 2).map(() => h.user(s)));
    const room = await ok(senders[0]!.socket, "room:create", { name: uniqueName("busy") });
    for (const u of [...senders.slice(1), ...receivers]) await ok(u.socket, "room:join", { roomId: room.id });
    const inboxes = receivers.map((r, i) => messagesOn(r.socket, `receiver ${i}`));

    // Every message is emitted before any ack is awaited: 1000 in flight at once.
    const acks = await Promise.all(
      senders.map((sender, si) =>
        Promise.all(
          range(1, 200).map((i) => call(sender.socket, "message", { roomId: room.id, text: `s${si} #${i}`, clientId: `s${si}-${i}` })),
        ),
      ),
    );
    const acked: Message[] = [];
    acks.forEach((results, si) =>
      results.forEach((r, i) => {
        if (!r.ok) throw new Error(`sender ${si} message ${i + 1} answered ${JSON.stringify(r.error)}`);
        expect(r.data).toMatchObject({ roomId: room.id, clientId: `s${si}-${i + 1}`, text: `s${si} #${i + 1}`, sender: senders[si]!.user });
        acked.push(r.data);
      }),
    );
    expect(seqs(acked).sort((a, b) => a - b)).toEqual(range(1, 1000));
    const bySeq = new Map(acked.map((m) => [m.seq, m]));

    const [first, second] = await Promise.all(inboxes.map((inbox) => inbox.until(1000)));
    for (const inbox of [first!, second!]) {
      expect(seqs(inbox)).toEqual(range(1, 1000)); // strictly increasing, no gap, no duplicate
      for (const m of inbox) expect(m).toEqual(bySeq.get(m.seq)); // the broadcast is the acked message
    }
    expect(second!.map((m) => m.id)).toEqual(first!.map((m) => m.id));

    const { messages, pages } = await fullHistory(receivers[0]!.socket, room.id);
    expect(pages).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 0]);
    expect(messages).toEqual(first);

    // Nothing beyond the 1000 was broadcast.
    await flush(...receivers.map((r) => r.socket));
    expect(inboxes.map((i) => i.items.length)).toEqual([1000, 1000]);
    expect((await ok(receivers[1]!.socket, "room:list", {})).find((r) => r.id === room.id)?.lastSeq).toBe(1000);
  });
});

describe("idempotent retries", () => {
  test("the same clientId and room answers the stored original and broadcasts once; another room is CONFLICT", async () => {
    const s = await h.startServer();
    const alice = await h.user(s);
    const bob = await h.user(s);
    const room = await ok(alice.socket, "room:create", { name: uniqueName("retry") });
    const other = await ok(alice.socket, "room:create", { name: uniqueName("other") });
    await ok(bob.socket, "room:join", { roomId: room.id });
    await ok(bob.socket, "room:join", { roomId: other.id });
    const inbox = record(bob.socket, "message");

    const original = await ok(alice.socket, "message", { roomId: room.id, text: "original text", clientId: "same-id" });
    const retry = await ok(alice.socket, "message", { roomId: room.id, text: "different text", clientId: "same-id" });
    expect(retry).toEqual(original);
    expect(retry.text).toBe("original text");

    const elsewhere = await call(alice.socket, "message", { roomId: other.id, text: "original text", clientId: "same-id" });
    expect(elsewhere).toEqual({ ok: false, error: { code: "CONFLICT", message: expect.any(String) } });

    await flush(bob.socket, alice.socket);
    expect(inbox.map(identity)).toEqual([identity(original)]);

    // Neither the retry nor the refused send used up a seq.
    expect((await ok(alice.socket, "message", { roomId: room.id, text: "next", clientId: "next-id" })).seq).toBe(2);
    expect((await ok(alice.socket, "message", { roomId: other.id, text: "first here", clientId: "other-id" })).seq).toBe(1);
    expect(seqs((await fullHistory(bob.socket, room.id)).messages)).toEqual([1, 2]);
  });

  test("10 concurrent sends of one clientId give 10 identical acks, one stored message and one broadcast", async () => {
    const s = await h.startServer();
    const alice = await h.user(s);
    const bob = await h.user(s);
    const room = await ok(alice.socket, "room:create", { name: uniqueName("dupes") });
    await ok(bob.socket, "room:join", { roomId: room.id });
    const inbox = record(bob.socket, "message");
    const before = await ok(alice.socket, "message", { roomId: room.id, text: "before", clientId: "before-id" });

    const results = await Promise.all(
      range(1, 10).map((i) => ok(alice.socket, "message", { roomId: room.id, text: `try ${i}`, clientId: "dup-id" })),
    );
    const stored = results[0]!;
    expect(stored.seq).toBe(2);
    expect(stored.text).toBe("try 1"); // the first to reach the server: one socket keeps emit order
    for (const r of results) expect(r).toEqual(stored);

    await flush(bob.socket);
    expect(inbox).toEqual([before, stored]);
    expect((await fullHistory(bob.socket, room.id)).messages).toEqual([before, stored]);
    expect((await ok(alice.socket, "message", { roomId: room.id, text: "after", clientId: "after-id" })).seq).toBe(3);
  });
});

/**
 * What a crash left stored in the room, in seq order. A SQLite file is read
 * from a copy, so that the restarted server recovers the file itself; MySQL
 * is its own server and is simply asked.
 */
async function storedAtCrash(data: TestData, roomId: string) {
  let storage: Storage;
  let done = async () => {};
  if (data.kind === "sqlite") {
    const path = data.databaseUrl.slice("sqlite:".length);
    const dir = tempDir();
    for (const suffix of ["", "-wal", "-shm"]) if (existsSync(path + suffix)) copyFileSync(path + suffix, join(dir, `chat.db${suffix}`));
    storage = openSqlite({ path: join(dir, "chat.db") });
    done = async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    };
  } else {
    storage = await data.open();
  }
  try {
    const rows: Array<{ id: string; seq: number; clientId: string; text: string; senderId: string; createdAt: number }> = [];
    for (let page = await storage.history(roomId, { after: 0, limit: 100 }); page.length; ) {
      rows.push(...page.map((m) => ({ id: m.id, seq: m.seq, clientId: m.clientId, text: m.text, senderId: m.sender.id, createdAt: m.createdAt })));
      page = await storage.history(roomId, { after: page[page.length - 1]!.seq, limit: 100 });
    }
    return rows;
  } finally {
    await done();
  }
}

describe("crash durability (real process, SIGKILL)", () => {
  // The requirement: while 10 clients send concurrently with retries (the same
  // clientId on retry), the server is SIGKILLed mid-burst and restarted;
  // afterwards every acked message is stored exactly once, seqs have no gaps,
  // every retried send resolves to the same stored message, and no client saw
  // a duplicate.
  test("10 ChatClients sending with retries through a SIGKILL and a restart: each message stored once, seqs 1..N, retries answer the stored message, nobody sees a duplicate", async () => {
    const data = await h.freshData();
    // A fixed port and the same database: the restarted server is where the clients already reconnect to.
    const port = await freePort();
    const first = await spawnServer({ databaseUrl: data.databaseUrl, port, onCleanup: h.onCleanup });

    // The real process runs with the default message limit (30 per 10 s per
    // user): 10 senders x 30 messages. Each sender keeps WINDOW sends in
    // flight (a new one goes out as soon as one resolves), so when the
    // KILL_AFTER-th send resolves, at most 150 are in flight and at least 50
    // have not been sent: the kill is mid-burst however fast either side is.
    // In-flight sends are then stored with their ack lost, or never stored;
    // either way ChatClient.send retries them with the same clientId once the
    // client has reconnected to the restarted server.
    const SENDERS = 10;
    const EACH = 30;
    const WINDOW = 15;
    const TOTAL = SENDERS * EACH;
    const KILL_AFTER = 100;
    /** Calls of ChatClient.send per message, each of up to TRIES tries: bounded, never a loop. */
    const MAX_SENDS = 3;
    const TRIES = 3;

    const connectClient = async (token: string) => {
      const client = await ChatClient.connect({
        url: first.url,
        token,
        // Long enough for a send buffered while the server is down to wait for the restart.
        ackTimeoutMs: 20_000,
        // Reconnection is on (the default); short delays keep the test fast.
        socket: { transports: ["websocket"], forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 200 },
      });
      h.onCleanup(() => client.close());
      return client;
    };
    const readerAuth = await h.register(first);
    const senderAuths = await Promise.all(range(1, SENDERS).map(() => h.register(first)));
    const reader = await connectClient(readerAuth.token);
    const senders = await Promise.all(senderAuths.map((u) => connectClient(u.token)));
    const room = await reader.call("room:create", { name: uniqueName("crash") });
    for (const sender of senders) await sender.call("room:join", { roomId: room.id });

    // What every client sees: the messages onMessage delivers, the raw `message` broadcasts underneath,
    // errors of the background catch-up, and (senders) every `message` event actually transmitted, by connection.
    const everyone = [reader, ...senders];
    const names = ["reader", ...senders.map((_, si) => `sender ${si}`)];
    const delivered = everyone.map((client, i) => messagesOf(client, names[i]!));
    const broadcasts = everyone.map((client) => record(client.socket, "message"));
    const errors: Array<{ who: string; err: unknown }> = [];
    everyone.forEach((client, i) => client.onError((err) => errors.push({ who: names[i]!, err })));
    const transmissions = new Map<string, number[]>(); // clientId -> the connection (1st, 2nd) of each transmission
    senders.forEach((sender) => {
      // Counted at the disconnect: on a reconnect, socket.io-client sends what it buffered before it emits "connect".
      let connection = 1;
      sender.socket.on("disconnect", () => connection++);
      sender.socket.onAnyOutgoing((event: string, payload: { clientId?: string }) => {
        if (event !== "message" || !payload.clientId) return;
        transmissions.set(payload.clientId, [...(transmissions.get(payload.clientId) ?? []), connection]);
      });
    });

    type Item = { si: number; clientId: string; text: string };
    const items: Item[] = senders.flatMap((_, si) => range(1, EACH).map((i) => ({ si, clientId: `crash-${si}-${i}`, text: `burst ${si}/${i}` })));
    const resolved = new Map<string, { message: Message; beforeKill: boolean; sends: number }>();
    let started = 0;
    let atKill: { resolved: number; started: number } | null = null;
    let onKill!: () => void;
    const killSignal = new Promise<void>((resolve) => (onKill = resolve));
    const connected = (client: ChatClient) =>
      client.socket.connected ? Promise.resolve() : new Promise<void>((resolve) => client.socket.once("connect", () => resolve()));

    /** ChatClient.send, and after a failure (only the crash may cause one) again once reconnected: a bounded number of times. */
    const sendUntilAcked = async ({ si, clientId, text }: Item) => {
      const sender = senders[si]!;
      for (let sends = 1; ; sends++) {
        try {
          return { message: await sender.send(room.id, text, { clientId, tries: TRIES }), sends };
        } catch (err) {
          if (!(err instanceof ChatError && err.code === "TIMEOUT") || atKill === null || sends >= MAX_SENDS) throw err;
          await connected(sender);
        }
      }
    };
    const worker = async (queue: Item[]) => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        started++;
        const { message, sends } = await sendUntilAcked(item);
        resolved.set(item.clientId, { message, beforeKill: atKill === null, sends });
        if (atKill === null && resolved.size === KILL_AFTER) {
          atKill = { resolved: resolved.size, started };
          void first.kill("SIGKILL"); // the signal is sent synchronously, in the middle of the burst
          onKill();
        }
      }
    };
    const burst = Promise.all(
      senders.map((_, si) => {
        const queue = items.filter((m) => m.si === si);
        return Promise.all(range(1, WINDOW).map(() => worker(queue)));
      }),
    );
    // The burst is awaited below, after the restart; until then a failure must not go unhandled.
    burst.catch(() => {});
    const burstEndedFirst = burst.then(() => {
      throw new Error("the burst ended before the kill");
    });
    burstEndedFirst.catch(() => {});
    await Promise.race([killSignal, burstEndedFirst]);
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
    const kill = atKill!;
    expect(kill.resolved).toBe(KILL_AFTER);
    expect(kill.started).toBeGreaterThan(kill.resolved); // some in flight
    expect(kill.started).toBeLessThan(TOTAL); // some not sent yet

    const atCrash = await storedAtCrash(data, room.id);
    expect(atCrash.map((row) => row.seq)).toEqual(range(1, atCrash.length));
    const atCrashByClientId = new Map(atCrash.map((row) => [row.clientId, row]));

    const second = await spawnServer({ databaseUrl: data.databaseUrl, port, onCleanup: h.onCleanup });
    expect(second.url).toBe(first.url);
    await burst; // every send resolves, through the library's retries after the clients reconnect

    // Every one of the TOTAL sends resolved, each to exactly one stored message with its clientId; seqs 1..TOTAL.
    expect(resolved.size).toBe(TOTAL);
    const readerSocket = await h.connect(second, readerAuth.token);
    const stored = (await fullHistory(readerSocket, room.id)).messages;
    expect(seqs(stored)).toEqual(range(1, TOTAL));
    const storedByClientId = new Map(stored.map((m) => [m.clientId, m]));
    expect(storedByClientId.size).toBe(TOTAL); // no clientId stored twice
    for (const { si, clientId, text } of items) {
      const m = storedByClientId.get(clientId);
      expect(m && { clientId: m.clientId, text: m.text, sender: m.sender }).toEqual({ clientId, text, sender: senderAuths[si]!.user });
      expect(resolved.get(clientId)!.message).toEqual(m); // the ack is the stored message: same id, seq, createdAt
    }
    // Durable: whatever was acked before the kill was on disk when the process died, as acked.
    const withCreatedAt = (m: Message) => ({ ...identity(m), createdAt: m.createdAt });
    for (const [clientId, { message, beforeKill }] of resolved) {
      if (beforeKill) expect(atCrashByClientId.get(clientId)).toEqual(withCreatedAt(message));
    }
    // Nothing the crash left was rewritten or renumbered.
    for (const row of atCrash) expect(withCreatedAt(storedByClientId.get(row.clientId)!)).toEqual(row);

    // Retries: sends transmitted to the first server and again, with the same clientId, after the reconnect.
    const retried = [...transmissions].filter(([, connections]) => connections.includes(1) && connections.some((c) => c > 1)).map(([id]) => id);
    expect(retried.length).toBeGreaterThan(0);
    for (const clientId of retried) {
      const { message } = resolved.get(clientId)!;
      const before = atCrashByClientId.get(clientId);
      // Stored before the crash with the ack lost: the retry answers that very message. Else it is stored now, once.
      if (before) expect(withCreatedAt(message)).toEqual(before);
      else expect(message.seq).toBeGreaterThan(atCrash.length);
    }
    // Through the library path: ChatClient.send itself retried these after the reconnect, in a single call.
    expect(retried.filter((id) => resolved.get(id)!.sends === 1).length).toBeGreaterThan(0);
    for (const item of items) expect(transmissions.get(item.clientId)?.length).toBeLessThanOrEqual(MAX_SENDS * TRIES);

    // A later retry of any of them, whatever the text (and over the rate limit by now): the stored message, nothing new.
    const again = await Promise.all(items.map(({ si, clientId, text }) => senders[si]!.send(room.id, `${text} (again)`, { clientId, tries: 1 })));
    again.forEach((m, i) => expect(m).toEqual(storedByClientId.get(items[i]!.clientId)));

    // Every client, caught up: each stored message exactly once, in seq order, as stored. And underneath, the
    // server never broadcast a message twice or out of order (the ones whose ack was lost were never broadcast).
    await Promise.all(everyone.map((client) => client.synced()));
    await Promise.all(delivered.map((d) => d.until(TOTAL, 20_000)));
    await Promise.all(everyone.map((client) => client.call("room:list", {}))); // a round trip: anything queued has arrived
    delivered.forEach((d, i) => expect({ who: names[i], delivered: d.items }).toEqual({ who: names[i], delivered: stored }));
    broadcasts.forEach((b, i) => {
      const seen = seqs(b);
      expect({ who: names[i], increasing: seen.every((s, j) => j === 0 || s > seen[j - 1]!) }).toEqual({ who: names[i], increasing: true });
      for (const m of b) expect(m).toEqual(stored[m.seq - 1]);
    });
    expect(errors).toEqual([]);
  }, 90_000);
});

describe("client module catch-up", () => {
  test("after a manual disconnect, 150 missed messages (two history pages) are delivered once each, in order", async () => {
    const s = await h.startServer();
    const alice = await h.user(s);
    const bob = await h.register(s);
    const client = await h.client(s, bob.token);
    const room = await ok(alice.socket, "room:create", { name: uniqueName("away") });
    await client.call("room:join", { roomId: room.id });
    const got = messagesOf(client, "bob's client");

    await Promise.all(range(1, 5).map((i) => ok(alice.socket, "message", { roomId: room.id, text: `live ${i}`, clientId: `live-${i}` })));
    await got.until(5);

    const disconnected = waitForEvent(client.socket, "disconnect");
    client.socket.disconnect();
    expect(await disconnected).toBe("io client disconnect");
    await Promise.all(range(1, 150).map((i) => ok(alice.socket, "message", { roomId: room.id, text: `missed ${i}`, clientId: `missed-${i}` })));
    expect(got.items).toHaveLength(5);

    const connected = waitForEvent(client.socket, "connect");
    client.socket.connect();
    await connected;
    await client.synced();
    expect(seqs(got.items)).toEqual(range(1, 155));
    expect(got.items).toEqual((await fullHistory(alice.socket, room.id)).messages);
    expect(client.lastSeq(room.id)).toBe(155);

    // Live delivery resumes, and nothing is delivered twice.
    await ok(alice.socket, "message", { roomId: room.id, text: "back", clientId: "back" });
    await got.until(156);
    await client.call("room:list", {});
    expect(seqs(got.items)).toEqual(range(1, 156));
  });

  test("a seq jump in live delivery (a missed broadcast) makes the client fetch the gap from history", async () => {
    const s = await h.startServer();
    const alice = await h.user(s);
    const bob = await h.register(s);
    const client = await h.client(s, bob.token);
    const room = await ok(alice.socket, "room:create", { name: uniqueName("gap") });
    await client.call("room:join", { roomId: room.id });
    const got = messagesOf(client, "bob's client");
    const live = record(client.socket, "message");
    const send = (i: number) => ok(alice.socket, "message", { roomId: room.id, text: `m${i}`, clientId: `m${i}` });

    await send(1);
    await send(2);
    await got.until(2);
    // The server drops bob's socket from the room's broadcasts for one message,
    // as a lost broadcast would: the connection itself stays up.
    const socketId = client.socket.id!;
    s.app.io.in(socketId).socketsLeave(ioRooms.chat(room.id));
    await send(3);
    s.app.io.in(socketId).socketsJoin(ioRooms.chat(room.id));
    await send(4);
    await send(5);

    await got.until(5);
    await client.call("room:list", {}); // a round trip: anything queued has been delivered
    expect(seqs(got.items)).toEqual([1, 2, 3, 4, 5]);
    expect(got.items).toEqual((await fullHistory(alice.socket, room.id)).messages);
    // Seq 3 never arrived live: the client filled the gap from history.
    expect(seqs(live)).toEqual([1, 2, 4, 5]);
  });
});

describe("server restart (real process, SIGTERM)", () => {
  test("the client reconnects to the restarted server by itself and sees every message exactly once", async () => {
    const data = await h.freshData();
    const port = await freePort();
    const first = await spawnServer({ databaseUrl: data.databaseUrl, port, onCleanup: h.onCleanup });

    const alice = await h.register(first);
    const bob = await h.register(first);
    const aliceSocket = await h.connect(first, alice.token);
    const room = await ok(aliceSocket, "room:create", { name: uniqueName("restart") });
    const client = await ChatClient.connect({
      url: first.url,
      token: bob.token,
      // Reconnection is on (the default); short delays keep the test fast.
      socket: { transports: ["websocket"], forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 200 },
    });
    h.onCleanup(() => client.close());
    await client.call("room:join", { roomId: room.id });
    const got = messagesOf(client, "bob's client");
    const errors: unknown[] = [];
    client.onError((err) => errors.push(err));

    await Promise.all(range(1, 5).map((i) => ok(aliceSocket, "message", { roomId: room.id, text: `before ${i}`, clientId: `before-${i}` })));
    await got.until(5);

    const disconnected = waitForEvent(client.socket, "disconnect");
    expect(await first.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(await disconnected).toBe("transport close"); // not a server-side disconnect: the client will retry

    const reconnected = waitForEvent(client.socket, "connect");
    const second = await spawnServer({ databaseUrl: data.databaseUrl, port, onCleanup: h.onCleanup });
    expect(second.url).toBe(first.url);
    const aliceAgain = await h.connect(second, alice.token); // the token survived the restart
    await Promise.all(range(1, 20).map((i) => ok(aliceAgain, "message", { roomId: room.id, text: `after ${i}`, clientId: `after-${i}` })));

    await reconnected;
    await client.synced();
    await got.until(25);
    await client.call("room:list", {});
    expect(seqs(got.items)).toEqual(range(1, 25));
    expect(got.items).toEqual((await fullHistory(aliceAgain, room.id)).messages);
    expect(errors).toEqual([]);
  });
});
