/**
 * Root stack config validation (stack/read-config.ts over stack/stack-config.ts): every mistake stops the
 * program with ONE RunError (Pulumi prints its message without a stack trace) naming the config key and list
 * index, and the fix.
 */
import * as pulumi from "@pulumi/pulumi";
import { armGuid } from "../../rules/identifiers";
import { connectionBase } from "../../stack/onboarding-program";
import { readStackConfig } from "../../stack/read-config";
import { baseConfig, DEPLOYER_SECRETS, PEC_SECRET, setStackConfig } from "./fixtures";

function failure(plain: Record<string, unknown>, secrets: Record<string, unknown> = { pecClientSecret: PEC_SECRET, deployerSecrets: DEPLOYER_SECRETS }): Error {
  setStackConfig(plain, secrets);
  try {
    readStackConfig();
  } catch (e) {
    expect(pulumi.RunError.isInstance(e)).toBe(true);
    expect((e as Error).stack).not.toMatch(/\bat .*\.ts:\d+/); // no stack frames
    for (const s of [PEC_SECRET, ...Object.values(DEPLOYER_SECRETS)]) expect((e as Error).message).not.toContain(s);
    return e as Error;
  }
  throw new Error("expected readStackConfig to fail");
}

const plainOf = (c = baseConfig()): Record<string, unknown> => ({ partner: c.partner, customers: c.customers });

test("a valid config is read, with the secrets as secret Outputs", async () => {
  setStackConfig(plainOf(), { pecClientSecret: PEC_SECRET, deployerSecrets: DEPLOYER_SECRETS });
  const { config, secrets } = readStackConfig();
  expect(config.customers.map((c) => c.name)).toEqual(["fabrikam", "northwind", "tailspin"]);
  expect(await pulumi.isSecret(pulumi.output(secrets.pecClientSecret))).toBe(true);
  expect(await pulumi.isSecret(pulumi.output(secrets.deployerSecrets))).toBe(true);
});

test("an empty resourceGroups is refused (it would delegate the whole subscription), naming the config key and the fix", () => {
  const c = baseConfig();
  c.customers[0].resourceGroups = [];
  c.customers[2].resourceGroups = [];
  const e = failure(plainOf(c));
  expect(e.message).toContain(
    "partnerlink:customers[0].resourceGroups is an empty list, which would delegate the whole subscription (an onboarding without resource groups is assigned at the subscription). Fix: leave resourceGroups out to delegate the whole subscription, or list at least one resource group.",
  );
  expect(e.message).toContain("partnerlink:customers[2].resourceGroups is an empty list");
});

test("a missing required key names the key and the pulumi config command", () => {
  const c = baseConfig();
  delete (c.partner as Partial<typeof c.partner>).partnerId;
  const e = failure(plainOf(c));
  expect(e.message).toMatch(/partnerlink:partner: 'partnerId' is required/);
  expect(e.message).toContain("pulumi config set --path 'partner.partnerId'");
});

test("an unquoted partner ID (YAML reads 1234567 as a number) says to quote it; a malformed one says what a partner ID is", () => {
  const c = baseConfig();
  (c.partner as unknown as Record<string, unknown>).partnerId = 1234567;
  expect(failure(plainOf(c)).message).toContain('partnerlink:partner.partnerId: must be a string, not the number 1234567. Quote it: "1234567"');
  c.partner.partnerId = "12-34";
  expect(failure(plainOf(c)).message).toContain("partnerlink:partner.partnerId: '12-34' is not a partner ID: use the numeric Associated Partner ID (MPN ID)");
});

test("a bad GUID in a customer names the list index and property", () => {
  const c = baseConfig();
  c.customers[1].subscriptionId = "not-a-guid";
  const e = failure(plainOf(c));
  expect(e.message).toContain("partnerlink:customers[1].subscriptionId: 'not-a-guid' is not a GUID");
});

test("an unknown key in a customer is named", () => {
  const c = baseConfig();
  (c.customers[2] as unknown as Record<string, unknown>).subscription = "x";
  expect(failure(plainOf(c)).message).toContain("partnerlink:customers[2]: unknown key 'subscription'");
});

test("a bad agreement lists the allowed values", () => {
  const c = baseConfig();
  (c.customers[0] as unknown as Record<string, unknown>).agreement = "PAYG";
  expect(failure(plainOf(c)).message).toContain("partnerlink:customers[0].agreement: must be one of EA, MCA, CSP");
});

