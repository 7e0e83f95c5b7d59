// The Socket.IO handshake. A missing, malformed, unknown or revoked token is
// refused with the message the protocol names (UNAUTHORIZED); a user already
// holding too many sockets is refused with RATE_LIMITED. An accepted socket is
// placed in its user's rooms here, before the client hears "connect", so it
// misses no broadcast.
import type { Logger } from "pino";
import type { Accounts } from "../accounts/accounts";
import { PROTOCOL_VERSION, UNSUPPORTED_PROTOCOL } from "../../common/protocol";
import type { Storage } from "../storage/storage";
import { isAllowedOrigin, sessionTokenFromCookies } from "./session-cookie";
import { ioRooms, type ChatServer } from "./types";

export type HandshakeDeps = {
  accounts: Accounts;
  storage: Storage;
  logger: Logger;
  socketsPerUser: number;
  /** Other origins whose pages may use the session cookie (the server's own always may). */
  allowedOrigins: string[];
};

export function authenticateHandshakes(io: ChatServer, { accounts, storage, logger, socketsPerUser, allowedOrigins }: HandshakeDeps): void {
  io.use(async (socket, next) => {
    try {
      const { headers, auth } = socket.handshake;
      // Checked before the token, so an outdated page learns to reload rather than to sign in again.
      if (auth?.protocol !== undefined && auth.protocol !== PROTOCOL_VERSION) {
        return next(Object.assign(new Error(UNSUPPORTED_PROTOCOL), { data: { supported: [PROTOCOL_VERSION] } }));
      }
      // Node scripts send auth.token; the page relies on its httpOnly cookie,
      // which only counts when the handshake comes from an allowed page.
      const token =
        auth?.token ?? (isAllowedOrigin(headers, allowedOrigins) ? sessionTokenFromCookies(headers.cookie) : undefined);
      const session = await accounts.authenticate(token);
      if (!session) return next(new Error("UNAUTHORIZED"));
      const held = await io.in(ioRooms.user(session.user.id)).fetchSockets();
      if (held.length >= socketsPerUser) return next(new Error("RATE_LIMITED"));
      socket.data.user = session.user;
      socket.data.tokenHash = session.tokenHash;
      const roomIds = await storage.roomIdsOf(session.user.id);
      void socket.join([ioRooms.user(session.user.id), ioRooms.token(session.tokenHash), ...roomIds.map(ioRooms.chat)]);
      next();
    } catch (err) {
      logger.error({ err }, "handshake failed");
      next(new Error("INTERNAL"));
    }
  });
}
