// Abuse limits, all in one place with their defaults (SECURITY.md explains
// them). Counting uses rate-limiter-flexible: memory stores for one node; its
// Redis stores share the same interface for when several nodes must share
// counts (pass `store`).
import { RateLimiterMemory, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract } from "rate-limiter-flexible";
import { errors } from "./errors";

export type AbuseLimits = {
  /** Messages one user may send per window, across all of their sockets. */
  messagesPerWindow: number;
  messageWindowSeconds: number;
  /** Every other event, per socket (a flood of anything, valid or not). */
  eventsPerWindow: number;
  eventWindowSeconds: number;
  /** Accounts created from one address per hour. */
  registrationsPerHour: number;
  /** Login attempts, right or wrong, from one address per minute (each costs a slow hash). */
  loginsPerMinute: number;
  /** Failed logins per username, and per address, before the lockout. */
  loginFailures: number;
  loginFailureWindowSeconds: number;
  /** Sockets one user may hold at once, across all nodes. */
  socketsPerUser: number;
  /** Packets waiting for a socket that does not read; past this it is disconnected. */
  maxQueuedPackets: number;
};

// A person types a few messages a second at most, and pastes in short bursts:
// 30 messages per 10 s is far above both. 100 other events per 5 s leaves a
// reconnecting client room to catch up dozens of rooms at once.
export const DEFAULT_ABUSE_LIMITS: AbuseLimits = {
  messagesPerWindow: 30,
  messageWindowSeconds: 10,
  eventsPerWindow: 100,
  eventWindowSeconds: 5,
  registrationsPerHour: 50,
  loginsPerMinute: 30,
  loginFailures: 20,
  loginFailureWindowSeconds: 15 * 60,
  socketsPerUser: 20,
  maxQueuedPackets: 1000,
};

export type LimiterStore = (options: IRateLimiterOptions) => RateLimiterAbstract;
const memoryStore: LimiterStore = (options) => new RateLimiterMemory(options);

export function createGuards(limits: AbuseLimits, store: LimiterStore = memoryStore) {
  const limiter = (keyPrefix: string, points: number, duration: number) => {
    const counter = store({ keyPrefix, points, duration });
    return async (key: string, message: string): Promise<void> => {
      try {
        await counter.consume(key);
      } catch (err) {
        // consume() rejects with a RateLimiterRes when over the limit, or an Error when the store fails.
        if (err instanceof RateLimiterRes) throw errors.rateLimited(message);
        throw err;
      }
    };
  };
  const messages = limiter("messages", limits.messagesPerWindow, limits.messageWindowSeconds);
  const events = limiter("events", limits.eventsPerWindow, limits.eventWindowSeconds);
  const registrations = limiter("register", limits.registrationsPerHour, 3600);
  const logins = limiter("login", limits.loginsPerMinute, 60);
  return {
    message: (userId: string) => messages(userId, "You are sending messages too fast"),
    event: (socketId: string) => events(socketId, "Too many requests; slow down"),
    register: (address: string) => registrations(address, "Too many accounts created from this address; try later"),
    login: (address: string) => logins(address, "Too many login attempts; try again in a minute"),
  };
}
export type Guards = ReturnType<typeof createGuards>;
