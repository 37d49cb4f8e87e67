import type { PartnerlinkConfig, SubscriptionDeclaration } from "../rules/config-types";
import type { Agreement, Delegation, Estate, Finding, PartnerLink } from "../rules/model";
import { known } from "../rules/model";
import { evaluate, NO_PEC_PRINCIPAL_REASON, severityOverrides, type EvaluationResult } from "../rules/engine";
import { lookupRole } from "../rules/roles";
import * as arm from "../arm";
import type { ArmConnection } from "../arm";
import type { AuditRow } from "./audit-row";
import type { Checkpoint } from "./checkpoint";
import { assignmentEffect } from "./assignment-in-effect";
import { delegationFromAssignment } from "./delegation-from-assignment";
import { armRateLimitPolicy } from "./rate-limit-policy";
import { DEFAULT_REQUEST_TIMEOUT_MS, requestTimeoutPolicy } from "./request-timeout-policy";
import { BucketSet } from "./token-bucket";
import { BoundedQueue } from "./bounded-queue";
import { auditWaivers, judgeWithoutPecPrincipal } from "./no-pec-principal";

/** NO_PEC_PRINCIPAL_REASON as an audit has it: the PAL links are read live for the identities it signs in as. */
const AUDIT_NO_PEC_PRINCIPAL_REASON = "no PEC principal is configured and no identity the audit signed in as has a PAL link";

export interface AuditIdentity {
  /** A name for messages and the `seenBy` column. */
  name: string;
  connection: ArmConnection;
}

export interface AuditOptions {
  identities: AuditIdentity[];
  config: PartnerlinkConfig;
  /** Subscriptions read at once (default 16). */
  concurrency?: number;
  /** Client-side ARM buckets (default: Azure's published numbers). */
  buckets?: BucketSet;
  /** Also report the identities' home-tenant subscriptions (default: delegated and declared ones only). */
  includeHome?: boolean;
  checkpoint?: Checkpoint;
  onProgress?: (done: number, seen: number) => void;
  signal?: AbortSignal;
  /** How long one ARM request may take before it is given up and retried (default 120 s; request-timeout-policy.ts). */
  requestTimeoutMs?: number;
}

export interface AuditResult {
  /** Identities that signed in, with their PAL link (if any). */
  links: PartnerLink[];
  /** What the audit could not establish and how that shaped the report, one line each (stderr; JSON and SARIF reports too). */
  notices: string[];
  /**
   * Rules that did not run on any subscription, and why (the engine's `notEvaluated`, the same for every row). PL007
   * among them means no association was judged: every readable row has `associated: null` and `notJudged`.
   */
  notEvaluated: EvaluationResult["notEvaluated"];
  /**
   * Findings on the PAL links themselves (a link to another partner ID than the configured one), found once for the
   * whole audit: they are the same for every subscription, so no row carries them.
   */
  linkFindings: Finding[];
}

/**
 * Reads what is really delegated and linked, one subscription at a time with bounded concurrency, and hands
 * each finished row to `emit` at once: nothing per subscription is kept, so memory does not grow with the
 * estate. The same rules as `partnerlink check` and the policy pack judge each subscription.
 */
