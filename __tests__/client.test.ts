// The typed client module's own promises: errors as ChatError, no replay of
// what was said while the user was out of a room, a bounded first connect,
// and connection changes for a UI to show.
import { ChatClient, ChatError, type ConnectionChange } from "../common/client";
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
