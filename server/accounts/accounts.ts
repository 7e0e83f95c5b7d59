// Accounts: register, log in, log out, and turning a bearer token into a
// user. Plain functions over the storage interface; HTTP and Socket.IO only
// call them.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { Credentials, type AuthResponse, type User } from "../../common/protocol";
import { errors } from "../errors";
import type { Storage } from "../storage/storage";
import { decoyHash, hashPassword, verifyPassword } from "./passwords";

export const TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;

/** Tokens are stored only as this hash, so a leaked database holds no usable token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** 32 random bytes in base64url: 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type LoginGuardOptions = { maxFailures: number; windowSeconds: number };

/**
 * Counts failed logins per username and per address. Once either reaches
 * the limit, every attempt is refused until the window passes, even with the
 * right password, so guessing cannot go on in the background.
 */
export function createLoginGuard({ maxFailures, windowSeconds }: LoginGuardOptions) {
  const byName = new RateLimiterMemory({ keyPrefix: "login-name", points: maxFailures, duration: windowSeconds });
  const byAddress = new RateLimiterMemory({ keyPrefix: "login-ip", points: maxFailures, duration: windowSeconds });
  return {
    async blocked(username: string, address: string): Promise<boolean> {
      const [n, a] = await Promise.all([byName.get(username.toLowerCase()), byAddress.get(address)]);
      return (n?.consumedPoints ?? 0) >= maxFailures || (a?.consumedPoints ?? 0) >= maxFailures;
    },
    async failed(username: string, address: string): Promise<void> {
      // consume() rejects once the limit is passed; the count is what matters here.
      await Promise.allSettled([byName.consume(username.toLowerCase()), byAddress.consume(address)]);
    },
    async succeeded(username: string): Promise<void> {
      await byName.delete(username.toLowerCase());
    },
  };
}
export type LoginGuard = ReturnType<typeof createLoginGuard>;

export type AccountsDeps = { storage: Storage; loginGuard: LoginGuard; now?: () => number };

export function createAccounts({ storage, loginGuard, now = Date.now }: AccountsDeps) {
  async function issueToken(user: User): Promise<AuthResponse> {
    const token = randomBytes(32).toString("base64url");
    await storage.createToken(hashToken(token), user.id, now() + TOKEN_TTL_MS);
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
      if (await loginGuard.blocked(username, address)) {
        throw errors.rateLimited("Too many failed logins; try again later");
      }
      const found = await storage.findUserByName(username);
      // Always hash, so an unknown user answers as slowly as a wrong password.
      const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash()));
      if (!found || !ok) {
        await loginGuard.failed(username, address);
        throw errors.wrongCredentials();
      }
      await loginGuard.succeeded(username);
      return issueToken({ id: found.id, username: found.username });
    },

    /** Ends this token only; returns its hash so the caller can disconnect its sockets. */
    async logout(token: string): Promise<string> {
      const tokenHash = hashToken(token);
      if (!(await storage.deleteToken(tokenHash))) throw errors.unauthorized();
      return tokenHash;
    },

    /** The user a token belongs to, or null for a missing, malformed, unknown, expired or revoked token. */
    async authenticate(token: unknown): Promise<{ user: User; tokenHash: string } | null> {
      if (typeof token !== "string" || !TOKEN_SHAPE.test(token)) return null;
      const tokenHash = hashToken(token);
      const user = await storage.findUserByToken(tokenHash, now());
      return user ? { user, tokenHash } : null;
    },
  };
}
export type Accounts = ReturnType<typeof createAccounts>;
