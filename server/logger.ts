// The one place logs are configured. Secrets never reach a log line: request
// headers that carry them are redacted, and no code logs bodies or tokens.
import pino, { type Logger } from "pino";

export const REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "*.password",
  "*.token",
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT, censor: "[redacted]" } });
}
