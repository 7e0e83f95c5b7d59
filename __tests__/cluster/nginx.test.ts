// The shipped nginx configuration (scripts/deploy/nginx.conf) in front of
// three node processes, with clients that start on polling and upgrade, as
// the page does. Debian's nginx is installed by .ci/run; where it is absent
// this file is skipped, saying so.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ChatClient } from "../../common/client";
import type { Message } from "../../common/protocol";
import { harness, tempDir, uniqueName } from "../helpers/harness";
import { describeNodes } from "../helpers/nodes";
import { freePort, PROJECT_ROOT, spawnServer, type ServerProcess } from "../helpers/process";
import { dropPrefix, REDIS_URL, uniquePrefix } from "../helpers/redis";

const h = harness();
const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));
const PASSWORD = "correct horse battery";

/** Polls a condition (no event tells when nginx or a node accepts connections), for at most `ms`. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

/** The shipped file, with the nodes' ports and a free listen port, under an nginx of the test's own. */
async function startNginx(nodes: ServerProcess[]): Promise<string> {
  const dir = tempDir();
  h.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  for (const sub of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(dir, sub));
  const port = await freePort();
  let upstream = 0;
  const site = readFileSync(join(PROJECT_ROOT, "scripts", "deploy", "nginx.conf"), "utf8")
    .replace(/server 127\.0\.0\.1:300\d/g, () => `server 127.0.0.1:${nodes[upstream++]!.port}`)
    .replace("listen 8080;", `listen 127.0.0.1:${port};`);
  expect(upstream).toBe(3);
  writeFileSync(join(dir, "chat.conf"), site);
  writeFileSync(
    join(dir, "nginx.conf"),
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  include ${dir}/chat.conf;
}
`,
  );
  const nginx = spawn(NGINX!, ["-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off;"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  nginx.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  h.onCleanup(async () => {
    if (nginx.exitCode !== null) return;
    const exited = new Promise((done) => nginx.once("exit", done));
    nginx.kill("SIGTERM");
    await exited;
  });
  const url = `http://127.0.0.1:${port}`;
  await until(`nginx on ${url} (${stderr})`, async () => ((await fetch(`${url}/healthz`)).status === 200 ? true : undefined));
  return url;
}

async function threeNodes(): Promise<ServerProcess[]> {
  const prefix = uniquePrefix();
  h.onCleanup(() => dropPrefix(REDIS_URL!, prefix));
  const data = await h.freshData();
  return Promise.all(
    [0, 1, 2].map(() =>
      spawnServer({
        databaseUrl: data.databaseUrl,
        onCleanup: h.onCleanup,
        env: { REDIS_URL, REDIS_PREFIX: prefix, TRUST_PROXY: "loopback" },
        startTimeoutMs: 30_000,
      }),
    ),
  );
}

/** A client as the page makes one: polling first, then the upgrade. */
async function pageLikeClient(url: string, username: string, register: boolean): Promise<ChatClient> {
  const { client } = await ChatClient.connectAs(url, { username, password: PASSWORD, register }, { socket: { forceNew: true } });
  h.onCleanup(() => client.close());
  return client;
}

const describeNginx = NGINX ? describeNodes : (title: string, body: () => void) => {
  console.warn(`${title}: skipped: nginx is not installed (.ci/run installs Debian's nginx)`);
  describe.skip(title, body);
};

describeNginx("nginx in front of three nodes", () => {
  test("polling-first clients through nginx chat with each other and with a client of another node; the transport upgrades", async () => {
    const nodes = await threeNodes();
    const lb = await startNginx(nodes);
    const alice = await pageLikeClient(lb, uniqueName("alice"), true);
    const bob = await pageLikeClient(lb, uniqueName("bob"), true);
    // Sticky by address: nginx sends every client of this test to one node; find another for carol.
    const servedBy = (await fetch(`${lb}/healthz`)).headers.get("x-chat-node");
    const ids = await Promise.all(nodes.map(async (n) => (await fetch(`${n.url}/healthz`)).headers.get("x-chat-node")));
    const elsewhere = nodes[ids.findIndex((id) => id !== servedBy)]!;
    const carolName = uniqueName("carol");
    await pageLikeClient(lb, carolName, true).then((c) => c.close());
    const carol = await pageLikeClient(elsewhere.url, carolName, false);

    const room = await alice.call("room:create", { name: uniqueName("lb") });
    await bob.call("room:join", { roomId: room.id });
    await carol.call("room:join", { roomId: room.id });
    const heard = (client: ChatClient, text: string) =>
      new Promise<Message>((resolve) => {
        const stop = client.onMessage((m) => m.text === text && (stop(), resolve(m)));
      });
    const toBoth = [heard(bob, "through nginx"), heard(carol, "through nginx")];
    await alice.send(room.id, "through nginx");
    expect((await Promise.all(toBoth)).map((m) => m.seq)).toEqual([1, 1]);
    const back = heard(alice, "from another node");
    await carol.send(room.id, "from another node");
    expect((await back).seq).toBe(2);
    // Metrics are not for the world.
    expect((await fetch(`${lb}/metrics`)).status).toBe(403);
    const engine = alice.socket.io.engine;
    await until("the upgrade to WebSocket", async () => (engine.transport.name === "websocket" ? true : undefined));
  });

  test("the node a client is on dies: nginx sends its reconnect to a survivor, and it catches up by seq", async () => {
    const nodes = await threeNodes();
    const lb = await startNginx(nodes);
    const alice = await pageLikeClient(lb, uniqueName("alice"), true);
    const servedBy = (await fetch(`${lb}/healthz`)).headers.get("x-chat-node");
    const ids = await Promise.all(nodes.map(async (n) => (await fetch(`${n.url}/healthz`)).headers.get("x-chat-node")));
    const victim = nodes[ids.indexOf(servedBy)]!;
    const survivor = nodes[ids.findIndex((id) => id !== servedBy)]!;
    const bobName = uniqueName("bob");
    await pageLikeClient(lb, bobName, true).then((c) => c.close());
    const bob = await pageLikeClient(survivor.url, bobName, false);
    const room = await alice.call("room:create", { name: uniqueName("fail") });
    await bob.call("room:join", { roomId: room.id });
    const seen: Message[] = [];
    alice.onMessage((m) => m.roomId === room.id && seen.push(m));
    await bob.send(room.id, "one");
    const reconnected = new Promise<void>((resolve) => {
      const stop = alice.onConnectionChange((change) => change.state === "reconnected" && (stop(), resolve()));
    });
    await victim.kill("SIGKILL");
    await bob.send(room.id, "two while alice reconnects");
    await reconnected;
    await bob.send(room.id, "three");
    await until("alice's catch-up", async () => (seen.length >= 3 ? true : undefined));
    expect(seen.map((m) => m.text)).toEqual(["one", "two while alice reconnects", "three"]);
    expect((await fetch(`${lb}/healthz`)).headers.get("x-chat-node")).not.toBe(servedBy);
  });
});
