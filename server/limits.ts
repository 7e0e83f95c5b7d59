// Abuse limits, all in one place with their defaults (SECURITY.md explains
// each). Counting uses rate-limiter-flexible: memory stores for one node, its
// Redis stores when several nodes must share counts (pass `store`). Every
// count is keyed by user or by address, never by socket, so reconnecting
// starts nothing afresh.
import ipaddr from "ipaddr.js";
import { RateLimiterMemory, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract } from "rate-limiter-flexible";
import { errors } from "./errors";

export type AbuseLimits = {
  /** Messages, edits and deletes one user may send per window, across all of their sockets. */
  messagesPerWindow: number;
  messageWindowSeconds: number;
  /** Every other event one user may send per window across their sockets, malformed ones and typing included. */
  eventsPerWindow: number;
  eventWindowSeconds: number;
  /** Searches per user per window (each costs index reads). */
  searchesPerWindow: number;
  searchWindowSeconds: number;
  /** People suggestions (people:suggest) per user per window: one per keystroke or so. */
  suggestionsPerWindow: number;
  suggestionWindowSeconds: number;
  /** Looking a user up by name (contacts:add, dm:open, room:invite) per user per window, so names cannot be enumerated. */
  lookupsPerWindow: number;
  lookupWindowSeconds: number;
  /** Rooms one user may create per hour, and in all. */
  roomCreatesPerHour: number;
  roomsPerUser: number;
  /** Accounts created from one address per hour. */
  registrationsPerHour: number;
  /** Login attempts, right or wrong, from one address per minute (each costs a slow hash). */
  loginsPerMinute: number;
  /** Failed logins per (username, address), and per address, before that pair or address is locked out for the window. */
  loginFailures: number;
  loginFailureWindowSeconds: number;
  /** Failed logins for one username, from anywhere, before each further attempt waits (1 s, 2 s, 4 s … up to the cap). */
  loginFailuresBeforeDelay: number;
  loginDelayCapSeconds: number;
  /** Socket handshakes per user and per address per minute (each reads the database and joins rooms). */
  handshakesPerUserPerMinute: number;
  handshakesPerAddressPerMinute: number;
  /** Sockets one user may hold at once, across all nodes. */
  socketsPerUser: number;
  /** Bytes waiting for a socket that does not read; past this it is disconnected. */
  maxQueuedBytes: number;
  /** Past this backlog a socket gets RATE_LIMITED instead of answers to history, search and list requests. */
  congestedQueuedBytes: number;
};

// A person types a few messages a second at most, and pastes in short bursts:
// 30 per 10 s is far above both. 300 other events per 10 s leaves a user with
// several tabs room to catch up dozens of rooms at once after a reconnect.
export const DEFAULT_ABUSE_LIMITS: AbuseLimits = {
  messagesPerWindow: 30,
  messageWindowSeconds: 10,
  eventsPerWindow: 300,
  eventWindowSeconds: 10,
  searchesPerWindow: 10,
  searchWindowSeconds: 10,
  suggestionsPerWindow: 50,
  suggestionWindowSeconds: 10,
  lookupsPerWindow: 30,
  lookupWindowSeconds: 300,
  roomCreatesPerHour: 20,
  roomsPerUser: 100,
  registrationsPerHour: 50,
  loginsPerMinute: 30,
  loginFailures: 20,
  loginFailureWindowSeconds: 15 * 60,
  loginFailuresBeforeDelay: 5,
  loginDelayCapSeconds: 60,
  handshakesPerUserPerMinute: 60,
  handshakesPerAddressPerMinute: 300,
  socketsPerUser: 20,
  maxQueuedBytes: 4 * 1024 * 1024,
  congestedQueuedBytes: 1024 * 1024,
};

/**
 * What `RATE_LIMITS=off` sets, for load tests on a trusted network: every
 * rate and cap out of reach. The slow-consumer bound stays, since it guards
 * the server's memory rather than fairness.
 */
export function limitsOff(base: AbuseLimits = DEFAULT_ABUSE_LIMITS): AbuseLimits {
  const off = Object.fromEntries(Object.keys(base).map((k) => [k, 1_000_000_000])) as AbuseLimits;
  return {
    ...off,
    messageWindowSeconds: 1,
    eventWindowSeconds: 1,
    searchWindowSeconds: 1,
    lookupWindowSeconds: 1,
    suggestionWindowSeconds: 1,
    loginFailureWindowSeconds: 1,
    loginDelayCapSeconds: 1,
    maxQueuedBytes: base.maxQueuedBytes,
    congestedQueuedBytes: base.congestedQueuedBytes,
  };
}

/**
 * The key an address is counted under. One IPv6 host is usually given a whole
 * /64, so a per-address limit counts the /64, not each address in it; an
 * IPv4-mapped IPv6 address counts as its IPv4 address.
 */
export function addressKey(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return `other:${address ?? "unknown"}`;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(":")}::/64`;
}

export type LimiterStore = (options: IRateLimiterOptions) => RateLimiterAbstract;
export const memoryLimiterStore: LimiterStore = (options) => new RateLimiterMemory(options);

/** A counter that throws RATE_LIMITED with `message` once `points` are used up within `duration` seconds. */
function limiter(store: LimiterStore, keyPrefix: string, points: number, duration: number, message: string) {
  const counter = store({ keyPrefix, points, duration });
  return async (key: string): Promise<void> => {
    try {
      await counter.consume(key);
    } catch (err) {
      // consume() rejects with a RateLimiterRes when over the limit, or an Error when the store fails.
      if (err instanceof RateLimiterRes) throw errors.rateLimited(message);
      throw err;
    }
  };
}

export function createGuards(limits: AbuseLimits, store: LimiterStore = memoryLimiterStore) {
  const l = limits;
  return {
    message: limiter(store, "messages", l.messagesPerWindow, l.messageWindowSeconds, "You are sending messages too fast"),
    event: limiter(store, "events", l.eventsPerWindow, l.eventWindowSeconds, "Too many requests; slow down"),
    search: limiter(store, "search", l.searchesPerWindow, l.searchWindowSeconds, "Too many searches; wait a few seconds"),
    suggest: limiter(store, "suggest", l.suggestionsPerWindow, l.suggestionWindowSeconds, "Too many suggestions asked for; slow down"),
    lookup: limiter(store, "lookup", l.lookupsPerWindow, l.lookupWindowSeconds, "Too many look-ups of usernames; try later"),
    roomCreate: limiter(store, "room-create", l.roomCreatesPerHour, 3600, "Too many rooms created; try again later"),
    register: limiter(store, "register", l.registrationsPerHour, 3600, "Too many accounts created from this address; try later"),
    login: limiter(store, "login", l.loginsPerMinute, 60, "Too many login attempts; try again in a minute"),
    handshakeUser: limiter(store, "handshake-user", l.handshakesPerUserPerMinute, 60, "RATE_LIMITED"),
    handshakeAddress: limiter(store, "handshake-ip", l.handshakesPerAddressPerMinute, 60, "RATE_LIMITED"),
  };
}
export type Guards = ReturnType<typeof createGuards>;
