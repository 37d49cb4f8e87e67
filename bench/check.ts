/**
 * `npm run bench:check`: how fast `partnerlink check` reads and checks a large estate.
 *
 * Generates in bench/out/ (git-ignored) 10,000 customer delegations (registration definition + assignment each)
 * as one Terraform plan JSON and as 10,000 ARM template/parameters pairs, then measures in one run:
 * - rule evaluation alone (resources/s), on the estate the plan adapter produced;
 * - end-to-end check of the single plan against a bare JSON.parse of the same bytes (ratio; target <= 2x), three
 *   ways, because "the same bytes" can start in three places:
 *   1. in this process, the baseline given the plan's text already in memory (the strictest: the check alone
 *      pays for reading and decoding the file);
 *   2. in this process, both sides from the file: `JSON.parse(fs.readFileSync(plan, "utf8"))` against the check;
 *   3. one fresh process per run, both from the file, wall time as `time` shows it (Node start, module loading
 *      and a cold heap included on both sides).
 *   "End to end" is the CLI's `check <plan> --format json` (config resolution, stat + read, parse, schema
 *   validation and adapt a slice of resource_changes at a time (formats/plan-slices.ts), evaluate, render JSON into
 *   a sink); the phases of the whole reading a smaller plan takes are printed beside. In-process ratios
 *   are medians of RUNS runs each, each run after a full garbage collection so neither side pays for the other's
 *   garbage; wall and CPU time (CPU is steadier on a shared machine);
 * - the ARM folder end to end (files/s, delegations/s);
 * - peak RSS of one CLI process checking the plan, of one process JSON.parse'ing it, and of this bench process.
 * Prints a table and writes bench/out/check.json. Usage: node dist/bench/check.js [delegations]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { PerformanceObserver } from "node:perf_hooks";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { main } from "../cli/main";
import { loadInputs } from "../formats/load";
import { adaptPlanInSlices } from "../formats/plan-slices";
import { parseDocumentBytes } from "../formats/read-document";
import { readFileBytes } from "../formats/read-json";
import { adaptTerraformPlan } from "../formats/terraform";
import { validateInput } from "../formats/validate";
import { renderJson } from "../cli/reporters/json";
import { evaluate } from "../rules/engine";
import { median } from "./stats";

const N = Number(process.argv[2] ?? 10000);
const RUNS = 7;
/** What "check of the plan, end to end" measures (printed, and written to check.json). */
const E2E_INCLUDES = "partnerlink check <plan> --format json in-process: config, stat + read, parse + validate + adapt a slice at a time, evaluate, render";
const RATIO_DEFINITION = `median end-to-end time / median JSON.parse time of the same plan text (already in memory), same process, ${RUNS} runs each, each after a full GC`;
const FILE_RATIO_DEFINITION = `median end-to-end time / median time of JSON.parse(fs.readFileSync(plan, "utf8")), same process, ${RUNS} runs each, each after a full GC`;
const PROCESS_RATIO_DEFINITION = "median wall time of `node bin/partnerlink.js check <plan> --format json` / of `node -e 'JSON.parse(fs.readFileSync(<plan>, \"utf8\"))'`, one fresh process per run, 3 runs each";

/** A full garbage collection before each measured run (V8's gc, exposed at run time). */
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;
const OUT = path.resolve(__dirname, "..", "..", "bench", "out");
const PEC = "11111111-1111-1111-1111-111111111111";
const GROUP = "22222222-2222-2222-2222-222222222222";
const TENANT = "44444444-4444-4444-4444-444444444444";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const config = { pecPrincipals: [PEC], palLinkedPrincipals: [PEC], allowedManagingTenants: [TENANT], partnerId: "1234567" };

function guid(i: number, tag: number): string {
  const h = (i + tag * 1_000_000).toString(16).padStart(12, "0");
  return `${tag.toString(16).padStart(8, "0")}-0000-4000-8000-${h}`;
}

