/**
 * `LighthouseOnboarding`: onboards one customer subscription (or some of its resource groups) to the partner's
 * tenant through Azure Lighthouse, with the PAL-linked identity (`pecAuthorization`) always holding a PEC-eligible
 * role as a permanent authorization.
 *
 * Inputs -> validation (check: provider/schemas/lighthouse-onboarding.schema.json, then the shared rules on the
 * normalized model, before any ARM call) -> ARM calls (lighthouse-onboarding-ops.ts over arm/, signed in as
 * `customerConnection`, an Owner in the CUSTOMER tenant) -> outputs (definitionId, assignmentIds,
 * provisioningState, manageeTenantId).
 */
import * as pulumi from "@pulumi/pulumi";
import type { LighthouseAuthorization, LighthouseEligibleAuthorization } from "../arm";
import type { PartnerlinkConfig } from "../rules/config-types";
import { withSecretConnectionOutput, type Inputify, type ProviderConnectionArgs } from "./connection-args";
import type * as Ops from "./lighthouse-onboarding-ops";
import { findPackageRoot, loadProviderExport } from "./operations-loader";
import { DYNAMIC_MODULE, LIGHTHOUSE_ONBOARDING_TYPE, LIGHTHOUSE_ONBOARDING_TYPE_NAME } from "./type-tokens";

export interface PecAuthorizationArgs {
  /** Object ID of the PAL-linked identity (the PartnerAdminLink's `objectId`). */
  principalId: pulumi.Input<string>;
  /** Shown to the customer, e.g. "Provider Automation Account". */
  principalDisplayName: pulumi.Input<string>;
  /** Default Contributor (b24988ac-6180-42a0-ab88-20f7382dd24c): PEC-eligible and accepted by Lighthouse. */
  roleDefinitionId?: pulumi.Input<string>;
}

export interface LighthouseOnboardingArgs {
  /** The partner (managing) tenant. */
  managingTenantId: pulumi.Input<string>;
  /** The customer's tenant: `customerConnection` must sign in there. */
  customerTenantId: pulumi.Input<string>;
  subscriptionId: pulumi.Input<string>;
  /** One assignment per resource group; none: one assignment at the subscription. */
  resourceGroups?: pulumi.Input<pulumi.Input<string>[]>;
  /** The offer name; the definition and assignment IDs are `guid(offerName)` as in the public templates. */
  offerName: pulumi.Input<string>;
  offerDescription?: pulumi.Input<string>;
  /** Further permanent authorizations (ARM shape), each once: check() refuses one equal to pecAuthorization or to an earlier entry. */
  authorizations?: pulumi.Input<pulumi.Input<Inputify<LighthouseAuthorization>>[]>;
  /** Just-in-time authorizations (ARM shape; users and groups only), each once, as `authorizations`. */
  eligibleAuthorizations?: pulumi.Input<pulumi.Input<Inputify<LighthouseEligibleAuthorization>>[]>;
  /** The PAL-linked identity's permanent authorization; always added. */
  pecAuthorization: pulumi.Input<PecAuthorizationArgs>;
  /**
   * An identity of the CUSTOMER tenant with Owner on the subscription (customer-side deployer, or the CSP
   * partner's admin access there). Stored as a Pulumi secret.
   */
  customerConnection: ProviderConnectionArgs;
  /** partnerlink configuration for the rules (allowedManagingTenants, waivers, severity overrides, roles). */
  rulesConfig?: pulumi.Input<PartnerlinkConfig>;
}

/** Provider options (not inputs): e.g. a short LRO poll interval for tests against the emulator. */
export interface LighthouseOnboardingProviderOptions {
  updateIntervalInMs?: number;
}

/**
 * The dynamic provider Pulumi serializes into `__provider`: no secret, no SDK object, only an optional poll
 * interval; the operations are loaded at run time from `partnerlink/provider` (see PartnerAdminLinkProvider).
 */