export async function runAudit(options: AuditOptions, emit: (row: AuditRow) => void): Promise<AuditResult> {
  const { config } = options;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const buckets = options.buckets ?? new BucketSet();
  const policy = armRateLimitPolicy(buckets);
  // The timeout inside the rate limiter: a wait for a token is not a stalled request.
  const timeout = requestTimeoutPolicy(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  const identities = options.identities.map((i) => ({
    ...i,
    connection: {
      ...i.connection,
      additionalPolicies: [...(i.connection.additionalPolicies ?? []), { policy, position: "perRetry" as const }, { policy: timeout, position: "perRetry" as const }],
    },
  }));

  // 1. Who each identity is, and its PAL link.
  const links: PartnerLink[] = [];
  const homeTenants = new Map<string, string>();
  /** The object ID of each identity signed in as: its PAL link was read live, so config claims about it do not count. */
  const readPrincipals = new Map<string, string>();
  for (const id of identities) {
    let me: Awaited<ReturnType<typeof arm.whoAmI>>;
    let link: Awaited<ReturnType<typeof arm.getCurrentPartnerLink>>;
    try {
      // Ctrl-C stops a sign-in too: a token endpoint that does not answer must not hold the audit.
      me = await untilAborted(arm.whoAmI(id.connection, { abortSignal: options.signal }), options.signal);
      link = await arm.getCurrentPartnerLink(id.connection, { abortSignal: options.signal });
    } catch (err) {
      throw identityError(id, err);
    }
    homeTenants.set(id.name, me.tenantId.toLowerCase());
    readPrincipals.set(me.objectId.toLowerCase(), id.name);
    if (link) {
      links.push({ name: id.name, source: { resource: `identity ${id.name}` }, partnerId: link.partnerId, objectId: link.objectId, tenantId: link.tenantId });
    }
  }

  // The live PAL state wins for the identities read: palLinkedPrincipals (which `partnerlink template` writes) only
  // fills in principals the audit did not sign in as. A listed identity found unlinked is judged unlinked (PL008).
  const notices: string[] = [];
  const palLinkedPrincipals: string[] = [];
  for (const p of config.palLinkedPrincipals ?? []) {
    const name = readPrincipals.get(p.toLowerCase());
    if (name === undefined) {
      palLinkedPrincipals.push(p);
      continue;
    }
    const live = links.find((l) => l.name === name);
    const fix = `Fix: link it (az managementpartner create --partner-id ${config.partnerId ?? "<id>"} signed in as it), or remove it from palLinkedPrincipals.`;
    if (!live) notices.push(`palLinkedPrincipals lists ${p} (identity '${name}'), but the audit read no PAL link for it: it is judged not linked. ${fix}`);
    else if (config.partnerId !== undefined && live.partnerId !== config.partnerId)
      notices.push(`palLinkedPrincipals lists ${p} (identity '${name}'), but the audit read its PAL link to partner ID ${String(live.partnerId)}, not ${config.partnerId}: it is judged linked elsewhere. ${fix}`);
  }
  const declared = new Map<string, SubscriptionDeclaration>();
  for (const s of config.subscriptions ?? []) declared.set(s.subscriptionId.toLowerCase(), s);
  // Each subscription is judged on its own: its declaration goes into the estate, not every config subscription.
  const perSubscriptionConfig: PartnerlinkConfig = { ...config, subscriptions: undefined, palLinkedPrincipals };
  const pecPrincipals = new Set((config.pecPrincipals?.length ? config.pecPrincipals : links.map((l) => known(l.objectId)).filter((x): x is string => !!x)).map((p) => p.toLowerCase()));
  // PEC principals stated (config or --pec-principal) replace the linked identities as the ones that earn the credit:
  // an identity the audit found linked (to the partner ID, when one is configured) but left out is said, since the
  // delegations to it then count for nothing here.
  if (config.pecPrincipals?.length)
    for (const l of links) {
      const oid = known(l.objectId)?.toLowerCase();
      if (oid === undefined || pecPrincipals.has(oid) || (config.partnerId !== undefined && l.partnerId !== config.partnerId)) continue;
      notices.push(
        `identity '${l.name}' (object ${oid}) is PAL-linked to partner ID ${String(l.partnerId)} but is not among the PEC principals (pecPrincipals, --pec-principal): delegations to it make no subscription associated here. ` +
          `Fix: add it to pecPrincipals (or --pec-principal ${oid}) if it is the identity that earns PEC.`,
      );
    }
  // No PEC principal known: the engine skips PL007, and its silence must not read as "associated".
  const noPecPrincipal = pecPrincipals.size === 0;
  const waivers = noPecPrincipal ? auditWaivers(config) : undefined;
  // What the engine will not run, on any subscription: it depends on the config and the PAL links only. With no PEC
  // principal known the engine skips PL007 and the audit judges it itself (judgeWithoutPecPrincipal); any other
  // reason (PL007 turned off in config) leaves association unjudged, and no row may then read "associated".
  // The engine's reasons speak of declared PartnerLinks (a checked input); an audit reads the links live.
  const linksOnly = evaluate({ delegations: [], partnerLinks: links, subscriptions: [] }, perSubscriptionConfig);
  // Every subscription's evaluation finds these again (its estate holds the links): reported once, not once a row.
  const linkFindings = linksOnly.findings;
  const linkFindingKeys = new Set(linkFindings.map(findingKey));
  const notEvaluated = linksOnly.notEvaluated
    .filter((n) => !(n.ruleId === "PL007" && noPecPrincipal && severityOverrides(config).get("PL007") !== "off"))
    .map((n) => (n.reason === NO_PEC_PRINCIPAL_REASON ? { ...n, reason: AUDIT_NO_PEC_PRINCIPAL_REASON } : n));
  const pl007Skipped = notEvaluated.find((n) => n.ruleId === "PL007");
  const notJudged = pl007Skipped && `PL007 (association) was not evaluated: ${pl007Skipped.reason}`;
  if (pl007Skipped)
    notices.push(
      `PL007 (subscription-not-associated) was not evaluated (${pl007Skipped.reason}): no subscription's association is judged, each is reported "not judged" (associated: null), and the exit code says nothing about association. ` +
        `Fix: remove PL007 from the rules section of the config (or give it a severity) to judge association.`,
    );
  if (links.length === 0) {
    const who = `no PAL link found for any identity (${identities.map((i) => i.name).join(", ")})`;
    if (noPecPrincipal)
      notices.push(
        `${who} and no PEC principal is configured: no subscription is reported associated but by a declared DPOR. ` +
          `Fix: link the PEC principal (az managementpartner create --partner-id <id>) and audit as it, or pass --pec-principal <objectId> (and list it in palLinkedPrincipals when it is linked but the audit does not sign in as it). ` +
          `The object ID is the service principal's, not the client ID it signs in with: az ad sp show --id <client ID> --query id -o tsv.`,
      );
    else if (palLinkedPrincipals.length === 0)
      notices.push(`${who} and none is declared in palLinkedPrincipals: no delegation can make a subscription associated. Fix: link the PEC principal (az managementpartner create --partner-id <id>) and audit as it.`);
  }

  // 2. Stream subscriptions from every identity, deduplicated; re-emit what a resumed run already has, but only when
  // it was judged against the PAL links read now: a link made, removed or moved to another partner ID since changes
  // the verdicts (association, PL008), and the rows recorded hold no delegations to judge again, so they are read again.
  let done = 0;
  let seen = 0;
  const visited = new Set<string>();
  if (options.checkpoint) {
    const previous = options.checkpoint.useLinks(linksKey(links));
    if (previous.discarded > 0)
      notices.push(
        `the PAL links read now differ from those the checkpoint's ${previous.discarded} subscription(s) were judged against (${previous.since === undefined ? "a checkpoint that does not record its links" : `recorded ${previous.since}`}): ` +
          `they were read again, so every verdict in this report is judged against the links read now.`,
      );
    for (const row of options.checkpoint.previousRows()) {
      visited.add(row.subscriptionId.toLowerCase());
      seen++;
      done++;
      emit(row);
    }
  }
  type Job = { subscriptionId: string; displayName: string; tenantId?: string; identity?: AuditIdentity };
  /**
   * What each identity's subscription listing says about the tenant it signed in to: how many subscriptions it sees
   * from another tenant (delegated to it), and which tenants manage the subscriptions of its own tenant
   * (`managedByTenants`: "the tenants managing the subscription", Microsoft Learn, REST Subscriptions - List).
   * A tenant that manages none and whose own subscriptions others manage is a customer tenant (tenantNotices).
   */
  const tenantViews = new Map<string, { delegated: number; homeManagedBy: Set<string> }>();
  async function* jobs(): AsyncGenerator<Job> {
    for (const id of identities) {
      const home = homeTenants.get(id.name);
      const view = { delegated: 0, homeManagedBy: new Set<string>() };
      tenantViews.set(id.name, view);
      try {
        for await (const sub of arm.listSubscriptions(id.connection, { abortSignal: options.signal })) {
          const key = sub.subscriptionId.toLowerCase();
          const managers = sub.managedByTenants.map((t) => t.toLowerCase());
          if (sub.tenantId.toLowerCase() !== home || managers.includes(home!)) view.delegated++;
          else for (const m of managers) view.homeManagedBy.add(m);
          if (visited.has(key)) continue;
          const delegated = sub.managedByTenants.some((t) => t.toLowerCase() === home) || sub.tenantId.toLowerCase() !== home;
          if (!delegated && !declared.has(key) && !options.includeHome) continue;
          visited.add(key);
          seen++;
          yield { subscriptionId: sub.subscriptionId, displayName: sub.displayName, tenantId: sub.tenantId, identity: id };
        }
      } catch (err) {
        throw options.signal?.aborted ? err : identityError(id, err);
      }
    }
    // Declared subscriptions no identity can see: not delegated (or not visible), reported all the same.
    for (const [key, s] of declared) {
      if (visited.has(key)) continue;
      visited.add(key);
      seen++;
      yield { subscriptionId: s.subscriptionId, displayName: s.name ?? s.subscriptionId };
    }
  }

  // The listing runs ahead of the workers (a page and a half at most), so no worker waits for the next page.
  const queue = new BoundedQueue<Job>(Math.max(150, concurrency * 2));
  const producer = (async () => {
    try {
      for await (const job of jobs()) {
        if (options.signal?.aborted) break;
        await queue.put(job);
      }
      queue.close();
    } catch (err) {
      // A listing cut short by the abort is not a failure: the workers finish what they hold and stop.
      queue.close(options.signal?.aborted ? undefined : err);
    }
  })();
  const worker = async (): Promise<void> => {
    for (;;) {
      if (options.signal?.aborted) return;
      const next = await queue.take();
      if (next.done) return;
      const row = await auditOne(next.value);
      // A read cut short by the interrupt is neither reported nor recorded: --resume reads it again.
      if (options.signal?.aborted && row.error !== undefined) return;
      options.checkpoint?.record(row);
      done++;
      emit(row);
      options.onProgress?.(done, seen);
      if (done % 500 === 0) buckets.prune();
    }
  };

  async function auditOne(job: Job): Promise<AuditRow> {
    const decl = declared.get(job.subscriptionId.toLowerCase());
    const agreement: Agreement = decl?.agreement ?? "unknown";
    const base = {
      subscriptionId: job.subscriptionId,
      displayName: job.displayName,
      tenantId: job.tenantId,
      agreement,
      dpor: agreement === "EA" || agreement === "unknown" ? (decl?.dpor ? "declared" : "not declared") : "n/a",
    } as const;
    const delegations: Delegation[] = [];
    const notInEffect: NonNullable<AuditRow["notInEffect"]> = [];
    let error: string | undefined;
    let seenBy = job.identity?.name;
    if (job.identity) {
      // The identity that listed it first reads it. When that read fails (after the SDK's retries: a lasting 5xx, a
      // role without Microsoft.ManagedServices/registrationAssignments/read), every other identity is tried before the
      // subscription is reported unreadable: one that sees it too may read it, and the row then names that identity.
      // One that does not see it answers 403/404 at once. The first identity's error is the one reported.
      const readers = [job.identity, ...identities.filter((i) => i.name !== job.identity!.name)];
      for (const reader of readers) {
        const read: Delegation[] = [];
        const pending: NonNullable<AuditRow["notInEffect"]> = [];
        try {
          const scope = `/subscriptions/${job.subscriptionId}`;
          for await (const a of arm.listRegistrationAssignments(reader.connection, scope, { expandDefinition: true, abortSignal: options.signal })) {
            // An assignment still provisioning, failed or being deleted gives the partner no access: it is listed, not judged.
            const effect = assignmentEffect(a.provisioningState);
            if (effect === "in-effect") read.push(delegationFromAssignment(a, job.displayName));
            else pending.push({ assignmentId: a.id, provisioningState: a.provisioningState!, effect });
          }
        } catch (err) {
          error ??= err instanceof Error ? err.message : String(err);
          if (options.signal?.aborted) break;
          continue;
        }
        delegations.push(...read);
        notInEffect.push(...pending);
        seenBy = reader.name;
        error = undefined;
        break;
      }
    }
    const row = { ...base, seenBy };
    const estate: Estate = {
      delegations,
      partnerLinks: links,
      // Located by its ARM ID, as every live finding is: a display name is not unique ("Production" in every customer),
      // and a finding located by it alone would share its SARIF fingerprint with every other subscription of that name.
      subscriptions: [{ name: job.displayName, source: { resource: job.displayName, path: `/subscriptions/${job.subscriptionId}` }, subscriptionId: job.subscriptionId, agreement, dpor: decl?.dpor }],
    };
    // An unreadable subscription is not judged: with its delegations unknown, "not associated" would be a guess.
    if (error !== undefined) return { ...row, associated: null, visible: true, delegations: 0, findings: [], error };
    const findings = evaluate(estate, perSubscriptionConfig).findings.filter((f) => !linkFindingKeys.has(findingKey(f)));
    const pec = describePecRole(delegations, pecPrincipals);
    // PL007 did not run: no finding is left to say "not associated", and its silence must not read as "associated".
    if (notJudged !== undefined) return { ...row, associated: null, notJudged, ...pec, visible: job.identity !== undefined, delegations: delegations.length, ...(notInEffect.length > 0 ? { notInEffect } : {}), findings };
    let associated: boolean;
    // PL014's info finding on a subscription delegated at resource groups only says "associated, there alone": the row
    // lists the groups, as the finding carries them (none when PL014 is turned off: associated, groups not named).
    const partialAssociation = findings.find((f) => f.ruleId === "PL014")?.partialAssociation;
    if (noPecPrincipal) {
      const judged = judgeWithoutPecPrincipal({ ...row, dpor: decl?.dpor }, config, waivers!);
      associated = judged.associated === true;
      if (judged.finding) findings.push(judged.finding);
      // A waiver accepts the finding (the exit code ignores it); the subscription is still not associated.
    } else associated = !findings.some((f) => f.ruleId === "PL007");
    return { ...row, associated, ...(associated && partialAssociation ? { partialAssociation } : {}), ...pec, visible: job.identity !== undefined, delegations: delegations.length, ...(notInEffect.length > 0 ? { notInEffect } : {}), findings };
  }

  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    queue.close();
    await producer;
  }
  notices.push(...tenantNotices(identities, homeTenants, tenantViews, config, links));
  return { links, notices, notEvaluated, linkFindings };
}