function definitionValues(i: number) {
  return {
    name: `Contoso managed services ${i}`,
    description: "Contoso managed services",
    managing_tenant_id: TENANT,
    scope: `/subscriptions/${guid(i, 1)}`,
    lighthouse_definition_id: guid(i, 2),
    authorization: [
      { principal_id: PEC, role_definition_id: CONTRIBUTOR, principal_display_name: "Provider Automation Account", delegated_role_definition_ids: null },
      { principal_id: GROUP, role_definition_id: READER, principal_display_name: "Operators", delegated_role_definition_ids: null },
    ],
    eligible_authorization: [
      {
        principal_id: GROUP,
        role_definition_id: CONTRIBUTOR,
        principal_display_name: "Operators",
        just_in_time_access_policy: [{ maximum_activation_duration: "PT4H", multi_factor_auth_provider: "Azure", approver: [{ principal_id: "33333333-3333-3333-3333-333333333333", principal_display_name: "Approvers" }] }],
      },
    ],
    plan: [],
  };
}

function writePlan(file: string): void {
  const rc: unknown[] = [];
  const planned: unknown[] = [];
  for (let i = 0; i < N; i++) {
    const def = definitionValues(i);
    const asg = { scope: `/subscriptions/${guid(i, 1)}`, lighthouse_definition_id: `/subscriptions/${guid(i, 1)}/providers/Microsoft.ManagedServices/registrationDefinitions/${guid(i, 2)}` };
    const d = `azurerm_lighthouse_definition.c${i}`;
    const a = `azurerm_lighthouse_assignment.c${i}`;
    rc.push({ address: d, mode: "managed", type: "azurerm_lighthouse_definition", name: `c${i}`, provider_name: "registry.terraform.io/hashicorp/azurerm", change: { actions: ["create"], before: null, after: def, after_unknown: { id: true, authorization: [{}, {}], eligible_authorization: [{ just_in_time_access_policy: [{ approver: [{}] }] }], plan: [] } } });
    rc.push({ address: a, mode: "managed", type: "azurerm_lighthouse_assignment", name: `c${i}`, provider_name: "registry.terraform.io/hashicorp/azurerm", change: { actions: ["create"], before: null, after: asg, after_unknown: { id: true, name: true } } });
    planned.push({ address: d, mode: "managed", type: "azurerm_lighthouse_definition", name: `c${i}`, provider_name: "registry.terraform.io/hashicorp/azurerm", schema_version: 0, values: def });
    planned.push({ address: a, mode: "managed", type: "azurerm_lighthouse_assignment", name: `c${i}`, provider_name: "registry.terraform.io/hashicorp/azurerm", schema_version: 0, values: asg });
  }
  fs.writeFileSync(file, JSON.stringify({ format_version: "1.2", terraform_version: "1.9.8", planned_values: { root_module: { resources: planned } }, resource_changes: rc }));
}

