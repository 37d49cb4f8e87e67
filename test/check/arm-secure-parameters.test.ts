/**
 * The values of an ARM template's `secureString` and `secureObject` parameters (from the parameters file or the
 * template's defaultValue) are evaluated by the rules like any other value, but never printed: every report format
 * shows "(sensitive value)" in their place, as for a Terraform plan's sensitive values (terraform-sensitive.test.ts).
 * Each test runs the real CLI (`partnerlink check`) on a template + parameters pair written to a temp folder.
 */
import { findingsOf, runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

const PEC = "1a000000-0000-4000-8000-000000000001";
const TENANT = "11111111-1111-4111-8111-111111111111";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const CONFIG = { partnerId: "1234567", pecPrincipals: [PEC], palLinkedPrincipals: [PEC], allowedManagingTenants: [TENANT] };
const FORMATS = ["text", "json", "sarif", "junit"] as const;

const temp = tempFolders("pl-arm-secure-");

/** A subscription-level onboarding template whose offer name, tenant and authorizations come from parameters. */
function template(types: { offer?: string; tenant?: string; auths?: string }, defaults: Record<string, unknown> = {}) {
  const param = (type: string, name: string) => ({ type, ...(defaults[name] !== undefined ? { defaultValue: defaults[name] } : {}) });
  return {
    $schema: "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    parameters: {
      mspOfferName: param(types.offer ?? "string", "mspOfferName"),
      managedByTenantId: param(types.tenant ?? "string", "managedByTenantId"),
      authorizations: param(types.auths ?? "array", "authorizations"),
    },
    resources: [
      {
        type: "Microsoft.ManagedServices/registrationDefinitions",
        apiVersion: "2022-10-01",
        name: "[guid(parameters('mspOfferName'))]",
        properties: {
          registrationDefinitionName: "[parameters('mspOfferName')]",
          managedByTenantId: "[parameters('managedByTenantId')]",
          authorizations: types.auths === "secureObject" ? "[parameters('authorizations').list]" : "[parameters('authorizations')]",
        },
      },
    ],
  };
}

function parameters(values: Record<string, unknown>) {
  return {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
    contentVersion: "1.0.0.0",
    parameters: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])),
  };
}

async function runAll(dir: string): Promise<Record<(typeof FORMATS)[number], string>> {
  const out = {} as Record<(typeof FORMATS)[number], string>;
  for (const f of FORMATS) {
    const run = await runCli(["check", ".", "--format", f], { cwd: dir });
    out[f] = run.stdout + run.stderr;
  }
  return out;
}

test("a secureString offer name and tenant ID are never printed (findings, resource names, JUnit cases); the rules still judge them", async () => {
  const OFFER = "S3cr3t-CANARY-offer";
  const TENANT_SECRET = "S3cr3t-CANARY-tenant";
  const dir = temp.folder("secure-string", {
    "partnerlink.config.json": CONFIG,
    "onboarding.json": template({ offer: "secureString", tenant: "SecureString" }),
    "onboarding.parameters.json": parameters({
      mspOfferName: OFFER,
      managedByTenantId: TENANT_SECRET,
      authorizations: [{ principalId: PEC, roleDefinitionId: OWNER, principalIdDisplayName: "PAA" }],
    }),
  });
  const json = await runCli(["check", ".", "--format", "json"], { cwd: dir });
  const findings = findingsOf(json);
  // Evaluated all the same: Owner for the PEC principal (PL003, PL004) and the malformed tenant (PL010).
  expect([...new Set(findings.map((f) => f.ruleId))].sort()).toEqual(expect.arrayContaining(["PL003", "PL004", "PL010"]));
  expect(findings.find((f) => f.ruleId === "PL010")!.message).toContain('"(sensitive value)" is not a tenant ID');
  expect(findings.find((f) => f.ruleId === "PL003")!.resource).toBe("(sensitive value)");
  for (const [format, out] of Object.entries(await runAll(dir))) {
    expect({ format, leaked: out.includes(OFFER) || out.includes(TENANT_SECRET) }).toEqual({ format, leaked: false });
  }
});

test("a secureObject's strings and a secure parameter's defaultValue are hidden too", async () => {
  const PRINCIPAL = "S3cr3t-CANARY-principal";
  const TENANT_DEFAULT = "S3cr3t-CANARY-default";
  const dir = temp.folder("secure-object", {
    "partnerlink.config.json": CONFIG,
    "onboarding.json": template({ tenant: "securestring", auths: "secureObject" }, { managedByTenantId: TENANT_DEFAULT }),
    "onboarding.parameters.json": parameters({
      mspOfferName: "Contoso managed services",
      authorizations: { list: [{ principalId: PRINCIPAL, roleDefinitionId: CONTRIBUTOR, principalIdDisplayName: "PAA" }] },
    }),
  });
  const findings = findingsOf(await runCli(["check", ".", "--format", "json"], { cwd: dir }));
  expect(findings.filter((f) => f.ruleId === "PL010").map((f) => f.message.match(/"[^"]*" is not/)![0]).sort()).toEqual(['"(sensitive value)" is not', '"(sensitive value)" is not']);
  for (const [format, out] of Object.entries(await runAll(dir))) {
    expect({ format, leaked: out.includes(PRINCIPAL) || out.includes(TENANT_DEFAULT) }).toEqual({ format, leaked: false });
  }
});

test("a plain string parameter is still quoted (only secure parameters are hidden)", async () => {
  const dir = temp.folder("plain", {
    "partnerlink.config.json": CONFIG,
    "onboarding.json": template({}),
    "onboarding.parameters.json": parameters({
      mspOfferName: "Contoso managed services",
      managedByTenantId: "contoso.onmicrosoft.com",
      authorizations: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR, principalIdDisplayName: "PAA" }],
    }),
  });
  const run = await runCli(["check", ".", "--format", "json"], { cwd: dir });
  expect(findingsOf(run).find((f) => f.ruleId === "PL010")!.message).toContain('"contoso.onmicrosoft.com" is not a tenant ID');
  expect(run.stdout).toContain("Contoso managed services");
  expect(run.stdout).not.toContain("(sensitive value)");
});

