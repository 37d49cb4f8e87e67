/**
 * A Pulumi program using both resources under `pulumi.runtime.setMocks`: the classes construct, register the
 * right type tokens, declare typed outputs, mark the connections secret, and hand the engine a `__provider`
 * text that the provider host can load (checked here with require-from-string: its check() runs the rules).
 * Mocks never call the CRUD methods; those are tested against the emulator in the other files.
 */
import * as pulumi from "@pulumi/pulumi";
import requireFromString from "require-from-string";

const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      const state: Record<string, unknown> = { ...args.inputs };
      if (args.type.endsWith(":PartnerAdminLink")) Object.assign(state, { partnerName: "Contoso Ltd", objectId: "obj", tenantId: "tid", state: "Active" });
      if (args.type.endsWith(":LighthouseOnboarding")) Object.assign(state, { definitionId: `/subscriptions/${String(args.inputs.subscriptionId)}/providers/Microsoft.ManagedServices/registrationDefinitions/x`, assignmentIds: ["a"], provisioningState: "Succeeded", manageeTenantId: "c" });
      return { id: `${args.name}-id`, state };
    },
    call: (args) => args.inputs,
  },
  "partnerlink",
  "test",
  false,
);

// Imported after setMocks, as Pulumi's testing guide does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PartnerAdminLink, LighthouseOnboarding, PARTNER_ADMIN_LINK_TYPE, LIGHTHOUSE_ONBOARDING_TYPE } = require("../../provider") as typeof import("../../provider");

const SECRET = "program-test-client-secret-6f1e2d";
const conn = (tenantId: string) => ({
  credential: { kind: "clientSecret" as const, tenantId, clientId: "00000000-0000-4000-8000-0000000000a1", clientSecret: pulumi.secret(SECRET) },
});

/** The engine strips secret wrappers before a dynamic provider sees its inputs (the host does not accept secrets). */
function unwrapSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270") return unwrapSecrets(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

function value<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}
function secretness(o: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(o);
}

const pal = new PartnerAdminLink("pal", { partnerId: "5127255", connection: conn("11111111-1111-4111-8111-111111111111") });
const onboarding = new LighthouseOnboarding("fabrikam", {
  managingTenantId: "11111111-1111-4111-8111-111111111111",
  customerTenantId: "22222222-2222-4222-8222-222222222222",
  subscriptionId: "2b5b0000-0000-4000-8000-000000000001",
  offerName: "Contoso managed services",
  pecAuthorization: { principalId: pal.objectId, principalDisplayName: "Provider Automation Account" },
  customerConnection: conn("22222222-2222-4222-8222-222222222222"),
});

test("type tokens: the exported constants, on the classes and on the registered resources", async () => {
  await value(onboarding.definitionId);
  expect(PARTNER_ADMIN_LINK_TYPE).toBe("pulumi-nodejs:dynamic/partnerlink:PartnerAdminLink");
  expect(LIGHTHOUSE_ONBOARDING_TYPE).toBe("pulumi-nodejs:dynamic/partnerlink:LighthouseOnboarding");
  expect(PartnerAdminLink.__pulumiType).toBe(PARTNER_ADMIN_LINK_TYPE);
  expect(LighthouseOnboarding.__pulumiType).toBe(LIGHTHOUSE_ONBOARDING_TYPE);
  expect(registered.map((r) => r.type).sort()).toEqual([LIGHTHOUSE_ONBOARDING_TYPE, PARTNER_ADMIN_LINK_TYPE]);
});

test("outputs are declared and typed", async () => {
  const name: string = await value(pal.partnerName);
  const ids: string[] = await value(onboarding.assignmentIds);
  expect(name).toBe("Contoso Ltd");
  expect(await value(pal.state)).toBe("Active");
  expect(ids).toEqual(["a"]);
  expect(await value(onboarding.provisioningState)).toBe("Succeeded");
  expect(await value(onboarding.definitionId)).toMatch(/registrationDefinitions\/x$/);
});

test("connections are secret; outputs are not; the PEC principal flows from the link", async () => {
  const palConn = (pal as unknown as { connection: pulumi.Output<unknown> }).connection;
  const custConn = (onboarding as unknown as { customerConnection: pulumi.Output<unknown> }).customerConnection;
  expect(await secretness(palConn)).toBe(true);
  expect(await secretness(custConn)).toBe(true);
  expect(await secretness(pal.partnerName)).toBe(false);
  const ob = registered.find((r) => r.type === LIGHTHOUSE_ONBOARDING_TYPE)!;
  expect((ob.inputs.pecAuthorization as { principalId: string }).principalId).toBe("obj");
});

test("the registered __provider text carries no secret, and the provider host can load it", async () => {
  await value(onboarding.definitionId);
  for (const r of registered) {
    const text = r.inputs.__provider as string;
    expect(typeof text).toBe("string");
    expect(text).not.toContain(SECRET);
    expect(text.length).toBeLessThan(8 * 1024);
  }
  const ob = registered.find((r) => r.type === LIGHTHOUSE_ONBOARDING_TYPE)!;
  const provider = requireFromString(ob.inputs.__provider as string).handler() as pulumi.dynamic.ResourceProvider;
  const { __provider: _p, ...inputs } = unwrapSecrets(ob.inputs) as Record<string, unknown>;
  expect(JSON.stringify(ob.inputs.customerConnection)).toContain("4dabf18193072939515e22adb298388d"); // sent as a secret
  void _p;
  const ok = await provider.check!({}, { ...inputs, pecAuthorization: { principalId: "1a000000-0000-4000-8000-000000000001", principalDisplayName: "PAA" } });
  expect(ok.failures).toBeUndefined();
  const bad = await provider.check!({}, { ...inputs, pecAuthorization: { principalId: "1a000000-0000-4000-8000-000000000001", principalDisplayName: "PAA", roleDefinitionId: "acdd72a7-3385-48ef-bd42-f606fba81ae7" } });
  expect(bad.failures?.[0].reason).toMatch(/^PL003 /);
});

test("resourceGroups left out is sent left out (the subscription), not as [], which check() refuses", async () => {
  await value(onboarding.definitionId);
  const ob = registered.find((r) => r.type === LIGHTHOUSE_ONBOARDING_TYPE)!;
  expect(ob.inputs.resourceGroups).toBeUndefined();
  const provider = requireFromString(ob.inputs.__provider as string).handler() as pulumi.dynamic.ResourceProvider;
  const { __provider: _p, ...inputs } = unwrapSecrets(ob.inputs) as Record<string, unknown>;
  void _p;
  const pec = { principalId: "1a000000-0000-4000-8000-000000000001", principalDisplayName: "PAA" };
  const left = await provider.check!({}, { ...inputs, pecAuthorization: pec });
  expect(left.failures).toBeUndefined();
  expect(left.inputs.resourceGroups).toEqual([]);
  const empty = await provider.check!({}, { ...inputs, pecAuthorization: pec, resourceGroups: [] });
  expect(empty.failures).toEqual([
    {
      property: "resourceGroups",
      reason:
        "LighthouseOnboarding 'Contoso managed services': resourceGroups is an empty list, which would delegate the whole subscription (an onboarding without resource groups is assigned at the subscription). " +
        "Fix: leave resourceGroups out to delegate the whole subscription, or list at least one resource group.",
    },
  ]);
});
