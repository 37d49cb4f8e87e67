/**
 * A small partner estate in the emulator, mixed good and bad delegations, with the report the audit must give.
 * Delegations are put straight into the emulator's state: some of them (a service principal as an eligible
 * principal) are what Azure's API refuses today but what older delegations or other tools left behind, which is
 * exactly what an audit must see.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import type { ArmConnection } from "../../arm";
import type { AuditRow } from "../../audit/audit-row";
import { startEmulator, type EmulatorSeed, type RunningEmulator } from "../../emulator";

export const T = {
  partner: "aaaaaaaa-0000-4000-8000-000000000000",
  other: "aaaaaaaa-0000-4000-8000-0000000000ff",
  c1: "c1c1c1c1-0000-4000-8000-000000000000",
  c2: "c2c2c2c2-0000-4000-8000-000000000000",
  c3: "c3c3c3c3-0000-4000-8000-000000000000",
};
export const PEC_SP = { objectId: "aaaaaaaa-0000-4000-8000-0000000000b1", appId: "aaaaaaaa-0000-4000-8000-0000000000a1", secret: "audit-test-secret-value-123" };
export const ADMINS = "aaaaaaaa-0000-4000-8000-0000000000c1";
export const ENGINEER = "aaaaaaaa-0000-4000-8000-0000000000d1";
export const SUB = {
  good: "51000000-0000-4000-8000-000000000001",
  reader: "51000000-0000-4000-8000-000000000002",
  jit: "52000000-0000-4000-8000-000000000003",
  rg: "52000000-0000-4000-8000-000000000004",
  eaDpor: "53000000-0000-4000-8000-000000000005",
  mcaNone: "53000000-0000-4000-8000-000000000006",
  otherPartner: "53000000-0000-4000-8000-000000000007",
};
export const ROLE = {
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  supportRequestContributor: "cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e",
};

export const SEED: EmulatorSeed = {
  tenants: [
    { tenantId: T.partner, displayName: "Partner" },
    { tenantId: T.other, displayName: "Another partner" },
    { tenantId: T.c1, displayName: "Customer one" },
    { tenantId: T.c2, displayName: "Customer two" },
    { tenantId: T.c3, displayName: "Customer three" },
  ],
  principals: [
    { objectId: PEC_SP.objectId, tenantId: T.partner, type: "ServicePrincipal", displayName: "Provider Automation Account", appId: PEC_SP.appId, clientSecret: PEC_SP.secret },
    { objectId: ADMINS, tenantId: T.partner, type: "Group", displayName: "Lighthouse admins" },
    { objectId: ENGINEER, tenantId: T.partner, type: "User", displayName: "Engineer", memberOf: [ADMINS] },
  ],
  subscriptions: [
    { subscriptionId: SUB.good, tenantId: T.c1, displayName: "c1 good", owners: [] },
    { subscriptionId: SUB.reader, tenantId: T.c1, displayName: "c1 reader", owners: [] },
    { subscriptionId: SUB.jit, tenantId: T.c2, displayName: "c2 jit", owners: [] },
    { subscriptionId: SUB.rg, tenantId: T.c2, displayName: "c2 rg", owners: [], resourceGroups: ["rg-app"] },
    { subscriptionId: SUB.eaDpor, tenantId: T.c3, displayName: "c3 ea", owners: [], agreement: "EA" },
    { subscriptionId: SUB.mcaNone, tenantId: T.c3, displayName: "c3 mca", owners: [], agreement: "MCA" },
    { subscriptionId: SUB.otherPartner, tenantId: T.c3, displayName: "c3 other", owners: [] },
  ],
};

type Auth = { principalId: string; roleDefinitionId: string; principalIdDisplayName?: string };

export function delegate(emu: RunningEmulator, sub: string, name: string, managedBy: string, authorizations: Auth[], eligible: Auth[] = [], rg?: string): void {
  const defId = `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${name.padEnd(8, "0").slice(0, 8)}-0000-4000-8000-000000000000`;
  emu.state.putDefinition({
    id: defId,
    subscriptionId: sub,
    name: defId.split("/").pop()!,
    properties: {
      registrationDefinitionName: name,
      managedByTenantId: managedBy,
      authorizations,
      ...(eligible.length ? { eligibleAuthorizations: eligible.map((e) => ({ ...e, justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT8H" } })) } : {}),
    },
  });
  const scope = rg ? `/subscriptions/${sub}/resourceGroups/${rg}` : `/subscriptions/${sub}`;
  const assignmentName = `${name.padEnd(8, "0").slice(0, 8)}-1111-4000-8000-000000000000`;
  emu.state.putAssignment({
    id: `${scope}/providers/Microsoft.ManagedServices/registrationAssignments/${assignmentName}`,
    scope,
    subscriptionId: sub,
    name: assignmentName,
    registrationDefinitionId: defId,
    provisioningState: "Succeeded",
  });
}

/** Puts the estate into a running emulator (fresh state). */
export function populate(emu: RunningEmulator): void {
  emu.state.reset();
  const now = new Date().toISOString();
  emu.state.putLink({ tenantId: T.partner, objectId: PEC_SP.objectId, partnerId: "1234567", version: 1, createdTime: now, updatedTime: now, state: "Active" });
  delegate(emu, SUB.good, "aaaa0001", T.partner, [{ principalId: PEC_SP.objectId, roleDefinitionId: ROLE.contributor }]);
  delegate(emu, SUB.reader, "aaaa0002", T.partner, [
    { principalId: PEC_SP.objectId, roleDefinitionId: ROLE.reader },
    { principalId: ADMINS, roleDefinitionId: ROLE.contributor },
  ]);
  delegate(emu, SUB.jit, "aaaa0003", T.partner, [{ principalId: ADMINS, roleDefinitionId: ROLE.contributor }], [{ principalId: PEC_SP.objectId, roleDefinitionId: ROLE.contributor }]);
  delegate(emu, SUB.rg, "aaaa0004", T.partner, [{ principalId: PEC_SP.objectId, roleDefinitionId: ROLE.supportRequestContributor }], [], "rg-app");
  delegate(emu, SUB.otherPartner, "aaaa0007", T.other, [{ principalId: "bbbbbbbb-0000-4000-8000-000000000001", roleDefinitionId: ROLE.contributor }]);
}

