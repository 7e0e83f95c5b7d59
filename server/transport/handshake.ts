// The Socket.IO handshake. A client naming a protocol version this server
// does not speak is refused with UNSUPPORTED_PROTOCOL; a missing, malformed,
// unknown, expired or revoked token with UNAUTHORIZED; an address or a user
// handshaking too often, or a user already holding too many sockets, with
// RATE_LIMITED. An accepted socket is placed in its user's rooms here, before
// the client hears "connect", so it misses no broadcast.
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import proxyaddr from "proxy-addr";
import { PROTOCOL_VERSION, UNSUPPORTED_PROTOCOL } from "../../common/protocol";
import type { Accounts } from "../accounts/accounts";
import type { PresenceStore } from "../cluster/presence";
import { AppError } from "../errors";
import { addressKey, type Guards } from "../limits";
import type { Storage } from "../storage/storage";
import { isAllowedOrigin, sessionTokenFromCookies } from "./session-cookie";
import { ioRooms, type ChatServer } from "./types";

export type HandshakeDeps = {
  accounts: Accounts;
  storage: Storage;
  /** Counts each user's sockets across nodes, for the per-user cap. */
  presence: PresenceStore;
  guards: Guards;
  logger: Logger;
  socketsPerUser: number;
  /** Other origins whose pages may use the session cookie (the server's own always may). */
  allowedOrigins: string[];
  /** Express's compiled "trust proxy", so the client's address is read as the HTTP routes read it. */
  trustProxy: (address: string, hop: number) => boolean;
};

export function authenticateHandshakes(io: ChatServer, deps: HandshakeDeps): void {
  const { accounts, storage, presence, guards, logger, socketsPerUser, allowedOrigins, trustProxy } = deps;
  io.use(async (socket, next) => {
    try {
      const { headers, auth } = socket.handshake;
      // Checked before the token, so an outdated page learns to reload rather than to sign in again.
      if (auth?.protocol !== undefined && auth.protocol !== PROTOCOL_VERSION) {
        return next(Object.assign(new Error(UNSUPPORTED_PROTOCOL), { data: { supported: [PROTOCOL_VERSION] } }));
      }
      // Before any database read: a reconnect loop costs its address, then its user.
      await guards.handshakeAddress(addressKey(proxyaddr(socket.request as IncomingMessage, trustProxy)));
      // Node scripts send auth.token; the page relies on its httpOnly cookie,
      // which only counts when the handshake comes from an allowed page.
      const token =
        auth?.token ?? (isAllowedOrigin(headers, allowedOrigins) ? sessionTokenFromCookies(headers.cookie) : undefined);
      const session = await accounts.authenticate(token);
      if (!session) return next(new Error("UNAUTHORIZED"));
      await guards.handshakeUser(session.user.id);
      if ((await presence.count(session.user.id)) >= socketsPerUser) return next(new Error("RATE_LIMITED"));
      socket.data.user = session.user;
      socket.data.tokenHash = session.tokenHash;
      socket.data.expiresAt = session.expiresAt;
      const roomIds = await storage.roomIdsOf(session.user.id);
      void socket.join([ioRooms.user(session.user.id), ioRooms.token(session.tokenHash), ...roomIds.map(ioRooms.chat)]);
      next();
    } catch (err) {
      if (err instanceof AppError && err.code === "RATE_LIMITED") return next(new Error("RATE_LIMITED"));
      logger.error({ err }, "handshake failed");
      next(new Error("INTERNAL"));
    }
  });
}
