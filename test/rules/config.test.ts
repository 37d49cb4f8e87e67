import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfigFile, mergeConfigFlags, validateConfig } from "../../rules/config";

const dir = mkdtempSync(join(tmpdir(), "pl-config-"));
const PEC = "11111111-1111-4111-8111-111111111111";

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function errorOf(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfigFile", () => {
  it("reads YAML", () => {
    const p = write("ok.yaml", `partnerId: "1234567"\npecPrincipals: [${PEC}]\nwaivers:\n  - {rule: PL003, resource: "*", reason: migrating, expires: 2030-01-01}\nrules:\n  pec-role-not-eligible: {severity: warning}\n`);
    expect(loadConfigFile(p)).toEqual({
      partnerId: "1234567",
      pecPrincipals: [PEC],
      waivers: [{ rule: "PL003", resource: "*", reason: "migrating", expires: "2030-01-01" }],
      rules: { "pec-role-not-eligible": { severity: "warning" } },
    });
  });
  it("reads JSON", () => {
    const p = write("ok.json", JSON.stringify({ subscriptions: [{ subscriptionId: PEC, agreement: "EA", dpor: true }] }));
    expect(loadConfigFile(p).subscriptions?.[0].agreement).toBe("EA");
  });
  it("an empty YAML file is an empty config", () => {
    expect(loadConfigFile(write("empty.yaml", ""))).toEqual({});
  });
  it("names the file and the fix for a missing file", () => {
    const e = errorOf(() => loadConfigFile(join(dir, "nope.yaml")));
    expect(e.message).toBe(`${join(dir, "nope.yaml")}: $: file not found. Check the path given with --config.`);
  });
  it("reports JSON syntax errors with the file", () => {
    const p = write("bad.json", "{ partnerId: 1 ");
    expect(errorOf(() => loadConfigFile(p)).message).toMatch(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: \\$: is not valid JSON`));
  });
  it("places an unexpected token by line and column, without quoting the text around it", () => {
    // V8 gives no position for "Unexpected token" and quotes the text around it; the value here could be a secret.
    const p = write("token.json", '{\n  "partnerId": "1234567",\n  "pecPrincipals": [ hunter2secret ]\n}\n');
    const message = errorOf(() => loadConfigFile(p)).message;
    expect(message).toContain("is not valid JSON (line 3, column 22): an unexpected character");
    expect(message).not.toContain("hunter2");
  });
  it("a YAML file of several documents is refused in the user's terms, not the library's", () => {
    const message = errorOf(() => loadConfigFile(write("multi.yaml", 'partnerId: "1234567"\n---\npecPrincipals: []\n'))).message;
    expect(message).toContain("holds more than one YAML document (a '---' line at line 2, column 1); a partnerlink config is one document.");
    expect(message).not.toContain("parseAllDocuments");
  });
  it("reports YAML syntax errors with line", () => {
    const p = write("bad.yaml", "partnerId: [1\nx: }");
    expect(errorOf(() => loadConfigFile(p)).message).toMatch(/bad\.yaml: \$: is not valid YAML at line \d+/);
  });
});

describe("validateConfig error messages: <file>: <json path>: <what>. <fix>", () => {
  it("a subscription listed twice (in any case) is refused at the second entry, naming the first", () => {
    const a = "aaaaaaaa-0000-4000-8000-000000000001";
    const e = errorOf(() => validateConfig({ subscriptions: [{ subscriptionId: a, agreement: "MCA" }, { subscriptionId: a.toUpperCase(), agreement: "CSP" }] }, "pl.yaml"));
    expect(e.message).toBe(`pl.yaml: $.subscriptions[1].subscriptionId: lists subscription ${a} again (first at $.subscriptions[0]). Fix: keep one entry per subscription, with its agreement and dpor.`);
  });
  it("unknown key lists allowed keys", () => {
    const e = errorOf(() => validateConfig({ pecPrincipal: [PEC] }, "pl.yaml"));
    expect(e.message).toMatch(/^pl\.yaml: \$\.pecPrincipal: unknown key 'pecPrincipal'\. Allowed keys: \$schema, partnerId, pecPrincipals, /);
    expect(e.message).toContain("waivers");
  });
  it("unknown nested key", () => {
    const e = errorOf(() => validateConfig({ waivers: [{ rule: "PL001", resource: "x", reason: "r", until: "2020-01-01" }] }, "c.json"));
    expect(e.problems[0]).toEqual({ path: "$.waivers[0].until", message: "unknown key 'until'. Allowed keys: rule, resource, reason, expires." });
  });
  it("a placeholder GUID (the samples' all-zero one) is refused where an ID belongs, in the file and on the command line", () => {
    const nil = "00000000-0000-0000-0000-000000000000";
    const e = errorOf(() =>
      validateConfig({ pecPrincipals: [PEC, nil], allowedManagingTenants: ["FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"], subscriptions: [{ subscriptionId: nil }] }, "c.yaml"),
    );
    expect(e.problems).toEqual([
      { path: "$.pecPrincipals[1]", message: `'${nil}' is a placeholder GUID, not an ID Azure assigns. Replace it with the PEC principal's object ID.` },
      { path: "$.allowedManagingTenants[0]", message: "'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF' is a placeholder GUID, not an ID Azure assigns. Replace it with the managing tenant's ID." },
      { path: "$.subscriptions[0].subscriptionId", message: `'${nil}' is a placeholder GUID, not an ID Azure assigns. Replace it with the customer subscription's ID.` },
    ]);
    const flags = errorOf(() => mergeConfigFlags({}, { pecPrincipals: [nil] }));
    expect(flags.message).toBe(`command line: --pec-principal: '${nil}' is a placeholder GUID, not an ID Azure assigns. Replace it with the principal's object ID.`);
    // A GUID of repeated digits other than 0 and f is a real ID as far as anyone can tell.
    expect(() => validateConfig({ pecPrincipals: [PEC] }, "c.yaml")).not.toThrow();
  });
  it("bad GUID in a list points at the element", () => {
    const e = errorOf(() => validateConfig({ pecPrincipals: [PEC, "bob"] }, "c.yaml"));
    expect(e.message).toMatch(/^c\.yaml: \$\.pecPrincipals\[1\]: must be a GUID/);
  });
  it("bad partner ID", () => {
    expect(errorOf(() => validateConfig({ partnerId: "12" }, "c.yaml")).message).toMatch(/^c\.yaml: \$\.partnerId: must be a numeric partner ID of 6 to 10 digits/);
    // What YAML makes of an unquoted `partnerId: 1234567`: the fix is the quotes.
    expect(errorOf(() => validateConfig({ partnerId: 1234567 }, "c.yaml")).message).toBe(
      'c.yaml: $.partnerId: must be a string, not the number 1234567. Quote it: "1234567" (YAML and JSON read an unquoted 1234567 as a number).',
    );
    expect(errorOf(() => validateConfig({ subscriptions: [{ subscriptionId: PEC, name: true }] }, "c.yaml")).message).toMatch(/\$\.subscriptions\[0\]\.name: must be a string, not the boolean true\. Quote it: "true"/);
    expect(errorOf(() => validateConfig({ pecPrincipals: PEC }, "c.yaml")).message).toMatch(/\$\.pecPrincipals: must be array\. Change the value's type\./);
  });
  it("bad date and missing required keys", () => {
    const e = errorOf(() => validateConfig({ waivers: [{ rule: "PL001", resource: "x", expires: "next week" }] }, "c.yaml"));
    const paths = e.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["$.waivers[0].reason", "$.waivers[0].expires"]));
    expect(e.message).toMatch(/1 more/);
  });
  it("bad enum", () => {
    expect(errorOf(() => validateConfig({ rules: { PL001: { severity: "fatal" } } }, "c.yaml")).message).toMatch(
      /\$\.rules\.PL001\.severity: must be one of "error", "warning", "info", "off"/,
    );
  });
  it("unknown rule in waivers and rules", () => {
    const e = errorOf(() => validateConfig({ waivers: [{ rule: "PL099", resource: "*", reason: "x" }], rules: { "no-such-rule": {} } }, "c.yaml"));
    expect(e.problems.map((p) => p.path)).toEqual(["$.waivers[0].rule", '$.rules["no-such-rule"]']);
    expect(e.problems[0].message).toMatch(/unknown rule 'PL099'\. Use a rule ID \(PL001\.\.PL014\)/);
  });
  it("accepts a full valid config", () => {
    const cfg = {
      partnerId: "1234567",
      pecPrincipals: [PEC],
      palLinkedPrincipals: [PEC],
      servicePrincipals: [PEC],
      allowedManagingTenants: [PEC],
      subscriptions: [{ subscriptionId: PEC, name: "prod", agreement: "MCA", dpor: false }],
      requireDporForEa: true,
      waivers: [{ rule: "pal-link-missing", resource: "x", reason: "y", expires: "2030-12-31" }],
      rules: { PL004: { severity: "off" } },
      roles: [{ id: PEC, name: "X", pecEligible: true, hasDataActions: false, lighthouse: "yes", reason: "r" }],
    };
    expect(validateConfig(cfg, "c.yaml")).toBe(cfg);
  });
});