/** Config the audit runs with: the PEC principal, and two declared subscriptions no identity can see. */
export const CONFIG = {
  partnerId: "1234567",
  pecPrincipals: [PEC_SP.objectId],
  subscriptions: [
    { subscriptionId: SUB.eaDpor, name: "c3 ea", agreement: "EA" as const, dpor: true },
    { subscriptionId: SUB.mcaNone, name: "c3 mca", agreement: "MCA" as const },
  ],
};

/** The expected report, one line per subscription: associated, PEC role, permanent, unsuppressed rule IDs at warning+. */
export const EXPECTED: Record<string, { associated: boolean; pecRole?: string; permanent?: boolean; visible: boolean; rules: string[] }> = {
  [SUB.good]: { associated: true, pecRole: "Contributor", permanent: true, visible: true, rules: [] },
  [SUB.reader]: { associated: false, pecRole: "Reader", permanent: true, visible: true, rules: ["PL003", "PL007"] },
  [SUB.jit]: { associated: false, pecRole: "Contributor", permanent: false, visible: true, rules: ["PL002", "PL005", "PL007"] },
  [SUB.rg]: { associated: true, pecRole: "Support Request Contributor", permanent: true, visible: true, rules: [] },
  [SUB.eaDpor]: { associated: true, visible: false, rules: [] },
  [SUB.mcaNone]: { associated: false, visible: false, rules: ["PL007"] },
};

/**
 * The emulator a suite audits (this estate's seed, long-running operations done at once) and a temp folder holding its
 * CA certificate as `ca.pem`: started before the suite's tests, stopped and removed after them.
 */
export function auditEmulator(tempPrefix: string, seed: EmulatorSeed = SEED): { readonly emu: RunningEmulator; readonly tmp: string } {
  const suite = {} as { emu: RunningEmulator; tmp: string };
  beforeAll(async () => {
    suite.emu = await startEmulator({ seed, lro: { pollsUntilDone: 0, retryAfterSeconds: 0 } });
    suite.tmp = fs.mkdtempSync(path.join(os.tmpdir(), tempPrefix));
    fs.writeFileSync(path.join(suite.tmp, "ca.pem"), suite.emu.caCertPem);
  }, 30000);
  afterAll(async () => {
    await suite.emu?.stop();
    if (suite.tmp) fs.rmSync(suite.tmp, { recursive: true, force: true });
  });
  return suite;
}

/** A service principal of `tenantId` signing in to the emulator with its secret (SDK retries kept short). */
export function servicePrincipalConnection(emu: RunningEmulator, tenantId: string, who: { appId: string; secret: string }, maxRetries = 4): ArmConnection {
  return {
    credential: { kind: "clientSecret", tenantId, clientId: who.appId, clientSecret: who.secret },
    endpoint: emu.url,
    authorityHost: emu.url,
    caCertificatePem: emu.caCertPem,
    retry: { maxRetries, retryDelayMs: 5, maxRetryDelayMs: 50 },
  };
}

/** The engineer signs in interactively in real life; here the emulator hands out the user's token. */
export function engineerConnection(emu: RunningEmulator): ArmConnection {
  const credential: TokenCredential = {
    async getToken(): Promise<AccessToken> {
      return { token: emu.tokenFor(ENGINEER), expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
  return { credential, endpoint: emu.url, caCertificatePem: emu.caCertPem, retry: { maxRetries: 4, retryDelayMs: 5, maxRetryDelayMs: 50 } };
}

/** The audit's rows in the shape of {@link EXPECTED}: one line per subscription. */
export function summarize(rows: AuditRow[]) {
  const out: Record<string, { associated: boolean | null; pecRole?: string; permanent?: boolean; visible: boolean; rules: string[] }> = {};
  for (const r of rows) {
    const rules = [...new Set(r.findings.filter((f) => !f.suppressed && f.severity !== "info").map((f) => f.ruleId))].sort();
    out[r.subscriptionId] = { associated: r.associated, visible: r.visible, rules, ...(r.pecRole ? { pecRole: r.pecRole } : {}), ...(r.permanent !== undefined ? { permanent: r.permanent } : {}) };
  }
  return out;
}