/**
 * The PAL links as they bear on the verdicts (who is linked, to which partner ID), for the checkpoint: a resumed run
 * re-emits the rows an earlier run recorded only when they were judged against the same links.
 */
function linksKey(links: readonly PartnerLink[]): string {
  const rows = links.map((l) => [l.name, String(l.partnerId ?? ""), String(l.objectId ?? "").toLowerCase(), String(l.tenantId ?? "").toLowerCase()]);
  return JSON.stringify(rows.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0)));
}

/**
 * A notice for each identity signed in to a tenant that is not a managing tenant of what the audit reads: one not
 * among the configured allowedManagingTenants (--allowed-tenant), or one whose own subscriptions other tenants manage
 * while none is delegated to it (a customer tenant). With Azure Lighthouse the partner audits from its own tenant: the
 * delegated subscriptions are listed there, and the PAL link that earns PEC is the managing tenant's identity's
 * (Microsoft Learn, "Link your partner ID to track your impact on delegated resources": the link is made with an
 * account in the managing tenant). Signed in to a customer tenant, the audit sees that tenant's own subscriptions and
 * the PAL link of an identity there. Not a finding: no rule judges where the audit signed in (PL009 judges the
 * delegations' managedByTenantId), so it is a notice with the others (stderr, and the JSON and SARIF reports).
 */
