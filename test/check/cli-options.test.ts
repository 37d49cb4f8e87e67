/**
 * The check command's options and reporters, run in-process through cli/main.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import "@microsoft/jest-sarif";
import { XMLParser } from "fast-xml-parser";
import { RULES } from "../../rules/metadata";
import { findingsOf, runCli } from "./run-cli";

const FIXTURES = path.resolve(__dirname, "..", "fixtures", "check");
const PEC = "11111111-1111-1111-1111-111111111111";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pl-check-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("config", () => {
  test("partnerlink.config.json in the cwd is used when --config is not given", async () => {
    const withConfig = await runCli(["check", "tfjson/pl001.tf.json", "--format", "json"], { cwd: FIXTURES });
    expect(findingsOf(withConfig).map((f) => f.ruleId)).toContain("PL001");
    const d = path.join(tmp, "noconfig");
    fs.mkdirSync(d);
    const without = await runCli(["check", path.join(FIXTURES, "tfjson/pl001.tf.json"), "--format", "json"], { cwd: d });
    expect(findingsOf(without).map((f) => f.ruleId)).not.toContain("PL001");
    expect(JSON.parse(without.stdout).notices.join("\n")).toMatch(/PEC/);
  });

  test("--pec-principal and --allowed-tenant work without a config file", async () => {
    const d = path.join(tmp, "flags");
    fs.mkdirSync(d);
    const file = path.join(FIXTURES, "tfjson/pl009.tf.json");
    const none = await runCli(["check", file, "--format", "json"], { cwd: d });
    expect(findingsOf(none).map((f) => f.ruleId)).not.toContain("PL009");
    const run = await runCli(["check", file, "--format", "json", "--allowed-tenant", "44444444-4444-4444-4444-444444444444", "--pec-principal", PEC], { cwd: d });
    expect(findingsOf(run).map((f) => f.ruleId)).toContain("PL009");
  });

  test("YAML config via --config", async () => {
    const d = path.join(tmp, "yaml");
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, "pl.yaml"), `pecPrincipals:\n  - ${PEC}\npalLinkedPrincipals:\n  - ${PEC}\n`);
    const run = await runCli(["check", path.join(FIXTURES, "tfjson/pl003.tf.json"), "--config", "pl.yaml", "--format", "json"], { cwd: d });
    expect(findingsOf(run).map((f) => f.ruleId)).toContain("PL003");
  });
});

describe("an input given as --config", () => {
  test.each([
    ["tfjson/pl003.tf.json", "Terraform JSON"],
    ["arm/pl001.json", "an ARM deployment template"],
    ["arm/pl001.parameters.json", "an ARM parameters file"],
  ])("%s: one line saying it is %s, not a config, with the fix (not a schema error per key)", async (file, what) => {
    if (!fs.existsSync(path.join(FIXTURES, file))) throw new Error(`fixture ${file} is missing`);
    const run = await runCli(["check", "tfjson/pl003.tf.json", "--config", file], { cwd: FIXTURES });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `partnerlink check: ${file}: is ${what}, not a partnerlink config. Fix: name it as a path to check (partnerlink check ${file}), and give --config a partnerlink config (partnerlink.config.yaml or .json).`,
    );
  });
});

describe("exit codes and threshold", () => {
  test("warnings pass at the default threshold and fail at --severity-threshold warning", async () => {
    const a = await runCli(["check", "tfjson/pl011.tf.json"], { cwd: FIXTURES });
    expect(a.code).toBe(0);
    const b = await runCli(["check", "tfjson/pl011.tf.json", "--severity-threshold", "warning"], { cwd: FIXTURES });
    expect(b.code).toBe(1);
  });
  test("info findings fail only at --severity-threshold info", async () => {
    expect((await runCli(["check", "tfplan/pl012.plan.json", "--severity-threshold", "warning"], { cwd: FIXTURES })).code).toBe(0);
    expect((await runCli(["check", "tfplan/pl012.plan.json", "--severity-threshold", "info"], { cwd: FIXTURES })).code).toBe(1);
  });
  test("--help and --version", async () => {
    const h = await runCli(["check", "--help"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain("--severity-threshold");
    const v = await runCli(["check", "--version"]);
    expect(v.stdout.trim()).toBe(require("../../package.json").version);
  });
});

test("the CLI loads only what a command uses: --version, --help and check load neither the Azure SDK nor yaml, check not ajv's compiler", () => {
  // A fresh process of the built CLI (what `partnerlink` runs), reporting which modules it loaded.
  const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
  const mainJs = path.resolve(__dirname, "..", "..", "dist", "cli", "main.js");
  const loaded = (args: string[]): string[] => {
    const script =
      `const {Writable}=require("stream");const sink=()=>new Writable({write(c,e,cb){cb();}});` +
      `require(${JSON.stringify(mainJs)}).main(${JSON.stringify(args)},{stdout:sink(),stderr:sink(),env:{},cwd:${JSON.stringify(FIXTURES)}})` +
      `.then(()=>process.stdout.write(JSON.stringify(Object.keys(require.cache))));`;
    return JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as string[];
  };
  const heavy = (mods: string[]) => mods.filter((m) => /[\\/](@azure|yaml)[\\/]|cli[\\/]commands[\\/](audit|emulator)\.js$/.test(m));
  expect(heavy(loaded(["--version"]))).toEqual([]);
  expect(heavy(loaded(["--help"]))).toEqual([]);
  const check = loaded(["check", "tfjson/pl001.tf.json", "--format", "json"]);
  expect(heavy(check)).toEqual([]);
  expect(check.some((m) => /cli[\\/]commands[\\/]check\.js$/.test(m))).toBe(true);
  // The config and input schemas are validated by the build's precompiled validators: ajv's compiler stays unloaded.
  expect(check.filter((m) => /[\\/]generated[\\/](partnerlink-config|input-terraform-json)\.js$/.test(m))).toHaveLength(2);
  expect(check.filter((m) => /[\\/]ajv[\\/]dist[\\/](ajv|core|compile[\\/].*)\.js$/.test(m))).toEqual([]);
  expect(loaded(["audit", "--help"]).some((m) => /cli[\\/]commands[\\/]audit\.js$/.test(m))).toBe(true);
});

describe("inline waivers", () => {
  test("ARM metadata partnerlink:waive suppresses (never drops) the finding", async () => {
    const t = JSON.parse(fs.readFileSync(path.join(FIXTURES, "arm/pl009.json"), "utf8"));
    const def = t.resources[0].properties.template.resources[0];
    def.metadata = { "partnerlink:waive": [{ rule: "PL009", reason: "tenant migration, ticket 42", expires: "2999-01-01" }] };
    const d = path.join(tmp, "arm-waive");
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, "t.json"), JSON.stringify(t));
    fs.copyFileSync(path.join(FIXTURES, "arm/pl009.parameters.json"), path.join(d, "t.parameters.json"));
    fs.copyFileSync(path.join(FIXTURES, "partnerlink.config.json"), path.join(d, "partnerlink.config.json"));
    const run = await runCli(["check", "t.json", "--format", "json"], { cwd: d });
    const f = findingsOf(run).filter((x) => x.ruleId === "PL009");
    expect(f).toHaveLength(1);
    expect(f[0]!.suppressed).toMatchObject({ kind: "inline", reason: "tenant migration, ticket 42" });
    expect(run.code).toBe(0);
  });

  test("an expired inline waiver no longer applies", async () => {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, "tfjson/pl009.tf.json"), "utf8"));
    doc.resource.azurerm_lighthouse_definition.contoso["//"] = { "partnerlink:waive": [{ rule: "PL009", reason: "old", expires: "2000-01-01" }] };
    const d = path.join(tmp, "tf-waive");
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, "main.tf.json"), JSON.stringify(doc));
    fs.copyFileSync(path.join(FIXTURES, "partnerlink.config.json"), path.join(d, "partnerlink.config.json"));
    const run = await runCli(["check", "main.tf.json", "--format", "json"], { cwd: d });
    const f = findingsOf(run).filter((x) => x.ruleId === "PL009");
    expect(f).toHaveLength(1);
    expect(f[0]!.suppressed).toBeUndefined();
    expect(run.code).toBe(1);
    doc.resource.azurerm_lighthouse_definition.contoso["//"]["partnerlink:waive"][0].expires = "2999-12-31";
    fs.writeFileSync(path.join(d, "main.tf.json"), JSON.stringify(doc));
    const again = await runCli(["check", "main.tf.json", "--format", "json"], { cwd: d });
    expect(findingsOf(again).find((x) => x.ruleId === "PL009")!.suppressed).toMatchObject({ kind: "inline" });
    expect(again.code).toBe(0);
  });
});

describe("--subscription and --resource-group: the ARM deployment's target", () => {
  const X = "77777777-7777-4777-8777-777777777777";
  const Y = "88888888-8888-4888-8888-888888888888";
  /** A template that delegates the subscription (or resource group) it is deployed to: no nested deployment names it. */
  const template = (level: "subscription" | "resourceGroup", metadata?: Record<string, string>) => ({
    $schema: `https://schema.management.azure.com/schemas/${level === "subscription" ? "2018-05-01/subscriptionDeploymentTemplate" : "2019-04-01/deploymentTemplate"}.json#`,
    contentVersion: "1.0.0.0",
    ...(metadata ? { metadata } : {}),
    resources: [
      {
        type: "Microsoft.ManagedServices/registrationDefinitions",
        apiVersion: "2022-10-01",
        name: "0b7b1f39-6d3c-4c0e-9d59-6f1e2c3a4b5c",
        properties: { registrationDefinitionName: "Contoso", managedByTenantId: "44444444-4444-4444-4444-444444444444", authorizations: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR }] },
      },
      {
        type: "Microsoft.ManagedServices/registrationAssignments",
        apiVersion: "2022-10-01",
        name: "1c8c2f4a-7e4d-4d1f-8e6a-7a2f3d4b5c6d",
        properties: { registrationDefinitionId: "[resourceId('Microsoft.ManagedServices/registrationDefinitions', '0b7b1f39-6d3c-4c0e-9d59-6f1e2c3a4b5c')]" },
      },
    ],
  });
  let d: string;
  beforeAll(() => {
    d = path.join(tmp, "target");
    fs.mkdirSync(d);
    const cfg = JSON.parse(fs.readFileSync(path.join(FIXTURES, "partnerlink.config.json"), "utf8"));
    cfg.subscriptions = [{ subscriptionId: X, name: "x" }, { subscriptionId: Y, name: "y" }];
    fs.writeFileSync(path.join(d, "partnerlink.config.json"), JSON.stringify(cfg));
    fs.writeFileSync(path.join(d, "sub.json"), JSON.stringify(template("subscription")));
    fs.writeFileSync(path.join(d, "rg.json"), JSON.stringify(template("resourceGroup")));
    fs.writeFileSync(path.join(d, "made-for-y.json"), JSON.stringify(template("subscription", { "partnerlink:subscriptionId": Y })));
  });
  const ids = (run: Awaited<ReturnType<typeof runCli>>) => findingsOf(run).map((f) => `${f.ruleId} ${f.resource}`);

  test("without it the target is unknown (PL012) and PL007 cannot tell; with it the delegation is judged in that subscription", async () => {
    const unknown = await runCli(["check", "sub.json", "--format", "json"], { cwd: d });
    expect(findingsOf(unknown).some((f) => f.ruleId === "PL012" && f.path === "$.$schema")).toBe(true);
    expect(ids(unknown).filter((i) => i.startsWith("PL007"))).toEqual([]);
    const known = await runCli(["check", "sub.json", "--subscription", X.toUpperCase(), "--format", "json"], { cwd: d });
    expect(findingsOf(known).filter((f) => f.ruleId === "PL012")).toEqual([]);
    // X is delegated to the PEC principal; Y, declared in the config, is not.
    expect(ids(known).filter((i) => i.startsWith("PL007"))).toEqual(["PL007 y"]);
    expect(known.code).toBe(1);
  });
  test("a resource group-level template with both: judged at that resource group of that subscription", async () => {
    const onlySub = await runCli(["check", "rg.json", "--subscription", X, "--format", "json"], { cwd: d });
    expect(findingsOf(onlySub).some((f) => f.ruleId === "PL012")).toBe(true);
    const both = await runCli(["check", "rg.json", "--subscription", `/subscriptions/${X}`, "--resource-group", "rg-(managed).1", "--format", "json"], { cwd: d });
    expect(findingsOf(both).filter((f) => f.ruleId === "PL012")).toEqual([]);
    // A registration definition made in a resource group is refused by Azure: PL006 names the scope it now knows.
    const pl006 = findingsOf(both).filter((f) => f.ruleId === "PL006");
    expect(pl006).toHaveLength(1);
    expect(pl006[0]!.message).toContain(`'/subscriptions/${X}/resourceGroups/rg-(managed).1'`);
    expect(pl006[0]!.path).toBe("$.$schema");
  });
  test("a template whose metadata names another subscription is an input error naming both; the same one agrees", async () => {
    const clash = await runCli(["check", "made-for-y.json", "--subscription", X], { cwd: d });
    expect(clash.code).toBe(2);
    expect(clash.stderr + clash.stdout).toMatch(new RegExp(`made-for-y\\.json.*made for subscription ${Y}.*given subscription ${X}.*Fix:`));
    const same = await runCli(["check", "made-for-y.json", "--subscription", Y, "--format", "json"], { cwd: d });
    expect(same.code).toBe(1);
    expect(ids(same).filter((i) => i.startsWith("PL007"))).toEqual(["PL007 x"]);
  });
  test.each([
    [["--subscription", "not-a-guid"], /--subscription 'not-a-guid' is not a subscription ID/],
    [["--resource-group", "ends-with-dot."], /--resource-group 'ends-with-dot\.' is not a resource group name/],
    [["--subscription", X, "--subscription", Y], /--subscription/],
  ])("%j is a usage error", async (extra, message) => {
    const run = await runCli(["check", "sub.json", ...extra], { cwd: d });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("unused waivers", () => {
  test("a waiver whose rule reports nothing on its resource is a notice (text and JSON), and changes no exit code", async () => {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, "tfjson/pl009.tf.json"), "utf8"));
    doc.resource.azurerm_lighthouse_definition.contoso["//"] = {
      "partnerlink:waive": [
        { rule: "PL009", reason: "tenant migration" },
        { rule: "PL003", reason: "was Reader until June" },
      ],
    };
    const d = path.join(tmp, "tf-unused-waiver");
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, "main.tf.json"), JSON.stringify(doc));
    fs.copyFileSync(path.join(FIXTURES, "partnerlink.config.json"), path.join(d, "partnerlink.config.json"));
    const json = await runCli(["check", "main.tf.json", "--format", "json"], { cwd: d });
    expect(json.code).toBe(0);
    expect(findingsOf(json).filter((f) => f.ruleId === "PL003")).toEqual([]);
    const notices = (JSON.parse(json.stdout) as { notices: string[] }).notices;
    const unused = notices.filter((n) => n.includes("matched no finding"));
    expect(unused).toEqual([expect.stringMatching(/^The inline waiver for PL003 \(pec-role-not-eligible\) on 'azurerm_lighthouse_definition\.contoso' matched no finding.*Fix: remove the waiver \(reason was: was Reader until June\)/)]);
    const text = await runCli(["check", "main.tf.json"], { cwd: d });
    expect(text.code).toBe(0);
    expect(text.stdout + text.stderr).toContain("matched no finding");
  });
});

