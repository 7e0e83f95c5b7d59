// A raw socket.io-client socket, connected, and a registered user: what the
// harness, the fuzzer and the benchmark all start from. Nothing here uses
// jest, so scripts/bench can import it.
import { io } from "socket.io-client";
import { register } from "../../common/accounts-http";
import type { ClientSocket } from "../../common/client";
import type { AuthResponse } from "../../common/protocol";

export type RawSocketOptions = {
  /** socket.io-client's own reconnecting; off unless a test is about it. */
  reconnection?: boolean;
  /** More handshake auth beside the token (e.g. a protocol version). */
  auth?: Record<string, unknown>;
  /** How long the handshake may take (socket.io-client's `timeout`). */
  timeoutMs?: number;
};

/**
 * A socket with a WebSocket of its own (forceNew: as separate users would
 * have; io() would otherwise multiplex them), resolved once connected. A
 * refused or failed handshake rejects with the connect_error (its message is
 * the server's code, its `data` what the server added), the socket closed.
 */
export function openSocket(url: string, token: unknown, options: RawSocketOptions = {}): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    auth: { ...(token === undefined ? {} : { token }), ...options.auth },
    transports: ["websocket"],
    reconnection: options.reconnection ?? false,
    forceNew: true,
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Registers `username` over HTTP (the client core's call); rejects with a ChatError. */
export function registerUser(url: string, username: string, password: string): Promise<AuthResponse> {
  return register(url, { username, password });
}
