import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadInputs } from "../../formats/load";
import { loadConfigFile } from "../../rules/config";
import { evaluate } from "../../rules/engine";
import { BUNDLE_FILES, renderOnboarding, writeTreeAtomically, type CustomerOnboarding } from "../../templates";
import { contoso, CONTRIBUTOR, ONCALL_GROUP, OPS_GROUP, SUPPORT_REQUEST_CONTRIBUTOR, VM_CONTRIBUTOR } from "./fixtures";

/**
 * What `partnerlink check <dir>` does: read the folder (template paired with its parameters file, the
 * partnerlink config), then run the rules with that config.
 */
function checkFolder(dir: string) {
  const loaded = loadInputs([dir]);
  expect(loaded.errors.map((e) => e.message)).toEqual([]);
  const config = loadConfigFile(path.join(dir, BUNDLE_FILES.config));
  return { loaded, ...evaluate(loaded.estate, config, { inlineWaivers: loaded.inlineWaivers }) };
}

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pl-templates-check-"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const variants: [string, CustomerOnboarding][] = [
  ["subscription", contoso()],
  ["subscription, EA, eligible group", contoso({
    agreement: "EA",
    partnerId: "5127255",
    eligibleAuthorizations: [{ principalId: ONCALL_GROUP, roleDefinitionId: VM_CONTRIBUTOR, principalType: "Group" }],
  })],
  ["one resource group, PEC role Support Request Contributor", contoso({ resourceGroups: ["rg-app"], pecRoleId: SUPPORT_REQUEST_CONTRIBUTOR })],
  ["three resource groups", contoso({ resourceGroups: ["rg-a", "rg-b", "rg-c"], agreement: "MCA" })],
];

describe("every generated bundle passes partnerlink check", () => {
  it.each(variants)("%s", (name, spec) => {
    const dir = path.join(root, name.replace(/\W+/g, "-"));
    writeTreeAtomically(dir, renderOnboarding(spec).files);
    const { loaded, findings } = checkFolder(dir);
    const expected = spec.resourceGroups && spec.resourceGroups.length > 1 ? spec.resourceGroups.length : 1;
    expect(loaded.estate.delegations).toHaveLength(expected);
    expect(findings.filter((f) => f.severity !== "info")).toEqual([]);
  });

  it("and the same check fails once the PEC principal is taken out of the parameters file", () => {
    const dir = path.join(root, "tampered");
    writeTreeAtomically(dir, renderOnboarding(contoso()).files);
    const file = path.join(dir, BUNDLE_FILES.parameters);
    const p = JSON.parse(fs.readFileSync(file, "utf8"));
    p.parameters.authorizations.value = p.parameters.authorizations.value.slice(1);
    expect(p.parameters.authorizations.value[0].principalId).toBe(OPS_GROUP);
    fs.writeFileSync(file, JSON.stringify(p));
    const { findings } = checkFolder(dir);
    expect(findings.map((f) => f.ruleId)).toContain("PL001");
  });

  it("and fails when the PEC principal is demoted to Reader", () => {
    const dir = path.join(root, "reader");
    writeTreeAtomically(dir, renderOnboarding(contoso()).files);
    const file = path.join(dir, BUNDLE_FILES.parameters);
    const p = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(p.parameters.authorizations.value[0].roleDefinitionId).toBe(CONTRIBUTOR);
    p.parameters.authorizations.value[0].roleDefinitionId = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    fs.writeFileSync(file, JSON.stringify(p));
    expect(checkFolder(dir).findings.map((f) => f.ruleId)).toContain("PL003");
  });
});
