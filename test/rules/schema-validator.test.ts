/**
 * The validators compiled at build time (scripts/gen-validators.ts -> dist/generated/) against those ajv compiles
 * at run time: the same verdict and the same errors, and a missing or stale generated module is never used.
 * `npm test` builds first, so dist/generated/ is the one this checkout's build wrote.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ErrorObject } from "ajv";
import { PRECOMPILED_VALIDATORS, standaloneModule, writeValidators } from "../../scripts/gen-validators";
import { ajvFor, loadSchemaValidator, validatorKey, type SchemaValidatorSpec } from "../../rules/schema-validator";

const ROOT = path.resolve(__dirname, "..", "..");
const DIST_GENERATED = path.join(ROOT, "dist", "generated");
const FIXTURES = path.join(ROOT, "test", "fixtures");

/** Every JSON fixture of the repository's tests: valid and malformed inputs of every format. */
function fixtureDocs(): unknown[] {
  const out: unknown[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".json") && fs.statSync(p).size < 2_000_000) {
        try {
          out.push(JSON.parse(fs.readFileSync(p, "utf8")));
        } catch {
          // not JSON: nothing to validate
        }
      }
    }
  };
  walk(FIXTURES);
  walk(path.join(ROOT, "examples", "arm-templates"));
  // A customer list as `partnerlink template --customers` reads it, and each entry with the defaults the command
  // line gives (managing tenant, PEC principal) merged in.
  const customers = (require("yaml") as typeof import("yaml")).parse(fs.readFileSync(path.join(ROOT, "examples", "arm-templates", "customers.yaml"), "utf8")) as object[];
  const defaults = { managingTenantId: "44444444-4444-4444-4444-444444444444", pecPrincipalId: "11111111-1111-1111-1111-111111111111" };
  out.push(customers, ...customers.map((c) => ({ ...defaults, ...c })));
  out.push(...pulumiInputs());
  // A plan's resource_changes entries, which formats/plan-slices.ts validates one at a time (a few of each plan).
  for (const d of out.slice()) {
    const changes = d && typeof d === "object" ? (d as { resource_changes?: unknown }).resource_changes : undefined;
    if (Array.isArray(changes)) out.push(...changes.slice(0, 3));
  }
  return out;
}

/** What the Pulumi resources' check() and the onboarding stack validate: resource inputs and a stack config. */
function pulumiInputs(): object[] {
  const tenantId = "44444444-4444-4444-4444-444444444444";
  const clientId = "1a000000-0000-4000-8000-0000000000a1";
  const credentials = [
    { kind: "clientSecret", tenantId, clientId, clientSecret: "not-a-real-secret" },
    { kind: "clientCertificate", tenantId, clientId, certificatePem: "-----BEGIN CERTIFICATE-----", sendCertificateChain: true },
    { kind: "workloadIdentity", tenantId, clientId, tokenFilePath: "/var/run/token" },
    { kind: "managedIdentity", clientId },
    { kind: "azureCli" },
    { kind: "default" },
  ];
  const links = credentials.map((credential) => ({ partnerId: "1234567", allowRelink: false, connection: { credential, cloud: "AzureCloud" } }));
  const onboarding = {
    managingTenantId: tenantId,
    customerTenantId: "22222222-2222-4222-8222-222222222222",
    subscriptionId: "2b5b0000-0000-4000-8000-000000000001",
    resourceGroups: ["rg-web"],
    offerName: "Contoso managed services",
    pecAuthorization: { principalId: "1a000000-0000-4000-8000-000000000001", principalDisplayName: "Provider Automation Account" },
    authorizations: [{ principalId: "1a000000-0000-4000-8000-000000000002", principalIdDisplayName: "Admins", roleDefinitionId: "acdd72a7-3385-48ef-bd42-f606fba81ae7" }],
    customerConnection: { credential: credentials[0] },
  };
  const stackConfig = {
    partner: { partnerId: "1234567", managingTenantId: tenantId, pecPrincipal: { objectId: "1a000000-0000-4000-8000-000000000001", clientId } },
    customers: [{ name: "contoso.eu", tenantId: "22222222-2222-4222-8222-222222222222", subscriptionId: "2b5b0000-0000-4000-8000-000000000001", agreement: "EA", dpor: true }],
  };
  return [...links, onboarding, stackConfig];
}

