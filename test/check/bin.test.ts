/**
 * A few runs through the real bin (`node bin/partnerlink.js`, after `npm run build`), as users and CI run it.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(REPO, "test", "fixtures", "check");
const BIN = path.join(REPO, "bin", "partnerlink.js");

beforeAll(() => {
  // tsc emits even when another area's file has a type error; what matters here is the compiled CLI.
  try {
    execFileSync(process.execPath, [path.join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(REPO, "tsconfig.json")], { cwd: REPO, stdio: "pipe" });
  } catch {
    /* type errors elsewhere; checked below that the CLI was emitted */
  }
  expect(fs.existsSync(path.join(REPO, "dist", "cli", "commands", "check.js"))).toBe(true);
  // cli/main.ts and cli/commands/template.ts read `require("../package.json")`, which from dist/cli resolves to
  // dist/package.json; until they use cli/version.ts (as check does), give the compiled CLI that file.
  if (!fs.existsSync(path.join(REPO, "dist", "package.json"))) fs.copyFileSync(path.join(REPO, "package.json"), path.join(REPO, "dist", "package.json"));
}, 300000);

function bin(args: string[], cwd = FIXTURES) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("exit 0 on the good fixtures of every format", () => {
  const r = bin(["check", "arm/good.json", "tfplan/good.plan.json", "tfjson/good.tf.json", "cdktf/good"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/6 file\(s\) checked: 0 error\(s\), 0 warning\(s\), 0 info, 0 waived/);
});

test("exit 1 with findings, SARIF on stdout", () => {
  const r = bin(["check", "tfplan/pl002.plan.json", "--format", "sarif"]);
  expect(r.code).toBe(1);
  const sarif = JSON.parse(r.stdout);
  expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain("PL002");
});

test("exit 2 on unreadable input, one line, no stack trace", () => {
  const r = bin(["check", "does-not-exist.json"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe("partnerlink check: does-not-exist.json: does not exist or cannot be read (ENOENT); check the path\n");
});

test("a stdout its reader closed before the report (`check ... | head -0`): no EPIPE stack trace, the usual exit code", async () => {
  const child = spawn(process.execPath, [BIN, "check", "arm/good.json", "--format", "sarif"], { cwd: FIXTURES, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  // The reader goes away before the report is written (cli/closed-reader.ts).
  child.stdout.destroy();
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  // Before: "Error: write EPIPE" with its stack on stderr, and exit 1 (findings) for a clean input.
  expect([code, stderr]).toEqual([0, ""]);
});