function writeArm(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // One template shape (as the public samples), one parameters file per customer.
  const template = JSON.parse(
    JSON.stringify({
      $schema: "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      parameters: {
        mspOfferName: { type: "string" },
        managedByTenantId: { type: "string" },
        customerSubscriptionId: { type: "string" },
        authorizations: { type: "array" },
      },
      variables: { definitionId: "[guid(parameters('mspOfferName'), parameters('customerSubscriptionId'))]" },
      resources: [
        {
          type: "Microsoft.Resources/deployments",
          apiVersion: "2021-04-01",
          name: "onboard",
          location: "westeurope",
          subscriptionId: "[parameters('customerSubscriptionId')]",
          properties: {
            mode: "Incremental",
            template: {
              $schema: "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
              contentVersion: "1.0.0.0",
              resources: [
                {
                  type: "Microsoft.ManagedServices/registrationDefinitions",
                  apiVersion: "2022-10-01",
                  name: "[variables('definitionId')]",
                  properties: { registrationDefinitionName: "[parameters('mspOfferName')]", managedByTenantId: "[parameters('managedByTenantId')]", authorizations: "[parameters('authorizations')]" },
                },
                {
                  type: "Microsoft.ManagedServices/registrationAssignments",
                  apiVersion: "2022-10-01",
                  name: "[guid(variables('definitionId'), 'assignment')]",
                  properties: { registrationDefinitionId: "[subscriptionResourceId(parameters('customerSubscriptionId'), 'Microsoft.ManagedServices/registrationDefinitions', variables('definitionId'))]" },
                },
              ],
            },
          },
        },
      ],
    }),
  );
  const text = JSON.stringify(template, null, 2);
  for (let i = 0; i < N; i++) {
    const sub = Math.floor(i / 1000);
    const d = path.join(dir, String(sub));
    if (i % 1000 === 0) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, `customer${i}.json`), text);
    fs.writeFileSync(
      path.join(d, `customer${i}.parameters.json`),
      JSON.stringify({
        $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
        contentVersion: "1.0.0.0",
        parameters: {
          mspOfferName: { value: `Contoso managed services ${i}` },
          managedByTenantId: { value: TENANT },
          customerSubscriptionId: { value: guid(i, 1) },
          authorizations: { value: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR }, { principalId: GROUP, roleDefinitionId: READER }] },
        },
      }),
    );
  }
}

class Sink extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.bytes += chunk.length;
    cb();
  }
}

/** CPU time (user + system) of this process in ms: steadier than wall time on a shared machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function checkEndToEnd(args: string[]): Promise<{ ms: number; cpu: number; code: number; bytes: number }> {
  const out = new Sink();
  const err = new Sink();
  const c = cpuMs();
  const t = performance.now();
  const code = await main(["check", ...args, "--format", "json"], { stdout: out, stderr: err, env: {}, cwd: OUT });
  return { ms: performance.now() - t, cpu: cpuMs() - c, code, bytes: out.bytes };
}

/** Every garbage collection of this process (start, duration), to say how much of a measured run was GC. */
const gcPauses: { start: number; ms: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, ms: e.duration });
}).observe({ entryTypes: ["gc"] });

/** GC pause time inside [from, to] (performance.now() times); waits until the observer has had the entries. */
async function gcWithin(from: number, to: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 50));
  return gcPauses.filter((g) => g.start >= from && g.start <= to).reduce((n, g) => n + g.ms, 0);
}

/** The check's phases, then those of the whole reading it falls back to, for comparison. */
function phaseLine(ms: Record<string, number>): string {
  return `read ${ms.read}, parse + validate + adapt in slices ${ms.slices}, evaluate ${ms.evaluate}, render ${ms.render} (the whole reading instead: parse ${ms.parse}, validate ${ms.validate}, adapt ${ms.adapt})`;
}

function met(ratio: number): string {
  return ratio <= 2 ? "met" : "NOT met";
}

/** Preloaded into each measured process (`node -r`): reports its peak RSS on stderr as it exits. */
const RSS_REPORTER = `process.on("exit", () => process.stderr.write("maxRSS=" + process.resourceUsage().maxRSS + "\\n"));\n`;

/**
 * One fresh Node process, as `time` shows it: "parse" = `JSON.parse(fs.readFileSync(plan, "utf8"))`, "check" = the
 * CLI, `node bin/partnerlink.js check <plan> --format json`, its report discarded. Wall ms and peak RSS in MB.
 */