/** Variations that break each document in the ways schemas catch: wrong types, missing and unknown keys. */
function mutations(doc: unknown): unknown[] {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return [doc, 42, "text", null, []];
  const o = doc as Record<string, unknown>;
  const out: unknown[] = [doc, {}, { ...o, unexpectedKey: true }];
  for (const k of Object.keys(o).slice(0, 8)) {
    const without = { ...o };
    delete without[k];
    out.push(without, { ...o, [k]: 12345 }, { ...o, [k]: "x" }, { ...o, [k]: [{ a: 1 }] });
  }
  return out;
}

const errorsOf = (errs: ErrorObject[] | null | undefined) =>
  (errs ?? []).map((e) => ({ instancePath: e.instancePath, schemaPath: e.schemaPath, keyword: e.keyword, params: e.params }));

const docs = fixtureDocs();

test("the corpus is large enough to mean something", () => {
  expect(docs.length).toBeGreaterThan(50);
});

describe.each(PRECOMPILED_VALIDATORS.map((s) => [s.id, s] as const))("%s", (_id, spec) => {
  test("the build wrote a current module, and it is the one loaded", () => {
    const loaded = loadSchemaValidator(spec, DIST_GENERATED);
    expect(loaded.compiled).toBe("build");
  });

  test("same verdict and errors as ajv compiling the schema now", () => {
    const built = loadSchemaValidator(spec, DIST_GENERATED).validate;
    const runtime = ajvFor(spec, false).compile(spec.schema);
    let valid = 0;
    let invalid = 0;
    for (const d of docs) {
      for (const m of mutations(d)) {
        const a = built(m);
        const b = runtime(m);
        expect(a).toBe(b);
        expect(errorsOf(built.errors)).toEqual(errorsOf(runtime.errors));
        if (a) valid++;
        else invalid++;
      }
    }
    // Rejections are exercised for every schema (acceptances: the corpus test below).
    expect(invalid).toBeGreaterThan(0);
    expect(valid + invalid).toBeGreaterThan(docs.length);
  });
});

test("the corpus has documents every schema accepts", () => {
  const none = PRECOMPILED_VALIDATORS.filter((spec) => {
    const v = ajvFor(spec, false).compile(spec.schema);
    return !docs.some((d) => v(d));
  }).map((spec) => spec.id);
  expect(none).toEqual([]);
});

describe("a generated module that does not fit is not used", () => {
  const spec = PRECOMPILED_VALIDATORS[0]!;
  let dir: string;
  beforeEach(() => {
    // Inside the checkout: a generated module requires ajv's runtime helpers from node_modules.
    dir = fs.mkdtempSync(path.join(ROOT, "dist", "validators-test-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("missing: compiled at run time", () => {
    expect(loadSchemaValidator(spec, dir).compiled).toBe("run");
  });

  test("written for another schema (edited without a rebuild): compiled at run time from the schema in use", () => {
    writeValidators(dir);
    expect(loadSchemaValidator(spec, dir).compiled).toBe("build");
    // The same id, a schema that now also requires a key: the stale module would accept what this rejects.
    const edited: SchemaValidatorSpec = { ...spec, schema: { ...(spec.schema as object), required: ["mustBeHere"] } };
    expect(validatorKey(edited)).not.toBe(validatorKey(spec));
    const loaded = loadSchemaValidator(edited, dir);
    expect(loaded.compiled).toBe("run");
    expect(loaded.validate({})).toBe(false);
    expect(loaded.validate.errors?.[0]?.params).toEqual({ missingProperty: "mustBeHere" });
  });

  test("the module text carries the key of its spec", () => {
    expect(standaloneModule(spec)).toContain(`module.exports.partnerlinkKey = "${validatorKey(spec)}"`);
  });
});
