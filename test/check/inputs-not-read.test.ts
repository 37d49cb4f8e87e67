/**
 * Paths that give `partnerlink check` nothing to check are usage errors (exit 2), named with what to check instead:
 * a folder with no input (a mistyped CI path, or sources only: Bicep that was not compiled, Terraform HCL without a
 * plan) must not pass as "0 files checked", and a Bicep or HCL file named directly is not "invalid JSON".
 */
import * as path from "node:path";
import { runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

const { folder } = tempFolders("pl-not-read-");

const TEMPLATE = {
  $schema: "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
  contentVersion: "1.0.0.0",
  resources: [],
};

test("a folder of Bicep and Terraform sources: exit 2 naming the folder, the files, and the commands that make inputs of them", async () => {
  const dir = folder("sources", { "infra/main.bicep": "param sub string\n", "infra/main.bicepparam": "using './main.bicep'\n", "infra/net/vnet.tf": 'resource "x" "y" {}\n', "infra/package.json": { name: "x" } });
  const run = await runCli(["check", "infra"], { cwd: dir });
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^partnerlink check: infra: holds no input partnerlink reads \(/);
  expect(lines[0]).toContain("Bicep source (main.bicep): compile it with `az bicep build --file <file>`");
  expect(lines[0]).toContain("Bicep parameters (main.bicepparam): compile it with `az bicep build-params --file <file>`");
  expect(lines[0]).toContain(`Terraform HCL (${path.join("net", "vnet.tf")}): check a plan as JSON (\`terraform plan -out tfplan && terraform show -json tfplan > plan.json\`)`);
  expect(run.stderr).not.toMatch(/\n\s+at /);
});

test("an empty folder, or one of JSON files that are not inputs: exit 2, 'check the path'", async () => {
  for (const [name, files] of [
    ["empty", {}],
    ["npm-only", { "package.json": { name: "x" }, "tsconfig.json": { compilerOptions: {} } }],
  ] as const) {
    const dir = folder(name, { "readme.md": "nothing here\n", ...files });
    const run = await runCli(["check", "."], { cwd: dir });
    expect(run.code).toBe(2);
    // "." is named as the folder it is.
    expect(run.stderr.trim()).toBe(`partnerlink check: ${dir}: holds no input partnerlink reads (ARM template or parameters file, Terraform plan JSON, Terraform JSON, CDKTF output, partnerlink config); check the path`);
  }
});

test("a Bicep or HCL file named directly: exit 2 with the command for that file, not 'not valid JSON'", async () => {
  const dir = folder("named", { "main.bicep": "param sub string\n", "main.tf": 'resource "x" "y" {}\n' });
  const bicep = await runCli(["check", "main.bicep"], { cwd: dir });
  expect(bicep.code).toBe(2);
  expect(bicep.stderr.trim()).toBe(
    "partnerlink check: main.bicep: is Bicep source, which partnerlink does not read: compile it with `az bicep build --file main.bicep` and check the ARM template it writes",
  );
  const hcl = await runCli(["check", "main.tf"], { cwd: dir });
  expect(hcl.code).toBe(2);
  expect(hcl.stderr).toMatch(/main\.tf: is Terraform HCL, which partnerlink does not read: check a plan as JSON/);
  expect(hcl.stderr).not.toMatch(/not valid JSON/);
});

test("sources next to inputs are left alone: the folder is checked, nothing is said of them", async () => {
  const dir = folder("mixed", { "main.bicep": "param sub string\n", "main.json": TEMPLATE });
  const run = await runCli(["check", "."], { cwd: dir });
  expect(run.code).toBe(0);
  expect(run.stderr).toBe("");
  expect(run.stdout).toMatch(/^1 file\(s\) checked/m);
});
