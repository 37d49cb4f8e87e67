import { assignmentGuid, definitionGuid } from "../provider/lighthouse-ids";
import type { PartnerlinkConfig } from "../rules/config-types";
import type { Authorization, Delegation, EligibleAuthorization, Estate, Finding, PrincipalType, SourceLocation } from "../rules/model";
import { parseRoleDefinitionId } from "../rules/identifiers";
import { emptyResourceGroupsProblem } from "../rules/resource-groups";
import { DEFAULT_PEC_ROLE_ID, describeRole, lookupRole, RECOMMENDED_PEC_ROLE_IDS } from "../rules/roles";
import { evaluate } from "../rules/engine";
import { authorizationKey, eligibleAuthorizationKey, repeatsIn } from "../rules/same-authorization";
import { ARM_JIT_POLICY_DEFAULTS } from "../rules/facts";
import type { CustomerOnboarding, OnboardingApprover, OnboardingAuthorization, OnboardingEligibleAuthorization } from "./onboarding-spec";
import { OnboardingError } from "./onboarding-error";
import { describeSource, fileSource, type OnboardingSource, specPath } from "./onboarding-source";
import { validateOnboardingSpec } from "./schema-validation";

/** Which of the public sample shapes a customer gets. */
export type OnboardingVariant = "subscription" | "resource-group" | "multiple-resource-groups";

/** One registration definition and where it is assigned, with the names ARM will give them. */
export interface PlannedDelegation {
  /** Registration definition name (a GUID). */
  definitionId: string;
  /** Always `/subscriptions/{id}`. */
  definitionScope: string;
  /** Registration assignment name (a GUID) and its scope. */
  assignment: { assignmentId: string; scope: string; resourceGroup?: string };
}

/** A validated onboarding with every default applied and every ID computed. */
export interface OnboardingPlan {
  customer: string;
  subscriptionId: string;
  variant: OnboardingVariant;
  resourceGroups: string[];
  offerName: string;
  offerDescription: string;
  managingTenantId: string;
  pecPrincipalId: string;
  pecRoleId: string;
  /** The PEC authorization first, then the others, in ARM's `authorizations` shape. */
  authorizations: OnboardingAuthorization[];
  eligibleAuthorizations: OnboardingEligibleAuthorization[];
  agreement?: CustomerOnboarding["agreement"];
  partnerId?: string;
  delegations: PlannedDelegation[];
  /** Warnings and notes from the rules engine (errors stop planning). */
  notes: Finding[];
  /**
   * What the planner left out of the input, one sentence each naming the source and the path: an authorization that
   * repeats another exactly (see {@link planOnboarding}). The template command prints them; the construct warns.
   */
  notices: string[];
  /** The partnerlink configuration that checks this onboarding (written next to the template). */
  config: PartnerlinkConfig;
  /** Where the spec came from and how it names its properties: findings on the plan name them so. */
  source: OnboardingSource;
  /**
   * Where each authorization comes from in the spec: for each of `authorizations`, "pec" for the PEC authorization
   * (made of pecPrincipalId, pecRoleId and pecPrincipalDisplayName) or the index in the spec's `authorizations`; for
   * each of `eligibleAuthorizations`, the index in the spec's.
   */
  origins: { authorizations: ("pec" | number)[]; eligibleAuthorizations: number[] };
}

export const DEFAULT_PEC_DISPLAY_NAME = "Partner Earned Credit identity";

export function defaultOfferName(customer: string): string {
  return `${customer} managed services`;
}

/**
 * Registration definition and assignment names, from the one naming scheme partnerlink uses everywhere
 * (provider/lighthouse-ids.ts: guid(mspOfferName) for the definition and for every assignment, as the public
 * subscription.json and rg.json samples compute them). A LighthouseOnboarding computing the same names adopts what a
 * generated template deployed, and back.
 */
export function onboardingIds(
  offerName: string,
  subscriptionId: string,
  resourceGroups: readonly string[] = [],
): PlannedDelegation[] {
  const definitionScope = `/subscriptions/${subscriptionId}`;
  const definitionId = definitionGuid(offerName);
  const assignmentId = assignmentGuid(offerName);
  if (resourceGroups.length === 0) return [{ definitionId, definitionScope, assignment: { assignmentId, scope: definitionScope } }];
  return resourceGroups.map((rg) => ({
    definitionId,
    definitionScope,
    assignment: { assignmentId, scope: `${definitionScope}/resourceGroups/${rg}`, resourceGroup: rg },
  }));
}

