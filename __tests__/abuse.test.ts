// Floods, oversized frames, slow readers and cross-site tricks: each defence
// shown by a test that fails without it.
import { io } from "socket.io-client";
import type { ClientSocket } from "../common/client";
import { call, callRaw, flush, harness, next, ok, PASSWORD, record, uniqueName } from "./helpers/harness";

const h = harness();

async function post(url: string, path: string, body: unknown) {
  const res = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => null)) as { error?: { code: string } } | null };
}

test("a flooding user is limited; another user's messages still go through; nothing beyond the limit is stored", async () => {
  const s = await h.startServer({ limits: { messagesPerWindow: 30, messageWindowSeconds: 60 } });
  const [flooder, bob] = await Promise.all([h.user(s), h.user(s)]);
  const room = await ok(flooder.socket, "room:create", { name: uniqueName("flood") });
  await ok(bob.socket, "room:join", { roomId: room.id });

  const flood = Array.from({ length: 300 }, (_, i) => call(flooder.socket, "message", { roomId: room.id, text: `spam ${i}`, clientId: `f${i}` }));
  const bobs = Array.from({ length: 5 }, (_, i) => call(bob.socket, "message", { roomId: room.id, text: `bob ${i}`, clientId: `b${i}` }));
  const [floodResults, bobResults] = await Promise.all([Promise.all(flood), Promise.all(bobs)]);

  expect(bobResults.every((r) => r.ok)).toBe(true);
  expect(floodResults.filter((r) => r.ok)).toHaveLength(30);
  expect(new Set(floodResults.filter((r) => !r.ok).map((r) => !r.ok && r.error.code))).toEqual(new Set(["RATE_LIMITED"]));
  const stored = await ok(bob.socket, "history", { roomId: room.id, limit: 100 });
  expect(stored).toHaveLength(35);
  expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
});

test("every other event counts per user: across the user's sockets, across reconnects, malformed ones and typing included", async () => {
  const s = await h.startServer({ limits: { eventsPerWindow: 10, eventWindowSeconds: 60 } });
  const alice = await h.user(s);
  const bob = await h.user(s);
  // Four valid calls, two malformed ones, two typing events (malformed and not): eight of ten.
  for (let i = 0; i < 4; i++) expect((await call(alice.socket, "room:list", {})).ok).toBe(true);
  expect(await callRaw(alice.socket, "history", "garbage")).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
  expect(await callRaw(alice.socket, "room:join", { roomId: 42 })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
  alice.socket.emit("typing", "not a payload" as never);
  alice.socket.emit("typing", { roomId: "no-such-room", typing: true });
  // The ninth: its answer also says the typing events were handled (socket.io drops events that arrive with a disconnect).
  expect((await call(alice.socket, "room:list", {})).ok).toBe(true);
  // A fresh socket, as after a reconnect, starts nothing afresh.
  alice.socket.disconnect();
  const again = await h.connect(s, alice.token);
  const results = await Promise.all(Array.from({ length: 3 }, () => call(again, "room:list", {})));
  expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["ok", "RATE_LIMITED", "RATE_LIMITED"]);
  const otherTab = await h.connect(s, alice.token);
  expect(await call(otherTab, "room:list", {})).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });
  // Another user is not slowed down.
  expect((await call(bob.socket, "room:list", {})).ok).toBe(true);
});

test("edits and deletes count with messages: the 31st change in the window is limited and not broadcast", async () => {
  const s = await h.startServer({ limits: { messagesPerWindow: 30, messageWindowSeconds: 60 } });
  const [alice, bob] = await Promise.all([h.user(s), h.user(s)]);
  const room = await ok(alice.socket, "room:create", { name: uniqueName("edits") });
  await ok(bob.socket, "room:join", { roomId: room.id });
  const m = await ok(alice.socket, "message", { roomId: room.id, text: "v0", clientId: "e0" });
  const updates = record(bob.socket, "message:updated");
  const edits = [];
  for (let i = 1; i <= 30; i++) edits.push(await call(alice.socket, "message:edit", { messageId: m.id, text: `v${i}` }));
  expect(edits.filter((r) => r.ok)).toHaveLength(29);
  expect(edits.slice(-1)[0]).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });
  expect(await call(alice.socket, "message:delete", { messageId: m.id })).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });
  await flush(alice.socket, bob.socket);
  expect(updates).toHaveLength(29);
  expect((await ok(bob.socket, "history", { roomId: room.id }))[0]!.text).toBe("v29");
});

test("searches have their own per-user budget", async () => {
  const s = await h.startServer({ limits: { searchesPerWindow: 3, searchWindowSeconds: 60 } });
  const [alice, bob] = await Promise.all([h.user(s), h.user(s)]);
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push(await call(alice.socket, "search", { query: `word${i}` }));
  expect(answers.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["ok", "ok", "ok", "RATE_LIMITED"]);
  expect((await call(bob.socket, "search", { query: "word" })).ok).toBe(true);
});

