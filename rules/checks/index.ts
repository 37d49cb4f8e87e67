import type { Check } from "./context";
import { pl001PecPrincipalMissing } from "./pl001-pec-principal-missing";
import { pl002PecPrincipalJitOnly } from "./pl002-pec-principal-jit-only";
import { pl003PecRoleNotEligible } from "./pl003-pec-role-not-eligible";
import { pl004RoleNotSupportedByLighthouse } from "./pl004-role-not-supported-by-lighthouse";
import { pl005EligibleAuthorizationInvalid } from "./pl005-eligible-authorization-invalid";
import { pl006DefinitionScopeInvalid } from "./pl006-definition-scope-invalid";
import { pl007SubscriptionNotAssociated } from "./pl007-subscription-not-associated";
import { pl008PalLinkMissing } from "./pl008-pal-link-missing";
import { pl009ManagingTenantNotAllowed } from "./pl009-managing-tenant-not-allowed";
import { pl010InvalidIdentifier } from "./pl010-invalid-identifier";
import { pl011DporAgreementMismatch } from "./pl011-dpor-agreement-mismatch";
import { pl012ValueUnresolved } from "./pl012-value-unresolved";
import { pl013DefinitionIdConflict } from "./pl013-definition-id-conflict";
import { pl014SubscriptionAssociatedAtResourceGroups } from "./pl014-subscription-associated-at-resource-groups";

export type { Check, RawFinding, Report, RuleContext } from "./context";

/** The rule registry: rule ID (rules/metadata.ts) -> implementation. One line per rule. */
export const CHECKS: Readonly<Record<string, Check>> = {
  PL001: pl001PecPrincipalMissing,
  PL002: pl002PecPrincipalJitOnly,
  PL003: pl003PecRoleNotEligible,
  PL004: pl004RoleNotSupportedByLighthouse,
  PL005: pl005EligibleAuthorizationInvalid,
  PL006: pl006DefinitionScopeInvalid,
  PL007: pl007SubscriptionNotAssociated,
  PL008: pl008PalLinkMissing,
  PL009: pl009ManagingTenantNotAllowed,
  PL010: pl010InvalidIdentifier,
  PL011: pl011DporAgreementMismatch,
  PL012: pl012ValueUnresolved,
  PL013: pl013DefinitionIdConflict,
  PL014: pl014SubscriptionAssociatedAtResourceGroups,
};
