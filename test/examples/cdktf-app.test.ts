/**
 * examples/cdktf-app: the CDKTF app synthesizes (its constructs run the rules while constructing) and
 * `partnerlink check` passes on what it wrote (the cdktf.out folder), under the example's partnerlink.config.json.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { findingsOf, runCli } from "../check/run-cli";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLE = path.join(ROOT, "examples/cdktf-app");
let outdir: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-cdktf-app-"));
  const { buildApp } = require(path.join(EXAMPLE, "main.ts")) as typeof import("../../examples/cdktf-app/main");
  buildApp(outdir).synth();
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

test("synthesizes both stacks: the PAL link (azapi) and the two onboardings (azurerm)", () => {
  const stacks = (s: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8"));
  const customers = stacks("customers");
  const defs = Object.values(customers.resource.azurerm_lighthouse_definition) as any[];
  // Several resource groups: one definition (guid(offer name)), assigned to each group.
  expect(defs.map((d) => d.name).sort()).toEqual(["Contoso managed services for Fabrikam", "Contoso managed services for Northwind"]);
  for (const d of defs) expect(d.authorization[0]).toMatchObject({ principal_id: "1a000000-0000-4000-8000-000000000001", role_definition_id: "b24988ac-6180-42a0-ab88-20f7382dd24c" });
  expect(Object.keys(customers.resource.azurerm_lighthouse_assignment)).toHaveLength(3); // Fabrikam + two Northwind groups
  expect(JSON.stringify(stacks("partner").resource)).toContain("Microsoft.ManagementPartner/partners");
});

test("partnerlink check passes on the synthesized output", async () => {
  const run = await runCli(["check", outdir, "--config", path.join(EXAMPLE, "partnerlink.config.json"), "--format", "json"]);
  const findings = findingsOf(run);
  expect(findings.filter((f) => f.severity !== "info")).toEqual([]);
  expect(run.code).toBe(0);
  // It did check both definitions: with another PEC principal configured, each one is flagged PL001.
  const other = path.join(outdir, "other-pec.config.json");
  fs.writeFileSync(other, JSON.stringify({ pecPrincipals: ["9f000000-0000-4000-8000-000000000009"] }));
  const control = await runCli(["check", outdir, "--config", other, "--format", "json"]);
  expect(control.code).toBe(1);
  expect(findingsOf(control).filter((f) => f.ruleId === "PL001")).toHaveLength(2);
});

test("type-checks against the package types (tsc -p examples/cdktf-app)", () => {
  const tsc = require.resolve("typescript/bin/tsc", { paths: [ROOT] });
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(EXAMPLE, "tsconfig.json"), "--listFiles"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  expect(r.stdout.split("\n").map((l) => l.trim())).toContain(path.join(ROOT, "dist/cdktf/index.d.ts"));
  expect(`${r.stdout}${r.stderr}`.split("\n").filter((l) => /error TS\d+/.test(l))).toEqual([]);
  expect(r.status).toBe(0);
});
