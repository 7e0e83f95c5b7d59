// What a client says in the Socket.IO handshake (its protocol version, and
// the token of a Node script; the page's cookie goes by itself), what a
// handshake the server turns down means, as a ChatError, and which refusals
// are for good (the others are tried again, after a growing pause).
import { ChatError } from "./chat-error";
import { PROTOCOL_VERSION, UNSUPPORTED_PROTOCOL, type HandshakeAuth } from "./rules";

/** The protocol version this client speaks (from rules.ts, which the page bundles without zod). */
export const CLIENT_PROTOCOL_VERSION = PROTOCOL_VERSION;
const REFUSED_VERSION = UNSUPPORTED_PROTOCOL;

export function handshakeAuth(token: string | undefined): HandshakeAuth {
  return { protocol: CLIENT_PROTOCOL_VERSION, ...(token ? { token } : {}) };
}

/** What a refused handshake means, from its `connect_error` (message: the server's code; data: what it added). */
export function refusalOf(err: Error & { data?: { supported?: number[] } }): ChatError {
  switch (err.message) {
    case "UNAUTHORIZED":
      return new ChatError("UNAUTHORIZED", "the session has ended");
    case "RATE_LIMITED":
      return new ChatError("RATE_LIMITED", "too many connections");
    case REFUSED_VERSION: {
      const supported = err.data?.supported?.join(", ") ?? "another version";
      return new ChatError(REFUSED_VERSION, `the server speaks protocol ${supported}, this client ${CLIENT_PROTOCOL_VERSION}`);
    }
    default:
      return new ChatError("NETWORK", err.message);
  }
}

/** Refusals that no retry can change. */
export const FINAL_REFUSALS = new Set<string>(["UNAUTHORIZED", REFUSED_VERSION]);

/** socket.io-client does not retry a refused handshake: this client does, after 2 s, 4 s … up to a minute, with jitter. */
export function handshakeRetryDelay(attempt: number, random = Math.random): number {
  const base = Math.min(60_000, 2000 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.8 + 0.4 * random()));
}
