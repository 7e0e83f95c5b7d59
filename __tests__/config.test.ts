// Configuration is validated at start, with a message that names the variable.
import { resolve } from "node:path";
import { ConfigError, DEFAULT_SQLITE_PATH, limitVariable, loadConfig } from "../server/config";
import { DEFAULT_ABUSE_LIMITS } from "../server/limits";

describe("loadConfig", () => {
  test("defaults: port 3000, all interfaces, SQLite under ./data, one node", () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: "0.0.0.0",
      database: { kind: "sqlite", path: resolve(DEFAULT_SQLITE_PATH), durability: "fsync" },
      redisUrl: undefined,
      redisPrefix: "chat:",
      logLevel: "info",
      corsOrigins: [],
      trustProxy: false,
      limits: DEFAULT_ABUSE_LIMITS,
      rateLimitsOff: false,
      metricsToken: undefined,
    });
  });

  test("every abuse limit can be set as LIMIT_<NAME>; RATE_LIMITS=off lifts every rate and cap but the slow-consumer bound", () => {
    expect(limitVariable("messagesPerWindow")).toBe("LIMIT_MESSAGES_PER_WINDOW");
    for (const key of Object.keys(DEFAULT_ABUSE_LIMITS) as Array<keyof typeof DEFAULT_ABUSE_LIMITS>) {
      // The two queue marks must stay in order: the congested mark at most the bound.
      const value = key === "congestedQueuedBytes" ? DEFAULT_ABUSE_LIMITS.maxQueuedBytes : key === "maxQueuedBytes" ? 8 << 20 : 12345;
      expect(loadConfig({ [limitVariable(key)]: String(value) }).limits[key]).toBe(value);
    }
    const off = loadConfig({ RATE_LIMITS: "off" });
    expect(off.rateLimitsOff).toBe(true);
    expect(off.limits.messagesPerWindow).toBeGreaterThanOrEqual(1_000_000_000);
    expect(off.limits.socketsPerUser).toBeGreaterThanOrEqual(1_000_000_000);
    expect(off.limits.loginFailures).toBeGreaterThanOrEqual(1_000_000_000);
    expect(off.limits.maxQueuedBytes).toBe(DEFAULT_ABUSE_LIMITS.maxQueuedBytes);
    expect(loadConfig({ RATE_LIMITS: "off", LIMIT_SOCKETS_PER_USER: "5" }).limits.socketsPerUser).toBe(5);
  });

  test("reads every variable; empty ones count as unset", () => {
    expect(
      loadConfig({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: "sqlite::memory:", LOG_LEVEL: "warn", REDIS_URL: "" }),
    ).toMatchObject({ port: 0, host: "127.0.0.1", database: { kind: "sqlite", path: ":memory:" }, logLevel: "warn" });
    expect(loadConfig({ DATABASE_URL: "sqlite:/tmp/x/chat.db" }).database).toEqual({ kind: "sqlite", path: "/tmp/x/chat.db", durability: "fsync" });
    expect(loadConfig({ DURABILITY: "process" }).database).toMatchObject({ durability: "process" });
    expect(loadConfig({ DATABASE_URL: "mysql://root@127.0.0.1:3306/test" }).database).toEqual({
      kind: "mysql",
      url: "mysql://root@127.0.0.1:3306/test",
      poolSize: 10,
    });
    expect(loadConfig({ DATABASE_URL: "mysql://root@127.0.0.1:3306/test", DATABASE_POOL_SIZE: "3" }).database).toMatchObject({ poolSize: 3 });
  });

  test("CORS_ORIGINS is a comma-separated list; TRUST_PROXY takes true, a hop count or addresses", () => {
    expect(loadConfig({ CORS_ORIGINS: "https://a.example, http://b.example:8080" }).corsOrigins).toEqual([
      "https://a.example",
      "http://b.example:8080",
    ]);
    expect(loadConfig({ TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: "loopback" }).trustProxy).toBe("loopback");
  });

  test.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["PORT", "-1"],
    ["DATABASE_URL", "postgres://localhost/db"],
    ["DATABASE_URL", "sqlite:"],
    ["DATABASE_POOL_SIZE", "0"],
    ["DATABASE_POOL_SIZE", "ten"],
    ["REDIS_URL", "localhost:6379"],
    ["REDIS_PREFIX", "has spaces"],
    ["LOG_LEVEL", "loud"],
    ["CORS_ORIGINS", "*"],
    ["CORS_ORIGINS", "https://ok.example, chat.example.com"],
    ["RATE_LIMITS", "maybe"],
    ["DURABILITY", "sometimes"],
    ["METRICS_TOKEN", "short"],
    ["LIMIT_MESSAGES_PER_WINDOW", "0"],
    ["LIMIT_MESSAGES_PER_WINDOW", "ten"],
    ["LIMIT_CONGESTED_QUEUED_BYTES", String(DEFAULT_ABUSE_LIMITS.maxQueuedBytes + 1)],
  ])("a bad %s (%s) is refused with a message naming it", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