/**
 * Validates one customer's onboarding (schema, then the partnerlink rules on the delegations it would
 * create) and returns the plan the template generator and the CDKTF construct render. PEC-safe by
 * construction: the PEC principal is always the first permanent authorization. Throws
 * {@link OnboardingError} naming the property and the fix. `source` says where the spec comes from and how its
 * properties are named in errors and findings: a file's name (or "options"), with `pathPrefix` the spec's JSON path
 * in it (`$[2]` for the third entry of a list); or an {@link OnboardingSource} (a construct's props).
 */
export function planOnboarding(input: unknown, source: string | OnboardingSource = "onboarding", pathPrefix = "$"): OnboardingPlan {
  const src = typeof source === "string" ? fileSource(source, pathPrefix) : source;
  const spec = validateOnboardingSpec(input, src);
  const where = describeSource(src, spec.customer);
  // Left out: the subscription. An empty list is not read as left out (rules/resource-groups.ts).
  const emptyRgs = emptyResourceGroupsProblem(spec.resourceGroups, specPath(src, "resourceGroups"));
  if (emptyRgs !== undefined) throw new OnboardingError(`${where}: ${emptyRgs}`);
  const resourceGroups = spec.resourceGroups ?? [];
  const dupRg = resourceGroups.find((rg, i) => resourceGroups.findIndex((r) => r.toLowerCase() === rg.toLowerCase()) !== i);
  if (dupRg !== undefined) {
    throw new OnboardingError(`${where}: ${specPath(src, "resourceGroups")} lists '${dupRg}' twice; list each resource group once.`);
  }
  refuseExpressionLikeText(spec, where, src);
  const pec = spec.pecPrincipalId.toLowerCase();
  for (const [i, e] of (spec.eligibleAuthorizations ?? []).entries()) {
    if (e.principalId.toLowerCase() === pec) {
      throw new OnboardingError(
        `${where}: ${specPath(src, "eligibleAuthorizations", i, "principalId")} is the PEC principal; a just-in-time role earns no Partner Earned Credit ` +
          `and Azure refuses service principals there. Remove it: the PEC principal is always a permanent authorization.`,
      );
    }
  }
  // Role IDs as bare GUIDs, the form the samples, the REST examples and azurerm use.
  const role = (id: string) => parseRoleDefinitionId(id) ?? id;
  const pecRoleId = role(spec.pecRoleId ?? DEFAULT_PEC_ROLE_ID);
  const offerName = spec.offerName ?? defaultOfferName(spec.customer);
  const pecAuthorization: OnboardingAuthorization = {
    principalId: spec.pecPrincipalId,
    roleDefinitionId: pecRoleId,
    principalIdDisplayName: spec.pecPrincipalDisplayName ?? DEFAULT_PEC_DISPLAY_NAME,
  };
  // Each grant once: an exact repeat (of the PEC authorization or of an earlier entry) is left out with a notice.
  const kept = withoutRepeats(spec, src);
  const given = spec.authorizations ?? [];
  const givenEligible = spec.eligibleAuthorizations ?? [];
  const others = kept.authorizations.map((i) => ({ a: { ...given[i]!, roleDefinitionId: role(given[i]!.roleDefinitionId) }, i }));
  const eligible = kept.eligibleAuthorizations.map((i) => ({ e: withJitDefaults({ ...givenEligible[i]!, roleDefinitionId: role(givenEligible[i]!.roleDefinitionId) }), i }));
  const plan: OnboardingPlan = {
    customer: spec.customer,
    subscriptionId: spec.subscriptionId,
    variant: resourceGroups.length === 0 ? "subscription" : resourceGroups.length === 1 ? "resource-group" : "multiple-resource-groups",
    resourceGroups,
    offerName,
    offerDescription: spec.offerDescription ?? `Azure Lighthouse delegation of ${spec.customer} to its managed service provider`,
    managingTenantId: spec.managingTenantId,
    pecPrincipalId: spec.pecPrincipalId,
    pecRoleId,
    authorizations: [pecAuthorization, ...others.map(({ a }) => a)],
    eligibleAuthorizations: eligible.map(({ e }) => e),
    agreement: spec.agreement,
    partnerId: spec.partnerId,
    delegations: onboardingIds(offerName, spec.subscriptionId, resourceGroups),
    notes: [],
    notices: kept.notices,
    config: {},
    source: src,
    origins: { authorizations: ["pec", ...others.map(({ i }) => i)], eligibleAuthorizations: eligible.map(({ i }) => i) },
  };
  // DPOR is set by the customer in the portal, with the partner's ID (customer-guide.ts): without it the guide can
  // only tell the customer to ask for it, which the partner should know before sending the package.
  if (spec.agreement === "EA" && spec.partnerId === undefined)
    plan.notices.push(
      `${where}: the agreement is EA but no ${specPath(src, "partnerId")} is given, so the guide's Partner of Record (DPOR) steps tell the customer to ask you for your partner ID. ` +
        `Give ${specPath(src, "partnerId")} to write it in.`,
    );
  plan.config = onboardingConfig(plan);
  const { findings } = evaluate(onboardingEstate(plan), plan.config);
  const errors = findings.filter((f) => f.severity === "error" && !f.suppressed);
  // The PEC authorization's role is pecRoleId (onboardingEstate): when it is the problem (PL003 not PEC-eligible, PL004
  // not accepted by Lighthouse), the fix is pecRoleId, and the subscription-level findings that follow from it (PL007:
  // "declare dpor", a key this input has not got) only repeat it.
  const pecRolePath = specPath(src, "pecRoleId");
  const pecRole = errors.filter((f) => (f.ruleId === "PL003" || f.ruleId === "PL004") && f.path === pecRolePath);
  if (pecRole.length > 0) {
    const choices = RECOMMENDED_PEC_ROLE_IDS.map((id) => describeRole(lookupRole(id), id)).join(", ");
    throw new OnboardingError(
      `${where}: ${pecRolePath} ${describeRole(lookupRole(pecRoleId), pecRoleId)} is not a PEC-eligible role that Lighthouse accepts ` +
        `(${pecRole.map((f) => `${f.ruleId} ${f.ruleName}`).join("; ")}): the PEC principal would earn no Partner Earned Credit. ` +
        `Use a PEC-eligible role for ${pecRolePath}: ${choices}; left out, it is Contributor.`,
    );
  }
  if (errors.length > 0) {
    // One error per rule and spec property: the spec's subscriptionId is both the definition's scope and the
    // subscription the rules are told about, so a placeholder there is found twice (PL010).
    const once = errors.filter((f, i) => !f.path || errors.findIndex((g) => g.ruleId === f.ruleId && g.path === f.path) === i);
    const list = once.map((f) => `${f.ruleId} ${f.ruleName}: ${f.message}`).join("; ");
    throw new OnboardingError(`${where}: the onboarding would fail partnerlink check: ${list}`);
  }
  plan.notes = findings.filter((f) => !f.suppressed);
  return plan;
}

