import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { policies } from "../../policies/policies";
import { estateRules, perDelegationRules } from "../../rules/engine";
import { RULES } from "../../rules/metadata";

const root = join(__dirname, "..", "..");

describe("the policy list", () => {
  it("has one policy per rule, named after it, in rule order", () => {
    expect(policies.map((p) => p.name)).toEqual(RULES.map((r) => r.name));
  });

  it("takes description, enforcement and severity from rules/metadata.ts", () => {
    for (const r of RULES) {
      const p = policies.find((x) => x.name === r.name)!;
      expect(p.description).toContain(r.summary);
      expect(p.enforcementLevel).toBe(r.enforcement);
      expect(p.severity).toBe({ error: "high", warning: "medium", info: "low" }[r.severity]);
      expect(p.configSchema).toBeDefined();
    }
  });

  it("per-delegation rules are resource policies, estate rules are stack policies", () => {
    for (const p of policies) {
      const id = RULES.find((r) => r.name === p.name)!.id;
      const isResource = "validateResource" in p && p.validateResource !== undefined;
      const isStack = "validateStack" in p && p.validateStack !== undefined;
      expect([id, isResource, isStack]).toEqual([id, perDelegationRules.includes(id), estateRules.includes(id)]);
    }
  });

  it("what loses PEC or what Azure rejects is mandatory; hygiene is advisory", () => {
    const advisory = policies.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name);
    expect(advisory.sort()).toEqual(["dpor-agreement-mismatch", "subscription-associated-at-resource-groups", "value-unresolved"]);
  });
});

describe("the pack directory", () => {
  it("PulumiPolicy.yaml declares the nodejs runtime", () => {
    const y = parseYaml(readFileSync(join(root, "policies", "PulumiPolicy.yaml"), "utf8")) as Record<string, unknown>;
    expect(y.runtime).toBe("nodejs");
  });

  it("package.json has a version (read by @pulumi/policy) and points the language host at the compiled entry", () => {
    const pkg = JSON.parse(readFileSync(join(root, "policies", "package.json"), "utf8")) as Record<string, string>;
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(pkg.main).toBe("../dist/policies/index.js");
  });

  it("the entry file only constructs the PolicyPack", () => {
    const src = readFileSync(join(root, "policies", "index.ts"), "utf8");
    const code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "").trim();
    expect(code.split("\n").filter((l) => l.trim() !== "")).toEqual([
      'import { PolicyPack } from "@pulumi/policy";',
      'import { POLICY_PACK_DESCRIPTION, POLICY_PACK_NAME, policies } from "./policies";',
      "new PolicyPack(POLICY_PACK_NAME, { description: POLICY_PACK_DESCRIPTION, policies });",
    ]);
  });
});
