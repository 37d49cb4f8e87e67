/**
 * The reports as CI pipelines consume them (the CI trial): GitHub code scanning's SARIF upload, Azure DevOps'
 * PublishTestResults (JUnit), and --output in a reused workspace.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const EXAMPLES = path.join(REPO_ROOT, "examples", "arm-templates", "onboarding");
const BROKEN = path.join(REPO_ROOT, "examples", "broken", "pec-role-not-eligible", "template.json");
const PEC = "1a000000-0000-4000-8000-000000000001";

const temp = tempFolders("pl-ci-reports-");

interface SarifResult {
  ruleId: string;
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
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
    const fingerprints = results.map((r) => r.partialFingerprints["partnerlink/v1"]);
    expect(new Set(fingerprints).size).toBe(results.length);
  });

  test("the fingerprints are the same from another checkout path and from a subfolder", async () => {
    const a = checkout("first");
    const b = checkout(path.join("other place", "second"));
    const fromA = (await sarifResults(["infra", "--pec-principal", PEC], a)).map((r) => r.partialFingerprints["partnerlink/v1"]);
    const fromB = (await sarifResults(["infra", "--pec-principal", PEC], b)).map((r) => r.partialFingerprints["partnerlink/v1"]);
    const fromSub = (await sarifResults([".", "--pec-principal", PEC], path.join(b, "infra"))).map((r) => r.partialFingerprints["partnerlink/v1"]);
    expect(fromA.length).toBeGreaterThan(5);
    expect(fromB).toEqual(fromA);
    expect(fromSub).toEqual(fromA);
    for (const fp of fromA) expect(fp).not.toContain(a);
  });
});

describe("JUnit for Azure DevOps: a test fails exactly when the exit code is 1", () => {
  /** The PL012 case of Fabrikam's package, its template not naming its subscription (an info note at `$.$schema`). */
  async function fabrikam(threshold: string[]): Promise<{ code: number; pl012: string }> {
    const dir = path.join(temp.folder(`junit${threshold.length}`, {}), "fabrikam");
    packageWithoutSubscription("fabrikam", dir);
    const run = await runCli(["check", ".", "--format", "junit", ...threshold], { cwd: dir });
    const pl012 = run.stdout.match(/<testcase classname="PL012\.value-unresolved" name="Fabrikam managed services">.*?<\/testcase>/s)?.[0] ?? "";
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
