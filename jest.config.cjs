// Tests run as CommonJS through SWC (fast, no ts-jest/TypeScript-7 clash);
// `tsc --noEmit` in `npm test` is what type-checks them.
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  globalSetup: "<rootDir>/__tests__/helpers/build-page.ts",
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
