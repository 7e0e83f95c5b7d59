// The one error class of the client side: a call the server refused (with a
// protocol code), no answer in time, no connection at all, or a server that
// does not speak this client's protocol version. HTTP account calls and
// socket calls reject with it alike, so a caller reads `code` and nothing else.
import type { ErrorCode } from "./protocol";

export type ClientErrorCode = ErrorCode | "TIMEOUT" | "NETWORK" | "UNSUPPORTED_PROTOCOL";

export class ChatError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    /** The HTTP status of a refused account call (0: the server could not be reached); undefined for socket calls. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "ChatError";
  }
}

/** The code of anything a call can throw; what is not a ChatError counts as a network failure. */
export function errorCode(err: unknown): ClientErrorCode {
  return err instanceof ChatError ? err.code : "NETWORK";
}
