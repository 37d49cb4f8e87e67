import { Annotations, Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
// Deep imports only: the package root loads all ~1,500 azurerm bindings (1.2-1.7 s, 430 MB).
import { LighthouseAssignment } from "@cdktf/provider-azurerm/lib/lighthouse-assignment";
import { LighthouseDefinition } from "@cdktf/provider-azurerm/lib/lighthouse-definition";
import { azurermMfaProvider } from "../rules/facts";
import type { CustomerOnboarding } from "../templates/onboarding-spec";
import { noteLine, type OnboardingPlan, planOnboarding } from "../templates/onboarding-plan";
import { OnboardingError } from "../templates/onboarding-error";
import type { OnboardingSource } from "../templates/onboarding-source";

/**
 * What the construct takes as a `partnerlink template` customer spec has it: one declaration of each field, with
 * its documentation, in templates/onboarding-spec.ts.
 */
type OnboardingFields = Pick<
  CustomerOnboarding,
  | "subscriptionId"
  | "resourceGroups"
  | "managingTenantId"
  | "pecPrincipalId"
  | "pecPrincipalDisplayName"
  | "pecRoleId"
  | "authorizations"
  | "eligibleAuthorizations"
>;

export interface LighthouseOnboardingProps extends OnboardingFields {
  /** Offer name: the definition's `name`; its ARM guid() names the definition and the assignment, as the templates do. */
  offerName: string;
  /** The definition's description; default the offer name. */
  description?: string;
  /** The azurerm provider to use (default: the stack's). */
  provider?: TerraformProvider;
}

/**
 * An Azure Lighthouse onboarding as azurerm_lighthouse_definition + azurerm_lighthouse_assignment, with the
 * PEC principal's permanent PEC-eligible authorization built in and every value checked by the partnerlink
 * rules at construction (an onboarding that would fail `partnerlink check` throws). Names are computed
 * exactly as the public onboarding templates compute them (templates/onboarding-plan `onboardingIds`), so
 * this adopts what `partnerlink template` deployed, and back.
 *
 * @example
 * new LighthouseOnboarding(stack, "contoso", {
 *   offerName: "Contoso managed services",
 *   subscriptionId: "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
 *   managingTenantId: "0b5f7a3e-2c1d-4e6f-9a8b-7c6d5e4f3a2b",
 *   pecPrincipalId: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
 *   authorizations: [{ principalId: "<ops group>", roleDefinitionId: "acdd72a7-3385-48ef-bd42-f606fba81ae7" }],
 * });
 */
export class LighthouseOnboarding extends Construct {
  /** The validated plan: authorizations as deployed, definition and assignment names. */
  readonly plan: OnboardingPlan;
  readonly definitions: LighthouseDefinition[] = [];
  readonly assignments: LighthouseAssignment[] = [];

  constructor(scope: Construct, id: string, props: LighthouseOnboardingProps) {
    super(scope, id);
    if (props === null || typeof props !== "object" || Array.isArray(props)) {
      throw new OnboardingError(`LighthouseOnboarding '${this.node.path}': props must be an object (offerName, subscriptionId, managingTenantId, pecPrincipalId, ...)`);
    }
    const tokenAt = tokenPathIn(props);
    if (tokenAt !== undefined) {
      throw new OnboardingError(
        `LighthouseOnboarding '${this.node.path}': ${tokenAt} is a token (known only at apply); pass literal values so the PEC rules can be checked at synth`,
      );
    }
    const unknown = Object.keys(props).filter((k) => !PROP_NAMES.has(k));
    if (unknown.length > 0) {
      throw new OnboardingError(
        `LighthouseOnboarding '${this.node.path}': ${unknown.map((k) => `'${k}'`).join(", ")} ${unknown.length === 1 ? "is not a property" : "are not properties"} of LighthouseOnboarding; ` +
          `use ${[...PROP_NAMES].join(", ")}${unknown.includes("offerDescription") ? " (the offer description is 'description')" : ""}`,
      );
    }
    const { provider, offerName, description, ...rest } = props;
    // Errors and findings name the construct's own properties: the planner names the spec's keys through CONSTRUCT_KEYS
    // and the user's authorizations by their index here (the PEC authorization is pecPrincipalId and pecRoleId).
    this.plan = planOnboarding(
      { customer: offerName, offerName, offerDescription: description ?? offerName, ...rest },
      { name: `LighthouseOnboarding '${this.node.path}'`, keys: CONSTRUCT_KEYS },
    );
    refuseSharedDelegation(this);
    // What the planner left out (an authorization repeating another): `cdktf synth` shows it as a warning. So are the
    // rules' warnings (an unknown or custom role, PL004), as `partnerlink template` prints them; their notes as info.
    for (const notice of this.plan.notices) Annotations.of(this).addWarning(notice);
    for (const note of this.plan.notes) {
      if (note.severity === "info") Annotations.of(this).addInfo(noteLine(note));
      else Annotations.of(this).addWarning(noteLine(note));
    }
    const p = this.plan;
    const many = p.delegations.length > 1;
    // One definition (every planned assignment shares it: provider/lighthouse-ids.ts), one assignment per scope.
    {
      const d = p.delegations[0];
      const definition = new LighthouseDefinition(this, `definition`, {
        name: p.offerName,
        description: p.offerDescription,
        managingTenantId: p.managingTenantId,
        scope: d.definitionScope,
        lighthouseDefinitionId: d.definitionId,
        authorization: p.authorizations.map((a) => ({
          principalId: a.principalId,
          roleDefinitionId: a.roleDefinitionId,
          ...(a.principalIdDisplayName !== undefined ? { principalDisplayName: a.principalIdDisplayName } : {}),
          ...(a.delegatedRoleDefinitionIds ? { delegatedRoleDefinitionIds: a.delegatedRoleDefinitionIds } : {}),
        })),
        ...(p.eligibleAuthorizations.length > 0
          ? {
              eligibleAuthorization: p.eligibleAuthorizations.map((e) => ({
                principalId: e.principalId,
                roleDefinitionId: e.roleDefinitionId,
                ...(e.principalIdDisplayName !== undefined ? { principalDisplayName: e.principalIdDisplayName } : {}),
                justInTimeAccessPolicy: {
                  // azurerm accepts only "Azure" here and sends "None" when it is left out (rules/facts.ts).
                  ...mfaAttribute(e.justInTimeAccessPolicy?.multiFactorAuthProvider),
                  maximumActivationDuration: e.justInTimeAccessPolicy?.maximumActivationDuration,
                  ...(e.justInTimeAccessPolicy?.managedByTenantApprovers
                    ? {
                        approver: e.justInTimeAccessPolicy.managedByTenantApprovers.map((a) => ({
                          principalId: a.principalId,
                          ...(a.principalIdDisplayName !== undefined ? { principalDisplayName: a.principalIdDisplayName } : {}),
                        })),
                      }
                    : {}),
                },
              })),
            }
          : {}),
        ...(provider ? { provider } : {}),
      });
      for (const a of p.delegations) {
        const suffix = many ? `-${a.assignment.resourceGroup}` : "";
        const assignment = new LighthouseAssignment(this, `assignment${suffix}`, {
          name: a.assignment.assignmentId,
          scope: a.assignment.scope,
          lighthouseDefinitionId: definition.id,
          ...(provider ? { provider } : {}),
        });
        this.assignments.push(assignment);
      }
      this.definitions.push(definition);
    }
  }
}

/**
 * The onboardings of each app by delegation (subscription and definition GUID): two constructs with the same subscription
 * and offer name would be ONE registration definition, guid(offerName) in that subscription, and its assignments
 * (provider/lighthouse-ids.ts), so one would overwrite or share the other's delegation; `partnerlink check` of the
 * output sees two well-formed definitions. The whole app, not the stack: stacks of one app deploy to the same Azure.
 * The root stack refuses the same for its customers (stack/stack-config.ts sharedDelegationProblem).
 */
const DELEGATIONS = new WeakMap<object, Map<string, LighthouseOnboarding>>();

function refuseSharedDelegation(onboarding: LighthouseOnboarding): void {
  const p = onboarding.plan;
  const definitionId = p.delegations[0].definitionId;
  const key = `${p.subscriptionId.toLowerCase()}/${definitionId}`;
  let seen = DELEGATIONS.get(onboarding.node.root);
  if (seen === undefined) DELEGATIONS.set(onboarding.node.root, (seen = new Map()));
  const other = seen.get(key);
  if (other === undefined) {
    seen.set(key, onboarding);
    return;
  }
  throw new OnboardingError(
    `LighthouseOnboarding '${onboarding.node.path}': subscriptionId ${p.subscriptionId} and offerName '${p.offerName}' are those of LighthouseOnboarding '${other.node.path}': ` +
      `both would be registration definition ${definitionId} (guid(offerName)) and its assignments, so one would overwrite the other's delegation. ` +
      `Give one of them a different offerName, or list every resource group in one construct's resourceGroups.`,
  );
}

/** azurerm's `multi_factor_auth_provider` for the plan's MFA provider: "Azure" written, "None" left out. */
function mfaAttribute(armValue: string | undefined): { multiFactorAuthProvider?: string } {
  const v = armValue === undefined ? undefined : azurermMfaProvider(armValue);
  return v === undefined ? {} : { multiFactorAuthProvider: v };
}

/** The construct's properties (an object literal in JavaScript may hold others, which would be ignored or misread). */
const PROP_NAMES: ReadonlySet<string> = new Set([
  "offerName",
  "description",
  "subscriptionId",
  "resourceGroups",
  "managingTenantId",
  "pecPrincipalId",
  "pecPrincipalDisplayName",
  "pecRoleId",
  "authorizations",
  "eligibleAuthorizations",
  "provider",
]);

/** The spec keys the construct calls otherwise: its offerName is the spec's customer and offerName. */
const CONSTRUCT_KEYS: OnboardingSource["keys"] = { customer: "offerName", offerDescription: "description" };

/**
 * The property path of the first token in the props (`authorizations[0].principalId`, `resourceGroups`), or undefined.
 * A list token (`TerraformVariable.listValue`, `Token.asList`) is an array holding one encoded string that is not a
 * string token itself, so the array is asked first: otherwise it was read as a resource group named `#{TfToken[...]}`.
 */
function tokenPathIn(props: object): string | undefined {
  for (const [k, v] of Object.entries(props)) {
    if (k === "provider") continue;
    const at = tokenPath(v, k);
    if (at !== undefined) return at;
  }
  return undefined;
}

function tokenPath(v: unknown, path: string): string | undefined {
  if (v === null || v === undefined || typeof v === "boolean") return undefined;
  if (Token.isUnresolved(v)) return path;
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      const at = tokenPath(x, `${path}[${i}]`);
      if (at !== undefined) return at;
    }
    return undefined;
  }
  if (typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      const at = tokenPath(x, `${path}.${k}`);
      if (at !== undefined) return at;
    }
  }
  return undefined;
}
