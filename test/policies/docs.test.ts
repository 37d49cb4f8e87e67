import { readFileSync } from "node:fs";
import { POLICY_DOCS_PATH, renderPolicyDocs } from "../../scripts/gen-policy-docs";
import { RULES } from "../../rules/metadata";

describe("docs/policies.md", () => {
  const generated = renderPolicyDocs();

  it("is exactly what scripts/gen-policy-docs.ts generates (run `npm run docs` after changing rules/metadata.ts)", () => {
    expect(readFileSync(POLICY_DOCS_PATH, "utf8")).toBe(generated);
  });

  it("documents every rule: policy name, checks, cost, fix, example, default enforcement", () => {
    for (const r of RULES) {
      const section = generated.split(`## ${r.id} ${r.name}\n`)[1]?.split("\n## ")[0];
      expect(section).toBeDefined();
      expect(section).toContain(`Policy: \`${r.name}\``);
      expect(section).toContain(`Default enforcement: ${r.enforcement}`);
      expect(section).toContain(r.cost.split(" ").slice(0, 4).join(" "));
      expect(section).toContain(r.fix.split(" ").slice(0, 4).join(" "));
      expect(section).toContain(r.example);
    }
  });
});
