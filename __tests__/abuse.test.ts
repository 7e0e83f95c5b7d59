// Floods, oversized frames, slow readers and cross-site tricks: each defence
// shown by a test that fails without it.
import { io } from "socket.io-client";
import type { ClientSocket } from "../common/client";
import { call, callRaw, harness, next, ok, PASSWORD, uniqueName } from "./helpers/harness";

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

test("every other event is limited per socket; the user's other sockets are not", async () => {
  const s = await h.startServer({ limits: { eventsPerWindow: 10, eventWindowSeconds: 60 } });
  const alice = await h.user(s);
  const results = await Promise.all(Array.from({ length: 15 }, () => call(alice.socket, "room:list", {})));
  expect(results.filter((r) => r.ok)).toHaveLength(10);
  expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === "RATE_LIMITED")).toBe(true);
  // Garbage counts too: a flood of malformed events is refused before it is parsed.
  expect(await callRaw(alice.socket, "history", "garbage")).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });
  const otherTab = await h.connect(s, alice.token);
  expect((await call(otherTab, "room:list", {})).ok).toBe(true);
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
  const s = await h.startServer({ limits: { maxQueuedPackets: 50 } });
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
