// A token ends at its expiry even for a socket that stays connected, and
// expired tokens do not pile up in the database.
import type { Logger } from "pino";
import type { Accounts } from "../accounts/accounts";
import type { ChatSocket } from "./types";

// setTimeout takes at most 2^31-1 ms (about 24.8 days); tokens last 30 days.
const MAX_TIMER_MS = 2 ** 31 - 1;
const PURGE_EVERY_MS = 60 * 60 * 1000;

export function disconnectAtExpiry(socket: ChatSocket, now: () => number = Date.now): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = socket.data.expiresAt - now();
    if (left <= 0) {
      socket.disconnect(true);
      return;
    }
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  socket.once("disconnect", () => clearTimeout(timer));
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
