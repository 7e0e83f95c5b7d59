// Accounts over HTTP and the socket handshake, against the real server.
import { harness, next, ok, PASSWORD, uniqueName } from "./helpers/harness";

const h = harness();

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe("register", () => {
  test("answers 201 with a token and the user", async () => {
    const s = await h.startServer();
    const username = uniqueName();
    const r = await post(s.url, "/api/register", { username, password: PASSWORD });
    expect(r.status).toBe(201);
    expect(r.body.user).toEqual({ id: expect.any(String), username });
    expect(typeof r.body.token).toBe("string");
  });

  test("a taken name, ignoring case, answers 409 CONFLICT", async () => {
    const s = await h.startServer();
    const username = uniqueName("Case");
    await h.register(s, username);
    const r = await post(s.url, "/api/register", { username: username.toUpperCase(), password: PASSWORD });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("CONFLICT");
  });

  test.each([
    ["too short a name", { username: "ab", password: PASSWORD }],
    ["too long a name", { username: "a".repeat(33), password: PASSWORD }],
    ["a name with a space", { username: "a b c", password: PASSWORD }],
    ["a non-ASCII name", { username: "zoë_name", password: PASSWORD }],
    ["too short a password", { username: "valid_name", password: "1234567" }],
    ["too long a password", { username: "valid_name", password: "x".repeat(257) }],
    ["a numeric password", { username: "valid_name", password: 12345678 }],
    ["no body fields", {}],
  ])("%s answers 400 BAD_REQUEST", async (_what, body) => {
    const s = await h.startServer();
    const r = await post(s.url, "/api/register", body);
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: "BAD_REQUEST", message: expect.any(String) });
  });

  test("password length is counted in code points: 8 emoji are a valid password", async () => {
    const s = await h.startServer();
    const r = await post(s.url, "/api/register", { username: uniqueName(), password: "😀".repeat(8) });
    expect(r.status).toBe(201);
  });

  test("malformed JSON answers 400 with the error body", async () => {
    const s = await h.startServer();
    const r = await post(s.url, "/api/register", "{not json");
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("BAD_REQUEST");
  });
});

describe("login, me, logout", () => {
  test("login answers a fresh token that /api/me accepts", async () => {
    const s = await h.startServer();
    const { user } = await h.register(s);
    const r = await post(s.url, "/api/login", { username: user.username.toUpperCase(), password: PASSWORD });
    expect(r.status).toBe(200);
    expect(r.body.user).toEqual(user);
    const me = await fetch(`${s.url}/api/me`, { headers: { authorization: `Bearer ${r.body.token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ user });
  });

  test("a wrong password and an unknown user get the same 401 answer", async () => {
    const s = await h.startServer();
    const { user } = await h.register(s);
    const wrong = await post(s.url, "/api/login", { username: user.username, password: "not the password" });
    const unknown = await post(s.url, "/api/login", { username: uniqueName("nobody"), password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe("UNAUTHORIZED");
  });

  test("/api/me without, or with a bad, token answers 401", async () => {
    const s = await h.startServer();
    const variants: Record<string, string>[] = [{}, { authorization: "Bearer nope" }, { authorization: "Basic abc" }];
    for (const headers of variants) {
      const r = await fetch(`${s.url}/api/me`, { headers });
      expect(r.status).toBe(401);
      expect((await r.json()).error.code).toBe("UNAUTHORIZED");
    }
  });

  test("logout ends that token only and disconnects its sockets", async () => {
    const s = await h.startServer();
    const { user, token: first } = await h.register(s);
    const second = (await post(s.url, "/api/login", { username: user.username, password: PASSWORD })).body.token as string;
    const doomed = await h.connect(s, first);
    const survivor = await h.connect(s, second);
    const disconnected = new Promise<string>((resolve) => doomed.once("disconnect", resolve));

    const r = await post(s.url, "/api/logout", undefined, { authorization: `Bearer ${first}` });
    expect(r.status).toBe(204);
    expect(await disconnected).toBe("io server disconnect");
    expect(survivor.connected).toBe(true);

    const me = await fetch(`${s.url}/api/me`, { headers: { authorization: `Bearer ${first}` } });
    expect(me.status).toBe(401);
    await expect(h.connect(s, first)).rejects.toThrow("UNAUTHORIZED");
    const again = await post(s.url, "/api/logout", undefined, { authorization: `Bearer ${first}` });
    expect(again.status).toBe(401);
    const stillMe = await fetch(`${s.url}/api/me`, { headers: { authorization: `Bearer ${second}` } });
    expect(stillMe.status).toBe(200);
  });

  test("a token stays valid across a server restart", async () => {
    const first = await h.startServer();
    const { token, user } = await h.register(first);
    await first.close();
    const second = await h.startServer({ data: first.data });
    const me = await fetch(`${second.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toEqual({ user });
    const socket = await h.connect(second, token);
    expect(socket.connected).toBe(true);
  });

  test("after 20 failed logins for a name, even the right password answers 429", async () => {
    const s = await h.startServer();
    const { user } = await h.register(s);
    for (let i = 0; i < 20; i++) {
      const r = await post(s.url, "/api/login", { username: user.username, password: `wrong password ${i}` });
      expect(r.status).toBe(401);
    }
    const locked = await post(s.url, "/api/login", { username: user.username, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("RATE_LIMITED");
  });
});

describe("socket handshake", () => {
  test.each([
    ["missing", undefined],
    ["malformed", { not: "a token" }],
    ["unknown", "A".repeat(43)],
    ["empty", ""],
  ])("a %s token fails with connect_error UNAUTHORIZED", async (_what, token) => {
    const s = await h.startServer();
    await expect(h.connect(s, token)).rejects.toThrow("UNAUTHORIZED");
  });

  test("a client naming a protocol version the server does not speak is refused with UNSUPPORTED_PROTOCOL; v1 and no version connect", async () => {
    const s = await h.startServer();
    const alice = await h.register(s);
    const refused = await h.connect(s, alice.token, { auth: { protocol: 2 } }).then(
      () => null,
      (err: Error & { data?: unknown }) => err,
    );
    expect(refused?.message).toBe("UNSUPPORTED_PROTOCOL");
    expect(refused?.data).toEqual({ supported: [1] });
    expect((await h.connect(s, alice.token, { auth: { protocol: 1 } })).connected).toBe(true);
    expect((await h.connect(s, alice.token)).connected).toBe(true);
  });

  test("a valid token connects, and every socket of the user gets the user's events", async () => {
    const s = await h.startServer();
    const alice = await h.user(s);
    const secondTab = await h.connect(s, alice.token);
    const room = await ok(alice.socket, "room:create", { name: uniqueName("room") });
    // Both tabs were placed in the new room: a message reaches both.
    const inTab = next(secondTab, "message");
    await ok(alice.socket, "message", { roomId: room.id, text: "hi both tabs", clientId: "c1" });
    expect((await inTab).text).toBe("hi both tabs");
  });
});

describe("health", () => {
  test("GET /healthz answers 200 ok, and 503 once the database is closed", async () => {
    const s = await h.startServer();
    const ok = await fetch(`${s.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok" });
    await s.storage.close();
    const down = await fetch(`${s.url}/healthz`);
    expect(down.status).toBe(503);
  });
});
