/**
 * docs/check.md against the command it documents: every option of `partnerlink check --help` in its table (and
 * no other), the config waiver example a valid partnerlink config, the inline waiver example one the ARM adapter
 * applies, and the JSON report's top-level keys those the reporter writes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseConfigText } from "../../rules/config";
import { runCli } from "./run-cli";

const DOC = fs.readFileSync(path.resolve(__dirname, "..", "..", "docs", "check.md"), "utf8");
const FIXTURES = path.resolve(__dirname, "..", "fixtures", "check");

/** The fenced blocks of the doc in a language. */
function blocks(lang: string): string[] {
  return [...DOC.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
}

test("the options table lists exactly the options of --help", async () => {
  const help = (await runCli(["check", "--help"])).stdout;
  const fromHelp = new Set([...help.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]!));
  fromHelp.delete("--help");
  const section = DOC.split("## Options")[1]!.split("\n## ")[0]!;
  const fromDoc = new Set([...section.matchAll(/^\| `(--[a-z-]+)/gm)].map((m) => m[1]!));
  expect(fromHelp.size).toBeGreaterThan(8);
  expect([...fromDoc].sort()).toEqual([...fromHelp].sort());
});

test("the config waiver example is a valid partnerlink config", () => {
  const yaml = blocks("yaml").find((b) => b.startsWith("waivers:"));
  expect(yaml).toBeDefined();
  const config = parseConfigText(yaml!, "docs/check.md");
  expect(config.waivers).toEqual([expect.objectContaining({ rule: "PL003", expires: "2027-03-31" })]);
});

interface ArmNode {
  type?: string;
  metadata?: unknown;
  resources?: ArmNode[];
  properties?: { template?: ArmNode };
}

/** The registrationDefinitions resources of a template, nested deployments included. */
function registrationDefinitions(t: ArmNode): ArmNode[] {
  return (t.resources ?? []).flatMap((r) => [
    ...(r.type === "Microsoft.ManagedServices/registrationDefinitions" ? [r] : []),
    ...(r.properties?.template ? registrationDefinitions(r.properties.template) : []),
  ]);
}

test("the inline waiver example waives a finding when put in an ARM resource's metadata", async () => {
  const inline = blocks("json").find((b) => b.includes("partnerlink:waive"));
  expect(inline).toBeDefined();
  const metadata = (JSON.parse(`{${inline!.trim()}}`) as { metadata: unknown }).metadata;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-docs-"));
  try {
    // The PL004 fixture's finding is on the registration definition, inside a nested deployment.
    const template = JSON.parse(fs.readFileSync(path.join(FIXTURES, "arm", "pl004.json"), "utf8")) as ArmNode;
    const run = async () => JSON.parse((await runCli(["check", "pl004.json", "--format", "json"], { cwd: dir })).stdout) as { findings: { ruleId: string; suppressed?: unknown }[] };
    fs.copyFileSync(path.join(FIXTURES, "arm", "pl004.parameters.json"), path.join(dir, "pl004.parameters.json"));
    fs.writeFileSync(path.join(dir, "pl004.json"), JSON.stringify(template));
    const before = (await run()).findings.filter((f) => f.ruleId === "PL004");
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((f) => f.suppressed === undefined)).toBe(true);
    const definitions = registrationDefinitions(template);
    expect(definitions.length).toBe(1);
    definitions[0]!.metadata = metadata;
    fs.writeFileSync(path.join(dir, "pl004.json"), JSON.stringify(template));
    const after = (await run()).findings.filter((f) => f.ruleId === "PL004");
    expect(after.length).toBe(before.length);
    expect(after.every((f) => f.suppressed !== undefined)).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the JSON report example has the reporter's top-level and summary keys", async () => {
  const example = JSON.parse(blocks("json").find((b) => b.trimStart().startsWith('{\n  "findings"'))!) as Record<string, Record<string, unknown>>;
  const real = JSON.parse((await runCli(["check", "tfjson/pl004.tf.json", "--format", "json"], { cwd: FIXTURES })).stdout) as Record<string, Record<string, unknown>>;
  expect(Object.keys(example).sort()).toEqual(Object.keys(real).sort());
  expect(Object.keys(example.summary!).sort()).toEqual(Object.keys(real.summary!).sort());
});
