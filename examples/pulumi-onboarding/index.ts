/**
 * A Pulumi TypeScript program using partnerlink's resources directly: the partner links its automation service
 * principal to its partner ID (Partner Admin Link), then onboards two customers through Azure Lighthouse. The PEC
 * authorization always takes the linked principal's object ID from the link itself, so the principal that earns
 * Partner Earned Credit is exactly the one that is PAL-linked.
 *
 * Config (`pulumi config set ...`):
 *   partnerId, partnerTenantId, pecClientId              the partner side
 *   --secret pecClientSecret                             the PEC service principal's client secret
 *   --secret fabrikamDeployerSecret, northwindDeployerSecret   Owner service principals in each customer tenant
 */
import * as pulumi from "@pulumi/pulumi";
import { LighthouseOnboarding, PartnerAdminLink } from "partnerlink/provider";

const config = new pulumi.Config();
const partnerTenantId = config.require("partnerTenantId");

// 1. Partner Admin Link: made BY the identity that signs in (the Provider Automation Account).
const link = new PartnerAdminLink("contoso-pal", {
  partnerId: config.require("partnerId"),
  connection: {
    credential: { kind: "clientSecret", tenantId: partnerTenantId, clientId: config.require("pecClientId"), clientSecret: config.requireSecret("pecClientSecret") },
  },
});

const pecAuthorization = { principalId: link.objectId, principalDisplayName: "Provider Automation Account" };
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";

// 2. A whole subscription, with a permanent Reader for the operations group and a just-in-time Contributor.
const fabrikam = new LighthouseOnboarding("fabrikam", {
  managingTenantId: partnerTenantId,
  customerTenantId: "22222222-2222-4222-8222-222222222222",
  subscriptionId: "2b5b0000-0000-4000-8000-000000000001",
  offerName: "Contoso managed services for Fabrikam",
  pecAuthorization,
  authorizations: [{ principalId: "1a000000-0000-4000-8000-000000000002", principalIdDisplayName: "Contoso Lighthouse Admins", roleDefinitionId: READER }],
  eligibleAuthorizations: [
    {
      principalId: "1a000000-0000-4000-8000-000000000003",
      principalIdDisplayName: "Alex Wilber (JIT)",
      roleDefinitionId: CONTRIBUTOR,
      justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT4H" },
    },
  ],
  customerConnection: {
    credential: { kind: "clientSecret", tenantId: "22222222-2222-4222-8222-222222222222", clientId: "2b000000-0000-4000-8000-0000000000a1", clientSecret: config.requireSecret("fabrikamDeployerSecret") },
  },
});

// 3. Two resource groups only.
const northwind = new LighthouseOnboarding("northwind", {
  managingTenantId: partnerTenantId,
  customerTenantId: "33333333-3333-4333-8333-333333333333",
  subscriptionId: "3c5b0000-0000-4000-8000-000000000001",
  resourceGroups: ["rg-northwind-web", "rg-northwind-data"],
  offerName: "Contoso managed services for Northwind",
  pecAuthorization,
  customerConnection: {
    credential: { kind: "clientSecret", tenantId: "33333333-3333-4333-8333-333333333333", clientId: "3c000000-0000-4000-8000-0000000000a1", clientSecret: config.requireSecret("northwindDeployerSecret") },
  },
});

export const linkedObjectId = link.objectId;
export const partnerName = link.partnerName;
export const fabrikamDefinitionId = fabrikam.definitionId;
export const northwindAssignmentIds = northwind.assignmentIds;
