/**
 * The reports as CI pipelines consume them (the CI trial): GitHub code scanning's SARIF upload, Azure DevOps'
 * PublishTestResults (JUnit), and --output in a reused workspace.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import "@microsoft/jest-sarif";
import { XMLParser } from "fast-xml-parser";
import { runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const EXAMPLES = path.join(REPO_ROOT, "examples", "arm-templates", "onboarding");
const BROKEN = path.join(REPO_ROOT, "examples", "broken", "pec-role-not-eligible", "template.json");
const PEC = "1a000000-0000-4000-8000-000000000001";
const PLAN = path.join(REPO_ROOT, "test", "fixtures", "check", "tfplan", "pl005.plan.json");
const FIXTURE_CONFIG = path.join(REPO_ROOT, "test", "fixtures", "check", "partnerlink.config.json");
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
/** The key of the check's SARIF fingerprints (cli/reporters/fingerprint.ts). */
const FINGERPRINT = "partnerlink/v2";

const temp = tempFolders("pl-ci-reports-");

interface SarifResult {
  ruleId: string;
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string } }; logicalLocations: { name: string; fullyQualifiedName: string }[] }[];
}

async function sarifResults(args: string[], cwd: string): Promise<SarifResult[]> {
  const run = await runCli(["check", ...args, "--format", "sarif"], { cwd });
  return JSON.parse(run.stdout).runs[0].results as SarifResult[];
}

/**
 * A generated package copied to `dest` without its config, its template no longer naming the subscription it is made
 * for (metadata partnerlink:subscriptionId): like any hand-written subscription-level template, its scope is then
 * unknown before deployment, which is PL012's info note.
 */
function packageWithoutSubscription(customer: string, dest: string): void {
  fs.cpSync(path.join(EXAMPLES, customer), dest, { recursive: true });
  fs.rmSync(path.join(dest, "partnerlink.config.json"));
  const file = path.join(dest, "onboarding.json");
  const t = JSON.parse(fs.readFileSync(file, "utf8"));
  delete t.metadata["partnerlink:subscriptionId"];
  fs.writeFileSync(file, JSON.stringify(t, null, 2));
}

/** A checkout (a folder with .git) holding the same template for two customers, and the generated Northwind package. */
function checkout(name: string): string {
  const template = fs.readFileSync(BROKEN, "utf8");
  const dir = temp.folder(name, { "infra/fabrikam/template.json": template, "infra/contoso/template.json": template });
  fs.mkdirSync(path.join(dir, ".git"));
  packageWithoutSubscription("northwind-traders", path.join(dir, "infra", "northwind"));
  return dir;
}

describe("SARIF fingerprints (GitHub code scanning takes one fingerprint for one alert)", () => {
  test("every result has its own fingerprint: the same resource in two files, a copy loop's iterations", async () => {
    const results = await sarifResults(["infra", "--pec-principal", PEC], checkout("unique"));
    // The template is the same in both folders: each finding exists twice, once per file.
    const uris = new Set(results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri));
    expect(uris).toEqual(new Set(["infra/contoso/template.json", "infra/fabrikam/template.json", "infra/northwind/onboarding.json", "infra/northwind/onboarding.parameters.json"]));
    // Northwind's assignment is a copy loop over two resource groups: two PL012 findings at the loop's path.
    expect(results.filter((r) => r.ruleId === "PL012" && r.locations[0]!.physicalLocation.artifactLocation.uri === "infra/northwind/onboarding.json").length).toBeGreaterThan(1);
    const fingerprints = results.map((r) => r.partialFingerprints[FINGERPRINT]);
    expect(new Set(fingerprints).size).toBe(results.length);
  });

  test("the fingerprints are the same from another checkout path and from a subfolder", async () => {
    const a = checkout("first");
    const b = checkout(path.join("other place", "second"));
    const fromA = (await sarifResults(["infra", "--pec-principal", PEC], a)).map((r) => r.partialFingerprints[FINGERPRINT]);
    const fromB = (await sarifResults(["infra", "--pec-principal", PEC], b)).map((r) => r.partialFingerprints[FINGERPRINT]);
    const fromSub = (await sarifResults([".", "--pec-principal", PEC], path.join(b, "infra"))).map((r) => r.partialFingerprints[FINGERPRINT]);
    expect(fromA.length).toBeGreaterThan(5);
    expect(fromB).toEqual(fromA);
    expect(fromSub).toEqual(fromA);
    for (const fp of fromA) expect(fp).not.toContain(a);
  });
});