describe("mergeConfigFlags", () => {
  it("unions principals and tenants, replaces the partner ID, leaves the input alone", () => {
    const base = { pecPrincipals: [PEC], partnerId: "1234567" };
    const other = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
    const out = mergeConfigFlags(base, { pecPrincipals: [PEC.toUpperCase(), other], partnerId: "7654321", allowedManagingTenants: [other] });
    expect(out).toEqual({ pecPrincipals: [PEC, other], partnerId: "7654321", allowedManagingTenants: [other] });
    expect(base).toEqual({ pecPrincipals: [PEC], partnerId: "1234567" });
  });
  it("rejects malformed flag values naming the flag", () => {
    expect(errorOf(() => mergeConfigFlags({}, { pecPrincipals: ["bob"] })).message).toBe(
      "command line: --pec-principal: 'bob' is not a GUID. Pass the principal's object ID (8-4-4-4-12 hex digits).",
    );
    expect(errorOf(() => mergeConfigFlags({}, { allowedManagingTenants: ["xyz"] })).message).toBe(
      "command line: --allowed-tenant: 'xyz' is not a GUID. Pass the managing tenant's ID (8-4-4-4-12 hex digits).",
    );
    expect(errorOf(() => mergeConfigFlags({}, { partnerId: "abc" })).message).toMatch(/^command line: --partner-id: 'abc' is not a partner ID/);
  });
});
