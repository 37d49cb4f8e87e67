/**
 * The root onboarding stack's program (stack/index.ts -> stack/onboarding-program.ts) under
 * `pulumi.runtime.setMocks`: one PartnerAdminLink; a LighthouseOnboarding per customer with a deployer (names
 * from the customer name), a template package for the others (written only on a real update); secrets marked
 * secret. The CRUD paths are the provider's (tested against the emulator in test/provider and test/e2e).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LIGHTHOUSE_ONBOARDING_TYPE, PARTNER_ADMIN_LINK_TYPE } from "../../provider/type-tokens";
import { baseConfig, DEPLOYER_SECRETS, PEC_OBJECT, PEC_SECRET, PARTNER_TENANT, setStackConfig, value } from "./fixtures";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}
const registered: Registered[] = [];

pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      const state: Record<string, unknown> = { ...args.inputs };
      if (args.type === PARTNER_ADMIN_LINK_TYPE) Object.assign(state, { objectId: PEC_OBJECT, tenantId: PARTNER_TENANT, state: "Active", partnerName: "Contoso" });
      if (args.type === LIGHTHOUSE_ONBOARDING_TYPE) {
        const sub = String(args.inputs.subscriptionId);
        const rgs = (args.inputs.resourceGroups as string[]) ?? [];
        Object.assign(state, {
          definitionId: `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/def-${args.name}`,
          assignmentIds: (rgs.length ? rgs : [""]).map((rg) => `/subscriptions/${sub}${rg ? `/resourceGroups/${rg}` : ""}/providers/Microsoft.ManagedServices/registrationAssignments/a`),
          provisioningState: "Succeeded",
        });
      }
      return { id: `${args.name}-id`, state };
    },
    call: (args) => args.inputs,
  },
  "partnerlink",
  "test",
  false, // a real update: template packages are written
);

const templatesDir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-stack-test-"));
afterAll(() => fs.rmSync(templatesDir, { recursive: true, force: true }));

import { defineOnboardingStack, onboardingResourceName, templateFolderError, type OnboardingStackOutputs } from "../../stack/onboarding-program";
import { OutputDirRefused } from "../../templates";
import { effectiveOfferName } from "../../stack/stack-config";
import { armGuid } from "../../rules/identifiers";
import { runOnboardingStack } from "../../stack/run-stack";
import { BUNDLE_FILES } from "../../templates/customer-guide";

/** The resource name the stack gives a customer's LighthouseOnboarding. */
function nameOf(customer: string, cfg = baseConfig()): string {
  const c = cfg.customers.find((x) => x.name === customer)!;
  return onboardingResourceName(c.subscriptionId, effectiveOfferName(cfg, c));
}

/** Waits until every resource the program declared is registered (nothing left running after a test). */
async function settle(out: OnboardingStackOutputs): Promise<void> {
  const all = [out.resources.partnerAdminLink, ...Object.values(out.resources.onboardings)];
  await Promise.all(all.map((r) => value(r.id)));
  await value(out.onboarded);
  await value(out.link);
}

/** The program as `pulumi up` runs it (stack/index.ts calls runOnboardingStack), over the given config. */
function runProgram(cfg = baseConfig(), deployerSecrets: Record<string, string> = DEPLOYER_SECRETS): OnboardingStackOutputs {
  setStackConfig({ partner: cfg.partner, customers: cfg.customers, templatesDir }, { pecClientSecret: PEC_SECRET, deployerSecrets });
  return runOnboardingStack();
}

let program: OnboardingStackOutputs;
beforeAll(async () => {
  program = runProgram();
  await settle(program);
});

