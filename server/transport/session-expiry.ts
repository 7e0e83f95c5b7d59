// A token ends at its expiry even for a socket that stays connected, and
// expired tokens do not pile up in the database. One sweep per node checks
// every socket (no timer per socket: a node holds thousands of them).
import type { Logger } from "pino";
import type { Accounts } from "../accounts/accounts";
import type { ChatServer } from "./types";

const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Disconnects this node's sockets whose token has expired, every `everyMs`; returns the function that stops it. */
export function disconnectAtExpiry(io: ChatServer, everyMs: number, now: () => number = Date.now): () => void {
  const timer = setInterval(() => {
    const t = now();
    for (const socket of io.of("/").sockets.values()) if (socket.data.expiresAt <= t) socket.disconnect(true);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Purges at start and then hourly; returns the function that stops it. */
export function purgeExpiredTokens(accounts: Accounts, logger: Logger): () => void {
  const purge = () =>
    accounts.purgeExpired().then(
      (count) => count > 0 && logger.info({ count }, "expired tokens purged"),
      (err: unknown) => logger.warn({ err }, "purging expired tokens failed"),
    );
  void purge();
  const timer = setInterval(() => void purge(), PURGE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
