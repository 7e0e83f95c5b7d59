// What a client says in the Socket.IO handshake (its protocol version, and
// the token of a Node script; the page's cookie goes by itself), and what a
// handshake the server turns down for good means, as a ChatError.
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