function tenantNotices(
  identities: readonly AuditIdentity[],
  homeTenants: ReadonlyMap<string, string>,
  views: ReadonlyMap<string, { delegated: number; homeManagedBy: Set<string> }>,
  config: PartnerlinkConfig,
  links: readonly PartnerLink[],
): string[] {
  const allowed = (config.allowedManagingTenants ?? []).map((t) => t.toLowerCase());
  const out: string[] = [];
  for (const id of identities) {
    const tid = homeTenants.get(id.name);
    if (tid === undefined) continue;
    const view = views.get(id.name);
    const why: string[] = [];
    if (allowed.length > 0 && !allowed.includes(tid)) why.push(`it is not among the allowed managing tenants (allowedManagingTenants, --allowed-tenant: ${allowed.join(", ")})`);
    const managers = view !== undefined && view.delegated === 0 ? [...view.homeManagedBy].sort() : [];
    if (managers.length > 0) why.push(`no subscription it lists is delegated to it, and its own are managed by ${managers.join(", ")} (Azure Lighthouse): it is a customer tenant`);
    if (why.length === 0) continue;
    const link = links.find((l) => l.name === id.name);
    const partnerTenants = allowed.length > 0 ? allowed : managers;
    out.push(
      `identity '${id.name}' is signed in to tenant ${tid}, which is not a managing tenant of what the audit reads: ${why.join("; ")}. ` +
        `From there the audit sees that tenant's own subscriptions${link ? `, and the PAL link it read (partner ID ${String(link.partnerId)}) is that tenant's identity's, not the partner's Lighthouse principal's` : ""}; ` +
        `the delegated subscriptions and the PAL link that earns PEC are read from the managing (partner) tenant. ` +
        `Fix: sign in to the partner tenant${partnerTenants.length > 0 ? ` (${partnerTenants.join(" or ")})` : ""} as an identity there (--tenant-id, or tenantId in the identities file).`,
    );
  }
  return out;
}

