/**
 * One element of an authorization or approver list known only at deployment (`"[reference(...)]"` among literal
 * entries, as a template that adds a grant read from another resource has it): reported as not evaluated (PL012) at
 * that element, the other entries checked as usual; never an unreadable input (exit 2), never guessed.
 */
import { findingsOf, runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

const PEC = "11111111-1111-1111-1111-111111111111";
const GROUP = "22222222-2222-2222-2222-222222222222";
const TENANT = "44444444-4444-4444-4444-444444444444";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const CONFIG = { partnerId: "1234567", pecPrincipals: [PEC], palLinkedPrincipals: [PEC] };
const AT_DEPLOYMENT = "[reference('grants').authorization]";

const { folder } = tempFolders("pl-unknown-element-");

function template(properties: Record<string, unknown>) {
  return {
    $schema: "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    resources: [
      {
        type: "Microsoft.ManagedServices/registrationDefinitions",
        apiVersion: "2022-10-01",
        name: "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11",
        properties: { registrationDefinitionName: "Contoso", managedByTenantId: TENANT, ...properties },
      },
    ],
  };
}

async function check(name: string, properties: Record<string, unknown>) {
  const dir = folder(name, { "partnerlink.config.json": CONFIG, "t.json": template(properties) });
  const run = await runCli(["check", "t.json", "--format", "json"], { cwd: dir });
  expect(run.stderr).toBe("");
  return { code: run.code, findings: findingsOf(run).map((f) => [f.ruleId, f.severity, f.path, f.message]) };
}

const P = "$.resources[0].properties";

test("an authorization known only at deployment next to the PEC principal's: PL012 at that element, the PEC authorization checked", async () => {
  const r = await check("next-to-pec", { authorizations: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR }, AT_DEPLOYMENT] });
  expect(r.findings.filter(([rule]) => rule !== "PL012")).toEqual([]);
  const pl012 = r.findings.filter(([, , p]) => p === `${P}.authorizations[1]`);
  expect(pl012).toHaveLength(1);
  expect(pl012[0]![3]).toMatch(/value not known before deployment \(\[reference\('grants'\)\.authorization\]\).*'reference' is evaluated only at deployment/);
  expect(r.code).toBe(0);
});

test("the PEC principal as Reader next to an element known only at deployment: PL003 does not guess", async () => {
  const r = await check("reader", { authorizations: [{ principalId: PEC, roleDefinitionId: READER }, AT_DEPLOYMENT] });
  // The unknown element may hold the PEC principal in a PEC-eligible role, so "none is eligible" cannot be said.
  expect(r.findings.map(([rule]) => rule)).not.toContain("PL003");
  expect(r.findings.map(([rule, , p]) => [rule, p])).toContainEqual(["PL012", `${P}.authorizations[1]`]);
  expect(r.code).toBe(0);
});

test("only an element known at deployment: no PL001 guess, PL012 names the rules it leaves unchecked", async () => {
  const r = await check("only-unknown", { authorizations: [AT_DEPLOYMENT] });
  expect(r.findings.map(([rule]) => rule)).not.toContain("PL001");
  const at = r.findings.find(([, , p]) => p === `${P}.authorizations[0]`);
  expect(at?.[0]).toBe("PL012");
  expect(at?.[3]).toMatch(/PL001/);
  expect(r.code).toBe(0);
});

test("an approver known only at deployment: PL012 at that approver, the eligible authorization checked", async () => {
  const r = await check("approver", {
    authorizations: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR }],
    eligibleAuthorizations: [
      {
        principalId: GROUP,
        roleDefinitionId: CONTRIBUTOR,
        justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT12H", managedByTenantApprovers: ["[reference('approvers').first]"] },
      },
    ],
  });
  const paths = r.findings.map(([rule, , p]) => [rule, p]);
  expect(paths).toContainEqual(["PL012", `${P}.eligibleAuthorizations[0].justInTimeAccessPolicy.managedByTenantApprovers[0]`]);
  // The literal parts of the same policy are still checked: PT12H is over Azure's PT8H limit.
  expect(paths).toContainEqual(["PL005", `${P}.eligibleAuthorizations[0].justInTimeAccessPolicy.maximumActivationDuration`]);
  expect(r.code).toBe(1);
});
