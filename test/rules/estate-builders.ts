/**
 * Small builders for model estates, so each rule test reads as "given this delegation, expect PL00x at this path".
 * Defaults describe a correct delegation: the PEC principal holds Contributor permanently, assigned in SUB1,
 * managed by TENANT, and the PEC principal is PAL-linked to PARTNER_ID.
 */
import { evaluate, type EvaluateOptions, type EvaluationResult } from "../../rules/engine";
import type { PartnerlinkConfig } from "../../rules/config-types";
import {
  unresolved,
  type Authorization,
  type Delegation,
  type EligibleAuthorization,
  type Estate,
  type Finding,
  type JustInTimeAccessPolicy,
  type PartnerLink,
  type Subscription,
  type Agreement,
} from "../../rules/model";

export const PEC = "11111111-1111-4111-8111-111111111111";
export const PEC2 = "11111111-1111-4111-8111-222222222222";
export const GROUP = "22222222-2222-4222-8222-222222222222";
export const USER = "33333333-3333-4333-8333-333333333333";
export const TENANT = "44444444-4444-4444-8444-444444444444";
export const OTHER_TENANT = "55555555-5555-4555-8555-555555555555";
export const SUB1 = "66666666-6666-4666-8666-666666666666";
export const SUB2 = "77777777-7777-4777-8777-777777777777";
export const PARTNER_ID = "1234567";

export const ROLE = {
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  uaa: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  supportRequestContributor: "cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e",
  storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  logAnalyticsContributor: "92aaf0da-9dab-42b6-94a3-d43ce8d16293",
  storageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  deleteRole: "91c1777a-f3dc-4fae-b103-61d183457e46",
  custom: "99999999-9999-4999-8999-999999999999",
} as const;

export const FILE = "template.json";

export function auth(principalId: Authorization["principalId"], roleDefinitionId: Authorization["roleDefinitionId"], extra: Partial<Authorization> = {}): Authorization {
  return { principalId, roleDefinitionId, source: {}, ...extra };
}

export function jit(extra: Partial<JustInTimeAccessPolicy> = {}): JustInTimeAccessPolicy {
  return { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT8H", managedByTenantApprovers: [], source: {}, ...extra };
}

export function eligible(
  principalId: Authorization["principalId"],
  roleDefinitionId: Authorization["roleDefinitionId"],
  extra: Partial<EligibleAuthorization> = {},
): EligibleAuthorization {
  return { principalId, roleDefinitionId, source: {}, justInTimeAccessPolicy: jit(), ...extra };
}

let counter = 0;

/** A correct delegation named `name`, at `$.resources[<n>]` of FILE, with the given fields replaced. */
export function delegation(fields: Partial<Delegation> = {}): Delegation {
  const n = counter++;
  return {
    name: fields.name ?? `offer-${n}`,
    source: { file: FILE, path: `$.resources[${n}]` },
    managedByTenantId: TENANT,
    definitionScope: `/subscriptions/${SUB1}`,
    assignments: [{ scope: `/subscriptions/${SUB1}`, source: {} }],
    authorizations: [auth(PEC, ROLE.contributor)],
    eligibleAuthorizations: [],
    ...fields,
  };
}

export function link(fields: Partial<PartnerLink> = {}): PartnerLink {
  return { name: "pal", source: { file: "links.json", path: "$.links[0]" }, partnerId: PARTNER_ID, objectId: PEC, ...fields };
}

export function subscription(subscriptionId: Subscription["subscriptionId"], agreement: Agreement = "MCA", fields: Partial<Subscription> = {}): Subscription {
  return { name: `sub-${String(subscriptionId).slice(0, 4)}`, source: { file: "subs.json", path: "$.subscriptions[0]" }, subscriptionId, agreement, ...fields };
}

export function estate(parts: Partial<Estate> = {}): Estate {
  return { delegations: [], partnerLinks: [link()], subscriptions: [], ...parts };
}

/** The configuration most tests run with: one PEC principal, the partner ID. */
export function baseConfig(extra: PartnerlinkConfig = {}): PartnerlinkConfig {
  return { pecPrincipals: [PEC], partnerId: PARTNER_ID, ...extra };
}

export function run(e: Estate, config: PartnerlinkConfig = baseConfig(), options: EvaluateOptions = {}): EvaluationResult {
  return evaluate(e, config, options);
}

export function findingsOf(r: EvaluationResult, ruleId: string): Finding[] {
  return r.findings.filter((f) => f.ruleId === ruleId);
}

/** Exactly one finding of `ruleId` at `path`; returns it. */
export function expectFinding(r: EvaluationResult, ruleId: string, path: string): Finding {
  const hits = findingsOf(r, ruleId);
  const at = hits.filter((f) => f.path === path);
  if (at.length !== 1) {
    throw new Error(`expected one ${ruleId} at ${path}, got: ${JSON.stringify(r.findings.map((f) => [f.ruleId, f.path]))}`);
  }
  return at[0];
}

export function expectNone(r: EvaluationResult, ruleId: string): void {
  const hits = findingsOf(r, ruleId);
  if (hits.length > 0) throw new Error(`expected no ${ruleId}, got: ${hits.map((f) => f.message).join(" | ")}`);
}

export { unresolved };