test("one PartnerAdminLink, one LighthouseOnboarding per customer with a deployer, named from the customer", async () => {
  expect(registered.filter((r) => r.type === PARTNER_ADMIN_LINK_TYPE).map((r) => r.name)).toEqual(["partner-admin-link"]);
  expect(registered.filter((r) => r.type === LIGHTHOUSE_ONBOARDING_TYPE).map((r) => r.name)).toEqual([nameOf("fabrikam"), nameOf("northwind")]);
  // Named from the delegation (subscription + guid(offerName)), not from the customer name.
  expect(nameOf("northwind")).toBe(`lighthouse-3c5b0000-0000-4000-8000-000000000001-${armGuid("northwind managed services")}`);
  const nw = registered.find((r) => r.name === nameOf("northwind"))!.inputs;
  expect(nw.resourceGroups).toEqual(["rg-northwind-web", "rg-northwind-data"]);
  expect(nw.offerName).toBe("northwind managed services");
  expect(nw.pecAuthorization).toEqual({ principalId: PEC_OBJECT, principalDisplayName: "Provider Automation Account", roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c" });
  // Azure's JIT defaults written out, as the template generator writes them.
  expect(nw.eligibleAuthorizations[0].justInTimeAccessPolicy).toEqual({ multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT8H" });
  expect(nw.rulesConfig).toMatchObject({ pecPrincipals: [PEC_OBJECT], allowedManagingTenants: [PARTNER_TENANT] });
  // Nothing in an onboarding's inputs depends on the partner ID: relinking the PAL updates the link alone.
  expect(JSON.stringify(nw)).not.toContain("1234567");
  const pal = registered.find((r) => r.type === PARTNER_ADMIN_LINK_TYPE)!.inputs;
  expect(pal.partnerId).toBe("1234567");
  expect(pal.allowRelink).toBe(false);
  // The link is for the PEC principal the delegations authorize: made by any other identity, create refuses it.
  expect(pal.objectId).toBe(PEC_OBJECT);
  // Messages about relinking name the stack's keys, not the resource's inputs.
  expect(pal.messageKeys).toEqual({
    partnerId: "partnerlink:partner.partnerId",
    allowRelink: "partnerlink:partner.allowRelink",
    objectId: "partnerlink:partner.pecPrincipal.objectId",
  });
});

test("the customer without a deployer gets its template package, written on update", () => {
  expect(program.templates).toEqual({ tailspin: path.join(templatesDir, "tailspin") });
  const files = fs.readdirSync(program.templates.tailspin).sort();
  expect(files).toContain("CUSTOMER-GUIDE.md");
  const template = files.find((f) => f.endsWith(".json") && !/parameters|config/.test(f))!;
  expect(fs.readFileSync(path.join(program.templates.tailspin, template), "utf8")).toContain("Microsoft.ManagedServices/registrationDefinitions");
  // Tailspin is EA: the guide carries the Partner of Record steps.
  expect(fs.readFileSync(path.join(program.templates.tailspin, "CUSTOMER-GUIDE.md"), "utf8")).toMatch(/Partner of Record/);
  expect(registered.filter((r) => r.type === LIGHTHOUSE_ONBOARDING_TYPE).map((r) => r.name)).not.toContain(nameOf("tailspin"));
});

test("stack outputs: the link, the onboarded customers, the template folders", async () => {
  expect(await value(program.link)).toEqual({ partnerId: "1234567", objectId: PEC_OBJECT, state: "Active" });
  const onboarded = await value(program.onboarded);
  expect(Object.keys(onboarded)).toEqual(["fabrikam", "northwind"]);
  expect(onboarded.northwind.assignmentIds).toHaveLength(2);
  expect(onboarded.fabrikam.definitionId).toMatch(/^\/subscriptions\/2b5b0000-.*\/registrationDefinitions\/def-lighthouse-2b5b0000-/);
});

test("secrets stay secret: both connections are secret Outputs, the values appear in no plain input or provider text", async () => {
  const palConn = (program.resources.partnerAdminLink as unknown as { connection: pulumi.Output<unknown> }).connection;
  expect(await pulumi.isSecret(palConn)).toBe(true);
  for (const ob of Object.values(program.resources.onboardings)) {
    expect(await pulumi.isSecret((ob as unknown as { customerConnection: pulumi.Output<unknown> }).customerConnection)).toBe(true);
  }
  expect(await pulumi.isSecret(program.link)).toBe(false);
  const plainInputs = JSON.stringify(registered.map((r) => ({ ...r.inputs, connection: undefined, customerConnection: undefined })));
  for (const s of [PEC_SECRET, ...Object.values(DEPLOYER_SECRETS)]) expect(plainInputs).not.toContain(s);
  // The connections reach the engine as secrets: wrapped in Pulumi's wire-level secret marker
  // (@pulumi/pulumi runtime/rpc.js specialSigKey "4dabf18193072939515e22adb298388d", specialSecretSig).
  const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
  const fab = registered.find((r) => r.name === nameOf("fabrikam"))!.inputs;
  expect(fab.customerConnection).toMatchObject(SECRET_SIG);
  expect(fab.customerConnection.value.credential).toMatchObject({ kind: "clientSecret", tenantId: "22222222-2222-4222-8222-222222222222", clientSecret: DEPLOYER_SECRETS.fabrikam });
  const palInputs = registered.find((r) => r.type === PARTNER_ADMIN_LINK_TYPE)!.inputs;
  expect(palInputs.connection).toMatchObject(SECRET_SIG);
  expect(palInputs.connection.value.credential).toMatchObject({ kind: "clientSecret", tenantId: PARTNER_TENANT, clientId: "1a000000-0000-4000-8000-0000000000a1", clientSecret: PEC_SECRET });
});

test("partner.linkProvider 'plugin' declares the link as the provider plugin's resource, its connection secret", async () => {
  const cfg = baseConfig();
  cfg.partner.linkProvider = "plugin";
  registered.length = 0;
  const out = runProgram(cfg);
  await settle(out);
  const links = registered.filter((r) => r.name === "partner-admin-link" || r.type.endsWith(":PartnerAdminLink"));
  expect(links.map((r) => r.type)).toEqual(["partnerlink:index:PartnerAdminLink"]);
  expect(links[0]!.inputs.partnerId).toBe("1234567");
  expect(links[0]!.inputs.connection).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" });
  expect(JSON.stringify({ ...links[0]!.inputs, connection: undefined })).not.toContain(PEC_SECRET);
});

test("adding a customer adds just its resource; the others keep their names", async () => {
  const before = new Set(registered.map((r) => r.name));
  registered.length = 0;
  const cfg = baseConfig();
  cfg.customers.push({ name: "adatum", tenantId: "55555555-5555-4555-8555-555555555555", subscriptionId: "5e5b0000-0000-4000-8000-000000000001", deployer: { clientId: "5e000000-0000-4000-8000-0000000000a1" } });
  await settle(runProgram(cfg, { ...DEPLOYER_SECRETS, adatum: "stack-test-adatum-secret-77" }));
  const after = new Set(registered.map((r) => r.name));
  expect([...after].filter((n) => !before.has(n))).toEqual([nameOf("adatum", cfg)]);
  expect([...before].every((n) => after.has(n))).toBe(true);
});

test("a deployer without its secret stops the program before anything is declared, naming the customer", () => {
  registered.length = 0;
  let err: unknown;
  try {
    runProgram(baseConfig(), { fabrikam: DEPLOYER_SECRETS.fabrikam });
  } catch (e) {
    err = e;
  }
  expect(pulumi.RunError.isInstance(err)).toBe(true);
  expect((err as Error).message).toContain("partnerlink:customers[1].deployer: no secret for customer 'northwind' in partnerlink:deployerSecrets");
  expect((err as Error).message).not.toContain(DEPLOYER_SECRETS.fabrikam);
});

test("preview renders and validates the template package but writes nothing; a refused customer fails at preview", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-stack-preview-"));
  try {
    const cfg = { ...baseConfig(), templatesDir: "out" };
    cfg.customers = cfg.customers.filter((c) => !c.deployer);
    const out = defineOnboardingStack(cfg, { pecClientSecret: pulumi.secret(PEC_SECRET), deployerSecrets: pulumi.secret({}) }, { projectDir: dir, dryRun: true });
    await settle(out);
    expect(out.templates.tailspin).toBe(path.join(dir, "out", "tailspin"));
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
    cfg.customers[0].eligibleAuthorizations = [{ principalId: PEC_OBJECT, roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c" }];
    let err: unknown;
    try {
      // Refused before any resource is declared (nothing to settle).
      await settle(defineOnboardingStack(cfg, { pecClientSecret: pulumi.secret(PEC_SECRET), deployerSecrets: pulumi.secret({}) }, { projectDir: dir, dryRun: true }));
    } catch (e) {
      err = e;
    }
    expect(pulumi.RunError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/partnerlink:customers\[0\].*eligibleAuthorizations\[0\]\.principalId is the PEC principal/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * The one-line RunError the program stops with, checked to come before any resource is declared and without a stack
 * trace (Pulumi prints it alone).
 */
function refusal(projectDir: string, cfg: ReturnType<typeof baseConfig>, dryRun: boolean): Error {
  registered.length = 0;
  try {
    defineOnboardingStack(cfg, { pecClientSecret: pulumi.secret(PEC_SECRET), deployerSecrets: pulumi.secret(DEPLOYER_SECRETS) }, { projectDir, dryRun });
  } catch (e) {
    expect(pulumi.RunError.isInstance(e)).toBe(true);
    expect((e as Error).stack).toBe((e as Error).message); // Pulumi prints it alone: no stack trace
    expect(registered).toEqual([]); // refused before any resource is declared
    return e as Error;
  }
  throw new Error("expected the program to be refused");
}

test("two customers sharing a subscription and an offer name are refused before anything is declared", () => {
  const cfg = baseConfig();
  cfg.customers[2].subscriptionId = cfg.customers[0].subscriptionId;
  cfg.customers[0].offerName = cfg.customers[2].offerName = "Contoso managed services";
  expect(refusal(templatesDir, cfg, true).message).toMatch(/^partnerlink:customers\[2\] \('tailspin'\) has the same subscriptionId .* as partnerlink:customers\[0\] \('fabrikam'\): .*Give one of them a different offerName/);
});

test("an empty resourceGroups in a config a program builds is refused before anything is declared, for a deployer customer and a template one", () => {
  for (const i of [0, 2]) {
    const cfg = baseConfig();
    cfg.customers[i].resourceGroups = [];
    expect(refusal(templatesDir, cfg, true).message).toMatch(
      new RegExp(`^partnerlink:customers\\[${i}\\] \\(customer '\\w+'\\): partnerlink:customers\\[${i}\\]\\.resourceGroups is an empty list, which would delegate the whole subscription .* Fix: leave resourceGroups out to delegate the whole subscription, or list at least one resource group\\.$`),
    );
  }
});

test("a customer without resourceGroups is onboarded at the subscription: the resource gets none (not [], which it refuses)", async () => {
  registered.length = 0;
  await settle(runProgram());
  const fabrikam = registered.find((r) => r.type === LIGHTHOUSE_ONBOARDING_TYPE && r.inputs.subscriptionId === baseConfig().customers[0].subscriptionId)!;
  expect(fabrikam.inputs.resourceGroups).toBeUndefined();
  const northwind = registered.find((r) => r.type === LIGHTHOUSE_ONBOARDING_TYPE && r.inputs.subscriptionId === baseConfig().customers[1].subscriptionId)!;
  expect(northwind.inputs.resourceGroups).toEqual(["rg-northwind-web", "rg-northwind-data"]);
});

test("a placeholder GUID (00000000-...) in the partner's or a customer's config is refused before anything is declared, naming the config key", () => {
  const NIL = "00000000-0000-0000-0000-000000000000";
  const pec = baseConfig();
  pec.partner.pecPrincipal.objectId = NIL;
  expect(refusal(templatesDir, pec, true).message).toMatch(/^partnerlink:customers\[0\] \(customer 'fabrikam'\): .*PL010 invalid-identifier: .*\(partnerlink:partner\.pecPrincipal\.objectId\): "0{8}-0{4}-0{4}-0{4}-0{12}" is a placeholder GUID/);
  // A customer with a deployer (a LighthouseOnboarding) and one without (a template package) alike.
  for (const i of [0, 2]) {
    const cfg = baseConfig();
    cfg.customers[i].subscriptionId = NIL;
    expect(refusal(templatesDir, cfg, true).message).toMatch(new RegExp(`\\(partnerlink:customers\\[${i}\\]\\.subscriptionId\\): "(/subscriptions/)?0{8}-0{4}-0{4}-0{4}-0{12}" is a placeholder GUID left in place of a subscription`));
  }
});

test("relative templatesDir and caCertificateFile are the project's (Pulumi.yaml's folder), not the working directory the engine gives main's folder", async () => {
  // Pulumi.yaml `main: dist/stack/index.js`: the engine starts the program in <project>/dist/stack.
  const project = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-stack-project-")));
  const cwd = process.cwd();
  try {
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: partnerlink\nruntime: nodejs\nmain: dist/stack/index.js\n");
    fs.mkdirSync(path.join(project, "dist", "stack"), { recursive: true });
    fs.writeFileSync(path.join(project, "ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    process.chdir(path.join(project, "dist", "stack"));
    const cfg = baseConfig();
    setStackConfig(
      { partner: cfg.partner, customers: cfg.customers, templatesDir: "customer-templates", arm: { caCertificateFile: "ca.pem" } },
      { pecClientSecret: PEC_SECRET, deployerSecrets: DEPLOYER_SECRETS },
    );
    const out = runOnboardingStack();
    await settle(out);
    expect(out.templates.tailspin).toBe(path.join(project, "customer-templates", "tailspin"));
    expect(fs.existsSync(path.join(project, "customer-templates", "tailspin"))).toBe(true);
    expect(fs.readdirSync(path.join(project, "dist", "stack"))).toEqual([]);
  } finally {
    process.chdir(cwd);
    fs.rmSync(project, { recursive: true, force: true });
  }
});

test("defineOnboardingStack refuses what readStackConfig refuses: two template customers with one folder, one name used twice", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-stack-collide-"));
  try {
    // tailspin (index 2) has no deployer: 'Tailspin' would write the same <templatesDir>/tailspin.
    const cfg = { ...baseConfig(), templatesDir: "out" };
    cfg.customers.push({ ...cfg.customers[2]!, name: "Tailspin", subscriptionId: "4d5b0000-0000-4000-8000-000000000002" });
    for (const dryRun of [true, false]) {
      expect(refusal(dir, cfg, dryRun).message).toBe(
        "partnerlink:customers[3].name: 'Tailspin' and partnerlink:customers[2].name 'tailspin' would both write their template package to <templatesDir>/tailspin; give one a name that differs in its letters or digits",
      );
    }
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false); // nothing written
    const twice = baseConfig();
    twice.customers[2].name = "fabrikam";
    expect(refusal(dir, twice, true).message).toBe("partnerlink:customers[2].name: 'fabrikam' is used twice; customer names must be unique (they name the Pulumi resources)");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("a template folder holding a file partnerlink did not write", () => {
  test("is refused by preview and by up, in one line naming partnerlink:templatesDir, the customer and the fix; the folder is left as it was", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-stack-foreign-"));
    try {
      const cfg = { ...baseConfig(), templatesDir: "out" };
      const folder = path.join(dir, "out", "tailspin");
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, "notes.txt"), "mine");
      for (const dryRun of [true, false]) {
        const e = refusal(dir, cfg, dryRun);
        expect(e.message).toBe(
          `partnerlink:templatesDir: the template folder of customer 'tailspin' (partnerlink:customers[2]), ${folder}, holds files partnerlink did not write (notes.txt); ` +
            "every pulumi up replaces that folder with the generated package, so move those files out of it, or set partnerlink:templatesDir to another folder",
        );
        expect(e.message).not.toMatch(/--force|--out/);
        expect(fs.readdirSync(folder)).toEqual(["notes.txt"]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a previous package whose folder is not writable (its files could not be removed) is named in the stack's terms", () => {
    // What writeTreeAtomically throws for it (test/templates/atomic-write.test.ts shows it thrown by a real folder).
    const err = new OutputDirRefused("out/tailspin cannot be replaced: ... (chmod -R u+w out/tailspin) or choose another --out", "not-writable", ["."]);
    const e = templateFolderError(baseConfig(), 2, "/p/out/tailspin", err);
    expect(e.message).toBe(
      "partnerlink:templatesDir: the template folder of customer 'tailspin' (partnerlink:customers[2]), /p/out/tailspin, cannot be replaced: it is not writable, " +
        "so its files cannot be removed; make it writable, or set partnerlink:templatesDir to another folder",
    );
    expect(templateFolderError(baseConfig(), 2, "/p/out/tailspin", new OutputDirRefused("...", "not-writable", ["sub"])).message).toMatch(
      /cannot be replaced: its folder 'sub' is not writable, so its files cannot be removed; make it writable, or set partnerlink:templatesDir to another folder$/,
    );
  });

  test("a templatesDir that cannot be written is named the same way (the write fails before anything is declared)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-stack-unwritable-"));
    try {
      fs.writeFileSync(path.join(dir, "out"), "a file, not a folder");
      const e = refusal(dir, { ...baseConfig(), templatesDir: "out" }, false);
      expect(e.message).toMatch(/^partnerlink:templatesDir: the template folder of customer 'tailspin' \(partnerlink:customers\[2\]\), .* cannot be written \((?!Error)[^)]*(EEXIST|ENOTDIR)[^)]*\); check the folder's permissions, or set partnerlink:templatesDir to another folder$/);
      // A folder where the package's own name is a file the user made: "exists and is not a folder".
      fs.rmSync(path.join(dir, "out"));
      fs.mkdirSync(path.join(dir, "out"));
      fs.writeFileSync(path.join(dir, "out", "tailspin"), "x");
      expect(refusal(dir, { ...baseConfig(), templatesDir: "out" }, true).message).toContain("exists and is not a folder; move it away, or set partnerlink:templatesDir to another folder");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test("a PEC role that earns no credit names the stack key and the fix, for a customer with a deployer as for one given the template", () => {
  const cfg = baseConfig();
  cfg.partner.pecPrincipal.roleDefinitionId = "acdd72a7-3385-48ef-bd42-f606fba81ae7"; // Reader
  // The first customer judged: fabrikam, which has a deployer (it used to reach the LighthouseOnboarding's check(),
  // which names its own input paths on a resource named by subscription and offer).
  const err = refusal(templatesDir, cfg, true);
  expect(err.message).toMatch(
    /^partnerlink:customers\[0\] \(customer 'fabrikam'\): partnerlink:partner\.pecPrincipal\.roleDefinitionId Reader \(acdd72a7-[^)]*\) is not a PEC-eligible role that Lighthouse accepts .*Use a PEC-eligible role for partnerlink:partner\.pecPrincipal\.roleDefinitionId: Contributor \(b24988ac-/,
  );
  expect(err.message).not.toMatch(/dpor|\$\./);
  // Only template customers: the same line for the first of them.
  const templatesOnly = baseConfig();
  templatesOnly.partner.pecPrincipal.roleDefinitionId = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
  templatesOnly.customers = templatesOnly.customers.filter((c) => !c.deployer);
  expect(refusal(templatesDir, templatesOnly, true).message).toMatch(/^partnerlink:customers\[0\] \(customer 'tailspin'\): partnerlink:partner\.pecPrincipal\.roleDefinitionId Reader /);
});

test("an Owner authorization for a customer with a deployer is refused in stack terms before anything is declared", () => {
  const cfg = baseConfig();
  cfg.customers[0].authorizations = [{ principalId: "1a000000-0000-4000-8000-000000000002", roleDefinitionId: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" }];
  const err = refusal(templatesDir, cfg, true);
  expect(err.message).toMatch(/^partnerlink:customers\[0\] \(customer 'fabrikam'\): the onboarding would fail partnerlink check: PL004 .*\(partnerlink:customers\[0\]\.authorizations\[0\]\.roleDefinitionId\): Owner /);
});

test("renaming a customer that keeps its offer name keeps its resource name (an update, never create + delete of one delegation)", async () => {
  const cfg = baseConfig();
  cfg.customers[0].offerName = "Contoso managed services (Fabrikam)";
  const before = nameOf("fabrikam", cfg);
  cfg.customers[0].name = "fabrikam-holdings";
  registered.length = 0;
  await settle(runProgram(cfg, { ...DEPLOYER_SECRETS, "fabrikam-holdings": DEPLOYER_SECRETS.fabrikam }));
  const names = registered.filter((r) => r.type === LIGHTHOUSE_ONBOARDING_TYPE).map((r) => r.name);
  expect(names).toContain(before);
  expect(names.some((n) => n.includes("fabrikam"))).toBe(false);
  // The new customer name reaches the inputs (the rules' subscription name): an update in place.
  const inputs = registered.find((r) => r.name === before)!.inputs;
  expect(inputs.rulesConfig.subscriptions[0].name).toBe("fabrikam-holdings");
});

describe("an authorization that repeats another exactly", () => {
  const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
  const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
  const ADMINS = "1a000000-0000-4000-8000-000000000002";
  const admins = { principalId: ADMINS, principalIdDisplayName: "Lighthouse admins", roleDefinitionId: READER };
  // The same grant as `admins`: GUIDs in upper case (the stack config takes GUIDs only), another display name.
  const adminsAgain = { principalId: ADMINS.toUpperCase(), principalIdDisplayName: "Admins", roleDefinitionId: READER.toUpperCase() };
  const pecAgain = { principalId: PEC_OBJECT, principalIdDisplayName: "PEC automation", roleDefinitionId: CONTRIBUTOR };

  /** The program run once with `cfg`; what it warned and the onboardings' inputs. */
  async function run(cfg: ReturnType<typeof baseConfig>) {
    const warn = jest.spyOn(pulumi.log, "warn").mockResolvedValue();
    try {
      registered.length = 0;
      await settle(runProgram(cfg));
      return { warnings: warn.mock.calls.map((c) => c[0]), inputs: (customer: string) => registered.find((r) => r.name === nameOf(customer, cfg))!.inputs };
    } finally {
      warn.mockRestore();
    }
  }

  test("is left out of a customer's LighthouseOnboarding, with a warning naming the stack config paths and the fix", async () => {
    const cfg = baseConfig();
    cfg.customers[0].authorizations = [pecAgain, admins, adminsAgain];
    const jit = cfg.customers[1].eligibleAuthorizations![0];
    cfg.customers[1].eligibleAuthorizations = [jit, { ...jit, justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT8H" } }];
    const { warnings, inputs } = await run(cfg);
    // What the provider's check() would refuse is not sent: each grant once.
    expect(inputs("fabrikam").authorizations).toEqual([admins]);
    expect(inputs("northwind").eligibleAuthorizations).toHaveLength(1);
    expect(warnings).toEqual([
      "partnerlink:customers[0] (customer 'fabrikam'): partnerlink:customers[0].authorizations[0] repeats the PEC authorization, which is always added " +
        `(partnerlink:partner.pecPrincipal.objectId as Contributor (${CONTRIBUTOR})) (the same principalId, roleDefinitionId and delegatedRoleDefinitionIds) and is left out: ` +
        "the definition lists each authorization once. Remove partnerlink:customers[0].authorizations[0].",
      "partnerlink:customers[0] (customer 'fabrikam'): partnerlink:customers[0].authorizations[2] repeats partnerlink:customers[0].authorizations[1] " +
        "(the same principalId, roleDefinitionId and delegatedRoleDefinitionIds) and is left out: the definition lists each authorization once. Remove partnerlink:customers[0].authorizations[2].",
      "partnerlink:customers[1] (customer 'northwind'): partnerlink:customers[1].eligibleAuthorizations[1] repeats partnerlink:customers[1].eligibleAuthorizations[0] " +
        "(the same principalId, roleDefinitionId and just-in-time policy) and is left out: the definition lists each eligible authorization once. Remove partnerlink:customers[1].eligibleAuthorizations[1].",
    ]);
  });

  test("is left out of a customer's template package, with the generator's notice as a warning in stack terms", async () => {
    const cfg = baseConfig();
    cfg.customers[2].authorizations = [admins, pecAgain];
    const { warnings } = await run(cfg);
    const params = JSON.parse(fs.readFileSync(path.join(templatesDir, "tailspin", BUNDLE_FILES.parameters), "utf8"));
    expect(params.parameters.authorizations.value.map((a: { principalId: string }) => a.principalId)).toEqual([PEC_OBJECT, ADMINS]);
    expect(warnings).toEqual([
      "partnerlink:customers[2] (customer 'tailspin'): partnerlink:customers[2].authorizations[1] repeats the PEC authorization, which is always added " +
        `(partnerlink:partner.pecPrincipal.objectId as Contributor (${CONTRIBUTOR})) (the same principalId, roleDefinitionId and delegatedRoleDefinitionIds) and is left out: ` +
        "the definition lists each authorization once. Remove partnerlink:customers[2].authorizations[1].",
    ]);
  });

  test("a rule's warning on a template customer's package is a warning too, in stack terms, as `partnerlink template` prints it", async () => {
    const cfg = baseConfig();
    const custom = "0f0e0d0c-0b0a-4909-8807-060504030201";
    cfg.customers[2].authorizations = [{ principalId: ADMINS, roleDefinitionId: custom }];
    const { warnings } = await run(cfg);
    expect(warnings).toEqual([
      expect.stringMatching(/^partnerlink:customers\[2\] \(customer 'tailspin'\): warning PL004 role-not-supported-by-lighthouse: .*\(partnerlink:customers\[2\]\.authorizations\[0\]\.roleDefinitionId\): role 0f0e0d0c-/),
    ]);
  });

  test("a config without repeats warns of nothing", async () => {
    const cfg = baseConfig();
    cfg.customers[0].authorizations = [admins];
    expect((await run(cfg)).warnings).toEqual([]);
  });
});

test("a rule finding on a template customer's authorization names its stack config path, not the generator's", () => {
  const cfg = baseConfig();
  cfg.customers[2].authorizations = [{ principalId: "1a000000-0000-4000-8000-000000000002", roleDefinitionId: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" }]; // Owner
  const err = refusal(templatesDir, cfg, true);
  expect(err.message).toMatch(
    /^partnerlink:customers\[2\] \(customer 'tailspin'\): the onboarding would fail partnerlink check: PL004 [\w-]+: Delegation 'tailspin managed services' \(partnerlink:customers\[2\]\.authorizations\[0\]\.roleDefinitionId\): Owner /,
  );
  expect(err.message).not.toMatch(/\$[.[]/);
});
