/**
 * Broken on purpose: PL009 managing-tenant-not-allowed. Delegated to a tenant that is not the partner's. See README.md.
 *
 * The resources are declared by azure-native type token, so the tests run the policy pack on it under Pulumi's mocks
 * with no provider plugin (test/examples/broken.test.ts). A real `pulumi preview --policy-pack` needs a Pulumi.yaml
 * and @pulumi/azure-native, whose plugin registers the type: then this is `new managedservices.RegistrationDefinition(...)`.
 * template.json is the same delegation as an ARM template.
 */
import * as pulumi from "@pulumi/pulumi";

const subscriptionId = "2b5b0000-0000-4000-8000-000000000001";

const definition = new pulumi.CustomResource("azure-native:managedservices:RegistrationDefinition", "fabrikam-definition", {
  scope: `/subscriptions/${subscriptionId}`,
  registrationDefinitionId: "6f8e1d2c-3b4a-4c5d-8e9f-0a1b2c3d4e5f",
  properties: {
    registrationDefinitionName: "Contoso managed services for Fabrikam",
    description: "Azure Lighthouse delegation of Fabrikam to Contoso",
    managedByTenantId: "99999999-9999-4999-8999-999999999999",
    authorizations: [
      {
        principalId: "1a000000-0000-4000-8000-000000000001",
        principalIdDisplayName: "Provider Automation Account",
        roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c"
      },
      {
        principalId: "1a000000-0000-4000-8000-000000000002",
        principalIdDisplayName: "Contoso Lighthouse Admins",
        roleDefinitionId: "acdd72a7-3385-48ef-bd42-f606fba81ae7"
      }
    ],
    eligibleAuthorizations: [
      {
        principalId: "1a000000-0000-4000-8000-000000000003",
        principalIdDisplayName: "Alex Wilber (JIT)",
        roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c",
        justInTimeAccessPolicy: {
          multiFactorAuthProvider: "Azure",
          maximumActivationDuration: "PT4H"
        }
      }
    ]
  },
});

new pulumi.CustomResource("azure-native:managedservices:RegistrationAssignment", "fabrikam-assignment", {
  scope: `/subscriptions/${subscriptionId}`,
  registrationAssignmentId: "7a9b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d",
  properties: { registrationDefinitionId: definition.id },
});
