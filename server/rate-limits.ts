// Abuse limits. Memory-backed for one node; rate-limiter-flexible has Redis
// stores with the same interface for when several nodes must share counts.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { errors } from "./errors";

export type RateLimitOptions = {
  /** Messages one user may send per window, across all of their sockets. */
  messagesPerWindow: number;
  messageWindowSeconds: number;
};

// A person typing fast sends a few messages a second at most, and a paste of
// many lines a short burst: 30 per 10 s is far above both.
export const DEFAULT_RATE_LIMITS: RateLimitOptions = { messagesPerWindow: 30, messageWindowSeconds: 10 };

export function createRateLimits(options: RateLimitOptions) {
  const messages = new RateLimiterMemory({
    keyPrefix: "messages",
    points: options.messagesPerWindow,
    duration: options.messageWindowSeconds,
  });
  return {
    /** Counts one message for the user; throws RATE_LIMITED past the limit. */
    async message(userId: string): Promise<void> {
      try {
        await messages.consume(userId);
      } catch (err) {
        if (err instanceof RateLimiterRes) throw errors.rateLimited("You are sending messages too fast");
        throw err;
      }
    },
  };
}
export type RateLimits = ReturnType<typeof createRateLimits>;