test("a value built from a secure parameter (substring, replace, split, string(), through a variable) is hidden as the parameter is", async () => {
  const SECRET = "CANARYSECRET-abcdefghijkl-mnop";
  const OBJ = { k: 'CANARYOBJ-"quoted"-zzz' };
  const exprs: Record<string, string> = {
    substring: "[substring(parameters('t'), 0, 12)]",
    replace: "[replace(parameters('t'), '-', ' ')]",
    split: "[split(parameters('t'), '-')[1]]",
    string: "[string(parameters('o'))]",
    variable: "[toUpper(variables('part'))]",
  };
  const leaks = ["CANARYSECRET", "abcdefghijkl", "CANARYSECRET abcdefghijkl", "CANARYOBJ", "MNOP"];
  for (const [name, expr] of Object.entries(exprs)) {
    const t = template({});
    Object.assign(t.parameters, { t: { type: "secureString" }, o: { type: "secureObject" } });
    Object.assign(t, { variables: { part: "[last(split(parameters('t'), '-'))]" } });
    t.resources[0]!.properties.managedByTenantId = expr;
    const dir = temp.folder(`derived-${name}`, {
      "partnerlink.config.json": CONFIG,
      "onboarding.json": t,
      "onboarding.parameters.json": parameters({
        mspOfferName: "Contoso managed services",
        t: SECRET,
        o: OBJ,
        authorizations: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR, principalIdDisplayName: "PAA" }],
      }),
    });
    const json = await runCli(["check", ".", "--format", "json"], { cwd: dir });
    // Still judged: the tenant is not a GUID.
    expect({ name, pl010: findingsOf(json).find((f) => f.ruleId === "PL010")?.message }).toEqual({ name, pl010: expect.stringContaining('"(sensitive value)" is not a tenant ID') });
    for (const [format, out] of Object.entries(await runAll(dir))) {
      expect({ name, format, leaked: leaks.filter((l) => out.toLowerCase().includes(l.toLowerCase())) }).toEqual({ name, format, leaked: [] });
    }
  }
});

test("an expression error in an expression that reads a secure parameter does not quote the value", async () => {
  const SECRET = "CANARYSECRET-abcdefghijkl-mnop";
  const t = template({});
  Object.assign(t.parameters, { t: { type: "secureString" } });
  // int() of a string fails; the error would describe the substring it was given.
  t.resources[0]!.properties.managedByTenantId = "[string(int(substring(parameters('t'), 0, 12)))]";
  const dir = temp.folder("derived-error", {
    "partnerlink.config.json": CONFIG,
    "onboarding.json": t,
    "onboarding.parameters.json": parameters({
      mspOfferName: "Contoso managed services",
      t: SECRET,
      authorizations: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR, principalIdDisplayName: "PAA" }],
    }),
  });
  const json = await runCli(["check", ".", "--format", "json"], { cwd: dir });
  expect(findingsOf(json).some((f) => f.ruleId === "PL012" && f.path === "$.resources[0].properties.managedByTenantId")).toBe(true);
  for (const [format, out] of Object.entries(await runAll(dir))) {
    expect({ format, leaked: out.includes("CANARYSECRET") }).toEqual({ format, leaked: false });
  }
});

test("a short value an expression derives from a secure parameter does not blank its letters in every message", async () => {
  const t = template({});
  Object.assign(t.parameters, { t: { type: "secureString" } });
  // The branch picked depends on the secret; its value ('e') does not. Hidden, it would blank every 'e' in the report.
  t.resources[0]!.properties.registrationDefinitionName = "[if(empty(parameters('t')), 'x', 'e')]";
  const dir = temp.folder("derived-short", {
    "partnerlink.config.json": CONFIG,
    "onboarding.json": t,
    "onboarding.parameters.json": parameters({
      mspOfferName: "Contoso managed services",
      managedByTenantId: "not-a-tenant",
      t: "CANARYSECRET-abcdefghijkl-mnop",
      authorizations: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR, principalIdDisplayName: "PAA" }],
    }),
  });
  const out = Object.values(await runAll(dir)).join("\n");
  expect(out).toContain("is not a tenant ID");
  expect(out).not.toContain("CANARYSECRET");
});

