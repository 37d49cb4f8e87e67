/**
 * A nested deployment copied once per customer subscription (ARM `copy` on a Microsoft.Resources/deployments; Bicep's
 * `module ... = [for c in customers: ...]`), each copy deploying a registration definition and its assignment with
 * the same GUID, derived from the offer name as the public samples derive it. Each copy is its own delegation: named
 * with its copy index, and joined to the assignment in its own subscription.
 */
import { findingsOf, runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

const PEC = "11111111-1111-1111-1111-111111111111";
const TENANT = "44444444-4444-4444-4444-444444444444";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const SUB_A = "aaaaaaaa-0000-4000-8000-000000000001";
const SUB_B = "aaaaaaaa-0000-4000-8000-000000000002";
const SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#";

const { folder } = tempFolders("pl-copied-deployments-");

/** One module per customer, inner expression scope, the customer's subscription and PEC role passed as parameters. */
const template = {
  $schema: SCHEMA,
  contentVersion: "1.0.0.0",
  parameters: { customers: { type: "array" } },
  resources: [
    {
      type: "Microsoft.Resources/deployments",
      apiVersion: "2022-09-01",
      name: "[format('onboard-{0}', copyIndex())]",
      location: "westeurope",
      subscriptionId: "[parameters('customers')[copyIndex()].subscriptionId]",
      copy: { name: "customer", count: "[length(parameters('customers'))]" },
      properties: {
        mode: "Incremental",
        expressionEvaluationOptions: { scope: "inner" },
        parameters: { pecRole: { value: "[parameters('customers')[copyIndex()].pecRole]" } },
        template: {
          $schema: SCHEMA,
          contentVersion: "1.0.0.0",
          parameters: { pecRole: { type: "string" } },
          resources: [
            {
              type: "Microsoft.ManagedServices/registrationDefinitions",
              apiVersion: "2022-10-01",
              name: "[guid('Contoso managed services')]",
              properties: {
                registrationDefinitionName: "Contoso managed services",
                managedByTenantId: TENANT,
                authorizations: [{ principalId: PEC, roleDefinitionId: "[parameters('pecRole')]" }],
              },
            },
            {
              type: "Microsoft.ManagedServices/registrationAssignments",
              apiVersion: "2022-10-01",
              name: "[guid('Contoso managed services', subscription().id)]",
              dependsOn: ["[guid('Contoso managed services')]"],
              properties: { registrationDefinitionId: "[resourceId('Microsoft.ManagedServices/registrationDefinitions', guid('Contoso managed services'))]" },
            },
          ],
        },
      },
    },
  ],
};

const parameters = {
  $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  contentVersion: "1.0.0.0",
  parameters: { customers: { value: [{ subscriptionId: SUB_A, pecRole: READER }, { subscriptionId: SUB_B, pecRole: CONTRIBUTOR }] } },
};

const config = {
  partnerId: "1234567",
  pecPrincipals: [PEC],
  palLinkedPrincipals: [PEC],
  subscriptions: [
    { subscriptionId: SUB_A, agreement: "CSP" },
    { subscriptionId: SUB_B, agreement: "CSP" },
  ],
};

test("each copy is named with its index and judged with its own assignment: only the Reader customer's subscription is flagged", async () => {
  const dir = folder("per-customer", { "onboard.json": template, "onboard.parameters.json": parameters, "partnerlink.config.json": config });
  const run = await runCli(["check", "onboard.json", "--format", "json"], { cwd: dir });
  expect(run.stderr).toBe("");
  const findings = findingsOf(run).filter((f) => f.ruleId !== "PL012");
  expect(findings.map((f) => [f.ruleId, f.resource])).toEqual(
    expect.arrayContaining([
      ["PL003", "Contoso managed services[0]"],
      ["PL007", expect.stringContaining(SUB_A)],
    ]),
  );
  // Copy 1 (Contributor) earns the credit in its own subscription only: joined to both assignments (the last
  // definition with the GUID), it would have hidden copy 0's missing credit. No finding names it or SUB_B.
  expect(findings.filter((f) => f.resource.includes("[1]") || f.message.includes(SUB_B))).toEqual([]);
  expect(findings.map((f) => f.resource).filter((r) => r.includes("#"))).toEqual([]);
  expect(run.code).toBe(1);
});
