// Three nodes in one process, sharing one database and one Redis, behave as
// one server: every rule that crosses nodes, each in its own test.
import { ChatClient, type ClientSocket } from "../../common/client";
import type { Message } from "../../common/protocol";
import { call, flush, harness, next, ok, record, uniqueName, type TestServer } from "../helpers/harness";
import { describeNodes, startNodes } from "../helpers/nodes";

const h = harness();

/** A user with one socket on each of the given nodes. */
async function userOn(...nodes: TestServer[]) {
  const auth = await h.register(nodes[0]!);
  const sockets: ClientSocket[] = [];
  for (const node of nodes) sockets.push(await h.connect(node, auth.token));
  return { ...auth, sockets };
}

const seqs = (messages: Message[]) => messages.map((m) => m.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describeNodes("three nodes as one server", () => {
  test("a message sent on one node reaches the room's sockets on every node, once each and in order", async () => {
    const [a, b, c] = (await startNodes(h, 3)) as [TestServer, TestServer, TestServer];
    const alice = await userOn(a);
    const room = await ok(alice.sockets[0]!, "room:create", { name: uniqueName("x") });
    const listeners = [await userOn(a), await userOn(b), await userOn(c)];
    for (const l of listeners) await ok(l.sockets[0]!, "room:join", { roomId: room.id });
    const heard = listeners.map((l) => record(l.sockets[0]!, "message"));
    const last = listeners.map((l) => next(l.sockets[0]!, "message", (m) => m.seq === 50));
    for (let i = 0; i < 50; i++) void ok(alice.sockets[0]!, "message", { roomId: room.id, text: `m${i}`, clientId: `c${i}` });
    await Promise.all(last);
    await flush(...listeners.map((l) => l.sockets[0]!));
    for (const got of heard) expect(seqs(got)).toEqual(range(1, 50));
  });

  test("15 senders spread over three nodes, 20 messages each: seq 1..300, no gap or duplicate, the same order on every node", async () => {
    const nodes = await startNodes(h, 3);
    const owner = await userOn(nodes[0]!);
    const room = await ok(owner.sockets[0]!, "room:create", { name: uniqueName("busy") });
    const receivers = await Promise.all(nodes.map((n) => userOn(n)));
    for (const r of receivers) await ok(r.sockets[0]!, "room:join", { roomId: room.id });
    const heard = receivers.map((r) => record(r.sockets[0]!, "message"));
    const done = receivers.map((r) => next(r.sockets[0]!, "message", (m) => m.seq === 300, 30_000));
    const senders = await Promise.all(Array.from({ length: 15 }, (_, i) => userOn(nodes[i % 3]!)));
    for (const s of senders) await ok(s.sockets[0]!, "room:join", { roomId: room.id });
    const acks = await Promise.all(
      senders.flatMap((s, i) =>
        Array.from({ length: 20 }, (_, j) => ok(s.sockets[0]!, "message", { roomId: room.id, text: `s${i} m${j}`, clientId: `s${i}-${j}` })),
      ),
    );
    expect(acks.map((m) => m.seq).sort((x, y) => x - y)).toEqual(range(1, 300));
    await Promise.all(done);
    await flush(...receivers.map((r) => r.sockets[0]!));
    const orders = heard.map((got) => got.map((m) => m.id));
    for (const got of heard) expect(seqs(got)).toEqual(range(1, 300));
    expect(orders[1]).toEqual(orders[0]);
    expect(orders[2]).toEqual(orders[0]);
  });

  test("join, leave, invite and dm on one node take effect on the others at once", async () => {
    const [a, b, c] = (await startNodes(h, 3)) as [TestServer, TestServer, TestServer];
    const alice = await userOn(a);
    const bob = await userOn(b, c);
    const pub = await ok(alice.sockets[0]!, "room:create", { name: uniqueName("pub") });
    // Bob joins through B; his socket on C is in the room and may send through C at once.
    await ok(bob.sockets[0]!, "room:join", { roomId: pub.id });
    const onC = next(bob.sockets[1]!, "message", (m) => m.text === "to everyone");
    await ok(alice.sockets[0]!, "message", { roomId: pub.id, text: "to everyone", clientId: "p1" });
    await onC;
    expect((await ok(bob.sockets[1]!, "message", { roomId: pub.id, text: "from C", clientId: "p2" })).seq).toBe(2);
    // He leaves through C; B refuses him at once, and neither socket hears the room.
    await ok(bob.sockets[1]!, "room:leave", { roomId: pub.id });
    expect(await call(bob.sockets[0]!, "message", { roomId: pub.id, text: "after leaving", clientId: "p3" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    const leaked = [record(bob.sockets[0]!, "message"), record(bob.sockets[1]!, "message")];
    await ok(alice.sockets[0]!, "message", { roomId: pub.id, text: "not for bob", clientId: "p4" });
    await flush(...bob.sockets);
    expect(leaked.flat()).toEqual([]);
    // An invitation made on A puts carol's socket on C in the private room.
    const carol = await userOn(c);
    const priv = await ok(alice.sockets[0]!, "room:create", { name: uniqueName("priv"), private: true });
    const invited = next(carol.sockets[0]!, "system", (e) => e.type === "member-invited" && e.roomId === priv.id);
    await ok(alice.sockets[0]!, "room:invite", { roomId: priv.id, username: carol.user.username });
    await invited;
    expect((await ok(carol.sockets[0]!, "message", { roomId: priv.id, text: "thanks", clientId: "i1" })).seq).toBe(1);
    // A dm opened on A: bob's sockets on B and C hear it.
    const dm = await ok(alice.sockets[0]!, "dm:open", { username: bob.user.username });
    const inDm = bob.sockets.map((s) => next(s, "message", (m) => m.roomId === dm.id));
    await ok(alice.sockets[0]!, "message", { roomId: dm.id, text: "psst", clientId: "d1" });
    expect((await Promise.all(inDm)).map((m) => m.text)).toEqual(["psst", "psst"]);
  });

  test("a membership the database has but a node's cache missed is honoured; one it lost is refused", async () => {
    const [a, b] = (await startNodes(h, 2)) as [TestServer, TestServer];
    const alice = await userOn(a);
    const bob = await userOn(b);
    const room = await ok(alice.sockets[0]!, "room:create", { name: uniqueName("p"), private: true });
    await ok(bob.sockets[0]!, "history", { roomId: room.id }).catch(() => null); // B caches the room without bob
    // As if the notice of a change made elsewhere were lost: the database changes, no node is told.
    await a.storage.addMember(room.id, bob.user.id, Date.now());
    expect((await ok(bob.sockets[0]!, "message", { roomId: room.id, text: "let in", clientId: "b1" })).seq).toBe(1);
    await a.storage.removeMember(room.id, bob.user.id);
    expect(await call(bob.sockets[0]!, "message", { roomId: room.id, text: "shut out", clientId: "b2" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await call(bob.sockets[0]!, "history", { roomId: room.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  test("a retry through another node answers the stored original and broadcasts nothing new", async () => {
    const [a, b] = (await startNodes(h, 2)) as [TestServer, TestServer];
    const alice = await userOn(a, b);
    const watcher = await userOn(b);
    const room = await ok(alice.sockets[0]!, "room:create", { name: uniqueName("r") });
    await ok(watcher.sockets[0]!, "room:join", { roomId: room.id });
    const heard = record(watcher.sockets[0]!, "message");
    const original = await ok(alice.sockets[0]!, "message", { roomId: room.id, text: "once", clientId: "same" });
    const retry = await ok(alice.sockets[1]!, "message", { roomId: room.id, text: "once again?", clientId: "same" });
    expect(retry).toEqual(original);
    await ok(alice.sockets[1]!, "message", { roomId: room.id, text: "next", clientId: "other" });
    await next(watcher.sockets[0]!, "message", (m) => m.seq === 2);
    expect(seqs(heard)).toEqual([1, 2]);
  });

  test("presence: online with the first socket on any node, offline only when the last one on any node goes", async () => {
    const [a, b] = (await startNodes(h, 2)) as [TestServer, TestServer];
    const watcher = await userOn(a);
    const bob = await h.register(a);
    await ok(watcher.sockets[0]!, "contacts:add", { username: bob.user.username });
    const events = record(watcher.sockets[0]!, "presence");
    const online = next(watcher.sockets[0]!, "presence", (p) => p.user.id === bob.user.id && p.online);
    const onA = await h.connect(a, bob.token);
    await online;
    const onB = await h.connect(b, bob.token);
    expect(await ok(watcher.sockets[0]!, "contacts:list", {})).toEqual([{ ...bob.user, online: true }]);
    onA.disconnect();
    await flush(onB, watcher.sockets[0]!);
    expect(await ok(watcher.sockets[0]!, "contacts:list", {})).toEqual([{ ...bob.user, online: true }]);
    const offline = next(watcher.sockets[0]!, "presence", (p) => p.user.id === bob.user.id && !p.online);
    onB.disconnect();
    await offline;
    expect(events.filter((p) => p.user.id === bob.user.id).map((p) => p.online)).toEqual([true, false]);
  });

  test("typing and read markers cross nodes", async () => {
    const [a, b] = (await startNodes(h, 2)) as [TestServer, TestServer];
    const alice = await userOn(a);
    const bob = await userOn(b);
    const room = await ok(alice.sockets[0]!, "room:create", { name: uniqueName("t") });
    await ok(bob.sockets[0]!, "room:join", { roomId: room.id });
    const typing = next(alice.sockets[0]!, "typing", (e) => e.user.id === bob.user.id && e.typing);
    bob.sockets[0]!.emit("typing", { roomId: room.id, typing: true });
    expect(await typing).toEqual({ roomId: room.id, user: bob.user, typing: true });
    await ok(alice.sockets[0]!, "message", { roomId: room.id, text: "read me", clientId: "r1" });
    const read = next(alice.sockets[0]!, "read", (e) => e.user.id === bob.user.id);
    await ok(bob.sockets[0]!, "read", { roomId: room.id, seq: 1 });
    expect(await read).toEqual({ roomId: room.id, user: bob.user, seq: 1 });
  });

  test("logout through any node disconnects that token's sockets on every node", async () => {
    const [a, b, c] = (await startNodes(h, 3)) as [TestServer, TestServer, TestServer];
    const alice = await userOn(a, b);
    const gone = alice.sockets.map((s) => new Promise<string>((resolve) => s.once("disconnect", resolve)));
    const res = await fetch(`${c.url}/api/logout`, { method: "POST", headers: { authorization: `Bearer ${alice.token}` } });
    expect(res.status).toBe(204);
    expect(await Promise.all(gone)).toEqual(["io server disconnect", "io server disconnect"]);
    await expect(h.connect(b, alice.token)).rejects.toThrow("UNAUTHORIZED");
  });

  test("limits are shared: a user's messages count on every node, and so do their sockets", async () => {
    const [a, b] = (await startNodes(h, 2, { limits: { messagesPerWindow: 4, messageWindowSeconds: 60, socketsPerUser: 2 } })) as [
      TestServer,
      TestServer,
    ];
    const alice = await userOn(a, b);
    const room = await ok(alice.sockets[0]!, "room:create", { name: uniqueName("l") });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await call(alice.sockets[i % 2]!, "message", { roomId: room.id, text: `n${i}`, clientId: `n${i}` }));
    expect(answers.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["ok", "ok", "ok", "ok", "RATE_LIMITED", "RATE_LIMITED"]);
    await expect(h.connect(a, alice.token)).rejects.toThrow("RATE_LIMITED");
  });

  test("a client core on a node catches up by seq after its node is gone and it reconnects to another", async () => {
    const [a, b] = (await startNodes(h, 2)) as [TestServer, TestServer];
    const alice = await userOn(a);
    const bob = await h.register(a);
    const room = await ok(alice.sockets[0]!, "room:create", { name: uniqueName("f") });
    const first = await h.client(a, bob.token);
    await first.call("room:join", { roomId: room.id });
    await ok(alice.sockets[0]!, "message", { roomId: room.id, text: "before", clientId: "f1" });
    first.close();
    for (let i = 0; i < 3; i++) await ok(alice.sockets[0]!, "message", { roomId: room.id, text: `while away ${i}`, clientId: `f${i + 2}` });
    // The same user on the other node catches up from its last seq.
    const second = await ChatClient.connect({ url: b.url, token: bob.token, socket: { transports: ["websocket"], forceNew: true } });
    h.onCleanup(() => second.close());
    const caught = await second.call("history", { roomId: room.id, after: 1 });
    expect(caught.map((m) => m.text)).toEqual(["while away 0", "while away 1", "while away 2"]);
  });
});
