/**
 * Where the real Pulumi CLI lives for the e2e suite: `scripts/ensure-pulumi-cli.sh` (a `pulumi` on PATH, or
 * the one it builds from Go modules into .cache/pulumi-cli). scripts/e2e.js runs it once and passes the bin
 * dir in PARTNERLINK_PULUMI_BIN; a direct `npx jest -c jest.e2e.config.js` run asks the script itself.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
export const ENSURE_SCRIPT = path.join(REPO_ROOT, "scripts", "ensure-pulumi-cli.sh");

let cached: string | undefined;

/** The directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
export function pulumiBinDir(): string {
  if (cached) return cached;
  const fromEnv = process.env.PARTNERLINK_PULUMI_BIN;
  if (fromEnv && existsSync(path.join(fromEnv, "pulumi"))) return (cached = fromEnv);
  // Synchronous on purpose: this runs before any emulator is started in this process (a blocked event loop
  // would stall an in-process emulator; every Pulumi run itself is async, see pulumi-session.ts).
  const r = spawnSync("bash", [ENSURE_SCRIPT], { cwd: REPO_ROOT, encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(`scripts/ensure-pulumi-cli.sh failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
  }
  const dir = r.stdout.trim().split("\n").pop() ?? "";
  if (!existsSync(path.join(dir, "pulumi"))) throw new Error(`scripts/ensure-pulumi-cli.sh printed '${dir}', which holds no pulumi`);
  return (cached = dir);
}

/**
 * PATH for Pulumi runs: the repo's node_modules/.bin first (the `node` devDependency, Node 24, is what the
 * language host, dynamic providers and policy packs run on: the host looks `node` up on PATH), then the CLI.
 */
export function pulumiPath(): string {
  return [path.join(REPO_ROOT, "node_modules", ".bin"), pulumiBinDir(), process.env.PATH ?? ""].join(path.delimiter);
}
