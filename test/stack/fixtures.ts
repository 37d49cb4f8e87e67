/** Stack config fixtures for the root onboarding stack tests (the demo seed's tenants and principals). */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../../stack/stack-config";

export const PARTNER_TENANT = "11111111-1111-4111-8111-111111111111";
export const PEC_OBJECT = "1a000000-0000-4000-8000-000000000001";
export const PEC_APP = "1a000000-0000-4000-8000-0000000000a1";
export const PEC_SECRET = "stack-test-pec-secret-0b7c9e";
export const DEPLOYER_SECRETS = { fabrikam: "stack-test-fabrikam-secret-41aa", northwind: "stack-test-northwind-secret-93cd" };

export function baseConfig(): StackConfig {
  return {
    partner: {
      partnerId: "1234567",
      managingTenantId: PARTNER_TENANT,
      pecPrincipal: { objectId: PEC_OBJECT, clientId: PEC_APP, displayName: "Provider Automation Account" },
    },
    customers: [
      {
        name: "fabrikam",
        tenantId: "22222222-2222-4222-8222-222222222222",
        subscriptionId: "2b5b0000-0000-4000-8000-000000000001",
        agreement: "MCA",
        deployer: { clientId: "2b000000-0000-4000-8000-0000000000a1" },
      },
      {
        name: "northwind",
        tenantId: "33333333-3333-4333-8333-333333333333",
        subscriptionId: "3c5b0000-0000-4000-8000-000000000001",
        resourceGroups: ["rg-northwind-web", "rg-northwind-data"],
        deployer: { clientId: "3c000000-0000-4000-8000-0000000000a1" },
        eligibleAuthorizations: [
          { principalId: "1a000000-0000-4000-8000-000000000002", principalIdDisplayName: "Lighthouse admins (JIT)", roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c" },
        ],
      },
      {
        name: "tailspin",
        tenantId: "44444444-4444-4444-8444-444444444444",
        subscriptionId: "4d5b0000-0000-4000-8000-000000000001",
        agreement: "EA",
        dpor: true,
      },
    ],
  };
}

/**
 * Puts a config into Pulumi's runtime config store the way the CLI hands it to a program (PULUMI_CONFIG: JSON
 * values as strings; secret keys listed), so `new pulumi.Config("partnerlink")` reads it.
 */
export function setStackConfig(plain: Record<string, unknown>, secrets: Record<string, unknown> = {}): void {
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...plain, ...secrets })) all[`partnerlink:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  for (const k of Object.keys(process.env)) if (k === "PULUMI_CONFIG" || k === "PULUMI_CONFIG_SECRET_KEYS") delete process.env[k];
  pulumi.runtime.setAllConfig(all, Object.keys(secrets).map((k) => `partnerlink:${k}`));
}

export function value<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}
