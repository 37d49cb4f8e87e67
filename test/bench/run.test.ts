/** `npm run bench` runs every benchmark in bench/: a new one is listed in bench/run.ts or this fails. */
import * as fs from "node:fs";
import * as path from "node:path";
import { BENCHMARKS } from "../../bench/run";

/** Modules in bench/ that are not benchmarks: the runner, shared statistics, and the audit benchmark's helpers. */
const NOT_BENCHMARKS = ["run", "stats", "audit-emulator-child", "audit-estate"];

test("bench/run.ts lists every benchmark in bench/", () => {
  const files = fs
    .readdirSync(path.resolve(__dirname, "..", "..", "bench"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.slice(0, -3))
    .filter((f) => !NOT_BENCHMARKS.includes(f));
  expect([...BENCHMARKS].sort()).toEqual(files.sort());
});
