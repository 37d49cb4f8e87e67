/**
 * Stack config for the ROOT onboarding stack (Pulumi.yaml at the repo root), built from an emulator seed, in the
 * shape stack/config.schema.json defines (namespace `partnerlink`): `partnerlink:partner`, `partnerlink:arm`,
 * `partnerlink:customers`, and the secrets `partnerlink:pecClientSecret` and `partnerlink:deployerSecrets`
 * (an object: customer name -> deployer client secret).
 */
import type { StackConfig, CustomerConfig } from "../../../stack/stack-config";
import { DEFAULT_PEC_ROLE_ID } from "../../../rules/roles";
import type { EmulatorSeed, RunningEmulator } from "./emulator-fixture";

export const NAMESPACE = "partnerlink";

export interface RootStackConfig {
  /** Plain config values, key -> JSON value (`partnerlink:partner` ...). */
  plain: Record<string, unknown>;
  /** Secret config values, key -> JSON value. */
  secrets: Record<string, unknown>;
}

export interface RootStackOptions {
  /** "permanent" (PEC principal holds Contributor in every delegation, the good case) or "jit-only" (the partner's PAL-linked user only eligible: PL002 through the root stack, see customersFromSeed). */
  pec?: "permanent" | "jit-only";
  /** Customers to onboard, by seed subscription index order (default: every seeded subscription). */
  customers?: CustomerConfig[];
}

/** The partner side of the seed: the first tenant, its service principal (the PAL/PEC identity), the partner ID. */
export function partnerFromSeed(seed: EmulatorSeed): { tenantId: string; objectId: string; clientId: string; secret: string; partnerId: string } {
  const tenantId = seed.tenants[0].tenantId;
  const sp = seed.principals.find((p) => p.tenantId === tenantId && p.type === "ServicePrincipal" && p.appId && p.clientSecret);
  const partnerId = seed.partners?.[0]?.partnerId;
  if (!sp || !partnerId) throw new Error("seed has no partner-tenant service principal with a secret, or no partner ID");
  return { tenantId, objectId: sp.objectId, clientId: sp.appId!, secret: sp.clientSecret!, partnerId };
}

/** A user of the partner tenant: in the "jit-only" scenario, the partner's PAL-linked PEC identity. */
export function partnerUserFromSeed(seed: EmulatorSeed): { objectId: string; displayName: string } {
  const tenantId = seed.tenants[0].tenantId;
  const user = seed.principals.find((p) => p.tenantId === tenantId && p.type === "User");
  if (!user) throw new Error("seed has no user in the partner tenant");
  return { objectId: user.objectId, displayName: user.displayName };
}

/** One customer per seeded subscription (resource groups as seeded), each with its tenant's deployer. */
export function customersFromSeed(seed: EmulatorSeed, pec: "permanent" | "jit-only" = "permanent"): CustomerConfig[] {
  const partner = partnerFromSeed(seed);
  return seed.subscriptions.map((s) => {
    const deployer = seed.principals.find((p) => p.tenantId === s.tenantId && p.type === "ServicePrincipal" && p.appId);
    const name = s.displayName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    const c: CustomerConfig = {
      name,
      tenantId: s.tenantId,
      subscriptionId: s.subscriptionId,
      ...(s.resourceGroups?.length ? { resourceGroups: s.resourceGroups } : {}),
      ...(s.agreement ? { agreement: s.agreement } : {}),
      ...(deployer ? { deployer: { clientId: deployer.appId! } } : {}),
    };
    if (pec === "permanent") {
      c.authorizations = [{ principalId: partner.objectId, principalIdDisplayName: "PEC automation", roleDefinitionId: DEFAULT_PEC_ROLE_ID }];
    } else {
      // "jit-only": the partner's PEC identity is a USER of the partner tenant (the engineer who linked PAL), and the
      // customer's config gives that user only an eligible (just-in-time) Contributor. The root stack still adds its
      // permanent pecAuthorization for its service principal, but the pack, configured with the user as the PEC
      // principal (configuration wins: policies/adapters/estate.ts), finds PL002: the PEC identity is only
      // just-in-time, which earns no Partner Earned Credit.
      const user = partnerUserFromSeed(seed);
      c.authorizations = [];
      c.eligibleAuthorizations = [
        {
          principalId: user.objectId,
          principalIdDisplayName: `${user.displayName} (JIT)`,
          roleDefinitionId: DEFAULT_PEC_ROLE_ID,
          justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT8H" },
        },
      ];
    }
    return c;
  });
}

/** The whole config for a root stack against a running emulator. */
export function rootStackConfig(seed: EmulatorSeed, emu: RunningEmulator, opts: RootStackOptions = {}): RootStackConfig {
  const partner = partnerFromSeed(seed);
  const customers = opts.customers ?? customersFromSeed(seed, opts.pec);
  const cfg: StackConfig = {
    partner: {
      partnerId: partner.partnerId,
      managingTenantId: partner.tenantId,
      pecPrincipal: { objectId: partner.objectId, clientId: partner.clientId, displayName: "PEC automation" },
    },
    arm: { endpoint: emu.url, authorityHost: emu.url, caCertificateFile: emu.caCertPath },
    customers,
  };
  const deployerSecrets: Record<string, string> = {};
  for (const c of customers) {
    const sp = seed.principals.find((p) => p.appId === c.deployer?.clientId);
    if (sp?.clientSecret) deployerSecrets[c.name] = sp.clientSecret;
  }
  return {
    plain: {
      [`${NAMESPACE}:partner`]: cfg.partner,
      [`${NAMESPACE}:arm`]: cfg.arm,
      [`${NAMESPACE}:customers`]: cfg.customers,
    },
    secrets: {
      [`${NAMESPACE}:pecClientSecret`]: partner.secret,
      [`${NAMESPACE}:deployerSecrets`]: deployerSecrets,
    },
  };
}