function processRun(kind: "parse" | "check", planFile: string, reporter: string): { ms: number; peakRssMb: number } {
  const bin = path.resolve(__dirname, "..", "..", "bin", "partnerlink.js");
  const args =
    kind === "parse" ? ["-e", `JSON.parse(require("fs").readFileSync(${JSON.stringify(planFile)}, "utf8"))`] : [bin, "check", planFile, "--format", "json"];
  const t = performance.now();
  const r = spawnSync(process.execPath, ["-r", reporter, ...args], { cwd: OUT, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = performance.now() - t;
  const m = /maxRSS=(\d+)/.exec(r.stderr);
  // Exit 1 means findings at or above the threshold: a finished check. Anything else is a failed run.
  if (!m || (r.status !== 0 && r.status !== 1)) throw new Error(`the ${kind} process did not finish (exit ${r.status}): ${r.stderr.slice(0, 300)}`);
  return { ms, peakRssMb: Math.round(Number(m[1]) / 1024) };
}

async function run(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, "partnerlink.config.json"), JSON.stringify(config));
  const planFile = path.join(OUT, "plan.json");
  const armDir = path.join(OUT, "arm");
  let t = performance.now();
  writePlan(planFile);
  writeArm(armDir);
  const genMs = performance.now() - t;
  const planBytes = fs.statSync(planFile).size;

  // 1. End-to-end single plan vs bare JSON.parse of the same bytes (already in memory), plus where the time goes.
  //    Measured first, on a fresh heap, so neither side pays for objects the other steps keep alive.
  const parseTimes: number[] = [];
  const readTimes: number[] = [];
  const e2eTimes: number[] = [];
  const parseCpu: number[] = [];
  const e2eCpu: number[] = [];
  const parseGc: number[] = [];
  const e2eGc: number[] = [];
  const fileParseTimes: number[] = [];
  const fileParseGc: number[] = [];
  const phase: Record<string, number[]> = { read: [], slices: [], evaluate: [], render: [], parse: [], validate: [], adapt: [] };
  const phaseCpu: Record<string, number[]> = { read: [], slices: [], evaluate: [], render: [], parse: [], validate: [], adapt: [] };
  let e2eCode = -1;
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    const text = fs.readFileSync(planFile, "utf8");
    readTimes.push(performance.now() - t);
    collectGarbage();
    const c = cpuMs();
    t = performance.now();
    JSON.parse(text);
    const parseEnd = performance.now();
    parseTimes.push(parseEnd - t);
    parseCpu.push(cpuMs() - c);
    parseGc.push(await gcWithin(t, parseEnd));
    collectGarbage();
    t = performance.now();
    JSON.parse(fs.readFileSync(planFile, "utf8"));
    const fileParseEnd = performance.now();
    fileParseTimes.push(fileParseEnd - t);
    fileParseGc.push(await gcWithin(t, fileParseEnd));
    collectGarbage();
    const e2eStart = performance.now();
    const r = await checkEndToEnd([planFile]);
    e2eGc.push(await gcWithin(e2eStart, e2eStart + r.ms));
    e2eTimes.push(r.ms);
    e2eCpu.push(r.cpu);
    e2eCode = r.code;
    // The same pipeline, phase by phase: the check reads a plan this large in slices (formats/plan-slices.ts);
    // then, for comparison, the whole reading it falls back to (formats/read-document.ts, validate.ts, terraform.ts).
    collectGarbage();
    let p = performance.now();
    let pc = cpuMs();
    const lap = (k: string): void => {
      const now = performance.now();
      const nowCpu = cpuMs();
      phase[k]!.push(now - p);
      phaseCpu[k]!.push(nowCpu - pc);
      p = now;
      pc = nowCpu;
    };
    const bytes = readFileBytes(planFile);
    lap("read");
    const sliced = adaptPlanInSlices(planFile, bytes);
    if (!sliced) throw new Error("the bench plan was not read in slices");
    lap("slices");
    const ev = evaluate(sliced.adapted.estate, config);
    lap("evaluate");
    renderJson({ findings: ev.findings, notices: ev.notices, files: [planFile], inputErrors: [], notEvaluated: ev.notEvaluated, resources: [], cwd: OUT, version: "bench", color: false });
    lap("render");
    collectGarbage();
    p = performance.now();
    pc = cpuMs();
    const doc = parseDocumentBytes(planFile, bytes) as Record<string, unknown>;
    lap("parse");
    validateInput("terraform-plan", doc, planFile);
    lap("validate");
    adaptTerraformPlan(doc, planFile);
    lap("adapt");
  }
  const parseMs = median(parseTimes);
  const readMs = median(readTimes);
  const e2eMs = median(e2eTimes);
  const cpuRatio = median(e2eCpu) / median(parseCpu);
  const phases = Object.fromEntries(Object.entries(phase).map(([k, v]) => [k, +median(v).toFixed(1)]));
  const phasesCpu = Object.fromEntries(Object.entries(phaseCpu).map(([k, v]) => [k, +median(v).toFixed(1)]));

  const fileParseMs = median(fileParseTimes);

  // 1b. The same comparison as processes: what `time` shows for one CLI run against one bare parse of the file.
  const reporter = path.join(OUT, "report-peak-rss.js");
  fs.writeFileSync(reporter, RSS_REPORTER);
  const processParse: number[] = [];
  const processCheck: number[] = [];
  const parseRss: number[] = [];
  const checkRss: number[] = [];
  for (let i = 0; i < 3; i++) {
    const p = processRun("parse", planFile, reporter);
    const c = processRun("check", planFile, reporter);
    processParse.push(p.ms);
    parseRss.push(p.peakRssMb);
    processCheck.push(c.ms);
    checkRss.push(c.peakRssMb);
  }
  const checkPeakRssMb = median(checkRss);
  const parsePeakRssMb = median(parseRss);

  // 2. Rule evaluation alone.
  const loaded = loadInputs([planFile]);
  if (loaded.errors.length) throw new Error(loaded.errors[0]!.message);
  const resources = loaded.estate.delegations.length + loaded.estate.delegations.reduce((n, d) => n + d.assignments.length, 0);
  const evalTimes: number[] = [];
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    collectGarbage();
    t = performance.now();
    findings = evaluate(loaded.estate, config).findings.length;
    evalTimes.push(performance.now() - t);
  }
  const evalMs = median(evalTimes);

  // 3. The ARM folder end to end.
  const arm = await checkEndToEnd([armDir]);

  const usage = process.resourceUsage();
  const load = os.loadavg()[0]!;
  const result = {
    delegations: N,
    generatedMs: Math.round(genMs),
    plan: {
      bytes: planBytes,
      resources,
      findings,
      evaluateMs: +evalMs.toFixed(1),
      evaluateResourcesPerSec: Math.round(resources / (evalMs / 1000)),
      readMs: +readMs.toFixed(1),
      jsonParseMs: +parseMs.toFixed(1),
      endToEndMs: +e2eMs.toFixed(1),
      ratioToJsonParse: +(e2eMs / parseMs).toFixed(2),
      fileJsonParseMs: +fileParseMs.toFixed(1),
      fileJsonParseGcMs: +median(fileParseGc).toFixed(1),
      ratioFromFile: +(e2eMs / fileParseMs).toFixed(2),
      jsonParseFastestMs: +Math.min(...parseTimes).toFixed(1),
      jsonParseSlowestMs: +Math.max(...parseTimes).toFixed(1),
      ratioToFastestJsonParse: +(e2eMs / Math.min(...parseTimes)).toFixed(2),
      jsonParseGcMs: +median(parseGc).toFixed(1),
      endToEndGcMs: +median(e2eGc).toFixed(1),
      ratioWithoutGc: +((e2eMs - median(e2eGc)) / (parseMs - median(parseGc))).toFixed(2),
      jsonParseCpuMs: +median(parseCpu).toFixed(1),
      endToEndCpuMs: +median(e2eCpu).toFixed(1),
      cpuRatioToJsonParse: +cpuRatio.toFixed(2),
      processJsonParseMs: Math.round(median(processParse)),
      processCheckMs: Math.round(median(processCheck)),
      processRatio: +(median(processCheck) / median(processParse)).toFixed(2),
      phasesMs: phases,
      phasesCpuMs: phasesCpu,
      endToEndIncludes: E2E_INCLUDES,
      ratioDefinition: RATIO_DEFINITION,
      fileRatioDefinition: FILE_RATIO_DEFINITION,
      processRatioDefinition: PROCESS_RATIO_DEFINITION,
      exitCode: e2eCode,
    },
    arm: {
      files: N * 2,
      endToEndMs: Math.round(arm.ms),
      filesPerSec: Math.round((N * 2) / (arm.ms / 1000)),
      delegationsPerSec: Math.round(N / (arm.ms / 1000)),
      exitCode: arm.code,
    },
    checkProcessPeakRssMb: checkPeakRssMb,
    jsonParseProcessPeakRssMb: parsePeakRssMb,
    peakRssMb: Math.round(usage.maxRSS / 1024),
    loadAverage1m: +load.toFixed(1),
    node: process.version,
  };
  fs.writeFileSync(path.join(OUT, "check.json"), JSON.stringify(result, null, 2) + "\n");
  const rows: [string, string][] = [
    ["delegations (definition + assignment)", String(N)],
    ["plan size", `${(planBytes / 1024 / 1024).toFixed(1)} MB`],
    ["rule evaluation alone", `${result.plan.evaluateMs} ms, ${result.plan.evaluateResourcesPerSec.toLocaleString("en")} resources/s`],
    ["JSON.parse of the plan", `${result.plan.jsonParseMs} ms (runs from ${result.plan.jsonParseFastestMs} to ${result.plan.jsonParseSlowestMs} ms; GC ${result.plan.jsonParseGcMs} ms of it)`],
    ["check of the plan, end to end", `${result.plan.endToEndMs} ms (${E2E_INCLUDES})`],
    ["1. ratio, text already in memory", `${result.plan.ratioToJsonParse}x (target <= 2x ${met(result.plan.ratioToJsonParse)})`],
    ["  against the fastest JSON.parse run", `${result.plan.ratioToFastestJsonParse}x`],
    ["  both without their GC pauses", `${result.plan.ratioWithoutGc}x (check's GC: ${result.plan.endToEndGcMs} ms)`],
    ["  same in CPU time (steadier when shared)", `${result.plan.endToEndCpuMs} ms vs ${result.plan.jsonParseCpuMs} ms: ${result.plan.cpuRatioToJsonParse}x`],
    ["  ratio means", RATIO_DEFINITION],
    ["2. ratio, both from the file", `${result.plan.ratioFromFile}x: ${result.plan.endToEndMs} ms vs ${result.plan.fileJsonParseMs} ms (GC ${result.plan.fileJsonParseGcMs} ms of it) (target <= 2x ${met(result.plan.ratioFromFile)})`],
    ["  ratio means", FILE_RATIO_DEFINITION],
    ["3. ratio, one process per run", `${result.plan.processRatio}x: ${result.plan.processCheckMs} ms vs ${result.plan.processJsonParseMs} ms wall (target <= 2x ${met(result.plan.processRatio)})`],
    ["  ratio means", PROCESS_RATIO_DEFINITION],
    ["  phases (median wall ms)", phaseLine(phases)],
    ["  phases (median CPU ms)", phaseLine(phasesCpu)],
    ["ARM folder, end to end", `${result.arm.endToEndMs} ms for ${result.arm.files} files (${result.arm.filesPerSec.toLocaleString("en")} files/s, ${result.arm.delegationsPerSec.toLocaleString("en")} delegations/s)`],
    ["peak RSS, one CLI check of the plan", `${result.checkProcessPeakRssMb} MB (a bare JSON.parse of it: ${result.jsonParseProcessPeakRssMb} MB)`],
    ["peak RSS of this bench process", `${result.peakRssMb} MB`],
    ["machine load (1 min average)", `${result.loadAverage1m}`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n"));
  console.log(`\nwritten: ${path.join(OUT, "check.json")}`);
}

run().catch((e) => {
  console.error(`bench:check failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