describe("SARIF fingerprints survive resources added to the file (GitHub would close the alert and open another)", () => {
  /**
   * pl005.plan.json (one definition, `azurerm_lighthouse_definition.contoso`, with an eligible authorization PL005
   * reports) with two Owner authorizations (PL004 on each) and, when `added` is given, that resource first in the
   * plan's resource_changes and planned_values, so every index of the definition's resource shifts by one.
   */
  function plan(added?: { address: string; type: string; name: string; values: Record<string, unknown> }): Record<string, unknown> {
    const doc = JSON.parse(fs.readFileSync(PLAN, "utf8"));
    const owner = { principal_id: "11111111-1111-1111-1111-111111111111", role_definition_id: OWNER, principal_display_name: "Owners", delegated_role_definition_ids: null };
    const change = doc.resource_changes[0];
    change.change.after.authorization = [...change.change.after.authorization, owner, { ...owner, principal_display_name: "More owners" }];
    change.change.after_unknown.authorization = [{}, {}, {}];
    const planned = doc.planned_values.root_module.resources[0];
    planned.values.authorization = change.change.after.authorization;
    if (added) {
      const common = { address: added.address, mode: "managed", type: added.type, name: added.name, provider_name: "registry.terraform.io/hashicorp/azurerm" };
      doc.resource_changes.unshift({ ...common, change: { actions: ["create"], before: null, after: added.values, after_unknown: { id: true } } });
      doc.planned_values.root_module.resources.unshift({ ...common, schema_version: 0, values: added.values });
    }
    return doc;
  }

  async function planResults(doc: Record<string, unknown>, name: string): Promise<SarifResult[]> {
    const dir = temp.folder(name, { "plan.json": doc, "partnerlink.config.json": fs.readFileSync(FIXTURE_CONFIG, "utf8") });
    return sarifResults(["plan.json"], dir);
  }

  const CONTOSO = "azurerm_lighthouse_definition.contoso";
  const path0 = (r: SarifResult): string => r.locations[0]!.logicalLocations[0]!.fullyQualifiedName;

  test("a resource inserted before the finding's in a Terraform plan keeps every fingerprint", async () => {
    const before = await planResults(plan(), "plan-before");
    // A resource group (not read) and another definition (read, with findings of its own) before the definition.
    const group = { address: "azurerm_resource_group.shared", type: "azurerm_resource_group", name: "shared", values: { name: "shared", location: "westeurope" } };
    const other = plan().resource_changes as { change: { after: Record<string, unknown> } }[];
    const definition = { address: "azurerm_lighthouse_definition.added", type: "azurerm_lighthouse_definition", name: "added", values: { ...other[0]!.change.after, name: "Added offer", lighthouse_definition_id: "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a99" } };
    for (const [name, added] of [["plan-group", group], ["plan-definition", definition]] as const) {
      const after = await planResults(plan(added), name);
      const mine = after.filter((r) => r.locations[0]!.logicalLocations[0]!.name === CONTOSO);
      // The same findings, each at a path one resource further down the plan ...
      expect(mine.map(path0)).toEqual(before.map((r) => path0(r).replace("$.resource_changes[0]", "$.resource_changes[1]")));
      // ... with the fingerprints they had.
      expect(before.length).toBeGreaterThanOrEqual(3);
      expect(before.every((r) => typeof r.partialFingerprints[FINGERPRINT] === "string")).toBe(true);
      expect(mine.map((r) => r.partialFingerprints[FINGERPRINT])).toEqual(before.map((r) => r.partialFingerprints[FINGERPRINT]));
      expect(new Set(after.map((r) => r.partialFingerprints[FINGERPRINT])).size).toBe(after.length);
    }
  });

  test("two findings of one rule on one resource have two fingerprints, without a digest to tell them apart", async () => {
    const results = await planResults(plan(), "plan-two-owners");
    const pl004 = results.filter((r) => r.ruleId === "PL004").map((r) => r.partialFingerprints[FINGERPRINT]);
    expect(pl004).toEqual([
      `PL004:plan.json:${CONTOSO}:.change.after.authorization[1].role_definition_id`,
      `PL004:plan.json:${CONTOSO}:.change.after.authorization[2].role_definition_id`,
    ]);
  });

  test("a copy loop's findings at one path keep theirs when a resource is inserted before the loop", async () => {
    const dir = checkout("copy-before");
    const template = path.join(dir, "infra", "northwind", "onboarding.json");
    const northwind = (results: SarifResult[]) =>
      results.filter((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === "infra/northwind/onboarding.json").map((r) => r.partialFingerprints[FINGERPRINT]);
    const before = northwind(await sarifResults(["infra", "--pec-principal", PEC], dir));
    const doc = JSON.parse(fs.readFileSync(template, "utf8"));
    doc.resources.unshift({ type: "Microsoft.Resources/tags", apiVersion: "2021-04-01", name: "default", properties: { tags: { owner: "ops" } } });
    fs.writeFileSync(template, JSON.stringify(doc, null, 2));
    const after = northwind(await sarifResults(["infra", "--pec-principal", PEC], dir));
    expect(before.length).toBeGreaterThan(2);
    expect(before.every((f) => typeof f === "string")).toBe(true);
    expect(after).toEqual(before);
  });
});

describe("the run's notices reach SARIF and JUnit, as they reach the text and JSON reports", () => {
  /** No PEC principal (the PEC rules do not run: a notice) and a config waiver past its expiry (another). */
  function folder(): string {
    const config = { waivers: [{ rule: "PL004", resource: "*", reason: "migration", expires: "2020-01-31" }] };
    return temp.folder("notices", { "template.json": fs.readFileSync(BROKEN, "utf8"), "partnerlink.config.json": config });
  }

  test("SARIF: each notice is a tool execution notification of level note; the log stays valid SARIF 2.1.0", async () => {
    const dir = folder();
    const json = await runCli(["check", "template.json", "--format", "json"], { cwd: dir });
    const notices = (JSON.parse(json.stdout) as { notices: string[] }).notices;
    expect(notices).toEqual([expect.stringMatching(/^PL001, PL002, PL003, PL007, PL008, PL014 were not evaluated: /), expect.stringMatching(/expired on 2020-01-31/)]);
    const sarif = await runCli(["check", "template.json", "--format", "sarif"], { cwd: dir });
    expect(sarif.code).toBe(json.code);
    const log = JSON.parse(sarif.stdout);
    expect(log).toBeValidSarifLog();
    expect(log.runs[0].invocations).toEqual([
      {
        executionSuccessful: true,
        toolConfigurationNotifications: expect.any(Array),
        toolExecutionNotifications: notices.map((text) => ({ level: "note", message: { text } })),
      },
    ]);
  });

  test("JUnit: each notice is a passing test case of the suite 'notices', the whole notice in its system-out", async () => {
    const dir = folder();
    const json = await runCli(["check", "template.json", "--format", "json"], { cwd: dir });
    const notices = (JSON.parse(json.stdout) as { notices: string[] }).notices;
    const junit = await runCli(["check", "template.json", "--format", "junit"], { cwd: dir });
    expect(junit.code).toBe(json.code);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(junit.stdout) as {
      testsuites: { failures: string; errors: string; testsuite: { name: string; tests: string; failures: string; testcase: { name: string; "system-out"?: string } | { name: string; "system-out"?: string }[] }[] };
    };
    const suite = doc.testsuites.testsuite.find((s) => s.name === "notices");
    expect(suite).toMatchObject({ tests: String(notices.length), failures: "0" });
    const cases = [suite!.testcase].flat();
    expect(cases.map((c) => c["system-out"])).toEqual(notices);
    // Named by the notice's first sentence.
    expect(cases[0]!.name).toBe("PL001, PL002, PL003, PL007, PL008, PL014 were not evaluated: no PEC principal is configured and no PartnerLink declares an objectId.");
    // No test fails for a notice: the failures are the findings' alone.
    expect(doc.testsuites.errors).toBe("0");
    expect(Number(doc.testsuites.failures)).toBe(doc.testsuites.testsuite.reduce((n, s) => n + Number(s.failures), 0));
  });
});

describe("JUnit for Azure DevOps: a test fails exactly when the exit code is 1", () => {
  /** The PL012 case of Fabrikam's package, its template not naming its subscription (an info note at `$.$schema`). */
  async function fabrikam(threshold: string[]): Promise<{ code: number; pl012: string }> {
    const dir = path.join(temp.folder(`junit${threshold.length}`, {}), "fabrikam");
    packageWithoutSubscription("fabrikam", dir);
    const run = await runCli(["check", ".", "--format", "junit", ...threshold], { cwd: dir });
    const pl012 = run.stdout.match(/<testcase classname="PL012\.value-unresolved" name="onboarding\.json: Fabrikam managed services">.*?<\/testcase>/s)?.[0] ?? "";
    return { code: run.code, pl012 };
  }

  test("a finding below --severity-threshold passes its case, with the finding in system-out", async () => {
    const { code, pl012 } = await fabrikam([]);
    expect(code).toBe(0);
    expect(pl012).not.toContain("<failure");
    expect(pl012).toMatch(/<system-out>info: 'Fabrikam managed services' \(\$\.\$schema\): value not known before deployment/);
  });

  test("at or above the threshold it fails the case, and the run", async () => {
    const { code, pl012 } = await fabrikam(["--severity-threshold", "info"]);
    expect(code).toBe(1);
    expect(pl012).toMatch(/<failure message="[^"]*value not known before deployment[^"]*" type="info">/);
  });
});

describe("JUnit: a resource is its name in its file", () => {
  /** Each suite's cases: title and outcome ("pass", "fail", "skip"), in order. */
  function junitCases(xml: string): Map<string, [string, string][]> {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml) as {
      testsuites: { testsuite: { name: string; testcase?: Record<string, unknown> | Record<string, unknown>[] }[] };
    };
    return new Map(
      doc.testsuites.testsuite.map((s) => [
        s.name.split(" ")[0]!,
        [s.testcase ?? []].flat().map((c): [string, string] => [String(c.name), "failure" in c ? "fail" : "skipped" in c ? "skip" : "pass"]),
      ]),
    );
  }

  test("a template copied per customer: the same resource name in two files is two cases, the failing copy's fails", async () => {
    const broken = fs.readFileSync(BROKEN, "utf8");
    const name = (JSON.parse(broken) as { resources: { properties: { registrationDefinitionName?: string } }[] }).resources[0]!.properties.registrationDefinitionName!;
    // Customer a's copy gives the PEC principal Contributor (PEC-eligible); customer b's keeps Reader (PL003).
    const fixed = broken.replace('"roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7"', '"roleDefinitionId": "b24988ac-6180-42a0-ab88-20f7382dd24c"');
    expect(fixed).not.toBe(broken);
    const dir = temp.folder("same-name", { "customers/a/onboarding.json": fixed, "customers/b/onboarding.json": broken });
    const run = await runCli(["check", "customers", "--pec-principal", PEC, "--format", "junit"], { cwd: dir });
    expect(run.code).toBe(1);
    const cases = junitCases(run.stdout);
    const titles = [`customers/a/onboarding.json: ${name}`, `customers/b/onboarding.json: ${name}`];
    expect(cases.get("PL003")!.filter(([t]) => titles.includes(t))).toEqual([
      [titles[0], "pass"],
      [titles[1], "fail"],
    ]);
    // Every rule has a case for each copy, and each case's title is one test's alone.
    for (const [rule, list] of cases) {
      if (rule === "notices") continue;
      expect({ rule, titles: titles.filter((t) => list.some(([c]) => c === t)) }).toEqual({ rule, titles });
      expect({ rule, unique: new Set(list.map(([t]) => t)).size }).toEqual({ rule, unique: list.length });
    }
    // The failure is customer b's alone: its message points at b's file.
    const failure = run.stdout.match(/<testcase classname="PL003\.pec-role-not-eligible" name="customers\/b\/onboarding\.json: [^"]*"><failure[^>]*>([^<]*)<\/failure>/)?.[1];
    expect(failure).toContain("at customers/b/onboarding.json");
  });

  test("a finding in a template's parameters file fails the template's case; the parameters file gets none of its own", async () => {
    const fixtures = path.join(REPO_ROOT, "test", "fixtures", "check");
    const run = await runCli(["check", "arm/pl004.json", "--format", "junit"], { cwd: fixtures });
    expect(run.code).toBe(1);
    const pl004 = junitCases(run.stdout).get("PL004")!;
    expect(pl004.filter(([, outcome]) => outcome === "fail").map(([t]) => t)).toEqual([expect.stringMatching(/^arm\/pl004\.json: /)]);
    expect(pl004.map(([t]) => t).filter((t) => t.startsWith("arm/pl004.parameters.json"))).toEqual([]);
    // The failure names where the role is: the parameters file.
    expect(run.stdout).toMatch(/<failure [^>]*>[^<]*at arm\/pl004\.parameters\.json \$/);
  });
});

