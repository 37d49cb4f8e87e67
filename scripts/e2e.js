#!/usr/bin/env node
/**
 * `npm run test:e2e`: the end-to-end suite with the real Pulumi engine.
 *  1. scripts/ensure-pulumi-cli.sh: a `pulumi` on PATH, or the one built once from Go modules (.cache/pulumi-cli).
 *  2. jest -c jest.e2e.config.js (test/e2e/*.e2e.ts): each suite starts the emulator in-process and runs the CLI
 *     with an isolated PULUMI_HOME and file backend (test/e2e/harness/pulumi-session.ts).
 *  3. Prints the closing line `N passed, N failed`; exits non-zero on any failure.
 * The root onboarding stack's scenarios (test/e2e/root-stack.e2e.ts) run once Pulumi.yaml exists at the repo root.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");

function finish(passed, failed) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

const ensure = spawnSync("bash", [path.join(root, "scripts", "ensure-pulumi-cli.sh")], {
  cwd: root,
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
});
const binDir = (ensure.stdout || "").trim().split("\n").pop();
if (ensure.status !== 0 || !binDir || !fs.existsSync(path.join(binDir, "pulumi"))) {
  console.error("e2e: no Pulumi CLI (scripts/ensure-pulumi-cli.sh failed, see above); no scenario can run");
  finish(0, 1);
}
const version = spawnSync(path.join(binDir, "pulumi"), ["version"], {
  encoding: "utf8",
  env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
});
console.log(`e2e: Pulumi CLI ${(version.stdout || "?").trim()} from ${binDir}; node ${process.version}`);

const jestArgs = ["-c", path.join(root, "jest.e2e.config.js")];
if (!fs.existsSync(path.join(root, "Pulumi.yaml"))) {
  console.log("e2e: no Pulumi.yaml at the repo root yet: the root onboarding stack's scenarios are not run");
  jestArgs.push("--testPathIgnorePatterns", "root-stack\\.e2e\\.ts$");
}
const resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-e2e-results-")), "results.json");
jestArgs.push("--json", "--outputFile", resultsFile, ...process.argv.slice(2));

const jest = spawnSync(process.execPath, [require.resolve("jest/bin/jest", { paths: [root] }), ...jestArgs], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PARTNERLINK_PULUMI_BIN: binDir },
});

let passed = 0;
let failed = 0;
try {
  const r = JSON.parse(fs.readFileSync(resultsFile, "utf8"));
  passed = r.numPassedTests;
  // A suite that failed to load (or whose beforeAll threw) has no failed test of its own: count it as one.
  failed = r.numFailedTests + (r.testResults || []).filter((s) => s.status === "failed" && s.assertionResults.length === 0).length;
} catch (e) {
  console.error(`e2e: jest wrote no results (${e.message})`);
  failed = Math.max(failed, 1);
}
fs.rmSync(path.dirname(resultsFile), { recursive: true, force: true });
if (jest.status !== 0 && failed === 0) failed = 1;
finish(passed, failed);
