/**
 * Plans that real Terraform wrote (test/fixtures/terraform-real/README.md): read a slice of resource_changes at a
 * time they give the estate and the findings the whole reading gives, and `partnerlink check` finds what their
 * configuration holds.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { gunzipSync } from "node:zlib";
import { adaptPlanInSlices, SLICE_BYTES } from "../../formats/plan-slices";
import { parseDocumentBytes } from "../../formats/read-document";
import { adaptTerraformPlan } from "../../formats/terraform";
import { validateInput } from "../../formats/validate";
import { evaluate } from "../../rules/engine";
import type { PartnerlinkConfig } from "../../rules/config-types";
import { findingsOf, runCli } from "./run-cli";

const FIXTURES = path.join(__dirname, "..", "fixtures", "terraform-real");
const PEC = "11111111-1111-1111-1111-111111111111";
const TENANT = "44444444-4444-4444-4444-444444444444";
const CONFIG: PartnerlinkConfig = { pecPrincipals: [PEC], palLinkedPrincipals: [PEC], allowedManagingTenants: [TENANT], partnerId: "1234567" };

let dir: string;
/** The config, out of the plans' folder and the commands' working folder, where it would be found without --config. */
let configFile: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-tf-real-"));
  fs.mkdirSync(path.join(dir, "config"));
  configFile = path.join(dir, "config", "partnerlink.config.json");
  fs.writeFileSync(configFile, JSON.stringify(CONFIG));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The fixture's plan, unzipped into the test's folder: its path and bytes. */
function plan(name: string): { file: string; bytes: Buffer } {
  const bytes = gunzipSync(fs.readFileSync(path.join(FIXTURES, `${name}.plan.json.gz`)));
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, bytes);
  return { file, bytes };
}

/** The whole reading: JSON.parse, schema, adapter. */
function wholeReading(file: string, bytes: Buffer) {
  const doc = parseDocumentBytes(file, bytes) as Record<string, unknown>;
  validateInput("terraform-plan", doc, file);
  return adaptTerraformPlan(doc, file);
}

const customer = (n: number) => `azurerm_lighthouse_definition.c["cust-${String(n).padStart(5, "0")}"]`;

describe("plans written by Terraform 1.13.3", () => {
  it("creating 1,000 delegations (3.98 MB): read in slices, as the whole reading, every assignment joined, no finding", async () => {
    const { file, bytes } = plan("create-1000");
    expect(bytes.length).toBeGreaterThan(2 * 1024 * 1024);
    const sliced = adaptPlanInSlices(file, bytes);
    expect(sliced).toBeDefined();
    const whole = wholeReading(file, bytes);
    expect(isDeepStrictEqual(sliced!.adapted, whole)).toBe(true);

    const { delegations } = whole.estate;
    expect(delegations).toHaveLength(1000);
    // Each assignment names its definition by an `.id` unknown until apply: joined through the plan's configuration.
    expect(delegations.every((d) => d.assignments.length === 1 && d.assignments[0]!.scope === d.definitionScope)).toBe(true);
    expect(delegations.find((d) => d.name === customer(7))!.definitionScope).toBe("/subscriptions/00000001-0000-4000-8000-000000000007");

    // The command reads it as it would any plan this large (formats/load.ts takes the slices above 2 MiB).
    const run = await runCli(["check", file, "--config", configFile, "--format", "json"], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(findingsOf(run)).toEqual([]);
  });

  it("without the PAL link declared, each of the 1,000 delegations is reported once (PL008), at its automation account", async () => {
    const { file } = plan("create-1000");
    const run = await runCli(["check", file, "--pec-principal", PEC, "--partner-id", "1234567", "--format", "json"], { cwd: dir });
    expect(run.code).toBe(1);
    const findings = findingsOf(run);
    expect(findings).toHaveLength(1000);
    expect(new Set(findings.map((f) => f.ruleId))).toEqual(new Set(["PL008"]));
    expect(new Set(findings.map((f) => f.resource)).size).toBe(1000);
    // Terraform orders a set's blocks itself: the path names the block the PEC principal is in, wherever that is.
    for (const f of findings) expect(f.path).toMatch(/^\$\.resource_changes\[\d+\]\.change\.after\.authorization\[[01]\]\.principal_id$/);
  });

  it("a plan with prior_state, deletes and updates: in slices as whole; Reader found where it was given, deletes not checked", () => {
    const { file, bytes } = plan("prior-state");
    const doc = JSON.parse(bytes.toString("utf8")) as { prior_state?: unknown; resource_changes: { change: { actions: string[] } }[] };
    expect(doc.prior_state).toBeDefined();
    expect(doc.resource_changes.filter((rc) => rc.change.actions.includes("delete"))).toHaveLength(20);
    // Below 2 MiB the command reads it whole: the slices are asked for here, 64 KiB each.
    const sliced = adaptPlanInSlices(file, bytes, 64 * 1024);
    expect(sliced).toBeDefined();
    const whole = wholeReading(file, bytes);
    expect(isDeepStrictEqual(sliced!.adapted, whole)).toBe(true);
    expect(SLICE_BYTES).toBeGreaterThan(64 * 1024);

    const found = evaluate(sliced!.adapted.estate, CONFIG).findings;
    expect(found).toEqual(evaluate(whole.estate, CONFIG).findings);
    expect(whole.estate.delegations).toHaveLength(110);
    expect(found.map((f) => `${f.ruleId} ${f.resource}`).sort()).toEqual(Array.from({ length: 10 }, (_, k) => `PL003 ${customer(100 + k)}`).sort());
  });
});
