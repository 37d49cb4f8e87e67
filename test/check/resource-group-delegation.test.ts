/**
 * PL014 (and no PL007) on a subscription delegated at resource groups only, through `partnerlink check` on Terraform JSON: the
 * subscription is associated (no error, exit 0), and an info names the subscription and the resource groups whose
 * consumption earns PEC, with the fix (subscription scope, or a waiver when only those groups are managed).
 */
import "@microsoft/jest-sarif";
import * as fs from "node:fs";
import * as path from "node:path";
import { findingsOf, runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

const FIXTURES = path.resolve(__dirname, "..", "fixtures", "check");
const SUB = "66666666-6666-6666-6666-666666666666";
const CONFIG = JSON.parse(fs.readFileSync(path.join(FIXTURES, "partnerlink.config.json"), "utf8"));

/** The good Terraform JSON scenario, its assignments at these scopes instead of the subscription. */
function terraform(scopes: string[]): unknown {
  const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, "tfjson", "good.tf.json"), "utf8"));
  const assignments: Record<string, unknown> = {};
  scopes.forEach((scope, i) => (assignments[`customer_${i}`] = { scope, lighthouse_definition_id: "${azurerm_lighthouse_definition.contoso.id}" }));
  doc.resource.azurerm_lighthouse_assignment = assignments;
  return doc;
}

const temp = tempFolders("partnerlink-rg-delegation-");

async function check(name: string, scopes: string[], config: unknown = CONFIG) {
  const dir = temp.folder(name, { "main.tf.json": terraform(scopes), "partnerlink.config.json": config });
  const run = await runCli(["check", "main.tf.json", "--config", "partnerlink.config.json", "--format", "json"], { cwd: dir });
  expect(run.stderr).toBe("");
  return { code: run.code, findings: findingsOf(run) };
}

test("assigned at two resource groups only: associated (exit 0), one PL014 info naming the subscription, the groups and the fix", async () => {
  const { code, findings } = await check("rg-only", [`/subscriptions/${SUB}/resourceGroups/rg-web`, `/subscriptions/${SUB}/resourceGroups/rg-data`]);
  expect(code).toBe(0);
  expect(findings.map((f) => [f.ruleId, f.severity, f.resource, f.path])).toEqual([["PL014", "info", "azurerm_subscription.customer1", "$.resource.azurerm_subscription.customer1"]]);
  const m = findings[0]!.message;
  expect(m).toContain(`Subscription 'azurerm_subscription.customer1'`);
  expect(m).toContain(`associated at resource groups only`);
  expect(m).toContain(`('azurerm_lighthouse_definition.contoso') have their scope at resource groups rg-data, rg-web, none at /subscriptions/${SUB}`);
  expect(m).toMatch(/Partner Earned Credit is earned on the consumption of those resource groups only/);
  expect(m).toMatch(new RegExp(`Fix: if the partner manages the whole subscription, assign the delegation at /subscriptions/${SUB} .*waive PL014 on 'azurerm_subscription.customer1'`));
  expect((findings[0] as { partialAssociation?: unknown }).partialAssociation).toEqual({ resourceGroups: ["rg-data", "rg-web"] });
});

test("the groups are data in the JSON and SARIF reports (partialAssociation), not only words in the message", async () => {
  const dir = temp.folder("rg-only-reports", { "main.tf.json": terraform([`/subscriptions/${SUB}/resourceGroups/rg-web`]), "partnerlink.config.json": CONFIG });
  const json = JSON.parse((await runCli(["check", "main.tf.json", "--config", "partnerlink.config.json", "--format", "json"], { cwd: dir })).stdout);
  expect(json.findings.map((f: Record<string, unknown>) => [f.ruleId, f.partialAssociation])).toEqual([["PL014", { resourceGroups: ["rg-web"] }]]);
  const sarif = JSON.parse((await runCli(["check", "main.tf.json", "--config", "partnerlink.config.json", "--format", "sarif"], { cwd: dir })).stdout);
  expect(sarif).toBeValidSarifLog();
  expect(sarif.runs[0].results.map((r: Record<string, unknown>) => [r.ruleId, r.properties])).toEqual([["PL014", { partialAssociation: { resourceGroups: ["rg-web"] } }]]);
  // A finding of another rule carries none.
  const other = temp.folder("no-partial", { "main.tf.json": terraform([`/subscriptions/${SUB}/resourceGroups/rg-web`, "not-a-scope"]), "partnerlink.config.json": CONFIG });
  const otherJson = JSON.parse((await runCli(["check", "main.tf.json", "--config", "partnerlink.config.json", "--format", "json"], { cwd: other })).stdout);
  const pl010 = otherJson.findings.filter((f: Record<string, unknown>) => f.ruleId === "PL010");
  expect(pl010.length).toBeGreaterThan(0);
  expect(pl010.every((f: Record<string, unknown>) => !("partialAssociation" in f))).toBe(true);
});

test("assigned at a resource group and at the subscription: nothing", async () => {
  const { code, findings } = await check("rg-and-sub", [`/subscriptions/${SUB}/resourceGroups/rg-web`, `/subscriptions/${SUB}`]);
  expect([code, findings]).toEqual([0, []]);
});

test("an unknown scope: no PL007 or PL014 at all (PL012 says the scope is unknown), never a guess", async () => {
  const { findings } = await check("unknown-scope", [`/subscriptions/${SUB}/resourceGroups/rg-web`, "${var.scope}"]);
  expect(findings.filter((f) => f.ruleId === "PL007" || f.ruleId === "PL014")).toEqual([]);
  expect(findings.map((f) => f.ruleId)).toContain("PL012");
});

test("waived in config: reported as waived, exit 0 even at --severity-threshold info", async () => {
  const config = { ...CONFIG, waivers: [{ rule: "PL014", resource: "azurerm_subscription.customer1", reason: "only rg-web is managed" }] };
  const dir = temp.folder("waived", { "main.tf.json": terraform([`/subscriptions/${SUB}/resourceGroups/rg-web`]), "partnerlink.config.json": config });
  const run = await runCli(["check", "main.tf.json", "--config", "partnerlink.config.json", "--format", "json", "--severity-threshold", "info"], { cwd: dir });
  expect(findingsOf(run).map((f) => [f.ruleId, f.severity, f.suppressed !== undefined])).toEqual([["PL014", "info", true]]);
  expect(run.code).toBe(0);
});
