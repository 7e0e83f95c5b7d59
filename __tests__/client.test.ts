// The typed client module's own promises: errors as ChatError, no replay of
// what was said while the user was out of a room, a bounded first connect,
// and connection changes for a UI to show.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { ChatClient, ChatError, handshakeRetryDelay, type ConnectionChange } from "../common/client";
import type { Message } from "../common/protocol";
import { flush, harness, ok, uniqueName } from "./helpers/harness";
import { freePort } from "./helpers/process";

const h = harness();

test("a refused call rejects with a ChatError carrying the protocol code", async () => {
  const s = await h.startServer();
  const alice = await h.register(s);
  const client = await h.client(s, alice.token);
  const err = await client.call("room:join", { roomId: "missing" }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ChatError);
  expect(err).toMatchObject({ code: "NOT_FOUND" });
});

test("a refused token rejects connect() with UNAUTHORIZED", async () => {
  const s = await h.startServer();
  await expect(ChatClient.connect({ url: s.url, token: "A".repeat(43), socket: { transports: ["websocket"] } })).rejects.toMatchObject({
    code: "UNAUTHORIZED",
  });
});

test("connect() to an address where nothing listens gives up after connectTimeoutMs", async () => {
  const port = await freePort();
  await expect(
    ChatClient.connect({ url: `http://127.0.0.1:${port}`, token: "t", connectTimeoutMs: 500, socket: { reconnectionDelay: 50 } }),
  ).rejects.toMatchObject({ code: "NETWORK" });
});

test("after leaving and joining again, messages said while away are not replayed as live", async () => {
  const s = await h.startServer();
  const [alice, bob] = await Promise.all([h.user(s), h.register(s)]);
  const room = await ok(alice.socket, "room:create", { name: uniqueName("r") });
  const client = await h.client(s, bob.token);
  const seen: Message[] = [];
  client.onMessage((m) => seen.push(m));

  await client.call("room:join", { roomId: room.id });
  await ok(alice.socket, "message", { roomId: room.id, text: "one", clientId: "1" });
  await client.call("room:leave", { roomId: room.id });
  await ok(alice.socket, "message", { roomId: room.id, text: "while away", clientId: "2" });
  await client.call("room:join", { roomId: room.id });
  const arrived = new Promise<void>((resolve) => client.onMessage((m) => m.text === "back" && resolve()));
  await ok(alice.socket, "message", { roomId: room.id, text: "back", clientId: "3" });
  await arrived;
  await flush(client.socket);
  expect(seen.map((m) => m.text)).toEqual(["one", "back"]);
});

test("connection changes: connected, disconnected with willReconnect, reconnected after catching up", async () => {
  const s = await h.startServer();
  const [alice, bob] = await Promise.all([h.user(s), h.register(s)]);
  const room = await ok(alice.socket, "room:create", { name: uniqueName("r") });
  const client = await h.client(s, bob.token);
  await client.call("room:join", { roomId: room.id });
  const changes: ConnectionChange[] = [];
  client.onConnectionChange((c) => changes.push(c));

  // The server dropping the connection under the socket is what a network failure looks like.
  const reconnected = new Promise<void>((resolve) => client.onConnectionChange((c) => c.state === "reconnected" && resolve()));
  s.app.io.of("/").sockets.get(client.socket.id!)!.conn.close();
  await reconnected;
  expect(changes).toEqual([{ state: "disconnected", reason: "transport close", willReconnect: true }, { state: "reconnected" }]);

  // A logout is final: socket.io-client will not retry.
  const ended = new Promise<ConnectionChange>((resolve) => client.onConnectionChange(resolve));
  await fetch(`${s.url}/api/logout`, { method: "POST", headers: { authorization: `Bearer ${bob.token}` } });
  expect(await ended).toEqual({ state: "disconnected", reason: "io server disconnect", willReconnect: false });
});

/**
 * A server of some later release that speaks only protocol 2, refusing as
 * ours refuses a version it does not speak; `accepting` lets a first handshake in.
 */
async function laterServer(accepting = false) {
  const httpServer = createServer();
  const io = new Server(httpServer);
  const handshakes: unknown[] = [];
  const state = { accepting };
  io.use((socket, next) => {
    handshakes.push(socket.handshake.auth);
    if (state.accepting) return next();
    next(Object.assign(new Error("UNSUPPORTED_PROTOCOL"), { data: { supported: [2] } }));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  h.onCleanup(() => new Promise<void>((resolve) => io.close(() => resolve())));
  return { io, state, handshakes, url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}` };
}

test("the handshake names the protocol version; a server that does not speak it refuses, and connect() says so", async () => {
  const later = await laterServer();
  const err = await ChatClient.connect({ url: later.url, token: "t0k3n", socket: { transports: ["websocket"] } }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ChatError);
  expect(err).toMatchObject({ code: "UNSUPPORTED_PROTOCOL", message: "the server speaks protocol 2, this client 1" });
  expect(later.handshakes).toEqual([{ token: "t0k3n", protocol: 1 }]);
});

test("a reconnect the server refuses is a `refused` change, after which the client does not retry", async () => {
  const later = await laterServer(true);
  const client = new ChatClient({ url: later.url, socket: { transports: ["websocket"], reconnectionDelay: 10 } });
  h.onCleanup(() => client.close());
  await client.ready();
  const refused = new Promise<ConnectionChange>((resolve) => client.onConnectionChange((c) => c.state === "refused" && resolve(c)));
  // The server was upgraded under the page: the next handshake is refused.
  later.state.accepting = false;
  for (const socket of later.io.of("/").sockets.values()) socket.conn.close();
  expect(await refused).toEqual({ state: "refused", error: expect.objectContaining({ code: "UNSUPPORTED_PROTOCOL" }) });
  expect(client.socket.active).toBe(false);
  await expect(client.ready()).rejects.toMatchObject({ code: "UNSUPPORTED_PROTOCOL" });
  expect(later.handshakes).toEqual([{ protocol: 1 }, { protocol: 1 }]);
});

test("a handshake refused for now (too many sockets: RATE_LIMITED) is tried again by the client, with a growing pause, until it gets in", async () => {
  const s = await h.startServer({ limits: { socketsPerUser: 1 } });
  const alice = await h.register(s);
  const first = await h.client(s, alice.token);
  const second = new ChatClient({ url: s.url, token: alice.token, socket: { transports: ["websocket"] } });
  h.onCleanup(() => second.close());
  const retrying = new Promise<ConnectionChange>((resolve) => second.onConnectionChange((c) => c.state === "retrying" && resolve(c)));
  expect(await retrying).toEqual({ state: "retrying", error: expect.objectContaining({ code: "RATE_LIMITED" }), delayMs: expect.any(Number) });
  // The first socket goes: the next try gets in, and nothing was final meanwhile.
  first.close();
  await second.ready();
  expect(second.socket.connected).toBe(true);
});

test("the pause before each handshake retry doubles from 2 s to a minute, give or take a fifth", () => {
  expect([0, 1, 2, 3, 4, 5, 9].map((n) => handshakeRetryDelay(n, () => 0.5))).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
  expect(handshakeRetryDelay(0, () => 0)).toBe(1600);
  expect(handshakeRetryDelay(0, () => 1)).toBe(2400);
});