/**
 * A rule's warning or note about a planned onboarding as one line, `warning PL004 role-not-supported-by-lighthouse:
 * <message>`: what `partnerlink template` prints, the CDKTF construct annotates and the root stack logs.
 */
export function noteLine(note: Finding): string {
  return `${note.severity} ${note.ruleId} ${note.ruleName}: ${note.message}`;
}

/** What an onboarding keeps of a spec's authorizations: see {@link withoutRepeats}. */
export interface KeptAuthorizations {
  /** Indexes in the spec's `authorizations` of those listed, in order. */
  authorizations: number[];
  /** Indexes in the spec's `eligibleAuthorizations` of those listed, in order. */
  eligibleAuthorizations: number[];
  /** One sentence per entry left out, naming the source, the entry, the one it repeats and the fix. */
  notices: string[];
}

/**
 * The spec's authorizations an onboarding lists: each grant once. An authorization equal to the PEC authorization the
 * planner always adds, or to an earlier entry, and an eligible authorization equal to an earlier one, is left out with
 * a notice; "equal" is rules/same-authorization.ts, the definition the Pulumi provider's check() applies too (the
 * evidence on what Azure does with repeats is cited there). `spec` has passed the schema. Paths are named through
 * `source`, as {@link planOnboarding} names them; the root stack calls this for the customers it onboards itself.
 */