describe("reporters", () => {
  test("JSON has exactly findings, summary, notices, inputErrors and notEvaluated", async () => {
    const run = await runCli(["check", "tfjson", "--format", "json"], { cwd: FIXTURES });
    const out = JSON.parse(run.stdout);
    expect(Object.keys(out).sort()).toEqual(["findings", "inputErrors", "notEvaluated", "notices", "summary"]);
    for (const f of out.findings) {
      expect(Object.keys(f).sort()).toEqual(["file", "message", "path", "resource", "ruleId", "ruleName", "severity"]);
    }
    expect(out.summary).toEqual({
      error: out.findings.filter((f: { severity: string }) => f.severity === "error").length,
      warning: out.findings.filter((f: { severity: string }) => f.severity === "warning").length,
      info: out.findings.filter((f: { severity: string }) => f.severity === "info").length,
      suppressed: 0,
      files: fs.readdirSync(path.join(FIXTURES, "tfjson")).length,
      unreadable: 0,
    });
  });

  test("SARIF 2.1.0: rules from the metadata table, results with ruleIndex, relative uri and a line region", async () => {
    const run = await runCli(["check", "arm/pl004.json", "--format", "sarif"], { cwd: FIXTURES });
    const sarif = JSON.parse(run.stdout);
    expect(sarif.version).toBe("2.1.0");
    const r = sarif.runs[0];
    expect(r.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(RULES.map((x) => x.id));
    for (const rule of r.tool.driver.rules) {
      expect(rule.helpUri).toMatch(/^https:\/\//);
      expect(rule.help.text.length).toBeGreaterThan(10);
    }
    const res = r.results.find((x: { ruleId: string }) => x.ruleId === "PL004");
    expect(r.tool.driver.rules[res.ruleIndex].id).toBe("PL004");
    expect(res.level).toBe("error");
    const loc = res.locations[0].physicalLocation;
    // The Owner role comes from the parameters file: the finding points there (relative to the checkout the SARIF
    // names as %SRCROOT%), at the line of the role.
    expect(loc.artifactLocation.uriBaseId).toBe("%SRCROOT%");
    // %SRCROOT% is the checkout (this repository's root); the log names it without its absolute path.
    expect(r.originalUriBaseIds["%SRCROOT%"].uri).toBeUndefined();
    const file = fileURLToPath(new URL(loc.artifactLocation.uri, pathToFileURL(path.resolve(__dirname, "..", "..") + path.sep)));
    expect(file).toBe(path.join(FIXTURES, "arm", "pl004.parameters.json"));
    const text = fs.readFileSync(file, "utf8").split("\n");
    expect(text[loc.region.startLine - 1]).toContain("roleDefinitionId");
  });

  test("SARIF: the line of a JSON path is where that property is", async () => {
    const run = await runCli(["check", "tfjson/pl009.tf.json", "--format", "sarif"], { cwd: FIXTURES });
    const res = JSON.parse(run.stdout).runs[0].results.find((x: { ruleId: string }) => x.ruleId === "PL009");
    const lines = fs.readFileSync(path.join(FIXTURES, "tfjson/pl009.tf.json"), "utf8").split("\n");
    // The path names azurerm's attribute ($.resource.azurerm_lighthouse_definition.contoso.managing_tenant_id): its line.
    expect(res.locations[0].physicalLocation.region).toBeDefined();
    expect(lines[res.locations[0].physicalLocation.region.startLine - 1]).toMatch(/^\s*"managing_tenant_id": "/);
  });

  test("SARIF: waived findings carry suppressions", async () => {
    const d = path.join(tmp, "sarif-waive");
    fs.mkdirSync(d);
    fs.writeFileSync(
      path.join(d, "partnerlink.config.json"),
      JSON.stringify({ pecPrincipals: [PEC], palLinkedPrincipals: [PEC], waivers: [{ rule: "PL001", resource: "*", reason: "customer onboarding in progress" }] }),
    );
    const run = await runCli(["check", path.join(FIXTURES, "tfjson/pl001.tf.json"), "--format", "sarif"], { cwd: d });
    const res = JSON.parse(run.stdout).runs[0].results.find((x: { ruleId: string }) => x.ruleId === "PL001");
    expect(res.suppressions).toEqual([{ kind: "external", justification: "customer onboarding in progress" }]);
  });

  test("JUnit: one testcase per rule x resource, failures for findings", async () => {
    const run = await runCli(["check", "tfjson/pl004.tf.json", "--format", "junit"], { cwd: FIXTURES });
    const xml = run.stdout;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const resources = ["azurerm_lighthouse_definition.contoso", "azurerm_lighthouse_assignment.customer", "azurerm_subscription.customer1"];
    expect((xml.match(/<testcase /g) ?? []).length).toBe(RULES.length * resources.length);
    expect(xml).toMatch(/<testcase classname="PL004\.role-not-supported-by-lighthouse" name="tfjson\/pl004\.tf\.json: azurerm_lighthouse_definition\.contoso"><failure message="[^"]*Owner/);
    expect(xml).toMatch(new RegExp(`<testsuites name="partnerlink" tests="${RULES.length * resources.length}" failures="1"`));
  });

  /** Each suite's testcases by name: "pass", "fail" or "skip". */
  function junitCases(xml: string): Map<string, Map<string, string>> {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml) as {
      testsuites: { testsuite: { name: string; testcase?: Record<string, unknown> | Record<string, unknown>[] }[] };
    };
    return new Map(
      doc.testsuites.testsuite.map((s) => [
        s.name.split(" ")[0]!,
        new Map([s.testcase ?? []].flat().map((c) => [String(c.name), "failure" in c ? "fail" : "skipped" in c ? "skip" : "pass"])),
      ]),
    );
  }

  test("JUnit: a Terraform assignment is a testcase of every rule, passing where it has no finding, like the other resources", async () => {
    const good = junitCases((await runCli(["check", "tfjson/good.tf.json", "--format", "junit"], { cwd: FIXTURES })).stdout);
    const names = ["azurerm_lighthouse_definition.contoso", "azurerm_lighthouse_assignment.customer", "azurerm_subscription.customer1"];
    for (const rule of RULES) expect({ rule: rule.id, cases: [...good.get(rule.id)!] }).toEqual({ rule: rule.id, cases: names.map((n) => [`tfjson/good.tf.json: ${n}`, "pass"]) });

    // An assignment with a finding (a name that is no GUID: PL010) fails that rule's case and passes the others.
    const d = path.join(tmp, "junit-assignment");
    fs.mkdirSync(d);
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, "tfjson/good.tf.json"), "utf8"));
    doc.resource.azurerm_lighthouse_assignment.customer.name = "customer-assignment";
    fs.writeFileSync(path.join(d, "main.tf.json"), JSON.stringify(doc));
    fs.copyFileSync(path.join(FIXTURES, "partnerlink.config.json"), path.join(d, "partnerlink.config.json"));
    const bad = junitCases((await runCli(["check", "main.tf.json", "--format", "junit"], { cwd: d })).stdout);
    for (const rule of RULES) {
      const expected = rule.id === "PL010" ? "fail" : "pass";
      expect({ rule: rule.id, assignment: bad.get(rule.id)!.get("main.tf.json: azurerm_lighthouse_assignment.customer") }).toEqual({ rule: rule.id, assignment: expected });
    }
  });

  test("JUnit: a subscription declared only in the config is a testcase of every rule, passing where it has no finding", async () => {
    const d = path.join(tmp, "junit-config-subscriptions");
    fs.mkdirSync(d);
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, "tfjson/good.tf.json"), "utf8"));
    delete doc.resource.azurerm_subscription;
    fs.writeFileSync(path.join(d, "main.tf.json"), JSON.stringify(doc));
    const config = JSON.parse(fs.readFileSync(path.join(FIXTURES, "partnerlink.config.json"), "utf8"));
    config.subscriptions = [
      { subscriptionId: "66666666-6666-6666-6666-666666666666", name: "Customer 1" }, // delegated in main.tf.json
      { subscriptionId: "77777777-7777-7777-7777-777777777777", name: "Customer 2" }, // delegated nowhere: PL007
    ];
    fs.writeFileSync(path.join(d, "partnerlink.config.json"), JSON.stringify(config));
    const cases = junitCases((await runCli(["check", "main.tf.json", "--format", "junit"], { cwd: d })).stdout);
    for (const rule of RULES) {
      const got = { rule: rule.id, c1: cases.get(rule.id)!.get("partnerlink.config.json: Customer 1"), c2: cases.get(rule.id)!.get("partnerlink.config.json: Customer 2") };
      expect(got).toEqual({ rule: rule.id, c1: "pass", c2: rule.id === "PL007" ? "fail" : "pass" });
    }
  });

  test("text: colour only on a TTY without NO_COLOR", async () => {
    const plain = await runCli(["check", "tfjson/pl004.tf.json"], { cwd: FIXTURES });
    expect(plain.stdout).not.toContain("\x1b[");
    expect(plain.stdout).toMatch(/error\s+PL004 role-not-supported-by-lighthouse\s+azurerm_lighthouse_definition\.contoso/);
    const tty = await runCli(["check", "tfjson/pl004.tf.json"], { cwd: FIXTURES, tty: true });
    expect(tty.stdout).toContain("\x1b[31m");
    const noColor = await runCli(["check", "tfjson/pl004.tf.json"], { cwd: FIXTURES, tty: true, env: { NO_COLOR: "1" } });
    expect(noColor.stdout).not.toContain("\x1b[");
  });
});

