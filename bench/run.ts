/**
 * `npm run bench`: every benchmark in bench/, one after the other, each in its own Node process with its default
 * size, so one's heap and JIT state do not flatter the next. Prints each one's report; exits 1 if any failed.
 * The long ones also have their own scripts: `npm run bench:check`, `npm run bench:audit`.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

/** The benchmarks (compiled names in dist/bench), quickest first. */
export const BENCHMARKS = [
  "provider-serialized-size",
  "provider-input-validation",
  "rules-evaluate",
  "policy-pack",
  "templates-batch",
  "arm",
  "emulator",
  "check",
  "audit",
] as const;

if (require.main === module) {
  const failed: string[] = [];
  for (const name of BENCHMARKS) {
    console.log(`\n=== bench/${name}`);
    const r = spawnSync(process.execPath, [path.join(__dirname, `${name}.js`)], { stdio: "inherit" });
    if (r.status !== 0) failed.push(name);
  }
  if (failed.length > 0) {
    console.error(`\nbenchmarks that failed: ${failed.join(", ")}`);
    process.exit(1);
  }
}
