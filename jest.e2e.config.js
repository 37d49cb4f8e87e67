/**
 * End-to-end suites (test/e2e/*.e2e.ts, and the policy pack under the real CLI in test/policies/*.e2e.ts): the real Pulumi CLI against the local ARM emulator. Run it with
 * `npm run test:e2e` (scripts/e2e.js ensures the CLI first). The main `npm test` never picks these files up: its
 * testMatch is *.test.ts. One worker: each file drives whole Pulumi stacks, and the machine has 2 cores.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test/e2e", "<rootDir>/test/policies"],
  testMatch: ["**/*.e2e.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true, diagnostics: false }] },
  moduleFileExtensions: ["ts", "js", "json"],
  maxWorkers: 1,
  testTimeout: 600000,
};
