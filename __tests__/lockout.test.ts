// Login lockout that a guesser cannot turn against the account's owner, and
// per-address limits that count an IPv6 /64 as one address. Addresses are
// given through X-Forwarded-For to a server that trusts its loopback proxy.
import { harness, PASSWORD, uniqueName } from "./helpers/harness";

const h = harness();

async function login(url: string, username: string, password: string, from: string) {
  const res = await fetch(`${url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": from },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, retryAfter: res.headers.get("retry-after") };
}

const behindProxy = (limits = {}) => h.startServer({ trustProxy: "loopback", limits });
/** An address in its own /64: 2001:db8:0:<n>::1. */
const ownNet = (n: number) => `2001:db8:0:${n.toString(16)}::1`;

test("20 failures from one address lock that name there, even with the right password; elsewhere it still signs in", async () => {
  const s = await behindProxy();
  const { user } = await h.register(s);
  for (let i = 0; i < 20; i++) expect((await login(s.url, user.username, `wrong password ${i}`, "203.0.113.7")).status).toBe(401);
  const locked = await login(s.url, user.username, PASSWORD, "203.0.113.7");
  expect(locked.status).toBe(429);
  expect(Number(locked.retryAfter)).toBeGreaterThan(60);
  expect((await login(s.url, user.username, PASSWORD, "198.51.100.9")).status).toBe(200);
});

test("a guesser rotating addresses makes each further attempt wait; the owner at a known address is never kept out", async () => {
  const s = await behindProxy();
  const { user } = await h.register(s);
  // The owner has signed in from home before.
  const home = "2001:db8:aaaa:1::5";
  expect((await login(s.url, user.username, PASSWORD, home)).status).toBe(200);
  // Six guesses, each from another /64: from the sixth on, each failure sets a wait for the name.
  for (let n = 1; n <= 6; n++) expect((await login(s.url, user.username, `guessed password ${n}`, ownNet(n))).status).toBe(401);
  const waiting = await login(s.url, user.username, "guessed password 7", ownNet(7));
  expect(waiting.status).toBe(429);
  expect(waiting.retryAfter).toBe("1");
  // Even the right password waits from an address never used before...
  expect((await login(s.url, user.username, PASSWORD, ownNet(8))).status).toBe(429);
  // ...but not from the owner's own address (another address in the same /64 is the same place).
  expect((await login(s.url, user.username, PASSWORD, "2001:db8:aaaa:1::77")).status).toBe(200);
});

test("per-address limits count a whole IPv6 /64 as one address, and an IPv4-mapped address as its IPv4", async () => {
  const s = await behindProxy({ loginFailures: 3, registrationsPerHour: 2 });
  const { user } = await h.register(s);
  // Three failures for three different names from three addresses of one /64 lock the /64.
  for (const [i, from] of ["2001:db8:5:5::1", "2001:db8:5:5::2", "2001:db8:5:5:ffff::3"].entries()) {
    expect((await login(s.url, uniqueName("nobody"), `wrong password ${i}`, from)).status).toBe(401);
  }
  expect((await login(s.url, user.username, PASSWORD, "2001:db8:5:5::99")).status).toBe(429);
  expect((await login(s.url, user.username, PASSWORD, "2001:db8:5:6::1")).status).toBe(200);

  const register = (from: string) =>
    fetch(`${s.url}/api/register`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": from },
      body: JSON.stringify({ username: uniqueName(), password: PASSWORD }),
    }).then((r) => r.status);
  expect(await register("192.0.2.10")).toBe(201);
  expect(await register("::ffff:192.0.2.10")).toBe(201);
  expect(await register("192.0.2.10")).toBe(429);
  expect(await register("2001:db8:9:9::1")).toBe(201);
  expect(await register("2001:db8:9:9::2")).toBe(201);
  expect(await register("2001:db8:9:9:1:2:3:4")).toBe(429);
});
