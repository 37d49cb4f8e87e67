import { TerraformProvider, TerraformResource, TerraformStack, Token, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { isPartnerId } from "../rules/identifiers";
import { OnboardingError } from "../templates/onboarding-error";

/** Microsoft.ManagementPartner has one api-version (REST spec managementpartner/stable/2018-02-01). */
export const PARTNER_RESOURCE_TYPE = "Microsoft.ManagementPartner/partners@2018-02-01";

const AZAPI_METADATA = { providerName: "azapi", providerVersionConstraint: "~> 2.0" };

/**
 * The Azure/azapi Terraform provider, declared so the stack's `required_providers` names its source (there is
 * no prebuilt @cdktf/provider-azapi). Its credentials are the identity that {@link PartnerAdminLink} links.
 */
export class AzapiProvider extends TerraformProvider {
  private providerAlias?: string;

  constructor(scope: Construct, id: string, config: { alias?: string } = {}) {
    super(scope, id, { terraformResourceType: "azapi", terraformGeneratorMetadata: AZAPI_METADATA, terraformProviderSource: "Azure/azapi" });
    this.providerAlias = config.alias;
  }

  // The base class's accessors are placeholders that generated providers override; so does this one.
  override get alias(): string | undefined {
    return this.providerAlias;
  }

  override set alias(value: string | undefined) {
    this.providerAlias = value;
  }
}

interface ResourceActionConfig {
  type: string;
  resourceId: string;
  method: "PUT" | "DELETE" | "PATCH" | "POST" | "GET" | "HEAD";
  when: "apply" | "destroy";
  provider: TerraformProvider;
  dependsOn?: ITerraformDependable[];
}

/** An `azapi_resource_action` (azapi 2.x): `type`, `resource_id`, `method`, `when`. */
export class AzapiResourceAction extends TerraformResource {
  static readonly tfResourceType = "azapi_resource_action";

  constructor(scope: Construct, id: string, private readonly config: ResourceActionConfig) {
    super(scope, id, {
      terraformResourceType: AzapiResourceAction.tfResourceType,
      terraformGeneratorMetadata: AZAPI_METADATA,
      provider: config.provider,
      dependsOn: config.dependsOn,
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { type: this.config.type, resource_id: this.config.resourceId, method: this.config.method, when: this.config.when };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    const str = (value: string) => ({ value, isBlock: false, type: "simple", storageClassType: "string" });
    return {
      type: str(this.config.type),
      resource_id: str(this.config.resourceId),
      method: str(this.config.method),
      when: str(this.config.when),
    };
  }
}

export interface PartnerAdminLinkProps {
  /** The partner's Associated Partner ID (numeric). */
  partnerId: string;
  /** The azapi provider whose identity is linked; default: the stack's AzapiProvider (created when absent). */
  provider?: TerraformProvider;
}

/**
 * Partner Admin Link for the identity the azapi provider runs as: azurerm has no resource for it
 * (hashicorp/terraform-provider-azurerm #6019, #31696), so it is the documented azapi workaround, a PUT of
 * `/providers/Microsoft.ManagementPartner/partners/{partnerId}` when the resource is created and a DELETE
 * when it is destroyed. Azure refuses a PUT when the identity is already linked (no upsert): import or
 * skip the link for identities linked by hand, and declare them in `palLinkedPrincipals` instead.
 *
 * @example
 * const link = new PartnerAdminLink(stack, "pal", { partnerId: "5127255" });
 */
export class PartnerAdminLink extends Construct {
  readonly link: AzapiResourceAction;
  readonly unlink: AzapiResourceAction;

  constructor(scope: Construct, id: string, props: PartnerAdminLinkProps) {
    super(scope, id);
    const partnerId: unknown = props?.partnerId;
    // The ID is part of the resource ID Terraform sends: a token (a variable) would be known only at apply, and a
    // number (from JavaScript) is not the string the PUT's path takes; say so rather than print an encoded token.
    if (typeof partnerId === "string" && Token.isUnresolved(partnerId)) {
      throw new OnboardingError(
        `PartnerAdminLink '${this.node.path}': partnerId is a token (known only at apply); pass the Associated Partner ID as a literal string (e.g. "5127255")`,
      );
    }
    if (typeof partnerId !== "string") {
      throw new OnboardingError(
        `PartnerAdminLink '${this.node.path}': partnerId ${partnerId === undefined ? "is required" : `must be a string, not ${typeof partnerId === "number" ? `the number ${partnerId}` : typeof partnerId}`}; ` +
          `pass the numeric Associated Partner ID from Partner Center as a string (e.g. "5127255")`,
      );
    }
    if (!isPartnerId(props.partnerId)) {
      throw new OnboardingError(
        `PartnerAdminLink '${this.node.path}': partnerId '${props.partnerId}' must be the numeric Associated Partner ID (e.g. 5127255) from Partner Center`,
      );
    }
    const provider = props.provider ?? defaultAzapiProvider(this);
    // One identity, one link: the link belongs to whoever the provider signs in as, and Azure refuses a PUT for an
    // identity already linked (to this partner ID or another), so a second link on one provider fails at apply.
    const other = LINKS.get(provider);
    if (other !== undefined) {
      throw new OnboardingError(
        `PartnerAdminLink '${this.node.path}': provider '${provider.node.path}' already links its identity in PartnerAdminLink '${other.node.path}'; ` +
          `an identity has one Partner Admin Link and Azure refuses a second PUT. Remove one of them, or pass another provider (another identity) to this one.`,
      );
    }
    LINKS.set(provider, this);
    const resourceId = `/providers/Microsoft.ManagementPartner/partners/${props.partnerId}`;
    this.link = new AzapiResourceAction(this, "link", { type: PARTNER_RESOURCE_TYPE, resourceId, method: "PUT", when: "apply", provider });
    this.unlink = new AzapiResourceAction(this, "unlink", {
      type: PARTNER_RESOURCE_TYPE,
      resourceId,
      method: "DELETE",
      when: "destroy",
      provider,
      dependsOn: [this.link],
    });
  }
}

/** The PartnerAdminLink of each azapi provider (its identity). */
const LINKS = new WeakMap<TerraformProvider, PartnerAdminLink>();

/** The stack's unaliased AzapiProvider, created at the stack root on first use. */
function defaultAzapiProvider(scope: Construct): TerraformProvider {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.children.find((c): c is AzapiProvider => c instanceof AzapiProvider && c.alias === undefined);
  return existing ?? new AzapiProvider(stack, "azapi");
}