test("two customers with one name are refused (names name the resources)", () => {
  const c = baseConfig();
  c.customers[2].name = "fabrikam";
  expect(failure(plainOf(c)).message).toContain("partnerlink:customers[2].name: 'fabrikam' is used twice");
});

test("two template customers whose names make one folder are refused; customers with a deployer get no folder", () => {
  const c = baseConfig();
  // tailspin (index 2) has no deployer: its package goes to <templatesDir>/tailspin.
  c.customers.push({ ...c.customers[2]!, name: "Tailspin", subscriptionId: "4d5b0000-0000-4000-8000-000000000002" });
  expect(failure(plainOf(c)).message).toBe(
    "invalid stack config:\n  partnerlink:customers[3].name: 'Tailspin' and partnerlink:customers[2].name 'tailspin' would both write their template package to <templatesDir>/tailspin; give one a name that differs in its letters or digits",
  );
  // fabrikam (index 0) has a deployer: 'Fabrikam' without one writes the only fabrikam folder.
  const d = baseConfig();
  d.customers.push({ ...d.customers[2]!, name: "Fabrikam", subscriptionId: "4d5b0000-0000-4000-8000-000000000003" });
  setStackConfig(plainOf(d), { pecClientSecret: PEC_SECRET, deployerSecrets: DEPLOYER_SECRETS });
  expect(readStackConfig().config.customers.map((x) => x.name)).toContain("Fabrikam");
});

test("customers missing altogether", () => {
  const c = baseConfig();
  const e = failure({ partner: c.partner });
  expect(e.message).toMatch(/partnerlink config: 'customers' is required/);
  expect(e.message).toContain("pulumi config set --path 'customers' <value>");
});

test("the PEC client secret is required, as a secret", () => {
  const e = failure(plainOf(), { deployerSecrets: DEPLOYER_SECRETS });
  expect(e.message).toContain("partnerlink:pecClientSecret is required");
  expect(e.message).toContain("pulumi config set --secret pecClientSecret");
});

test("deployer secrets are required when a customer has a deployer, naming that customer", () => {
  const e = failure(plainOf(), { pecClientSecret: PEC_SECRET });
  expect(e.message).toContain("partnerlink:deployerSecrets is required: partnerlink:customers[0] ('fabrikam') has a deployer");
});

test("a config value that is not JSON where an object is expected is named", () => {
  const e = failure({ partner: "{not json", customers: [] });
  expect(e.message).toMatch(/^invalid stack config:\n {2}partnerlink:partner: /);
});

test("deployerSecrets set as one string (or JSON that does not parse) is refused without repeating it", () => {
  const CANARY = "Fab-S3cret~CANARY-value";
  for (const deployerSecrets of [CANARY, `{"fabrikam": "${CANARY}"`]) {
    const e = failure(plainOf(), { pecClientSecret: PEC_SECRET, deployerSecrets });
    expect({ deployerSecrets, leaked: e.message.includes("CANARY") }).toEqual({ deployerSecrets, leaked: false });
    expect(e.message).toContain("partnerlink:deployerSecrets is not a JSON object");
    expect(e.message).toContain("pulumi config set --secret --path 'deployerSecrets.fabrikam' <client secret>");
  }
});

test("the deployer secret of a customer whose name has a dot is named by a path pulumi does not nest", () => {
  const c = baseConfig();
  c.customers[0].name = "contoso.eu";
  const e = failure(plainOf(c), { pecClientSecret: PEC_SECRET });
  expect(e.message).toContain(`pulumi config set --secret --path 'deployerSecrets["contoso.eu"]' <client secret>`);
});

