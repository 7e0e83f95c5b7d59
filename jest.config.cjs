// Tests run as CommonJS through SWC (fast, no ts-jest/TypeScript-7 clash);
// `tsc --noEmit` in `npm test` is what type-checks them.
//
// Two projects: every test on the default backend (SQLite), and, where
// MYSQL_URL names a server (.ci/run sets it), the protocol behaviour tests
// once more on MySQL: the same harness, the same assertions, another Storage.
const base = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
};

// The files that drive the real server through the harness (storage tests
// loop over every backend by themselves; unit tests and the page need none).
const PROTOCOL_TESTS = [
  "abuse", "accounts", "authorization", "cli", "client", "delivery", "features", "hardening",
  "lockout", "messages", "rooms", "slow-consumer", "web-session", "cluster/nodes", "cluster/chaos",
].map((name) => `<rootDir>/__tests__/${name}.test.ts`);

const projects = [{ ...base, displayName: "sqlite", testMatch: ["**/*.test.ts"], globalSetup: "<rootDir>/__tests__/helpers/build-page.ts" }];
if (process.env.MYSQL_URL) {
  projects.push({ ...base, displayName: "mysql", testMatch: PROTOCOL_TESTS, setupFiles: ["<rootDir>/__tests__/helpers/on-mysql.ts"] });
} else {
  console.warn("jest: the protocol tests run on SQLite only: MYSQL_URL is not set (.ci/run sets it)");
}

module.exports = { projects, testTimeout: 30000, maxWorkers: 2 };
