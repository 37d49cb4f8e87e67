/**
 * PL013 definition-id-conflict: two registration definitions of one input that are one Azure resource (the same
 * definition GUID in the same subscription) but say different things.
 *
 * A registration definition's ID is `/subscriptions/{sub}/providers/Microsoft.ManagedServices/registrationDefinitions/{guid}`
 * (2022-10-01 REST spec, RegistrationDefinitions_CreateOrUpdate): two declarations with one GUID in one subscription
 * are one resource, and each deployment PUTs its own body over the other's. The GUID is usually `guid(offerName)`
 * (Azure-Lighthouse-samples, partnerlink's templates, constructs and stack), so two onboardings of one subscription
 * with the same offer name collide, and the delegation ends up with whichever authorizations were deployed last:
 * the PEC principal of the other is silently gone.
 *
 * Semantics:
 * - Compared within one input file (and among inputs without a file: one Pulumi stack). The same definition read from
 *   two files is most often one declaration seen twice (a plan and the configuration it came from).
 * - Only definitions whose GUID and subscription are known; an unresolved one is PL012's.
 * - Declarations that say the same (managing tenant, offer name, authorizations and eligible authorizations as
 *   grants: rules/same-authorization.ts) are the same definition written twice, as a template that re-deploys it per
 *   resource group does: an idempotent PUT, not reported. A value unknown before deployment cannot be compared:
 *   not reported.
 * - Reported on the later declaration, naming the earlier one.
 */
import { parseGuid, parseRegistrationDefinitionId, parseScope } from "../identifiers";
import { isUnresolved, type Delegation, type Val } from "../model";
import { authorizationKey, eligibleAuthorizationKey } from "../same-authorization";
import type { Check } from "./context";
import { basePath, propPath, wherePath } from "./paths";

export const pl013DefinitionIdConflict: Check = (estate, _ctx, report) => {
  // First declaration of each GUID, and the later ones only where a GUID repeats: one Map lookup per definition, no
  // key built per definition (10,000s in one plan; bench/check.ts).
  const first = new Map<string, Delegation>();
  let repeats: Map<string, Delegation[]> | undefined;
  const delegations = estate.delegations;
  for (let dIndex = 0; dIndex < delegations.length; dIndex++) {
    const d = delegations[dIndex]!;
    if (typeof d.definitionId !== "string" || typeof d.definitionScope !== "string") continue;
    // Most definition IDs are a bare GUID: parsed as one without the reference object parseRegistrationDefinitionId makes.
    const guid = parseGuid(d.definitionId) ?? parseRegistrationDefinitionId(d.definitionId)?.definitionId;
    if (guid === undefined) continue;
    if (!first.has(guid)) first.set(guid, d);
    else {
      repeats ??= new Map();
      const list = repeats.get(guid);
      if (list) list.push(d);
      else repeats.set(guid, [d]);
    }
  }
  if (repeats === undefined) return;
  for (const [guid, later] of repeats) {
    // Among one GUID's declarations, those of one file and one subscription are one resource.
    const seen = new Map<string, Delegation>();
    for (const d of [first.get(guid)!, ...later]) {
      const sub = parseScope(d.definitionScope)?.subscriptionId;
      if (sub === undefined) continue;
      const key = `${d.source.file ?? ""}\u0000${sub}`;
      const earlier = seen.get(key);
      if (earlier === undefined) {
        seen.set(key, d);
        continue;
      }
      const mine = contentKey(d);
      const theirs = contentKey(earlier);
      if (mine === undefined || theirs === undefined || mine === theirs) continue;
      const path = propPath(basePath(d.source), "definitionId", d.source);
      const at = propPath(basePath(earlier.source), "definitionId", earlier.source);
      report({
        resource: d.name,
        source: d.source,
        path,
        message:
          `Delegation '${d.name}'${wherePath(path)}: registration definition ${guid} in subscription ${sub} is also declared by '${earlier.name}' (${at}) with other contents; ` +
          `they are one Azure resource, so whichever is deployed last replaces the other's authorizations (and with them, possibly, the PEC principal). ` +
          `Fix: give one of them another definition ID (another offer name where the ID is guid(offerName)), or declare the delegation once and assign it to every scope it needs.`,
      });
    }
  }
};

/** What a deployment of the definition sets, as one string; undefined when a value is not known before deployment. */
function contentKey(d: Delegation): string | undefined {
  // A value as compared: "" when absent, null when not known before deployment.
  const str = (v: Val<string> | undefined): string | null => (v === undefined ? "" : isUnresolved(v) ? null : v);
  const tenant = str(d.managedByTenantId);
  const name = str(d.registrationDefinitionName);
  if (tenant === null || name === null) return undefined;
  const parts: string[] = [parseGuid(tenant) ?? tenant, name];
  const auths: string[] = [];
  for (const a of d.authorizations) {
    const principalId = str(a.principalId);
    const roleDefinitionId = str(a.roleDefinitionId);
    if (principalId === null || roleDefinitionId === null) return undefined;
    const delegated: string[] = [];
    for (const r of a.delegatedRoleDefinitionIds ?? []) {
      const v = str(r);
      if (v === null) return undefined;
      delegated.push(v);
    }
    auths.push(authorizationKey({ principalId, roleDefinitionId, delegatedRoleDefinitionIds: delegated }));
  }
  const eligible: string[] = [];
  for (const e of d.eligibleAuthorizations) {
    const principalId = str(e.principalId);
    const roleDefinitionId = str(e.roleDefinitionId);
    const p = e.justInTimeAccessPolicy;
    const mfa = str(p?.multiFactorAuthProvider);
    const duration = str(p?.maximumActivationDuration);
    if (principalId === null || roleDefinitionId === null || mfa === null || duration === null) return undefined;
    const approvers: { principalId: string }[] = [];
    for (const ap of p?.managedByTenantApprovers ?? []) {
      const id = str(ap.principalId);
      if (id === null) return undefined;
      approvers.push({ principalId: id });
    }
    const policy: { multiFactorAuthProvider?: string; maximumActivationDuration?: string; managedByTenantApprovers: { principalId: string }[] } = { managedByTenantApprovers: approvers };
    if (mfa) policy.multiFactorAuthProvider = mfa;
    if (duration) policy.maximumActivationDuration = duration;
    eligible.push(eligibleAuthorizationKey({ principalId, roleDefinitionId, justInTimeAccessPolicy: policy }));
  }
  // Sets: the order of the lists is not what makes two definitions differ.
  return [...parts, "auth", ...[...new Set(auths)].sort(), "eligible", ...[...new Set(eligible)].sort()].join("\u0000");
}