export function withoutRepeats(spec: CustomerOnboarding, source: string | OnboardingSource = "onboarding"): KeptAuthorizations {
  const src = typeof source === "string" ? fileSource(source) : source;
  const where = describeSource(src, spec.customer);
  const pecRoleId = spec.pecRoleId ?? DEFAULT_PEC_ROLE_ID;
  const pec = `the PEC authorization, which is always added (${specPath(src, "pecPrincipalId")} as ${describeRole(lookupRole(pecRoleId), parseRoleDefinitionId(pecRoleId) ?? pecRoleId)})`;
  const given = spec.authorizations ?? [];
  const notices: string[] = [];
  // The PEC authorization is entry 0, the spec's i-th entry i + 1.
  const permanent = repeatsIn([{ principalId: spec.pecPrincipalId, roleDefinitionId: pecRoleId }, ...given], authorizationKey);
  for (const { index, first } of permanent) {
    const at = specPath(src, "authorizations", index - 1);
    const earlier = first === 0 ? pec : specPath(src, "authorizations", first - 1);
    notices.push(`${where}: ${at} repeats ${earlier} (the same principalId, roleDefinitionId and delegatedRoleDefinitionIds) and is left out: the definition lists each authorization once. Remove ${at}.`);
  }
  const eligible = spec.eligibleAuthorizations ?? [];
  // Keyed as written: a policy left out and one that spells out what partnerlink writes for it are the same grant.
  const jit = repeatsIn(eligible, (e) => eligibleAuthorizationKey({ ...e, justInTimeAccessPolicy: writtenJitPolicy(e.justInTimeAccessPolicy) }));
  for (const { index, first } of jit) {
    const at = specPath(src, "eligibleAuthorizations", index);
    notices.push(
      `${where}: ${at} repeats ${specPath(src, "eligibleAuthorizations", first)} (the same principalId, roleDefinitionId and just-in-time policy) and is left out: the definition lists each eligible authorization once. Remove ${at}.`,
    );
  }
  const leftOut = new Set(permanent.map((r) => r.index - 1));
  const leftOutEligible = new Set(jit.map((r) => r.index));
  return {
    authorizations: given.map((_, i) => i).filter((i) => !leftOut.has(i)),
    eligibleAuthorizations: eligible.map((_, i) => i).filter((i) => !leftOutEligible.has(i)),
    notices,
  };
}

/**
 * Free text that becomes an ARM string literal (names, descriptions, display names) must not read as a template
 * expression: ARM evaluates a string that starts with `[` and ends with `]`
 * (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions#escape-characters), so the
 * deployed offer name, and the definition GUID derived from it, would differ from the ones planned here.
 */
function refuseExpressionLikeText(spec: CustomerOnboarding, where: string, src: OnboardingSource): void {
  type Text = [(string | number)[], string | undefined];
  const texts: Text[] = [
    [["customer"], spec.customer],
    [["offerName"], spec.offerName],
    [["offerDescription"], spec.offerDescription],
    [["pecPrincipalDisplayName"], spec.pecPrincipalDisplayName],
    ...(spec.authorizations ?? []).map((a, i): Text => [["authorizations", i, "principalIdDisplayName"], a.principalIdDisplayName]),
    ...(spec.eligibleAuthorizations ?? []).flatMap((e, i): Text[] => [
      [["eligibleAuthorizations", i, "principalIdDisplayName"], e.principalIdDisplayName],
      ...(e.justInTimeAccessPolicy?.managedByTenantApprovers ?? []).map((a, j): Text => [
        ["eligibleAuthorizations", i, "justInTimeAccessPolicy", "managedByTenantApprovers", j, "principalIdDisplayName"],
        a.principalIdDisplayName,
      ]),
    ]),
  ];
  for (const [at, text] of texts) {
    if (text !== undefined && text.startsWith("[") && text.endsWith("]"))
      throw new OnboardingError(
        `${where}: ${specPath(src, ...at)} '${text}' starts with '[' and ends with ']': ARM reads such a string as a template expression, so the deployed value would not be this text. Remove the brackets, or put text after the ']'.`,
      );
  }
}

/**
 * What partnerlink writes for a just-in-time policy property a spec leaves out, so the template says what applies:
 * - multiFactorAuthProvider `Azure`: Azure's own default is `None` (rules/facts.ts ARM_JIT_POLICY_DEFAULTS), but an
 *   elevation without multi-factor authentication is rarely meant; every eligible authorization in Microsoft's
 *   onboarding samples (Azure/Azure-Lighthouse-samples, delegated-resource-management-eligible-authorizations) asks
 *   for it, and `None`, written, still gives Azure's behaviour;
 * - maximumActivationDuration `PT8H`: Azure's default.
 * The root stack writes the same (stack/onboarding-program.ts), so a delegation it makes equals the template's.
 */
