/**
 * PL009 managing-tenant-not-allowed: the managing tenant is in config.allowedManagingTenants.
 *
 * Semantics:
 * - Applies only when allowedManagingTenants is configured and non-empty.
 * - Compared as lower-case GUIDs. Unresolved: PL012; malformed or a placeholder GUID: PL010; skipped here.
 */
import { isPlaceholderGuid, parseGuid } from "../identifiers";
import { isUnresolved } from "../model";
import type { Check } from "./context";
import { basePath, listSome, propName, propPath, wherePath } from "./paths";

export const pl009ManagingTenantNotAllowed: Check = (estate, ctx, report) => {
  const allowed = new Set((ctx.config.allowedManagingTenants ?? []).map((t) => t.toLowerCase()));
  if (allowed.size === 0) return;
  // Most delegations name the same managing tenant: one found allowed just now is allowed again without parsing it
  // (compared by content; each delegation's value is a string of its own).
  let lastAllowed: string | undefined;
  for (let dIndex = 0; dIndex < estate.delegations.length; dIndex++) {
    const d = estate.delegations[dIndex]!;
    const raw = d.managedByTenantId;
    if (raw === lastAllowed || isUnresolved(raw)) continue;
    const t = parseGuid(raw);
    // A malformed or placeholder tenant ID is PL010's (one finding per value).
    if (t === undefined) continue;
    if (allowed.has(t)) {
      lastAllowed = raw;
      continue;
    }
    if (isPlaceholderGuid(t)) continue;
    const path = propPath(basePath(d.source), "managedByTenantId", d.source);
    report({
      resource: d.name,
      source: d.source,
      path,
      message: `Delegation '${d.name}'${wherePath(path)}: managing tenant ${t} is not in allowedManagingTenants (${listSome([...allowed])}). Fix: set ${propName("managedByTenantId", d.source)} to the partner tenant, or add ${t} to allowedManagingTenants.`,
    });
  }
};
