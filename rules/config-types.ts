import type { Agreement, Severity } from "./model";

/**
 * partnerlink configuration, as read from `partnerlink.config.{json,yaml}`, `--config`, the policy pack's
 * config or the root stack's config. Validated by rules/config.schema.json (ajv) before use.
 */
export interface PartnerlinkConfig {
  /** The partner's Associated Partner ID (MPN ID), a numeric string. */
  partnerId?: string;
  /** Object IDs of the PAL-linked identities that must hold a PEC-eligible permanent role in every delegation. */
  pecPrincipals?: string[];
  /** Principals declared PAL-linked outside what is being checked (e.g. linked once by hand). */
  palLinkedPrincipals?: string[];
  /** Principals to treat as service principals (Azure refuses them in eligible authorizations). */
  servicePrincipals?: string[];
  /** Allowed managing tenants; when absent PL009 does not apply. */
  allowedManagingTenants?: string[];
  /** Customer subscriptions in scope, with their agreement and whether a DPOR is declared. */
  subscriptions?: SubscriptionDeclaration[];
  /** When true, EA subscriptions without `dpor: true` are reported (PL011). Default false. */
  requireDporForEa?: boolean;
  /** Findings waived with a reason; reported as suppressed, never dropped. */
  waivers?: Waiver[];
  /** Per-rule overrides of severity ("off" disables the rule). */
  rules?: Record<string, { severity?: Severity | "off" }>;
  /** Overrides of role catalog facts (e.g. a role that gained or lost DataActions). */
  roles?: RoleOverride[];
}

export interface SubscriptionDeclaration {
  subscriptionId: string;
  name?: string;
  agreement?: Agreement;
  dpor?: boolean;
}

export interface Waiver {
  /** Rule ID ("PL003") or name. */
  rule: string;
  /** Resource name the waiver applies to; `*` for every resource. */
  resource: string;
  reason: string;
  /** ISO date (YYYY-MM-DD); the waiver stops applying after that day. */
  expires?: string;
  /**
   * Inline waivers only (set by the adapters, never read from config): the input files the waived resource was
   * read from (a template and its parameters file). The waiver then applies to findings in those files alone, so a
   * resource of the same name in another input keeps its findings.
   */
  files?: string[];
}

export interface RoleOverride {
  /** GUID of the built-in role. */
  id: string;
  name?: string;
  pecEligible?: boolean;
  hasDataActions?: boolean;
  lighthouse?: "yes" | "no" | "with-delegated-roles";
  /** Why the override exists (shown in messages). */
  reason?: string;
}