describe("--output in a reused workspace", () => {
  test("a run that writes no report removes the previous one, and says so", async () => {
    const dir = temp.folder("stale", { "template.json": fs.readFileSync(BROKEN, "utf8") });
    const first = await runCli(["check", "template.json", "--pec-principal", PEC, "--format", "sarif", "--output", "partnerlink.sarif"], { cwd: dir });
    expect(first.code).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "partnerlink.sarif"), "utf8")).runs[0].results.length).toBeGreaterThan(0);

    // The next run's config is missing: a usage error, no report. The last one must not pass for this run's.
    const second = await runCli(["check", "template.json", "--config", "partnerlink.config.yaml", "--format", "sarif", "--output", "partnerlink.sarif"], { cwd: dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("partnerlink.config.yaml");
    expect(second.stderr).toContain("removed the previous report partnerlink.sarif: this run wrote none.");
    expect(fs.existsSync(path.join(dir, "partnerlink.sarif"))).toBe(false);
  });
});

describe("inputs made on Windows, checked on a Linux agent", () => {
  test("a cdktf.out manifest whose stack path has backslashes (cdktf's path.join on Windows) reaches its stack", async () => {
    const stack = {
      "//": { metadata: { backend: "local", stackName: "onboard", version: "0.20.8" } },
      resource: {
        azurerm_lighthouse_definition: {
          def: {
            name: "CDK offer",
            managing_tenant_id: "11111111-1111-4111-8111-111111111111",
            scope: "/subscriptions/2b5b0000-0000-4000-8000-000000000001",
            authorization: [{ principal_id: PEC, role_definition_id: "acdd72a7-3385-48ef-bd42-f606fba81ae7", principal_display_name: "PEC" }],
          },
        },
      },
    };
    const manifest = {
      version: "0.20.8",
      stacks: { onboard: { name: "onboard", constructPath: "onboard", workingDirectory: "stacks\\onboard", synthesizedStackPath: "stacks\\onboard\\cdk.tf.json", annotations: [], dependencies: [] } },
    };
    const dir = temp.folder("windows-cdktf", { "cdktf.out/manifest.json": manifest, "cdktf.out/stacks/onboard/cdk.tf.json": stack });
    const run = await runCli(["check", "cdktf.out/manifest.json", "--pec-principal", PEC, "--format", "json"], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const findings = (JSON.parse(run.stdout) as { findings: { ruleId: string; file: string }[] }).findings;
    expect(findings.filter((f) => f.ruleId === "PL003").map((f) => f.file)).toEqual(["cdktf.out/stacks/onboard/cdk.tf.json"]);
  });
});