export class LighthouseOnboardingProvider implements pulumi.dynamic.ResourceProvider {
  private readonly options: LighthouseOnboardingProviderOptions;
  private readonly packageRoot: string | undefined;
  constructor(options: LighthouseOnboardingProviderOptions = {}) {
    this.options = options.updateIntervalInMs !== undefined ? { updateIntervalInMs: options.updateIntervalInMs } : {};
    // The partnerlink package this provider comes from: a fallback for loading the operations (see operations()).
    this.packageRoot = findPackageRoot(__dirname);
  }
  async check(olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
    return this.operations().check(olds, news);
  }
  async diff(id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
    return this.operations().diff(id, olds, news);
  }
  async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
    return this.operations().create(inputs, this.options);
  }
  async read(id: string, props?: any): Promise<pulumi.dynamic.ReadResult> {
    return this.operations().read(id, props ?? {});
  }
  async update(id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
    return this.operations().update(id, olds, news, this.options);
  }
  async delete(id: string, props: any): Promise<void> {
    return this.operations().remove(id, props, this.options);
  }
  private operations(): typeof Ops {
    return loadProviderExport<typeof Ops>(this.packageRoot, "lighthouseOnboardingOperations");
  }
}

export class LighthouseOnboarding extends pulumi.dynamic.Resource {
  /** Lets `validateResourceOfType` in policy packs recognise this resource. */
  static readonly __pulumiType = LIGHTHOUSE_ONBOARDING_TYPE;

  declare public readonly managingTenantId: pulumi.Output<string>;
  declare public readonly customerTenantId: pulumi.Output<string>;
  declare public readonly subscriptionId: pulumi.Output<string>;
  declare public readonly resourceGroups: pulumi.Output<string[]>;
  declare public readonly offerName: pulumi.Output<string>;
  declare public readonly offerDescription: pulumi.Output<string | undefined>;
  declare public readonly authorizations: pulumi.Output<LighthouseAuthorization[]>;
  declare public readonly eligibleAuthorizations: pulumi.Output<LighthouseEligibleAuthorization[]>;
  declare public readonly pecAuthorization: pulumi.Output<{ principalId: string; principalDisplayName: string; roleDefinitionId: string }>;
  /** `/subscriptions/{sub}/providers/Microsoft.ManagedServices/registrationDefinitions/{guid(offerName)}` */
  declare public readonly definitionId: pulumi.Output<string>;
  /** Registration assignment resource IDs, one per resource group (or one at the subscription). */
  declare public readonly assignmentIds: pulumi.Output<string[]>;
  declare public readonly provisioningState: pulumi.Output<string>;
  /** The customer tenant as Azure reports it. */
  declare public readonly manageeTenantId: pulumi.Output<string>;

  constructor(name: string, args: LighthouseOnboardingArgs, opts?: pulumi.CustomResourceOptions, providerOptions?: LighthouseOnboardingProviderOptions) {
    super(
      new LighthouseOnboardingProvider(providerOptions),
      name,
      {
        managingTenantId: args.managingTenantId,
        customerTenantId: args.customerTenantId,
        subscriptionId: args.subscriptionId,
        // Not defaulted to []: left out is the subscription, an empty list is refused (check(), rules/resource-groups.ts).
        resourceGroups: args.resourceGroups,
        offerName: args.offerName,
        offerDescription: args.offerDescription,
        authorizations: args.authorizations ?? [],
        eligibleAuthorizations: args.eligibleAuthorizations ?? [],
        pecAuthorization: args.pecAuthorization,
        customerConnection: pulumi.secret(args.customerConnection as pulumi.Input<unknown>),
        rulesConfig: args.rulesConfig,
        definitionId: undefined,
        assignmentIds: undefined,
        provisioningState: undefined,
        manageeTenantId: undefined,
      },
      withSecretConnectionOutput(opts, "customerConnection"),
      DYNAMIC_MODULE,
      LIGHTHOUSE_ONBOARDING_TYPE_NAME,
    );
  }
}
