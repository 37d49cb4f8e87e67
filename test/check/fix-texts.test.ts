/**
 * A finding's fix names the property as the user's input names it: `authorization` / `role_definition_id` in a
 * Terraform plan, `.tf.json` or CDKTF output (azurerm's attribute names), `authorizations` / `roleDefinitionId` in an
 * ARM template. The finding's path already did; the fix text said the ARM names for every format.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { findingsOf, runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

const FIXTURES = path.resolve(__dirname, "..", "fixtures", "check");
const CONFIG = path.join(FIXTURES, "partnerlink.config.json");

/** ARM's (the model's) names that azurerm spells differently; config keys (pecPrincipals, partnerId in config) are not among them. */
const ARM_NAMES = ["authorizations", "eligibleAuthorizations", "principalId", "roleDefinitionId", "managedByTenantId", "delegatedRoleDefinitionIds"];

/** The fix each fixture's finding must give, per input format: [rule, text in the fix]. */
const EXPECTED: Record<string, { arm: [string, string]; terraform: [string, string] }[]> = {
  pl001: [{ arm: ["PL001", 'add {"principalId": "11111111-1111-1111-1111-111111111111", "roleDefinitionId": "b24988ac-6180-42a0-ab88-20f7382dd24c"} (Contributor) to authorizations (not eligibleAuthorizations)'], terraform: ["PL001", 'add {"principal_id": "11111111-1111-1111-1111-111111111111", "role_definition_id": "b24988ac-6180-42a0-ab88-20f7382dd24c"} (Contributor) to authorization (not eligible_authorization)'] }],
  pl002: [
    { arm: ["PL002", "move it from eligibleAuthorizations to authorizations"], terraform: ["PL002", "move it from eligible_authorization to authorization"] },
    { arm: ["PL005", "move it to authorizations, or use a user or group"], terraform: ["PL005", "move it to authorization, or use a user or group"] },
  ],
  pl003: [{ arm: ["PL003", "set roleDefinitionId to b24988ac-6180-42a0-ab88-20f7382dd24c"], terraform: ["PL003", "set role_definition_id to b24988ac-6180-42a0-ab88-20f7382dd24c"] }],
  pl012: [{ arm: ["PL012", "use a value known before deployment (a literal, or a parameter or variable that holds one)"], terraform: ["PL012", "use a value known before deployment (a literal, or a parameter or variable that holds one)"] }],
  pl009: [{ arm: ["PL009", "set managedByTenantId to the partner tenant"], terraform: ["PL009", "set managing_tenant_id to the partner tenant"] }],
};

/** The input of fixture `name` in each format. */
const INPUTS: [format: string, kind: "arm" | "terraform", input: (name: string) => string][] = [
  ["ARM template", "arm", (n) => path.join(FIXTURES, "arm", `${n}.json`)],
  ["Terraform plan", "terraform", (n) => path.join(FIXTURES, "tfplan", `${n}.plan.json`)],
  ["Terraform JSON", "terraform", (n) => path.join(FIXTURES, "tfjson", `${n}.tf.json`)],
  ["CDKTF output", "terraform", (n) => path.join(FIXTURES, "cdktf", n)],
];

describe.each(INPUTS)("fix texts on %s input", (_format, kind, input) => {
  test.each(Object.keys(EXPECTED))("%s: the fix names the input's own properties", async (fixture) => {
    const run = await runCli(["check", input(fixture), "--config", CONFIG, "--format", "json"]);
    expect(run.stderr).toBe("");
    const findings = findingsOf(run);
    for (const e of EXPECTED[fixture]!) {
      const [rule, fix] = e[kind];
      const messages = findings.filter((f) => f.ruleId === rule).map((f) => f.message);
      expect(messages).toEqual(expect.arrayContaining([expect.stringContaining(`Fix: ${fix}`)]));
    }
    if (kind === "terraform") {
      for (const f of findings) {
        const fixText = f.message.slice(f.message.indexOf("Fix:"));
        for (const armName of ARM_NAMES) expect({ rule: f.ruleId, fix: fixText, armName, found: new RegExp(`\\b${armName}\\b`).test(fixText) }).toMatchObject({ found: false });
      }
    }
  });
});

describe("a malformed definition or assignment ID: the fix in the input's terms", () => {
  const temp = tempFolders("pl-fix-ids-");

  /** The PL010 fixture with its definition named "contoso-offer" and its assignment "contoso-assignment". */
  function withBadIds(file: string, kind: "arm" | "terraform"): string {
    let text = fs.readFileSync(path.join(FIXTURES, file), "utf8");
    text =
      kind === "arm"
        ? text.replace(`"name": "[variables('definitionId')]"`, `"name": "contoso-offer"`).replace(`"name": "[guid(parameters('mspOfferName'), parameters('customerSubscriptionId'))]"`, `"name": "contoso-assignment"`)
        : text.replace(`"lighthouse_definition_id": "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11"`, `"lighthouse_definition_id": "contoso-offer"`).replace(`"lighthouse_definition_id": "\${azurerm_lighthouse_definition.contoso.id}"`, `"lighthouse_definition_id": "\${azurerm_lighthouse_definition.contoso.id}", "name": "contoso-assignment"`);
    expect(text).toContain("contoso-offer");
    expect(text).toContain("contoso-assignment");
    const dir = temp.root();
    const out = path.join(dir, path.basename(file));
    fs.writeFileSync(out, text);
    if (kind === "arm") fs.copyFileSync(path.join(FIXTURES, "arm", "pl010.parameters.json"), path.join(dir, "pl010.parameters.json"));
    return out;
  }

  test.each([
    ["ARM template", "arm/pl010.json", "arm" as const, ["use a GUID, e.g. guid(offerName) in a template", "use a GUID, e.g. guid(offerName, scope) in a template"]],
    ["Terraform JSON", "tfjson/pl010.tf.json", "terraform" as const, ["use a GUID, or leave out lighthouse_definition_id and azurerm generates one", "use a GUID, or leave out name and azurerm generates one"]],
  ])("%s", async (_format, file, kind, fixes) => {
    const run = await runCli(["check", withBadIds(file, kind), "--config", CONFIG, "--format", "json"]);
    const messages = findingsOf(run).filter((f) => f.ruleId === "PL010").map((f) => f.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/"contoso-offer" is not a registration definition ID/), expect.stringMatching(/"contoso-assignment" is not a registration assignment ID/)]));
    for (const fix of fixes) expect(messages).toEqual(expect.arrayContaining([expect.stringContaining(`Fix: ${fix}.`)]));
    if (kind === "terraform") for (const m of messages) expect(m).not.toContain("guid(");
    if (kind === "arm") {
      // The IDs are the resources' `name`s: the paths name them, so SARIF can place them on a line.
      const paths = findingsOf(run).filter((f) => f.ruleId === "PL010" && /contoso-(offer|assignment)/.test(f.message)).map((f) => f.path);
      expect(paths).toEqual(expect.arrayContaining([expect.stringMatching(/^\$\.resources\[0\]\.properties\.template\.resources\[0\]\.name$/), expect.stringMatching(/^\$\.resources\[0\]\.properties\.template\.resources\[1\]\.name$/)]));
    }
  });
});