test("looking users up by name is limited per user, found or not, so names cannot be enumerated", async () => {
  const s = await h.startServer({ limits: { lookupsPerWindow: 5, lookupWindowSeconds: 300 } });
  const [alice, bob] = await Promise.all([h.user(s), h.user(s)]);
  const priv = await ok(alice.socket, "room:create", { name: uniqueName("p"), private: true });
  const tries = [
    call(alice.socket, "contacts:add", { username: "nobody_1" }),
    call(alice.socket, "dm:open", { username: "nobody_2" }),
    call(alice.socket, "room:invite", { roomId: priv.id, username: "nobody_3" }),
    call(alice.socket, "contacts:add", { username: bob.user.username }),
    call(alice.socket, "contacts:remove", { username: "nobody_4" }),
  ];
  expect((await Promise.all(tries)).map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "ok", "NOT_FOUND"]);
  expect(await call(alice.socket, "dm:open", { username: bob.user.username })).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });
});

test("rooms: creations per hour and rooms per user are capped", async () => {
  const s = await h.startServer({ limits: { roomCreatesPerHour: 3, roomsPerUser: 1_000 } });
  const alice = await h.user(s);
  const made = [];
  for (let i = 0; i < 4; i++) made.push(await call(alice.socket, "room:create", { name: uniqueName("r") }));
  expect(made.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["ok", "ok", "ok", "RATE_LIMITED"]);

  const capped = await h.startServer({ limits: { roomCreatesPerHour: 1_000, roomsPerUser: 2 } });
  const bob = await h.user(capped);
  await ok(bob.socket, "room:create", { name: uniqueName("a") });
  await ok(bob.socket, "room:create", { name: uniqueName("b"), private: true });
  const third = await call(bob.socket, "room:create", { name: uniqueName("c") });
  expect(third).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  // dms are not rooms one creates: still open.
  const carol = await h.register(capped);
  expect((await call(bob.socket, "dm:open", { username: carol.user.username })).ok).toBe(true);
});

test("handshakes are limited per user, and per address before any database read", async () => {
  const s = await h.startServer({ limits: { handshakesPerUserPerMinute: 3, handshakesPerAddressPerMinute: 1_000 } });
  const alice = await h.register(s);
  for (let i = 0; i < 3; i++) (await h.connect(s, alice.token)).disconnect();
  await expect(h.connect(s, alice.token)).rejects.toThrow("RATE_LIMITED");
  const bob = await h.register(s);
  expect((await h.connect(s, bob.token)).connected).toBe(true);

  const byAddress = await h.startServer({ limits: { handshakesPerUserPerMinute: 1_000, handshakesPerAddressPerMinute: 3 } });
  const carol = await h.register(byAddress);
  for (let i = 0; i < 3; i++) await h.connect(byAddress, "A".repeat(43)).catch(() => {}); // unknown tokens count too
  await expect(h.connect(byAddress, carol.token)).rejects.toThrow("RATE_LIMITED");
});

test("registrations and login attempts are limited per address", async () => {
  const s = await h.startServer({ limits: { registrationsPerHour: 3, loginsPerMinute: 4 } });
  const names = [uniqueName(), uniqueName(), uniqueName(), uniqueName()];
  const statuses = [];
  for (const username of names) statuses.push((await post(s.url, "/api/register", { username, password: PASSWORD })).status);
  expect(statuses).toEqual([201, 201, 201, 429]);

  const logins = [];
  for (let i = 0; i < 5; i++) logins.push(await post(s.url, "/api/login", { username: names[0], password: PASSWORD }));
  expect(logins.map((r) => r.status)).toEqual([200, 200, 200, 200, 429]);
  expect(logins[4]!.body?.error?.code).toBe("RATE_LIMITED");
});

test("one user may hold only so many sockets", async () => {
  const s = await h.startServer({ limits: { socketsPerUser: 2 } });
  const alice = await h.user(s);
  await h.connect(s, alice.token);
  await expect(h.connect(s, alice.token)).rejects.toThrow("RATE_LIMITED");
});

test("a 2 MB frame disconnects only its own socket", async () => {
  const s = await h.startServer();
  const [alice, bob] = await Promise.all([h.user(s), h.user(s)]);
  const room = await ok(alice.socket, "room:create", { name: uniqueName("big") });
  await ok(bob.socket, "room:join", { roomId: room.id });
  const gone = new Promise<string>((resolve) => alice.socket.once("disconnect", resolve));
  alice.socket.emit("message", { roomId: room.id, text: "x".repeat(2 * 1024 * 1024), clientId: "huge" }, () => {});
  expect(await gone).toBe("transport close");
  expect((await ok(bob.socket, "message", { roomId: room.id, text: "still here", clientId: "ok" })).seq).toBe(1);
  expect(await ok(bob.socket, "history", { roomId: room.id })).toHaveLength(1);
});

