/**
 * Shared set-up for the provider tests: an emulator seeded with a partner tenant (two service principals that can
 * be PAL-linked) and a customer tenant (an Owner deployer, a non-owner, two subscriptions, one with resource
 * groups), connections through the real SDK pipeline over https, and a log of every request line.
 * Secrets are random per run, so "the secret appears nowhere" checks cannot pass by accident.
 */
import { randomBytes } from "node:crypto";
import { startEmulator, type EmulatorSeed, type RunningEmulator } from "../../emulator";
import type { ProviderConnection } from "../../provider/connection-args";

export const PARTNER_TENANT = "11111111-1111-4111-8111-111111111111";
export const CUSTOMER_TENANT = "22222222-2222-4222-8222-222222222222";
export const OTHER_TENANT = "55555555-5555-4555-8555-555555555555";
export const PAL_SP = { objectId: "1a000000-0000-4000-8000-000000000001", appId: "1a000000-0000-4000-8000-0000000000a1" };
export const PAL_SP2 = { objectId: "1a000000-0000-4000-8000-000000000011", appId: "1a000000-0000-4000-8000-0000000000b1" };
export const ADMIN_GROUP = "1a000000-0000-4000-8000-000000000002";
export const ENGINEER = "1a000000-0000-4000-8000-000000000003";
export const DEPLOYER = { objectId: "2b000000-0000-4000-8000-000000000001", appId: "2b000000-0000-4000-8000-0000000000a1" };
export const NON_OWNER = { objectId: "2b000000-0000-4000-8000-000000000002", appId: "2b000000-0000-4000-8000-0000000000a2" };
export const SUB_PLAIN = "2b5b0000-0000-4000-8000-000000000001";
export const SUB_RGS = "2b5b0000-0000-4000-8000-000000000002";
export const PARTNER_ID = "5127255";
export const OTHER_PARTNER_ID = "5127254";
export const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
export const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
export const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

export interface Fixture {
  emu: RunningEmulator;
  secrets: { pal: string; pal2: string; deployer: string; nonOwner: string };
  /** Every request line the emulator logged. */
  log: string[];
  connection(who: "pal" | "pal2" | "deployer" | "nonOwner"): ProviderConnection;
  stop(): Promise<void>;
}

const secret = (name: string): string => `pl-test-${name}-${randomBytes(12).toString("hex")}`;

export async function startFixture(): Promise<Fixture> {
  const secrets = { pal: secret("pal"), pal2: secret("pal2"), deployer: secret("deployer"), nonOwner: secret("nonowner") };
  const seed: EmulatorSeed = {
    tenants: [
      { tenantId: PARTNER_TENANT, displayName: "Contoso Managed Services" },
      { tenantId: CUSTOMER_TENANT, displayName: "Fabrikam" },
      { tenantId: OTHER_TENANT, displayName: "Not allowed" },
    ],
    principals: [
      { objectId: PAL_SP.objectId, tenantId: PARTNER_TENANT, type: "ServicePrincipal", displayName: "Provider Automation Account", appId: PAL_SP.appId, clientSecret: secrets.pal },
      { objectId: PAL_SP2.objectId, tenantId: PARTNER_TENANT, type: "ServicePrincipal", displayName: "Second automation", appId: PAL_SP2.appId, clientSecret: secrets.pal2 },
      { objectId: ADMIN_GROUP, tenantId: PARTNER_TENANT, type: "Group", displayName: "Lighthouse Admins" },
      { objectId: ENGINEER, tenantId: PARTNER_TENANT, type: "User", displayName: "Engineer", memberOf: [ADMIN_GROUP] },
      { objectId: DEPLOYER.objectId, tenantId: CUSTOMER_TENANT, type: "ServicePrincipal", displayName: "Fabrikam Deployer", appId: DEPLOYER.appId, clientSecret: secrets.deployer },
      { objectId: NON_OWNER.objectId, tenantId: CUSTOMER_TENANT, type: "ServicePrincipal", displayName: "Fabrikam Reader", appId: NON_OWNER.appId, clientSecret: secrets.nonOwner },
    ],
    subscriptions: [
      { subscriptionId: SUB_PLAIN, tenantId: CUSTOMER_TENANT, displayName: "Fabrikam Production", owners: [DEPLOYER.objectId], agreement: "MCA" },
      { subscriptionId: SUB_RGS, tenantId: CUSTOMER_TENANT, displayName: "Fabrikam Apps", owners: [DEPLOYER.objectId], resourceGroups: ["rg-web", "rg-data", "rg-ops"], agreement: "MCA" },
    ],
    partners: [
      { partnerId: PARTNER_ID, partnerName: "Contoso Ltd" },
      { partnerId: OTHER_PARTNER_ID, partnerName: "Contoso Old Ltd" },
    ],
  };
  const log: string[] = [];
  const emu = await startEmulator({ seed, throttle: false, lro: { pollsUntilDone: 2, retryAfterSeconds: 0 }, log: (l) => log.push(l) });
  const ids = {
    pal: { tenantId: PARTNER_TENANT, clientId: PAL_SP.appId, clientSecret: secrets.pal },
    pal2: { tenantId: PARTNER_TENANT, clientId: PAL_SP2.appId, clientSecret: secrets.pal2 },
    deployer: { tenantId: CUSTOMER_TENANT, clientId: DEPLOYER.appId, clientSecret: secrets.deployer },
    nonOwner: { tenantId: CUSTOMER_TENANT, clientId: NON_OWNER.appId, clientSecret: secrets.nonOwner },
  };
  return {
    emu,
    secrets,
    log,
    connection: (who) => ({
      credential: { kind: "clientSecret", ...ids[who] },
      endpoint: emu.url,
      authorityHost: emu.url,
      caCertificatePem: emu.caCertPem,
      retry: { maxRetries: 4, retryDelayMs: 5, maxRetryDelayMs: 20 },
    }),
    stop: () => emu.stop(),
  };
}

/** Runs `fn`, returns the error it throws (fails the test when it does not throw). */
export async function failureOf(fn: () => Promise<unknown>): Promise<Error & { id?: string; properties?: Record<string, unknown> }> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a failure, got success");
}