export const WRITTEN_JIT_POLICY_DEFAULTS = Object.freeze({ multiFactorAuthProvider: "Azure", maximumActivationDuration: ARM_JIT_POLICY_DEFAULTS.maximumActivationDuration } as const);

/** A spec's just-in-time policy as partnerlink writes it: {@link WRITTEN_JIT_POLICY_DEFAULTS} where it is silent, approvers only when there are some. */
export function writtenJitPolicy(p: OnboardingEligibleAuthorization["justInTimeAccessPolicy"]): {
  multiFactorAuthProvider: "Azure" | "None";
  maximumActivationDuration: string;
  managedByTenantApprovers?: OnboardingApprover[];
} {
  const policy: ReturnType<typeof writtenJitPolicy> = {
    multiFactorAuthProvider: p?.multiFactorAuthProvider ?? WRITTEN_JIT_POLICY_DEFAULTS.multiFactorAuthProvider,
    maximumActivationDuration: p?.maximumActivationDuration ?? WRITTEN_JIT_POLICY_DEFAULTS.maximumActivationDuration,
  };
  if (p?.managedByTenantApprovers && p.managedByTenantApprovers.length > 0) policy.managedByTenantApprovers = p.managedByTenantApprovers;
  return policy;
}

/** An eligible authorization as partnerlink writes it (its policy by {@link writtenJitPolicy}). */
function withJitDefaults(e: OnboardingEligibleAuthorization): OnboardingEligibleAuthorization {
  const out: OnboardingEligibleAuthorization = { principalId: e.principalId, roleDefinitionId: e.roleDefinitionId };
  if (e.principalIdDisplayName !== undefined) out.principalIdDisplayName = e.principalIdDisplayName;
  if (e.principalType !== undefined) out.principalType = e.principalType;
  out.justInTimeAccessPolicy = writtenJitPolicy(e.justInTimeAccessPolicy);
  return out;
}

/** The partnerlink configuration that states what this onboarding must satisfy. */
export function onboardingConfig(plan: OnboardingPlan): PartnerlinkConfig {
  const config: PartnerlinkConfig = {
    pecPrincipals: [plan.pecPrincipalId],
    // The PAL link lives in the partner tenant, outside what the customer deploys: declared, not checked here.
    palLinkedPrincipals: [plan.pecPrincipalId],
    allowedManagingTenants: [plan.managingTenantId],
    subscriptions: [
      {
        subscriptionId: plan.subscriptionId,
        name: plan.customer,
        ...(plan.agreement ? { agreement: plan.agreement } : {}),
      },
    ],
  };
  if (plan.partnerId !== undefined) config.partnerId = plan.partnerId;
  return config;
}

const AUTHORIZATION_PROPERTIES = ["principalId", "roleDefinitionId", "principalIdDisplayName", "delegatedRoleDefinitionIds"] as const;
const ELIGIBLE_PROPERTIES = ["principalId", "roleDefinitionId", "principalIdDisplayName", "delegatedRoleDefinitionIds", "justInTimeAccessPolicy"] as const;
const POLICY_PROPERTIES = ["multiFactorAuthProvider", "maximumActivationDuration", "managedByTenantApprovers"] as const;
const APPROVER_PROPERTIES = ["principalId", "principalIdDisplayName"] as const;

/**
 * Where the rules find the spec element at `at` (its keys and indexes), whose model properties `props` are the spec's
 * own: its path, below which the rules append `.principalId`. A source that names its paths itself
 * (OnboardingSource.pathOf: options) has no such path: the element is then the root "" of property paths and each
 * property is named in full (`--authorization #2 (roleDefinitionId)`).
 */
function elementSource(src: OnboardingSource, resource: string, at: readonly (string | number)[], props: readonly string[]): SourceLocation {
  if (src.pathOf === undefined) return { resource, path: specPath(src, ...at) };
  return { resource, path: "", properties: Object.fromEntries(props.map((p) => [p, specPath(src, ...at, p)])) };
}

/**
 * The delegations of a plan in the normalized model, for the rules engine. Every element's source is where the user
 * wrote it (plan.source, plan.origins), so a finding names the spec's property, not the generated template's: the
 * PEC authorization is the spec's pecPrincipalId and pecRoleId, the user's first authorization `authorizations[0]`.
 */
