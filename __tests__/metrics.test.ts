// GET /metrics: Prometheus text, with what the message path counts, served
// to loopback clients only unless a token is configured.
import { harness, ok, uniqueName } from "./helpers/harness";

const h = harness();

test("counts stored messages, their ack latency and the connected sockets; says whether the database answers", async () => {
  const s = await h.startServer();
  const alice = await h.user(s);
  const room = await ok(alice.socket, "room:create", { name: uniqueName("m") });
  for (let i = 0; i < 3; i++) await ok(alice.socket, "message", { roomId: room.id, text: `m${i}`, clientId: `m${i}` });
  await ok(alice.socket, "message", { roomId: room.id, text: "again", clientId: "m0" }); // a retry: not stored again
  const res = await fetch(`${s.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/text\/plain/);
  const text = await res.text();
  expect(text).toMatch(/^chat_messages_stored_total 3$/m);
  expect(text).toMatch(/^chat_ack_seconds_count\{event="message"\} 4$/m);
  expect(text).toMatch(/^chat_connected_sockets 1$/m);
  expect(text).toMatch(/^chat_dependency_up\{dependency="database"\} 1$/m);
  expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
});

test("not served to another address, nor through a proxy, nor without the token once one is set", async () => {
  const behindProxy = await h.startServer({ trustProxy: "loopback" });
  expect((await fetch(`${behindProxy.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } })).status).toBe(403);
  // A proxy on this machine that the server was not told to trust: still not a local client.
  const untrusted = await h.startServer();
  expect((await fetch(`${untrusted.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } })).status).toBe(403);
  const withToken = await h.startServer({ metricsToken: "a-long-metrics-token" });
  expect((await fetch(`${withToken.url}/metrics`)).status).toBe(403);
  expect((await fetch(`${withToken.url}/metrics`, { headers: { authorization: "Bearer a-long-metrics-token" } })).status).toBe(200);
});
