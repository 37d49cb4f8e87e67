/**
 * `PartnerAdminLink`: links the identity of `connection` (typically the Provider Automation Account service
 * principal) to the partner's Associated Partner ID with Partner Admin Link (Microsoft.ManagementPartner).
 *
 * Inputs -> validation (check: provider/schemas/partner-admin-link.schema.json + rules/identifiers) -> ARM calls
 * (partner-admin-link-ops.ts over arm/) -> outputs (partnerName, objectId, tenantId, state, createdTime, updatedTime).
 *
 * The provider object below is what Pulumi serializes into `__provider`: it holds no state and no secret; each
 * method loads the operations at run time from the installed package (see `operations()`).
 */
import * as pulumi from "@pulumi/pulumi";
import { withSecretConnectionOutput, type ProviderConnectionArgs } from "./connection-args";
import type * as Ops from "./partner-admin-link-ops";
import { findPackageRoot, loadProviderExport } from "./operations-loader";
import { DYNAMIC_MODULE, PARTNER_ADMIN_LINK_TYPE, PARTNER_ADMIN_LINK_TYPE_NAME } from "./type-tokens";

export interface PartnerAdminLinkArgs {
  /** The numeric Associated Partner ID (MPN ID), e.g. "5127255". */
  partnerId: pulumi.Input<string>;
  /**
   * How the identity to be linked signs in: the link is made BY this identity. Stored as a Pulumi secret
   * (delete and refresh sign in with it).
   */
  connection: ProviderConnectionArgs;
  /** When the identity is already linked to another partner ID: move the link (PATCH) instead of failing. Default false. */
  allowRelink?: pulumi.Input<boolean>;
  /**
   * The object ID of the identity `connection` signs in as (the PEC service principal's), when you know it: create
   * and update sign in and refuse to link another identity, before writing anything; and policy packs see at preview
   * which principal the link is for (PL008), instead of "known after apply". Optional.
   */
  objectId?: pulumi.Input<string>;
  /**
   * How your program's user sets `partnerId`, `allowRelink` and `objectId`, when not as these inputs: messages name
   * these keys instead (the root stack passes `partnerlink:partner.partnerId`, ...).
   */
  messageKeys?: pulumi.Input<{ partnerId?: string; allowRelink?: string; objectId?: string }>;
}

/**
 * The dynamic provider. Pulumi serializes this object (its class text) into state; the class has no fields and its
 * methods reference nothing but Node built-ins, so the text is small and carries no secret. The logic is loaded
 * from `partnerlink/provider` where the program runs (the provider host's working directory is the Pulumi project:
 * partnerlink in its node_modules, or this repository itself through its package.json "exports").
 */
export class PartnerAdminLinkProvider implements pulumi.dynamic.ResourceProvider {
  private readonly packageRoot: string | undefined;
  constructor() {
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
    return this.operations().create(inputs);
  }
  async read(id: string, props?: any): Promise<pulumi.dynamic.ReadResult> {
    return this.operations().read(id, props ?? {});
  }
  async update(id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
    return this.operations().update(id, olds, news);
  }
  async delete(id: string, props: any): Promise<void> {
    return this.operations().remove(id, props);
  }
  private operations(): typeof Ops {
    return loadProviderExport<typeof Ops>(this.packageRoot, "partnerAdminLinkOperations");
  }
}

export class PartnerAdminLink extends pulumi.dynamic.Resource {
  /** Lets `validateResourceOfType` in policy packs recognise this resource. */
  static readonly __pulumiType = PARTNER_ADMIN_LINK_TYPE;

  declare public readonly partnerId: pulumi.Output<string>;
  declare public readonly allowRelink: pulumi.Output<boolean>;
  /** The partner's name as Partner Center has it. */
  declare public readonly partnerName: pulumi.Output<string>;
  /** Object ID of the linked identity, as ARM reports it (the `objectId` input, when given, must be it). */
  declare public readonly objectId: pulumi.Output<string>;
  /** Tenant of the linked identity. */
  declare public readonly tenantId: pulumi.Output<string>;
  /** "Active" (or "Deleted" when removed elsewhere and not yet refreshed). */
  declare public readonly state: pulumi.Output<string>;
  declare public readonly createdTime: pulumi.Output<string>;
  declare public readonly updatedTime: pulumi.Output<string>;

  constructor(name: string, args: PartnerAdminLinkArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      new PartnerAdminLinkProvider(),
      name,
      {
        partnerId: args.partnerId,
        allowRelink: args.allowRelink ?? false,
        messageKeys: args.messageKeys,
        // A secret input: encrypted in the state's inputs; `additionalSecretOutputs` covers the outputs.
        connection: pulumi.secret(args.connection as pulumi.Input<unknown>),
        partnerName: undefined,
        // An input when given (the identity the link must be for), else an output only.
        objectId: args.objectId,
        tenantId: undefined,
        state: undefined,
        createdTime: undefined,
        updatedTime: undefined,
      },
      withSecretConnectionOutput(opts, "connection"),
      DYNAMIC_MODULE,
      PARTNER_ADMIN_LINK_TYPE_NAME,
    );
  }
}
