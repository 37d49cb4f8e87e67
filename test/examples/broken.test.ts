/**
 * examples/broken/<rule-name>/: one deliberate mistake per major rule, as a Pulumi program (index.ts) and as an
 * ARM template (template.json) declaring the SAME delegation. Both halves must be caught: the program's
 * registered resources (under setMocks) by the policy pack's policy of that rule, the template by
 * `partnerlink check`, with the same rule ID, under the same partnerlink.config.json.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { RULES } from "../../rules/metadata";
import { findingsOf, runCli } from "../check/run-cli";
import { createResourceValidationArgs, createStackValidationArgs, policy, runResourcePolicy, runStackPolicy } from "../policies/util";
import { runProgram, type RegisteredResource } from "./program-under-mocks";

const BROKEN = path.resolve(__dirname, "../../examples/broken");
const DEFINITION = "azure-native:managedservices:RegistrationDefinition";
const examples = fs.readdirSync(BROKEN).filter((d) => fs.statSync(path.join(BROKEN, d)).isDirectory()).sort();
const ruleOf = (name: string) => RULES.find((r) => r.name === name);

test("one broken example per major rule, each folder complete", () => {
  const ids = examples.map((e) => ruleOf(e)?.id).sort();
  expect(ids).toEqual(expect.arrayContaining(["PL001", "PL002", "PL003", "PL004", "PL005", "PL006", "PL008", "PL009"]));
  for (const e of examples) {
    for (const f of ["index.ts", "template.json", "partnerlink.config.json", "README.md"]) expect(fs.existsSync(path.join(BROKEN, e, f))).toBe(true);
    const readme = fs.readFileSync(path.join(BROKEN, e, "README.md"), "utf8");
    expect(readme).toContain(ruleOf(e)!.id);
    expect(readme).toMatch(/## What is wrong[\s\S]+## What it costs[\s\S]+## The fix/);
  }
});

/** The registration definition an ARM template declares (top level, or in a nested deployment), with its scope. */
function templateDefinition(template: any): { properties: any; resourceGroup?: string } {
  for (const r of template.resources) {
    if (r.type === "Microsoft.ManagedServices/registrationDefinitions") return { properties: r.properties };
    if (r.type === "Microsoft.Resources/deployments") {
      const inner = r.properties.template.resources.find((x: any) => x.type === "Microsoft.ManagedServices/registrationDefinitions");
      if (inner) return { properties: inner.properties, resourceGroup: r.resourceGroup };
    }
  }
  throw new Error("no registration definition in template");
}

describe.each(examples)("examples/broken/%s", (example) => {
  const dir = path.join(BROKEN, example);
  const meta = ruleOf(example)!;
  const config = JSON.parse(fs.readFileSync(path.join(dir, "partnerlink.config.json"), "utf8"));
  let resources: RegisteredResource[];

  beforeAll(async () => {
    resources = await runProgram(path.join(dir, "index.ts"));
  });

  test("the program and the template declare the same delegation", () => {
    const def = resources.find((r) => r.type === DEFINITION)!;
    const tpl = templateDefinition(JSON.parse(fs.readFileSync(path.join(dir, "template.json"), "utf8")));
    expect(def.inputs.properties).toEqual(tpl.properties);
    const rg = /\/resourceGroups\/([^/]+)$/i.exec(String(def.inputs.scope))?.[1];
    expect(rg).toBe(tpl.resourceGroup);
  });

  test(`the policy pack's ${meta.name} policy reports ${meta.id} on the program`, async () => {
    let messages: string[];
    if (meta.id === "PL007" || meta.id === "PL008" || meta.id === "PL011") {
      const args = createStackValidationArgs(resources.map((r) => ({ type: r.type, name: r.name, props: r.inputs })), config);
      const run = await runStackPolicy(policy(meta.name), args);
      expect(run.notApplicable).toBeUndefined();
      messages = run.violations.map((v) => v.message);
    } else {
      const def = resources.find((r) => r.type === DEFINITION)!;
      const run = await runResourcePolicy(policy(meta.name), createResourceValidationArgs(def.type, def.inputs, { name: def.name, config }));
      expect(run.notApplicable).toBeUndefined();
      messages = run.violations.map((v) => v.message);
    }
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => m.startsWith(`${meta.id} `))).toBe(true);
  });

  test(`partnerlink check reports ${meta.id} on the template`, async () => {
    const run = await runCli(["check", path.join(dir, "template.json"), "--config", path.join(dir, "partnerlink.config.json"), "--format", "json"]);
    expect(run.code).toBe(1);
    const errors = findingsOf(run).filter((f) => f.severity === "error");
    expect(errors.map((f) => f.ruleId)).toContain(meta.id);
  });
});
