/**
 * A finding's fix names the property as the user's input names it: `authorization` / `role_definition_id` in a
 * Terraform plan, `.tf.json` or CDKTF output (azurerm's attribute names), `authorizations` / `roleDefinitionId` in an
 * ARM template. The finding's path already did; the fix text said the ARM names for every format.
 */
import * as path from "node:path";
import { findingsOf, runCli } from "./run-cli";

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