test("a client that stops reading is disconnected once its queue passes the bound, and others carry on", async () => {
  const s = await h.startServer({ limits: { maxQueuedBytes: 200_000, congestedQueuedBytes: 100_000 } });
  const [sender, stalled] = await Promise.all([h.user(s), h.register(s)]);
  const room = await ok(sender.socket, "room:create", { name: uniqueName("slow") });
  const slow: ClientSocket = io(s.url, { auth: { token: stalled.token }, transports: ["websocket"], reconnection: false, forceNew: true });
  h.onCleanup(() => void slow.close());
  await new Promise<void>((resolve) => slow.once("connect", () => resolve()));
  await ok(slow, "room:join", { roomId: room.id });
  const slowId = slow.id!;
  const serverSide = s.app.io.of("/").sockets.get(slowId)!;
  const dropped = new Promise<string>((resolve) => serverSide.once("disconnect", resolve));

  // Stop reading: the TCP connection stays open but nothing is taken off it.
  const transport = slow.io.engine.transport as unknown as { ws: { _socket: { pause(): void } } };
  transport.ws._socket.pause();

  // Large messages fill the kernel buffers quickly; bounded in count.
  const text = "y".repeat(4000);
  let sent = 0;
  let stillConnected = true;
  void dropped.then(() => (stillConnected = false));
  while (stillConnected && sent < 5000) {
    await ok(sender.socket, "message", { roomId: room.id, text, clientId: `m${sent++}` });
  }
  expect(await dropped).toBe("forced close");
  expect(sent).toBeLessThan(5000);
  expect(s.app.io.of("/").sockets.has(slowId)).toBe(false);
  // The sender never noticed.
  expect((await ok(sender.socket, "message", { roomId: room.id, text: "after", clientId: "after" })).seq).toBe(sent + 1);
});

test("CORS: no allow-list means no cross-origin headers; an allow-listed origin may use the session cookie", async () => {
  const s = await h.startServer({ corsOrigins: ["http://allowed.example"] });
  const reg = await fetch(`${s.url}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: uniqueName(), password: PASSWORD }),
  });
  const cookie = (reg.headers.get("set-cookie") ?? "").split(";")[0]!;
  const connectFrom = (origin: string) => {
    const socket: ClientSocket = io(s.url, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie, origin } });
    h.onCleanup(() => void socket.close());
    return new Promise<ClientSocket>((resolve, reject) => {
      socket.once("connect", () => resolve(socket));
      socket.once("connect_error", reject);
    });
  };
  expect((await connectFrom("http://allowed.example")).connected).toBe(true);
  await expect(connectFrom("http://other.example")).rejects.toThrow("UNAUTHORIZED");

  const polling = (origin: string) => fetch(`${s.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
  expect((await polling("http://allowed.example")).headers.get("access-control-allow-origin")).toBe("http://allowed.example");
  expect((await polling("http://other.example")).headers.get("access-control-allow-origin")).toBeNull();

  const plain = await h.startServer();
  expect((await fetch(`${plain.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: "http://other.example" } })).headers.get("access-control-allow-origin")).toBeNull();
});

test("an unknown user and a wrong password take the same time to answer (no early return before hashing)", async () => {
  const s = await h.startServer();
  const { user } = await h.register(s);
  const time = async (username: string) => {
    const start = performance.now();
    const r = await post(s.url, "/api/login", { username, password: "wrong password!" });
    expect(r.status).toBe(401);
    return performance.now() - start;
  };
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const wrong: number[] = [];
  const unknown: number[] = [];
  // Interleaved, so machine noise falls on both alike; the lockout is per name, and 8 stays under it.
  for (let i = 0; i < 8; i++) {
    wrong.push(await time(user.username));
    unknown.push(await time(uniqueName("nobody")));
  }
  // A skipped hash would answer in well under a millisecond against tens of milliseconds.
  const ratio = median(unknown) / median(wrong);
  expect(ratio).toBeGreaterThan(0.5);
  expect(ratio).toBeLessThan(2);
});

test("presence events from a revoked session stop: logout disconnects, and the token cannot reconnect", async () => {
  const s = await h.startServer();
  const [alice, bob] = await Promise.all([h.user(s), h.user(s)]);
  await ok(bob.socket, "contacts:add", { username: alice.user.username });
  const offline = next(bob.socket, "presence", (p) => p.user.id === alice.user.id && !p.online);
  await fetch(`${s.url}/api/logout`, { method: "POST", headers: { authorization: `Bearer ${alice.token}` } });
  expect(await offline).toEqual({ user: alice.user, online: false });
  await expect(h.connect(s, alice.token)).rejects.toThrow("UNAUTHORIZED");
});