/**
 * `promise`, or a rejection as soon as `signal` aborts. @azure/identity does not pass the abort signal on to the token
 * request of a client secret or certificate (MSAL's client-credential flow takes none), so a sign-in would otherwise
 * hold an interrupted audit until the authority answered; that request is left to end in the background.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error("interrupted"));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => (signal.removeEventListener("abort", onAbort), resolve(value)),
      (err: unknown) => (signal.removeEventListener("abort", onAbort), reject(err)),
    );
  });
}

function findingKey(f: Finding): string {
  return `${f.ruleId}\u0000${f.resource}\u0000${f.path ?? ""}\u0000${f.message}`;
}

/** An identity's sign-in or listing failed: with several identities, say which one. */
function identityError(id: AuditIdentity, err: unknown): Error {
  return new Error(`identity '${id.name}': ${err instanceof Error ? err.message : String(err)}`);
}

/** The PEC principal's best role across the delegations: a permanent PEC-eligible one first. */
function describePecRole(delegations: Delegation[], pecPrincipals: Set<string>): Pick<AuditRow, "pecPrincipal" | "pecRole" | "pecRoleId" | "permanent"> {
  let best: Pick<AuditRow, "pecPrincipal" | "pecRole" | "pecRoleId" | "permanent"> & { score: number } = { score: -1 };
  for (const d of delegations) {
    const candidates = [
      ...d.authorizations.map((a) => ({ a, permanent: true })),
      ...d.eligibleAuthorizations.map((a) => ({ a, permanent: false })),
    ];
    for (const { a, permanent } of candidates) {
      const pid = known(a.principalId)?.toLowerCase();
      if (!pid || !pecPrincipals.has(pid)) continue;
      const roleRef = known(a.roleDefinitionId) ?? "";
      const role = lookupRole(roleRef);
      const score = (permanent ? 2 : 0) + (role?.pecEligible ? 1 : 0);
      if (score > best.score) {
        best = { score, pecPrincipal: pid, pecRole: role ? role.name : "unknown role", pecRoleId: role?.id ?? roleRef, permanent };
      }
    }
  }
  const { score: _score, ...out } = best;
  return out;
}
