// The browser page's session cookie, the handshake's Origin check that keeps
// other sites from riding on it, and the page's security headers.
import { io } from "socket.io-client";
import type { ClientSocket } from "../common/client";
import { harness, PASSWORD, uniqueName } from "./helpers/harness";

const h = harness();

async function registerWithCookie(url: string) {
  const res = await fetch(`${url}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: uniqueName(), password: PASSWORD }),
  });
  const setCookie = res.headers.get("set-cookie") ?? "";
  return { setCookie, cookie: setCookie.split(";")[0]!, body: await res.json() };
}

function connectWithHeaders(url: string, headers: Record<string, string>): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: headers });
  h.onCleanup(() => void socket.close());
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

test("register sets an httpOnly, SameSite=Strict session cookie that /api/me and logout accept", async () => {
  const s = await h.startServer();
  const { setCookie, cookie, body } = await registerWithCookie(s.url);
  expect(setCookie).toMatch(/^chat_session=[A-Za-z0-9_-]{43};/);
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Strict/i);
  expect(setCookie).toMatch(/Path=\//i);
  expect(setCookie).not.toMatch(/Secure/i); // plain HTTP here; Secure is set behind TLS

  const me = await fetch(`${s.url}/api/me`, { headers: { cookie } });
  expect(await me.json()).toEqual({ user: body.user });

  // A cookie-carried POST must come from the server's own page, as a browser's carries an Origin.
  expect((await fetch(`${s.url}/api/logout`, { method: "POST", headers: { cookie } })).status).toBe(403);
  expect((await fetch(`${s.url}/api/logout`, { method: "POST", headers: { cookie, origin: "http://evil.example" } })).status).toBe(403);
  const out = await fetch(`${s.url}/api/logout`, { method: "POST", headers: { cookie, origin: s.url } });
  expect(out.status).toBe(204);
  expect(out.headers.get("set-cookie")).toMatch(/chat_session=;.*Max-Age=0/i);
  expect((await fetch(`${s.url}/api/me`, { headers: { cookie } })).status).toBe(401);
});

test("a cookie handshake from the server's own origin connects", async () => {
  const s = await h.startServer();
  const { cookie } = await registerWithCookie(s.url);
  const socket = await connectWithHeaders(s.url, { cookie, origin: s.url });
  expect(socket.connected).toBe(true);
});

test("a cookie polling handshake without Origin connects when the browser marks it same-origin", async () => {
  const s = await h.startServer();
  const { cookie } = await registerWithCookie(s.url);
  const socket: ClientSocket = io(s.url, {
    transports: ["polling"],
    reconnection: false,
    forceNew: true,
    extraHeaders: { cookie, "sec-fetch-site": "same-origin" },
  });
  h.onCleanup(() => void socket.close());
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  expect(socket.connected).toBe(true);
});

test.each([
  ["a foreign Origin (cross-site WebSocket hijacking)", { origin: "http://evil.example" }],
  ["a cross-site fetch without Origin", { "sec-fetch-site": "cross-site" }],
  ["a foreign Origin that also claims same-origin", { origin: "http://evil.example", "sec-fetch-site": "same-origin" }],
  ["no Origin at all", {}],
  ["a malformed Origin", { origin: "not a url" }],
])("a cookie handshake with %s is refused", async (_what, extra: Record<string, string>) => {
  const s = await h.startServer();
  const { cookie } = await registerWithCookie(s.url);
  await expect(connectWithHeaders(s.url, { cookie, ...extra })).rejects.toThrow("UNAUTHORIZED");
});

test("the page is served with a strict Content-Security-Policy", async () => {
  const s = await h.startServer();
  const res = await fetch(`${s.url}/`);
  expect(res.status).toBe(200);
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("upgrade-insecure-requests");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("x-powered-by")).toBeNull();
});

test("behind a TLS proxy (TRUST_PROXY), the session cookie is also Secure", async () => {
  const s = await h.startServer({ trustProxy: "loopback" });
  const res = await fetch(`${s.url}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
    body: JSON.stringify({ username: uniqueName(), password: PASSWORD }),
  });
  expect(res.headers.get("set-cookie")).toMatch(/;\s*Secure/i);
  // Without trusting the proxy, the same header is ignored.
  const direct = await h.startServer();
  const plain = await fetch(`${direct.url}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
    body: JSON.stringify({ username: uniqueName(), password: PASSWORD }),
  });
  expect(plain.headers.get("set-cookie")).not.toMatch(/Secure/i);
});

test("a page's sign-in answer leaves the token out (the cookie carries it); a script's answer carries it", async () => {
  const s = await h.startServer();
  const username = uniqueName();
  const fromPage = await fetch(`${s.url}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: s.url },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(fromPage.status).toBe(201);
  const pageBody = await fromPage.json();
  expect(pageBody).toEqual({ user: { id: expect.any(String), username } });
  const cookie = (fromPage.headers.get("set-cookie") ?? "").split(";")[0]!;
  expect((await fetch(`${s.url}/api/me`, { headers: { cookie } })).status).toBe(200);

  const pageLogin = await fetch(`${s.url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: s.url },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(Object.keys(await pageLogin.json())).toEqual(["user"]);
  const scriptLogin = await fetch(`${s.url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(await scriptLogin.json()).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), user: pageBody.user });
});

test("another site's page cannot post to the account routes at all", async () => {
  const s = await h.startServer();
  const res = await fetch(`${s.url}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://evil.example" },
    body: JSON.stringify({ username: uniqueName(), password: PASSWORD }),
  });
  expect(res.status).toBe(403);
  expect(await res.json()).toEqual({ error: { code: "FORBIDDEN", message: expect.any(String) } });
});

test("over HTTPS the session cookie takes the __Host- prefix, and is read back under it", async () => {
  const s = await h.startServer({ trustProxy: "loopback" });
  const res = await fetch(`${s.url}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
    body: JSON.stringify({ username: uniqueName(), password: PASSWORD }),
  });
  const setCookie = res.headers.get("set-cookie") ?? "";
  expect(setCookie).toMatch(/^__Host-chat_session=[A-Za-z0-9_-]{43};/);
  expect(setCookie).toMatch(/;\s*Secure/i);
  expect(setCookie).not.toMatch(/Domain=/i);
  const cookie = setCookie.split(";")[0]!;
  expect((await fetch(`${s.url}/api/me`, { headers: { cookie } })).status).toBe(200);
  const socket = await connectWithHeaders(s.url, { cookie, origin: s.url });
  expect(socket.connected).toBe(true);
});

test("an unknown page answers 404 with the page's own not-found page; an unknown API route answers JSON", async () => {
  const s = await h.startServer();
  const page = await fetch(`${s.url}/no/such/page`);
  expect(page.status).toBe(404);
  expect(page.headers.get("content-type")).toMatch(/text\/html/);
  const html = await page.text();
  expect(html).toContain("Page not found");
  expect(html).toContain('href="/"');
  const api = await fetch(`${s.url}/api/nothing-here`);
  expect(api.status).toBe(404);
  expect(await api.json()).toEqual({ error: { code: "NOT_FOUND", message: expect.any(String) } });
});