test("two customers with the same subscription and offer name are refused, naming both indexes and the fix", () => {
  const c = baseConfig();
  c.customers[2].subscriptionId = c.customers[0].subscriptionId.toUpperCase();
  c.customers[0].offerName = "Contoso managed services";
  c.customers[2].offerName = "Contoso managed services";
  const e = failure(plainOf(c));
  expect(e.message).toBe(
    "invalid stack config:\n  partnerlink:customers[2] ('tailspin') has the same subscriptionId (2B5B0000-0000-4000-8000-000000000001) and offer name " +
      "'Contoso managed services' as partnerlink:customers[0] ('fabrikam'): both would be registration definition " +
      `${armGuid("Contoso managed services")} (guid(offerName)) and its assignments, so one would overwrite the other's delegation. ` +
      "Give one of them a different offerName (pulumi config set --path 'customers[2].offerName' '<offer name>')",
  );
  // The partner-wide offer name counts too, and says where it came from.
  const p = baseConfig();
  p.partner.offerName = "Contoso managed services";
  p.customers[1].subscriptionId = p.customers[0].subscriptionId;
  expect(failure(plainOf(p)).message).toContain("offer name 'Contoso managed services' (from partnerlink:partner.offerName) as partnerlink:customers[0] ('fabrikam')");
  // Another offer name in the same subscription is another delegation: accepted.
  c.customers[2].offerName = "Contoso managed services (EA)";
  setStackConfig(plainOf(c), { pecClientSecret: PEC_SECRET, deployerSecrets: DEPLOYER_SECRETS });
  expect(readStackConfig().config.customers).toHaveLength(3);
});

test("partnerlink:arm.endpoint without partnerlink:arm.authorityHost is refused: the cloud's token would go to that endpoint", () => {
  const cfg = { ...baseConfig(), arm: { endpoint: "https://127.0.0.1:8443" } } as Parameters<typeof connectionBase>[0];
  let error: unknown;
  try {
    connectionBase(cfg, process.cwd());
  } catch (e) {
    error = e;
  }
  expect(pulumi.RunError.isInstance(error)).toBe(true);
  expect((error as Error).message).toBe(
    "partnerlink:arm.endpoint: 'https://127.0.0.1:8443' is not the cloud's ARM endpoint, and partnerlink:arm.authorityHost is not set: the stack would sign in at https://login.microsoftonline.com and send that token to it. Set partnerlink:arm.authorityHost too (the emulator's URL), or remove partnerlink:arm.endpoint",
  );
  expect(connectionBase({ ...cfg, arm: { endpoint: "https://127.0.0.1:8443", authorityHost: "https://127.0.0.1:8443" } }, process.cwd())).toMatchObject({ endpoint: "https://127.0.0.1:8443" });
});

describe("a client secret set without --secret", () => {
  /** readStackConfig as the language host runs it: PULUMI_CONFIG_SECRET_KEYS lists the keys set with --secret. */
  function warningsWith(secretKeys: string[] | undefined, asSecret: Record<string, unknown>, plain: Record<string, unknown>): string[] {
    setStackConfig({ ...plainOf(), ...plain }, asSecret);
    if (secretKeys !== undefined) process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(secretKeys);
    const warned: string[] = [];
    const spy = jest.spyOn(console, "warn").mockImplementation((m: unknown) => void warned.push(String(m)));
    try {
      readStackConfig();
    } finally {
      spy.mockRestore();
      delete process.env.PULUMI_CONFIG_SECRET_KEYS;
    }
    return warned;
  }

  test("is read, with a warning naming the key and the fix, never the value", () => {
    const warned = warningsWith(["partnerlink:deployerSecrets"], { deployerSecrets: DEPLOYER_SECRETS }, { pecClientSecret: PEC_SECRET });
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain("partnerlink:pecClientSecret is set in plain text");
    expect(warned[0]).toContain("pulumi config set --secret pecClientSecret <client secret>");
    expect(warned[0]).not.toContain(PEC_SECRET);
  });

  test("deployerSecrets in plain text is named with the --path command; set as secrets, nothing is said", () => {
    const warned = warningsWith(["partnerlink:pecClientSecret"], { pecClientSecret: PEC_SECRET }, { deployerSecrets: DEPLOYER_SECRETS });
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain("partnerlink:deployerSecrets is set in plain text");
    expect(warned[0]).toContain("pulumi config set --secret --path 'deployerSecrets.");
    for (const s of Object.values(DEPLOYER_SECRETS)) expect(warned[0]).not.toContain(s);
    expect(warningsWith(["partnerlink:pecClientSecret", "partnerlink:deployerSecrets"], { pecClientSecret: PEC_SECRET, deployerSecrets: DEPLOYER_SECRETS }, {})).toEqual([]);
  });

  test("without the language host's list of secret keys nothing is said (no list is no evidence)", () => {
    expect(warningsWith(undefined, {}, { pecClientSecret: PEC_SECRET, deployerSecrets: DEPLOYER_SECRETS })).toEqual([]);
  });
});
