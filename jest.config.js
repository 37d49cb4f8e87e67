/** Transpile-only ts-jest: type-checking is `npm run build`'s job, so each test file loads fast. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true, diagnostics: false }] },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
};
