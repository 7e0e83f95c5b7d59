// No password, token or session header may reach a log line, even at the
// most verbose level.
import { Writable } from "node:stream";
import pino from "pino";
import { REDACT } from "../server/logger";
import { harness, ok, PASSWORD, uniqueName } from "./helpers/harness";

const h = harness();

test("a register / login / me / socket / logout session logs no password or token", async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: "trace", redact: { paths: REDACT, censor: "[redacted]" } }, sink);
  const s = await h.startServer({ logger });
  const password = `${PASSWORD} ${uniqueName()}`;
  const username = uniqueName("logged");
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${s.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  const { token: first } = await (await post("/api/register", { username, password })).json();
  const { token } = await (await post("/api/login", { username, password })).json();
  await post("/api/login", { username, password: "wrong password!" });
  await fetch(`${s.url}/api/me`, { headers: { authorization: `Bearer ${token}`, cookie: `session=${token}` } });
  const socket = await h.connect(s, token);
  await ok(socket, "room:create", { name: uniqueName("logged-room") });
  await post("/api/logout", {}, first);

  const log = lines.join("");
  expect(lines.length).toBeGreaterThan(3);
  expect(log).toContain("[redacted]");
  for (const secret of [password, first, token, "wrong password!"]) expect(log).not.toContain(secret);
});