describe("an input that cannot be checked", () => {
  /** A folder with a config (PEC principal, a waiver), one broken plan, and the fixtures to check beside it. */
  function setup(name: string): string {
    const d = path.join(tmp, name);
    fs.mkdirSync(d);
    fs.writeFileSync(
      path.join(d, "partnerlink.config.json"),
      JSON.stringify({ pecPrincipals: [PEC], palLinkedPrincipals: [PEC], waivers: [{ rule: "PL001", resource: "*", reason: "customer onboarding in progress" }] }),
    );
    fs.writeFileSync(path.join(d, "broken.json"), JSON.stringify({ format_version: "one", planned_values: {} }));
    return d;
  }
  const BROKEN = /^broken\.json at \$\.format_version: is not a Terraform plan \(terraform show -json\): "one" does not match/;

  test("is named in every report format, and the exit code is 2", async () => {
    const d = setup("unreadable");
    const args = ["check", "broken.json", path.join(FIXTURES, "tfjson/pl004.tf.json")];
    const text = await runCli(args, { cwd: d });
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^partnerlink check: broken\.json at \$\.format_version: /);
    expect(text.stdout).toMatch(/^1 file\(s\) checked: 1 error\(s\), .*; 1 file\(s\) could not be checked \(listed on stderr\)$/m);

    const json = JSON.parse((await runCli([...args, "--format", "json"], { cwd: d })).stdout);
    expect(json.summary).toMatchObject({ files: 1, unreadable: 1, error: 1 });
    expect(json.inputErrors).toEqual([{ file: "broken.json", path: "$.format_version", message: expect.stringMatching(BROKEN) }]);

    const junit = (await runCli([...args, "--format", "junit"], { cwd: d })).stdout;
    expect(junit).toMatch(/<testsuites name="partnerlink" tests="\d+" failures="1" errors="1"/);
    expect(junit).toMatch(/<testcase classname="partnerlink\.inputs" name="broken\.json"><error message="broken\.json at \$\.format_version: [^"]*" type="InputError">/);
  });

  test("a clean run reports none", async () => {
    const run = await runCli(["check", "tfjson/pl004.tf.json", "--format", "json"], { cwd: FIXTURES });
    const json = JSON.parse(run.stdout);
    expect(json.summary.unreadable).toBe(0);
    expect(json.inputErrors).toEqual([]);
    const sarif = JSON.parse((await runCli(["check", "tfjson/pl004.tf.json", "--format", "sarif"], { cwd: FIXTURES })).stdout);
    expect(sarif.runs[0].invocations).toEqual([{ executionSuccessful: true }]);
  });

  test("SARIF: a valid SARIF 2.1.0 log (official schema) with every fixture's findings, waivers and the unreadable input", async () => {
    const d = setup("sarif-schema");
    const run = await runCli(["check", FIXTURES, "broken.json", "--format", "sarif"], { cwd: d });
    expect(run.code).toBe(2);
    const log = JSON.parse(run.stdout);
    expect(log).toBeValidSarifLog();
    const sarifRun = log.runs[0];
    expect(sarifRun.results.length).toBeGreaterThan(20);
    expect(sarifRun.results.some((r: { suppressions?: unknown }) => r.suppressions !== undefined)).toBe(true);
    expect(sarifRun.invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          { level: "error", message: { text: expect.stringMatching(BROKEN) }, locations: [{ physicalLocation: { artifactLocation: { uri: "broken.json", uriBaseId: "%SRCROOT%" } } }] },
          // The fixtures' own config, met among the inputs, is read for its subscriptions only: the run's notice.
          { level: "note", message: { text: expect.stringMatching(/partnerlink\.config\.json is read as an input for its subscriptions only/) } },
        ],
      },
    ]);
  });
});

