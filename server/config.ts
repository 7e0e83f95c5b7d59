// Configuration from the environment, validated once at start so that a bad
// value stops the server with a clear message instead of failing later.
import { resolve } from "node:path";
import { z } from "zod";
import { describeZodError } from "./errors";
import { DEFAULT_ABUSE_LIMITS, limitsOff, type AbuseLimits } from "./limits";

/**
 * SQLite's `durability`: "fsync" answers a write only once the WAL holds it
 * on disk (survives a power cut); "process" once the OS has it (survives a
 * crash of the server process only), saving a sync per batch. MySQL's is the
 * server's own innodb_flush_log_at_trx_commit (1 is durable; checked at start).
 */
export type Durability = "fsync" | "process";
export type DatabaseConfig = { kind: "sqlite"; path: string; durability: Durability } | { kind: "mysql"; url: string; poolSize: number };

export type Config = {
  port: number;
  host: string;
  database: DatabaseConfig;
  redisUrl: string | undefined;
  /** Prefix of every Redis key, stream and channel, so deployments can share one Redis. */
  redisPrefix: string;
  logLevel: string;
  /** Other origins allowed to call the server from a page (CORS and the session cookie). */
  corsOrigins: string[];
  trustProxy: boolean | number | string;
  /** Every abuse limit, from DEFAULT_ABUSE_LIMITS, LIMIT_* variables and RATE_LIMITS. */
  limits: AbuseLimits;
  /** RATE_LIMITS=off: every rate limit and cap is out of reach (load tests on a trusted network). */
  rateLimitsOff: boolean;
  /** With it, /metrics answers any client with this Bearer token; without it, loopback clients only. */
  metricsToken: string | undefined;
};

/** `messagesPerWindow` is set by LIMIT_MESSAGES_PER_WINDOW, and so on for every key of AbuseLimits. */
export const limitVariable = (key: keyof AbuseLimits) => `LIMIT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

const LimitValue = z
  .string()
  .regex(/^\d{1,12}$/, "must be a whole number")
  .transform(Number)
  .refine((n) => n >= 1, "must be at least 1");

export const DEFAULT_SQLITE_PATH = "./data/chat.db";

const Port = z
  .string()
  .regex(/^\d{1,5}$/, "must be a whole number from 0 to 65535")
  .transform(Number)
  .refine((n) => n <= 65535, "must be a whole number from 0 to 65535");

type ParsedUrl = { kind: "sqlite"; path: string } | { kind: "mysql"; url: string };
const DatabaseUrl = z.string().transform((url, ctx): ParsedUrl => {
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
  // Connections each node keeps to MySQL at most (SQLite has one and ignores it).
  DATABASE_POOL_SIZE: LimitValue.default(10),
  DURABILITY: z.enum(["fsync", "process"]).default("fsync"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be redis://host:port")
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1-64 characters of A-Z a-z 0-9 _ . : -")
    .default("chat:"),
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
  RATE_LIMITS: z.enum(["on", "off"]).default("on"),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  ...Object.fromEntries((Object.keys(DEFAULT_ABUSE_LIMITS) as Array<keyof AbuseLimits>).map((k) => [limitVariable(k), LimitValue.optional()])),
});

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
  const parsed = Env.safeParse(given);
  if (!parsed.success) throw new ConfigError(`Bad configuration: ${describeZodError(parsed.error)}`);
  const e = parsed.data;
  const givenLimits = Object.fromEntries(
    (Object.keys(DEFAULT_ABUSE_LIMITS) as Array<keyof AbuseLimits>)
      .map((k) => [k, (e as Record<string, unknown>)[limitVariable(k)]])
      .filter(([, v]) => v !== undefined),
  ) as Partial<AbuseLimits>;
  const rateLimitsOff = e.RATE_LIMITS === "off";
  const limits = { ...(rateLimitsOff ? limitsOff() : DEFAULT_ABUSE_LIMITS), ...givenLimits };
  if (limits.congestedQueuedBytes > limits.maxQueuedBytes) {
    throw new ConfigError(
      `Bad configuration: ${limitVariable("congestedQueuedBytes")}: must not exceed ${limitVariable("maxQueuedBytes")} (${limits.maxQueuedBytes})`,
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    database:
      e.DATABASE_URL.kind === "mysql"
        ? { ...e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
        : { ...e.DATABASE_URL, durability: e.DURABILITY },
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS,
    trustProxy: e.TRUST_PROXY,
    limits,
    rateLimitsOff,
    metricsToken: e.METRICS_TOKEN,
  };
}
