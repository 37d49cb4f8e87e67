/** Transpile-only ts-jest, so each test file loads fast: the sources are type-checked by `npm run build`, the tests by
 * `npm run typecheck:test` (tsconfig.test.json); `npm test` runs both first. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true, diagnostics: false }] },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
};
