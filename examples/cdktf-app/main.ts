/**
 * A CDK for Terraform app using partnerlink/cdktf: the partner's Partner Admin Link (azapi) and two customer
 * onboardings (azurerm_lighthouse_definition + azurerm_lighthouse_assignment) with the PEC principal's permanent
 * Contributor built in. The constructs run partnerlink's rules when constructed: a delegation that would lose
 * Partner Earned Credit does not synthesize. `cdktf synth` (or `npx --yes ts-node@10 main.ts`) writes cdktf.out/;
 * `partnerlink check cdktf.out` checks it.
 *
 * CDKTF is deprecated (HashiCorp, 2025-12-10): see docs/cdktf.md for the way out.
 */
import { App, TerraformStack } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider"; // deep import: never the package root
import { LighthouseOnboarding, PartnerAdminLink } from "partnerlink/cdktf";

const PARTNER_TENANT = "11111111-1111-4111-8111-111111111111";
const PEC_PRINCIPAL = "1a000000-0000-4000-8000-000000000001"; // Provider Automation Account (PAL-linked)
const LIGHTHOUSE_ADMINS = "1a000000-0000-4000-8000-000000000002";
const ENGINEER = "1a000000-0000-4000-8000-000000000003";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";

/** The partner side, run as the PEC service principal in the partner tenant. */
class PartnerStack extends TerraformStack {
  constructor(scope: App, id: string) {
    super(scope, id);
    new AzurermProvider(this, "azurerm", { features: [{}] });
    new PartnerAdminLink(this, "pal", { partnerId: "1234567" });
  }
}

/** The customer side: one stack per customer, run with an Owner of the customer's subscription. */
class CustomersStack extends TerraformStack {
  constructor(scope: App, id: string) {
    super(scope, id);
    new AzurermProvider(this, "azurerm", { features: [{}] });
    new LighthouseOnboarding(this, "fabrikam", {
      offerName: "Contoso managed services for Fabrikam",
      subscriptionId: "2b5b0000-0000-4000-8000-000000000001",
      managingTenantId: PARTNER_TENANT,
      pecPrincipalId: PEC_PRINCIPAL,
      pecPrincipalDisplayName: "Provider Automation Account",
      authorizations: [{ principalId: LIGHTHOUSE_ADMINS, roleDefinitionId: READER, principalIdDisplayName: "Contoso Lighthouse Admins" }],
      eligibleAuthorizations: [
        {
          principalId: ENGINEER,
          roleDefinitionId: CONTRIBUTOR,
          principalIdDisplayName: "Alex Wilber (JIT)",
          principalType: "User",
          justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT4H" },
        },
      ],
    });
    new LighthouseOnboarding(this, "northwind", {
      offerName: "Contoso managed services for Northwind",
      subscriptionId: "3c5b0000-0000-4000-8000-000000000001",
      resourceGroups: ["rg-northwind-web", "rg-northwind-data"],
      managingTenantId: PARTNER_TENANT,
      pecPrincipalId: PEC_PRINCIPAL,
      pecPrincipalDisplayName: "Provider Automation Account",
    });
  }
}

/** The app; `outdir` defaults to cdktf.out next to this file. */
export function buildApp(outdir?: string): App {
  const app = new App(outdir ? { outdir } : {});
  new PartnerStack(app, "partner");
  new CustomersStack(app, "customers");
  return app;
}

if (require.main === module) buildApp().synth();