describe("--output", () => {
  test("writes the report to the file and nothing to stdout; no temp file left", async () => {
    const d = path.join(tmp, "out");
    fs.mkdirSync(d);
    const run = await runCli(["check", path.join(FIXTURES, "tfjson/pl004.tf.json"), "--format", "json", "--output", "report.json"], { cwd: d });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(JSON.parse(fs.readFileSync(path.join(d, "report.json"), "utf8")).findings.length).toBeGreaterThan(0);
    expect(fs.readdirSync(d)).toEqual(["report.json"]);
  });
  test("an --output in a missing folder is exit 2 with one line and writes nothing", async () => {
    const d = path.join(tmp, "out2");
    fs.mkdirSync(d);
    const run = await runCli(["check", path.join(FIXTURES, "tfjson/good.tf.json"), "--output", "missing-dir/report.json"], { cwd: d });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^partnerlink check: --output .*missing-dir\/report\.json: folder .*missing-dir does not exist; create it or choose another path\n$/);
    expect(run.stderr.match(/--output/g)).toHaveLength(1); // said once, not inside a second 'cannot write --output ...'
    expect(run.stderr).not.toMatch(/^\s{4}at /m);
    expect(fs.readdirSync(d)).toEqual([]);
  });
  test("an --output in a missing folder is refused before anything is checked, naming the folder as given", async () => {
    const d = path.join(tmp, "out2b");
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, "broken.json"), "{ not json");
    const run = await runCli(["check", "broken.json", "--format", "sarif", "--output", "missing-dir/report.sarif"], { cwd: d });
    expect(run.code).toBe(2);
    // One line, and it is the --output one: the input was not read (its syntax error is not reported).
    expect(run.stderr).toBe("partnerlink check: --output missing-dir/report.sarif: folder missing-dir does not exist; create it or choose another path\n");
    expect(fs.readdirSync(d)).toEqual(["broken.json"]);
  });
  test("a report file the user restricted (0600) keeps its permissions when replaced; a new one gets 0666 less the umask", async () => {
    const d = path.join(tmp, "out-mode");
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, "private.json"), "old");
    fs.chmodSync(path.join(d, "private.json"), 0o600);
    const input = path.join(FIXTURES, "tfjson/good.tf.json");
    expect((await runCli(["check", input, "--format", "json", "--output", "private.json"], { cwd: d })).code).toBe(0);
    expect(fs.statSync(path.join(d, "private.json")).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(path.join(d, "private.json"), "utf8")).findings).toEqual([]);
    expect((await runCli(["check", input, "--format", "json", "--output", "new.json"], { cwd: d })).code).toBe(0);
    const umask = process.umask();
    expect(fs.statSync(path.join(d, "new.json")).mode & 0o777).toBe(0o666 & ~umask);
  });
  test("a symbolic link is followed: the file it points at gets the report, the link stays a link", async () => {
    const d = path.join(tmp, "out-link");
    fs.mkdirSync(path.join(d, "reports"), { recursive: true });
    fs.writeFileSync(path.join(d, "reports", "real.json"), "old");
    fs.symlinkSync(path.join("reports", "real.json"), path.join(d, "latest.json"));
    fs.symlinkSync(path.join("reports", "new.json"), path.join(d, "dangling.json"));
    for (const link of ["latest.json", "dangling.json"]) {
      const run = await runCli(["check", path.join(FIXTURES, "tfjson/pl004.tf.json"), "--format", "json", "--output", link], { cwd: d });
      expect(run.code).toBe(1);
      expect(fs.lstatSync(path.join(d, link)).isSymbolicLink()).toBe(true);
      expect(JSON.parse(fs.readFileSync(path.join(d, link), "utf8")).findings.length).toBeGreaterThan(0);
    }
    expect(fs.readdirSync(path.join(d, "reports")).sort()).toEqual(["new.json", "real.json"]);
  });
  test("a named pipe is written to, not replaced by a regular file", async () => {
    const d = path.join(tmp, "out-fifo");
    fs.mkdirSync(d);
    const fifo = path.join(d, "report.pipe");
    execFileSync("mkfifo", [fifo]);
    // A reader in another process (`cat`): the check's open for writing blocks until a reader has the pipe open.
    const reader = spawn("cat", [fifo], { stdio: ["ignore", "pipe", "inherit"] });
    const read = new Promise<string>((resolve, reject) => {
      let text = "";
      reader.stdout.on("data", (c: Buffer) => (text += c.toString()));
      reader.on("close", () => resolve(text)).on("error", reject);
    });
    const run = await runCli(["check", path.join(FIXTURES, "tfjson/pl004.tf.json"), "--format", "json", "--output", fifo], { cwd: d });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(JSON.parse(await read).findings.length).toBeGreaterThan(0);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    expect(fs.readdirSync(d)).toEqual(["report.pipe"]);
  });
});
