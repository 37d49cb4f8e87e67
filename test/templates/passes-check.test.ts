import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BUNDLE_FILES, renderOnboarding, writeTreeAtomically, type CustomerOnboarding } from "../../templates";
import { contoso, CONTRIBUTOR, ONCALL_GROUP, OPS_GROUP, SUB, SUPPORT_REQUEST_CONTRIBUTOR, VM_CONTRIBUTOR } from "./fixtures";
import { check } from "./run-cli";

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pl-templates-check-"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes a customer's bundle and runs `partnerlink check <folder> --config <its config>` on it. */
async function checkBundle(
  name: string,
  spec: CustomerOnboarding,
  tamper?: (parameters: any) => void,
  tamperFile: (typeof BUNDLE_FILES)["parameters" | "template" | "config"] = BUNDLE_FILES.parameters,
) {
  const dir = path.join(root, name.replace(/\W+/g, "-"));
  writeTreeAtomically(dir, renderOnboarding(spec).files);
  if (tamper) {
    const file = path.join(dir, tamperFile);
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
    // Not even an info, but PL014's on a bundle that delegates resource groups only (PEC is earned on those groups
    // alone): the template names the subscription it is made for, so its scope is known (no PL012).
    const groups = spec.resourceGroups ?? [];
    expect(report.findings.map((f) => [f.ruleId, f.severity, f.message.includes(`only: the delegations`)])).toEqual(groups.length > 0 ? [["PL014", "info", true]] : []);
    for (const g of groups) expect(report.findings[0]!.message).toContain(g);
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

describe("the template names its subscription (metadata partnerlink:subscriptionId), and check judges it there", () => {
  const OTHER_SUB = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";

  it("PL007 is judged in that subscription: the package's is covered, another the config declares is reported", async () => {
    const { code, report } = await checkBundle(
      "other subscription",
      contoso({ resourceGroups: ["rg-app"] }),
      (c) => c.subscriptions.push({ subscriptionId: OTHER_SUB, name: "Other" }),
      BUNDLE_FILES.config,
    );
    // The package's subscription is associated at its resource group only: PL014's info, not PL007's error.
    expect(report.findings.map((f) => [f.ruleId, f.severity, f.message.includes(OTHER_SUB)])).toEqual([
      ["PL014", "info", false],
      ["PL007", "error", true],
    ]);
    expect(code).toBe(1);
  });

  it("a template without it keeps its scope unknown: PL012 at $.$schema, as for any subscription-level template", async () => {
    const { code, report } = await checkBundle(
      "no metadata",
      contoso(),
      (t) => {
        expect(t.metadata["partnerlink:subscriptionId"]).toBe(SUB);
        delete t.metadata["partnerlink:subscriptionId"];
      },
      BUNDLE_FILES.template,
    );
    expect(report.findings.map((f) => [f.ruleId, f.path])).toEqual([["PL012", "$.$schema"]]);
    expect(code).toBe(0);
  });

  it("a value that is not a subscription GUID is an input error naming the file, the property and the fix", async () => {
    const { code, stderr } = await checkBundle("bad metadata", contoso(), (t) => (t.metadata["partnerlink:subscriptionId"] = "[subscription().subscriptionId]"), BUNDLE_FILES.template);
    expect(code).toBe(2);
    expect(stderr).toMatch(/onboarding\.json.*\$\.metadata\["partnerlink:subscriptionId"\].*must be the GUID of the subscription the template is deployed to.*Fix: write that subscription's ID, or remove the key/);
    expect(stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});
