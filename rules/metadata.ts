import type { Severity } from "./model";

/**
 * The one table of rule facts. The rules engine, the CLI reporters (text/JSON/SARIF/JUnit), the Pulumi
 * policy pack and the generated policy reference (docs/policies.md) all read it; nothing repeats it.
 */
export interface RuleMetadata {
  /** Stable ID, e.g. "PL001". */
  id: string;
  /** Stable kebab-case name; the policy pack names its policy after it. */
  name: string;
  /** Default severity; configurable per rule. */
  severity: Severity;
  /**
   * Default Pulumi enforcement: mandatory for what loses PEC or what Azure rejects, advisory for hygiene.
   */
  enforcement: "mandatory" | "advisory";
  /** One line: what the rule checks. */
  summary: string;
  /** What it costs the partner when violated. */
  cost: string;
  /** How to fix it. */
  fix: string;
  /** A short example of a violation (JSON-ish, as it appears in a template). */
  example: string;
  /** Where the fact comes from. */
  reference: string;
}

const PEC_DOC = "https://learn.microsoft.com/partner-center/billing/azure-roles-perms-pec";
const LH_ROLES_DOC = "https://learn.microsoft.com/azure/lighthouse/concepts/tenants-users-roles";
const LH_ELIGIBLE_DOC = "https://learn.microsoft.com/azure/lighthouse/how-to/create-eligible-authorizations";
const PAL_DOC = "https://learn.microsoft.com/azure/cost-management-billing/manage/link-partner-id";
const PEC_LH_DOC = "https://learn.microsoft.com/azure/lighthouse/how-to/partner-earned-credit";
const DPOR_DOC = "https://learn.microsoft.com/partner-center/membership/link-partner-id-for-azure-performance-pec";