export function onboardingEstate(plan: OnboardingPlan): Estate {
  const principalTypes: Record<string, PrincipalType> = {};
  const src = plan.source;
  // The spec itself: "" for a construct's props or the stack's config, whose keys are then named by their own paths
  // (`pecRoleId`, `partnerlink:partner.pecPrincipal.roleDefinitionId`); in a file its JSON path, below which a
  // root-level key is named absolutely (`$[1].pecRoleId`, a `$` path the rules write as it is).
  const root = specPath(src);
  // Every planned assignment shares the one definition (provider/lighthouse-ids.ts): one Delegation, N assignments.
  const first = plan.delegations[0];
  const delegations: Delegation[] = [first].map((d) => {
    const name = plan.offerName;
    const authorizations: Authorization[] = plan.authorizations.map((a, i) => {
      const origin = plan.origins.authorizations[i];
      return {
        principalId: a.principalId,
        roleDefinitionId: a.roleDefinitionId,
        ...(a.principalIdDisplayName !== undefined ? { principalIdDisplayName: a.principalIdDisplayName } : {}),
        ...(a.delegatedRoleDefinitionIds ? { delegatedRoleDefinitionIds: a.delegatedRoleDefinitionIds } : {}),
        source:
          origin === "pec"
            ? {
                resource: name,
                path: root,
                properties: {
                  principalId: specPath(src, "pecPrincipalId"),
                  roleDefinitionId: specPath(src, "pecRoleId"),
                  principalIdDisplayName: specPath(src, "pecPrincipalDisplayName"),
                },
              }
            : elementSource(src, name, ["authorizations", origin ?? i], AUTHORIZATION_PROPERTIES),
      };
    });
    const eligibleAuthorizations: EligibleAuthorization[] = plan.eligibleAuthorizations.map((e, i) => {
      if (e.principalType) principalTypes[e.principalId] = e.principalType;
      const at = ["eligibleAuthorizations", plan.origins.eligibleAuthorizations[i] ?? i];
      const policyAt = [...at, "justInTimeAccessPolicy"];
      const p = e.justInTimeAccessPolicy ?? {};
      return {
        principalId: e.principalId,
        roleDefinitionId: e.roleDefinitionId,
        ...(e.principalType ? { principalType: e.principalType } : {}),
        justInTimeAccessPolicy: {
          ...(p.multiFactorAuthProvider !== undefined ? { multiFactorAuthProvider: p.multiFactorAuthProvider } : {}),
          ...(p.maximumActivationDuration !== undefined ? { maximumActivationDuration: p.maximumActivationDuration } : {}),
          managedByTenantApprovers: (p.managedByTenantApprovers ?? []).map((a, j) => ({
            principalId: a.principalId,
            source: elementSource(src, name, [...policyAt, "managedByTenantApprovers", j], APPROVER_PROPERTIES),
          })),
          source: elementSource(src, name, policyAt, POLICY_PROPERTIES),
        },
        source: elementSource(src, name, at, ELIGIBLE_PROPERTIES),
      };
    });
    return {
      name,
      source: {
        resource: name,
        path: root,
        properties: {
          managedByTenantId: specPath(src, "managingTenantId"),
          registrationDefinitionName: specPath(src, "offerName"),
          description: specPath(src, "offerDescription"),
          definitionId: specPath(src, "offerName"),
          definitionScope: specPath(src, "subscriptionId"),
          authorizations: specPath(src, "authorizations"),
          eligibleAuthorizations: specPath(src, "eligibleAuthorizations"),
        },
      },
      managedByTenantId: plan.managingTenantId,
      registrationDefinitionName: plan.offerName,
      description: plan.offerDescription,
      definitionId: d.definitionId,
      definitionScope: d.definitionScope,
      assignments: plan.delegations.map((x) => ({ scope: x.assignment.scope, assignmentId: x.assignment.assignmentId, source: { resource: name } })),
      authorizations,
      eligibleAuthorizations,
    };
  });
  const estate: Estate = {
    delegations,
    partnerLinks: [],
    subscriptions: [
      {
        name: plan.customer,
        // A finding on the subscription ID (PL010) names the spec's subscriptionId, as the definition's scope does.
        source: { resource: plan.customer, path: root, properties: { subscriptionId: specPath(src, "subscriptionId") } },
        subscriptionId: plan.subscriptionId,
        agreement: plan.agreement ?? "unknown",
      },
    ],
  };
  if (Object.keys(principalTypes).length > 0) estate.principalTypes = principalTypes;
  return estate;
}
