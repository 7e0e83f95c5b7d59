// Accounts: register, log in, log out, and turning a bearer token into a
// user. Plain functions over the storage interface; HTTP and Socket.IO only
// call them.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { Credentials, type AuthResponse, type User } from "../../common/protocol";
import { errors } from "../errors";
import { memoryLimiterStore, type LimiterStore } from "../limits";
import type { Storage } from "../storage/storage";
import { decoyHash, hashPassword, verifyPassword } from "./passwords";

export const TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;

/** Tokens are stored only as this hash, so a leaked database holds no usable token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** 32 random bytes in base64url: 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type LoginGuardOptions = {
  /** Failures per (username, address), and per address, before it is locked out for the window. */
  maxFailures: number;
  windowSeconds: number;
  /** Failures for one username, from anywhere, before each further attempt must wait. */
  failuresBeforeDelay: number;
  delayCapSeconds: number;
  store?: LimiterStore;
};

// Under 2^31 ms: the memory store expires keys with setTimeout, which cannot wait longer.
const KNOWN_ADDRESS_SECONDS = 14 * 24 * 3600;
const NO_CAP = 1_000_000_000;

/**
 * Slows down password guessing without letting a guesser lock the owner out.
 * A (username, address) pair, or an address, that fails `maxFailures` times
 * in the window is refused until the window passes, even with the right
 * password. Failures for a username from many addresses (a guesser rotating
 * them) only make each further attempt wait, doubling up to
 * `delayCapSeconds`, and an address the user has signed in from before skips
 * that wait, so the owner still gets in while someone else guesses elsewhere.
 */
export function createLoginGuard(o: LoginGuardOptions) {
  const store = o.store ?? memoryLimiterStore;
  const byPair = store({ keyPrefix: "login-pair", points: o.maxFailures, duration: o.windowSeconds });
  const byAddress = store({ keyPrefix: "login-ip", points: o.maxFailures, duration: o.windowSeconds });
  const byName = store({ keyPrefix: "login-name", points: NO_CAP, duration: o.windowSeconds });
  const delayed = store({ keyPrefix: "login-delay", points: 1, duration: o.delayCapSeconds });
  const known = store({ keyPrefix: "login-known", points: NO_CAP, duration: KNOWN_ADDRESS_SECONDS });
  const pair = (name: string, address: string) => `${name}|${address}`;
  const seconds = (res: { msBeforeNext: number }) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

  return {
    /** null when the attempt may go ahead, else how many seconds to wait. `address` is already an addressKey. */
    async blocked(username: string, address: string): Promise<number | null> {
      const name = username.toLowerCase();
      const [p, a, d, k] = await Promise.all([
        byPair.get(pair(name, address)),
        byAddress.get(address),
        delayed.get(name),
        known.get(pair(name, address)),
      ]);
      if (p && p.consumedPoints >= o.maxFailures) return seconds(p);
      if (a && a.consumedPoints >= o.maxFailures) return seconds(a);
      if (d && d.consumedPoints > 1 && !k) return seconds(d);
      return null;
    },
    async failed(username: string, address: string): Promise<void> {
      const name = username.toLowerCase();
      // consume() rejects once a limit is passed; the counts are what matter here.
      const [p, , n] = await Promise.allSettled([byPair.consume(pair(name, address)), byAddress.consume(address), byName.consume(name)]);
      const count = (r: PromiseSettledResult<{ consumedPoints: number }>) =>
        r.status === "fulfilled" ? r.value.consumedPoints : ((r.reason as { consumedPoints?: number }).consumedPoints ?? 0);
      // Failures from other addresses than this one: one address alone is held by its own lockout instead.
      const elsewhere = count(n) - count(p);
      if (elsewhere >= o.failuresBeforeDelay) {
        await delayed.block(name, Math.min(2 ** (elsewhere - o.failuresBeforeDelay), o.delayCapSeconds));
      }
    },
    async succeeded(username: string, address: string): Promise<void> {
      const name = username.toLowerCase();
      await Promise.all([
        byPair.delete(pair(name, address)),
        byName.delete(name),
        delayed.delete(name),
        known.set(pair(name, address), 1, KNOWN_ADDRESS_SECONDS),
      ]);
    },
  };
}
export type LoginGuard = ReturnType<typeof createLoginGuard>;

export type AccountsDeps = { storage: Storage; loginGuard: LoginGuard; now?: () => number; tokenTtlMs?: number };

export function createAccounts({ storage, loginGuard, now = Date.now, tokenTtlMs = TOKEN_TTL_MS }: AccountsDeps) {
  async function issueToken(user: User): Promise<AuthResponse> {
    const token = randomBytes(32).toString("base64url");
    await storage.createToken(hashToken(token), user.id, now() + tokenTtlMs);
    return { token, user };
  }

  return {
    async register(body: unknown): Promise<AuthResponse> {
      const { username, password } = Credentials.parse(body);
      const user = { id: randomUUID(), username };
      const created = await storage.createUser({ ...user, passwordHash: await hashPassword(password) }, now());
      if (!created) throw errors.conflict("That username is taken");
      return issueToken(user);
    },

    async login(body: unknown, address: string): Promise<AuthResponse> {
      const { username, password } = Credentials.parse(body);
      const wait = await loginGuard.blocked(username, address);
      if (wait !== null) throw errors.rateLimited(`Too many failed logins; try again in ${wait} s`, wait);
      const found = await storage.findUserByName(username);
      // Always hash, so an unknown user answers as slowly as a wrong password.
      const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash()));
      if (!found || !ok) {
        await loginGuard.failed(username, address);
        throw errors.wrongCredentials();
      }
      await loginGuard.succeeded(username, address);
      return issueToken({ id: found.id, username: found.username });
    },

    /** Ends this token only; returns its hash so the caller can disconnect its sockets. */
    async logout(token: string): Promise<string> {
      const tokenHash = hashToken(token);
      if (!(await storage.deleteToken(tokenHash))) throw errors.unauthorized();
      return tokenHash;
    },

    /** The user a token belongs to, or null for a missing, malformed, unknown, expired or revoked token. */
    async authenticate(token: unknown): Promise<{ user: User; tokenHash: string; expiresAt: number } | null> {
      if (typeof token !== "string" || !TOKEN_SHAPE.test(token)) return null;
      const tokenHash = hashToken(token);
      const session = await storage.findSession(tokenHash, now());
      return session ? { user: session.user, tokenHash, expiresAt: session.expiresAt } : null;
    },

    /** Deletes expired tokens, so the table holds only live sessions. */
    purgeExpired(): Promise<number> {
      return storage.purgeExpiredTokens(now());
    },
  };
}
export type Accounts = ReturnType<typeof createAccounts>;
