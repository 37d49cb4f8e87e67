import type { Agreement, Finding, PartialAssociation } from "../rules/model";

/** What `partnerlink audit` reports for one subscription. */
export interface AuditRow {
  subscriptionId: string;
  displayName: string;
  /** The customer (home) tenant of the subscription. */
  tenantId?: string;
  /**
   * The identity whose read the row reports: the first that listed it, or, when that read failed, the next identity
   * that could read it (run-audit.ts auditOne). Absent for a declared subscription no identity sees.
   */
  seenBy?: string;
  /**
   * true when a delegation carries a PEC-eligible permanent role for a PAL-linked principal, or DPOR is declared;
   * null when it was not judged: the subscription could not be read (`error` says why), or PL007, the rule that
   * judges association, did not run (`notJudged` says why: turned off in config). Not known, never guessed.
   */
  associated: boolean | null;
  /** Why the association of a readable subscription was not judged (PL007 did not run); absent when it was judged. */
  notJudged?: string;
  /**
   * Set when the subscription is associated (`associated: true`) only through delegations assigned at resource groups:
   * the groups, as PL014's info finding (in `findings`) names them. Partner Earned Credit is earned on their consumption
   * alone, not on the rest of the subscription. Absent when a delegation at subscription scope (or a DPOR) covers it.
   */
  partialAssociation?: PartialAssociation;
  /** The PEC principal found in the delegations, if any. */
  pecPrincipal?: string;
  /** Its best role in the delegations (name and GUID). */
  pecRole?: string;
  pecRoleId?: string;
  /** true when that role is a permanent authorization, false when only just-in-time. */
  permanent?: boolean;
  /** false for a subscription declared in config that no configured identity can see (not delegated to it). */
  visible: boolean;
  /** Number of delegations (registration assignments) in effect, the ones judged. */
  delegations: number;
  /**
   * Registration assignments read but not in effect (audit/assignment-in-effect.ts): still provisioning (`Accepted`,
   * ...) or ended (`Failed`, `Deleting`, ...). Not judged and not counted as an association; absent when there are none.
   */
  notInEffect?: { assignmentId: string; provisioningState: string; effect: "provisioning" | "not-in-effect" }[];
  agreement: Agreement;
  /** DPOR as declared in config: "declared", "not declared", or "n/a" for non-EA subscriptions. */
  dpor: "declared" | "not declared" | "n/a";
  findings: Finding[];
  /** Set when the subscription could not be read; the row is still reported, never lost. */
  error?: string;
}
