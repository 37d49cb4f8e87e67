/**
 * PL012 value-unresolved (info): values a rule needs that are not known before deployment.
 *
 * Semantics:
 * - One finding per Unresolved value among the properties the rules read (rules/checks/fields.ts), with the
 *   adapter's reason and the expression; the rules that need it skip it instead of guessing.
 * - A PartnerLink without a known objectId (a link made by "whoever deploys it"): it cannot prove which identity
 *   is linked; one finding on the link.
 */
import { isUnresolved, type Unresolved } from "../model";
import type { Check } from "./context";
import { fieldProblems, type Field } from "./fields";
import { basePath, propPath, wherePath } from "./paths";

/** The rules that read a value of each kind, and so skip it while it is unresolved. */
const NEEDED_BY: Record<Field["kind"], readonly string[]> = {
  tenantId: ["PL009"],
  principalId: ["PL001", "PL002", "PL003", "PL005", "PL007", "PL008", "PL014"],
  roleDefinitionId: ["PL003", "PL004", "PL005", "PL007", "PL014"],
  definitionScope: ["PL006", "PL007", "PL014"],
  scope: ["PL007", "PL014"],
  definitionId: ["PL010"],
  assignmentId: ["PL010"],
  partnerId: ["PL008"],
  objectId: ["PL007", "PL008", "PL014"],
  subscriptionId: ["PL007", "PL014"],
  duration: ["PL005"],
  mfaProvider: ["PL005"],
};

export const pl012ValueUnresolved: Check = (estate, ctx, report) => {
  // One finding per value: an assignment whose definition is not in the input stands in for its tenant, principal,
  // role and definition ID at one path; the rules each of them needed are named together.
  const byValue = new Map<string, { field: Field; path: string; value: Unresolved; rules: Set<string> }>();
  for (const f of fieldProblems(estate, ctx).unresolved) {
    const value = f.value;
    if (!isUnresolved(value)) continue;
    // Where the input marks it unknown, when the value is not in the file (a plan's `after_unknown`).
    const path = value.path ?? f.path;
    const key = `${f.resource}\u0000${f.source.file ?? ""}\u0000${path}\u0000${value.reason}`;
    let entry = byValue.get(key);
    if (entry === undefined) byValue.set(key, (entry = { field: f, path, value, rules: new Set<string>() }));
    for (const r of NEEDED_BY[f.kind]) entry.rules.add(r);
  }
  for (const { field: f, path, value, rules } of byValue.values()) {
    const expr = value.expression ? ` (${value.expression})` : "";
    report({
      resource: f.resource,
      source: f.source,
      path,
      message: `'${f.resource}'${wherePath(path)}: value not known before deployment${expr}: ${value.reason}. ${[...rules].sort().join("/")} could not check it; it cannot be checked until apply. Fix: use a value known before deployment (a literal, or a parameter or variable that holds one), or run partnerlink audit after apply.`,
    });
  }
  for (const l of estate.partnerLinks) {
    if (l.objectId !== undefined) continue;
    const path = propPath(basePath(l.source), "objectId", l.source);
    report({
      resource: l.name,
      source: l.source,
      path,
      message: `Partner link '${l.name}'${wherePath(path)}: the linked identity's objectId is not known (the link belongs to whoever creates it), so it cannot prove which principal is PAL-linked; PL007/PL008/PL014 do not guess. Fix: list the PAL-linked principal's objectId in palLinkedPrincipals (partnerlink config, or the policy pack's config), or run partnerlink audit after apply, which reads the link.`,
    });
  }
};