export const RULES: readonly RuleMetadata[] = [
  {
    id: "PL001",
    name: "pec-principal-missing",
    severity: "error",
    enforcement: "mandatory",
    summary: "Every delegation carries a permanent authorization for the PEC principal (the PAL-linked identity).",
    cost: "No Partner Earned Credit on any consumption in the delegated scope; found months later in a billing report.",
    fix: "Add the PEC principal to `authorizations` (not `eligibleAuthorizations`) with a PEC-eligible role such as Contributor (b24988ac-6180-42a0-ab88-20f7382dd24c).",
    example: `"authorizations": [{"principalId": "<another group>", "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7"}]`,
    reference: PEC_LH_DOC,
  },
  {
    id: "PL002",
    name: "pec-principal-jit-only",
    severity: "error",
    enforcement: "mandatory",
    summary: "The PEC principal does not appear only as an eligible (just-in-time) authorization.",
    cost: "A just-in-time role does not count for Partner Earned Credit; Azure also rejects service principals as eligible principals.",
    fix: "Move the PEC principal from `eligibleAuthorizations` to `authorizations`, keeping a PEC-eligible role.",
    example: `"eligibleAuthorizations": [{"principalId": "<PEC service principal>", "roleDefinitionId": "b24988ac-6180-42a0-ab88-20f7382dd24c"}]`,
    reference: PEC_LH_DOC,
  },
  {
    id: "PL003",
    name: "pec-role-not-eligible",
    severity: "error",
    enforcement: "mandatory",
    summary: "At least one of the PEC principal's permanent roles is PEC-eligible and usable in Lighthouse.",
    cost: "Roles such as Reader do not earn Partner Earned Credit: the delegation is recognised but unpaid.",
    fix: "Give the PEC principal a PEC-eligible role that Lighthouse accepts: Contributor, Support Request Contributor, Monitoring Contributor or Cost Management Contributor.",
    example: `"authorizations": [{"principalId": "<PEC service principal>", "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7"}]`,
    reference: PEC_DOC,
  },
  {
    id: "PL004",
    name: "role-not-supported-by-lighthouse",
    severity: "error",
    enforcement: "mandatory",
    summary: "Every role is a built-in role Azure Lighthouse accepts: no Owner, no role with DataActions, User Access Administrator only with delegatedRoleDefinitionIds, which never name Owner or User Access Administrator (a role with DataActions there, or delegatedRoleDefinitionIds on any other role: a warning).",
    cost: "Azure rejects the whole registration definition: the customer is not onboarded at all.",
    fix: "Replace the role with a supported built-in role (Contributor instead of Owner; the control-plane role instead of a data role); give User Access Administrator `delegatedRoleDefinitionIds`, and remove them from any other role. Unknown or custom roles must be checked by hand.",
    example: `"authorizations": [{"principalId": "<group>", "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}]`,
    reference: LH_ROLES_DOC,
  },
  {
    id: "PL005",
    name: "eligible-authorization-invalid",
    severity: "error",
    enforcement: "mandatory",
    summary: "Eligible authorizations follow Azure's just-in-time rules: users and groups only, no Owner or User Access Administrator, no delegatedRoleDefinitionIds, at most 10 approvers, maximumActivationDuration PT30M..PT8H, MFA provider Azure or None (azurerm: Azure only).",
    cost: "Azure rejects the registration definition (an MFA provider azurerm refuses: `terraform plan` fails): the customer is not onboarded.",
    fix: "Use a user or group as eligible principal and approver, a supported role, at most 10 approvers, a duration between PT30M and PT8H, and multiFactorAuthProvider `Azure` or `None`; with azurerm, `multi_factor_auth_provider` `Azure`, or leave it out for None (azurerm then sends None).",
    example: `"justInTimeAccessPolicy": {"multiFactorAuthProvider": "Azure", "maximumActivationDuration": "PT12H"}`,
    reference: LH_ELIGIBLE_DOC,
  },
  {
    id: "PL006",
    name: "definition-scope-invalid",
    severity: "error",
    enforcement: "mandatory",
    summary: "A registration definition is created at subscription scope.",
    cost: "Azure rejects the definition (InvalidRegistrationDefinitionUri): the customer is not onboarded.",
    fix: "Create the registration definition at `/subscriptions/{id}`; assign it at the resource groups instead.",
    example: `"scope": "/subscriptions/<id>/resourceGroups/rg1"`,
    reference: "https://learn.microsoft.com/rest/api/managedservices/registration-definitions/create-or-update",
  },
  {
    id: "PL007",
    name: "subscription-not-associated",
    severity: "error",
    enforcement: "mandatory",
    summary: "Every subscription in scope has a delegation with a PEC-eligible permanent authorization for a PAL-linked principal, or a declared DPOR (a subscription whose only such delegations are assigned at resource groups is associated: PL014 names the groups).",
    cost: "The partner is neither recognised nor paid for the subscription's consumption.",
    fix: "Onboard the subscription through Lighthouse with the PEC principal (partnerlink template, or a LighthouseOnboarding resource), or, for an EA subscription, have the customer set the Digital Partner of Record and declare it in config.",
    example: `"subscriptions": [{"subscriptionId": "<id>", "agreement": "MCA"}]  (no delegation covers it)`,
    reference: PEC_LH_DOC,
  },
  {
    id: "PL008",
    name: "pal-link-missing",
    severity: "error",
    enforcement: "mandatory",
    summary: "Every PEC principal that a delegation relies on is linked to the partner ID through Partner Admin Link.",
    cost: "Without the PAL link nothing ties the delegated work to the partner: no recognition, no Partner Earned Credit.",
    fix: "Declare a PartnerAdminLink for the principal (or `palLinkedPrincipals` in config when it is linked elsewhere), or link it with `az managementpartner create --partner-id <id>` signed in as that principal.",
    example: `pecPrincipals: ["<objectId>"], no PartnerAdminLink for it`,
    reference: PAL_DOC,
  },
  {
    id: "PL009",
    name: "managing-tenant-not-allowed",
    severity: "error",
    enforcement: "mandatory",
    summary: "The managing tenant is in the configured allow-list.",
    cost: "Delegating a customer to the wrong tenant gives that tenant access and the partner neither recognition nor credit.",
    fix: "Set `managedByTenantId` to the partner tenant, or add the tenant to `allowedManagingTenants`.",
    example: `"managedByTenantId": "<a tenant not in allowedManagingTenants>"`,
    reference: "https://learn.microsoft.com/azure/lighthouse/how-to/restrict-delegation",
  },
  {
    id: "PL010",
    name: "invalid-identifier",
    severity: "error",
    enforcement: "mandatory",
    summary: "GUIDs, partner IDs, scopes and ISO 8601 durations are well formed, and no GUID is a placeholder (00000000-0000-0000-0000-000000000000, as the public samples ship).",
    cost: "Azure rejects the request, or the link or delegation points at nothing.",
    fix: "Use a GUID (8-4-4-4-12 hex), a numeric partner ID, `/subscriptions/{guid}[/resourceGroups/{name}]` and an ISO 8601 duration such as PT8H; replace each placeholder GUID with the real tenant, principal, role or subscription ID.",
    example: `"principalId": "not-a-guid"`,
    reference: "https://learn.microsoft.com/rest/api/managedservices/registration-definitions/create-or-update",
  },
  {
    id: "PL011",
    name: "dpor-agreement-mismatch",
    severity: "warning",
    enforcement: "advisory",
    summary: "DPOR is declared only for Enterprise Agreement subscriptions, and EA subscriptions carry the DPOR the configuration requires.",
    cost: "DPOR does not apply outside EA (use PAL there); an EA subscription without DPOR may go unrecognised.",
    fix: "Remove the DPOR declaration from non-EA subscriptions and rely on PAL; have the EA customer set the partner of record in the portal and declare `dpor: true`.",
    example: `{"subscriptionId": "<id>", "agreement": "MCA", "dpor": true}`,
    reference: DPOR_DOC,
  },
  {
    id: "PL012",
    name: "value-unresolved",
    severity: "info",
    enforcement: "advisory",
    summary: "Values that cannot be determined before deployment (preview unknowns, template expressions that cannot be evaluated) are reported, never guessed.",
    cost: "The rules that need the value could not check it: it cannot be checked until apply.",
    fix: "Use a value known before deployment (a literal, or a parameter or variable that holds one), or check again after apply (partnerlink audit).",
    example: `"principalId": "[reference('identity').principalId]"`,
    reference: "https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions",
  },
  {
    id: "PL013",
    name: "definition-id-conflict",
    severity: "error",
    enforcement: "mandatory",
    summary: "Two registration definitions of one input that are one Azure resource (the same definition ID in the same subscription) do not say different things.",
    cost: "Whichever is deployed last replaces the other's authorizations: a delegation (and its PEC authorization) silently changes or disappears.",
    fix: "Give one of them another definition ID (another offer name where the ID is guid(offerName)), or declare the delegation once and assign it to every scope it needs.",
    example: `two definitions named "[guid('Contoso managed services')]" in one subscription, one with Contributor for the PEC principal, one with Reader only`,
    reference: "https://learn.microsoft.com/rest/api/managedservices/registration-definitions/create-or-update",
  },
  {
    id: "PL014",
    name: "subscription-associated-at-resource-groups",
    severity: "info",
    enforcement: "advisory",
    summary: "A subscription whose only delegations with a PEC-eligible permanent authorization for a PAL-linked principal are assigned at resource groups (none at the subscription, no DPOR) is associated there alone; the finding names the groups (partialAssociation).",
    cost: "Partner Earned Credit is earned on those resource groups' consumption only, not on the rest of the subscription.",
    fix: "Assign the delegation at `/subscriptions/{id}` if the partner manages the whole subscription; if only those resource groups are managed, waive PL014 on the subscription (its own rule: the waiver never hides a PL007 error on it).",
    example: `"scope": "/subscriptions/<id>/resourceGroups/rg-web"  (the subscription's only delegation, assigned at one group)`,
    reference: "https://learn.microsoft.com/partner-center/billing/partner-earned-credit-troubleshoot",
  },
] as const;

/** The rule IDs as a range for messages, `PL001..PL014`. */
export const RULE_ID_RANGE = `${RULES[0]!.id}..${RULES[RULES.length - 1]!.id}`;

const BY_ID = new Map(RULES.map((r) => [r.id, r]));
const BY_NAME = new Map(RULES.map((r) => [r.name, r]));

/** Rule metadata by ID ("PL001") or name ("pec-principal-missing"), case-insensitive. */
export function ruleMeta(idOrName: string): RuleMetadata | undefined {
  return BY_ID.get(idOrName.toUpperCase()) ?? BY_NAME.get(idOrName.toLowerCase());
}
