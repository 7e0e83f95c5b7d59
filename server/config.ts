// Configuration from the environment, validated once at start so that a bad
// value stops the server with a clear message instead of failing later.
import { resolve } from "node:path";
import { z } from "zod";
import { describeZodError } from "./errors";

export type DatabaseConfig = { kind: "sqlite"; path: string } | { kind: "mysql"; url: string };

export type Config = {
  port: number;
  host: string;
  database: DatabaseConfig;
  redisUrl: string | undefined;
  logLevel: string;
  /** Other origins allowed to call the server from a page (CORS and the session cookie). */
  corsOrigins: string[];
  trustProxy: boolean | number | string;
};

export const DEFAULT_SQLITE_PATH = "./data/chat.db";

const Port = z
  .string()
  .regex(/^\d{1,5}$/, "must be a whole number from 0 to 65535")
  .transform(Number)
  .refine((n) => n <= 65535, "must be a whole number from 0 to 65535");

const DatabaseUrl = z.string().transform((url, ctx): DatabaseConfig => {
  if (url === "sqlite::memory:") return { kind: "sqlite", path: ":memory:" };
  if (url.startsWith("sqlite:") && url.length > "sqlite:".length) return { kind: "sqlite", path: resolve(url.slice(7)) };
  if (url.startsWith("mysql://")) return { kind: "mysql", url };
  ctx.addIssue({ code: "custom", message: "must be sqlite:<path>, sqlite::memory: or mysql://user:pass@host:port/db" });
  return z.NEVER;
});

const Env = z.object({
  PORT: Port.default(3000),
  HOST: z.string().min(1, "must not be empty").default("0.0.0.0"),
  DATABASE_URL: DatabaseUrl.default({ kind: "sqlite", path: resolve(DEFAULT_SQLITE_PATH) }),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be redis://host:port")
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  CORS_ORIGINS: z
    .string()
    .transform((list) => list.split(",").map((o) => o.trim()).filter(Boolean))
    .refine((origins) => origins.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), "must be a comma-separated list of origins like https://chat.example.com")
    .default([]),
  // Express's setting: "true", a hop count, or addresses/subnets of the proxies.
  TRUST_PROXY: z
    .string()
    .transform((v): boolean | number | string => (v === "true" ? true : v === "false" ? false : /^\d+$/.test(v) ? Number(v) : v))
    .default(false),
});

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
  const parsed = Env.safeParse(given);
  if (!parsed.success) throw new ConfigError(`Bad configuration: ${describeZodError(parsed.error)}`);
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS,
    trustProxy: e.TRUST_PROXY,
  };
}
