import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BUNDLE_FILES, renderOnboarding, writeTreeAtomically, type CustomerOnboarding } from "../../templates";
import { contoso, CONTRIBUTOR, ONCALL_GROUP, OPS_GROUP, SUPPORT_REQUEST_CONTRIBUTOR, VM_CONTRIBUTOR } from "./fixtures";
import { check } from "./run-cli";

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pl-templates-check-"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes a customer's bundle and runs `partnerlink check <folder> --config <its config>` on it. */
async function checkBundle(name: string, spec: CustomerOnboarding, tamper?: (parameters: any) => void) {
  const dir = path.join(root, name.replace(/\W+/g, "-"));
  writeTreeAtomically(dir, renderOnboarding(spec).files);
  if (tamper) {
    const file = path.join(dir, BUNDLE_FILES.parameters);
    const p = JSON.parse(fs.readFileSync(file, "utf8"));
    tamper(p);
    fs.writeFileSync(file, JSON.stringify(p));
  }
  return check([dir], path.join(dir, BUNDLE_FILES.config), root);
}

const variants: [string, CustomerOnboarding][] = [
  ["subscription", contoso()],
  [
    "subscription, EA, eligible group",
    contoso({
      agreement: "EA",
      partnerId: "5127255",
      eligibleAuthorizations: [{ principalId: ONCALL_GROUP, roleDefinitionId: VM_CONTRIBUTOR, principalType: "Group" }],
    }),
  ],
  ["one resource group, PEC role Support Request Contributor", contoso({ resourceGroups: ["rg-app"], pecRoleId: SUPPORT_REQUEST_CONTRIBUTOR })],
  ["three resource groups", contoso({ resourceGroups: ["rg-a", "rg-b", "rg-c"], agreement: "MCA" })],
];

describe("every generated bundle passes partnerlink check", () => {
  it.each(variants)("%s", async (name, spec) => {
    const { code, report, stderr } = await checkBundle(name, spec);
    expect(stderr).toBe("");
    expect(report.findings.filter((f) => f.severity !== "info")).toEqual([]);
    expect(report.summary.files).toBeGreaterThanOrEqual(2); // the template and its parameters file at least
    expect(code).toBe(0);
  });

  it("and the same check fails once the PEC principal is taken out of the parameters file", async () => {
    const { code, report } = await checkBundle("tampered", contoso(), (p) => {
      p.parameters.authorizations.value = p.parameters.authorizations.value.slice(1);
      expect(p.parameters.authorizations.value[0].principalId).toBe(OPS_GROUP);
    });
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.ruleId)).toContain("PL001");
  });

  it("and fails when the PEC principal is demoted to Reader", async () => {
    const { code, report } = await checkBundle("reader", contoso(), (p) => {
      expect(p.parameters.authorizations.value[0].roleDefinitionId).toBe(CONTRIBUTOR);
      p.parameters.authorizations.value[0].roleDefinitionId = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    });
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.ruleId)).toContain("PL003");
  });
});
