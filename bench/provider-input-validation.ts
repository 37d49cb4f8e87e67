/**
 * What a Pulumi provider process pays for its first `check()`: loading provider/input-validation and validating
 * the inputs of both resources once, with the validators `npm run build` generated (dist/generated) against the
 * same schemas compiled by ajv in the process (what every provider process did before they were generated).
 * One fresh Node process per run (the cost is a cold start), RUNS runs each, medians and their ratio in one run.
 * Run: npm run build && node dist/bench/provider-input-validation.js
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { median } from "./stats";

const RUNS = 7;

/** In the child: the time to load the module and run the first validation of each resource's inputs. */
function child(mode: "build" | "run"): void {
  const t0 = performance.now();
  const iv = require("../provider/input-validation") as typeof import("../provider/input-validation");
  const sv = require("../rules/schema-validator") as typeof import("../rules/schema-validator");
  // "run": a folder without generated modules makes the loader compile the schema with ajv, as before.
  const noGenerated = path.join(os.tmpdir(), "partnerlink-no-generated-validators");
  for (const spec of Object.values(iv.PROVIDER_INPUT_VALIDATORS)) {
    const loaded = mode === "build" ? sv.loadSchemaValidator(spec) : sv.loadSchemaValidator(spec, noGenerated);
    if (loaded.compiled !== mode) throw new Error(`expected a validator compiled at ${mode} time, got ${loaded.compiled}`);
    loaded.validate({});
  }
  process.stdout.write(String(performance.now() - t0));
}

function measure(mode: "build" | "run"): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, [__filename, "child", mode], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`child (${mode}) failed: ${r.stderr.split("\n")[0]}`);
    times.push(Number(r.stdout));
  }
  return median(times);
}

if (require.main === module) {
  if (process.argv[2] === "child") child(process.argv[3] as "build" | "run");
  else {
    const built = measure("build");
    const compiled = measure("run");
    console.log(
      `provider input validation, first check() of both resources in a fresh process (median of ${RUNS}): ` +
        `${built.toFixed(1)} ms with the build's validators, ${compiled.toFixed(1)} ms compiling with ajv: ${(compiled / built).toFixed(1)}x`,
    );
  }
}
