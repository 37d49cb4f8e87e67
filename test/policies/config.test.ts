import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { POLICY_CONFIG_SCHEMA, resolvePolicyConfig } from "../../policies/config";
import configSchema from "../../rules/config.schema.json";
import { azureNativeDefinition } from "./fixtures";
import {
  OTHER,
  PEC,
  ROLES,
  assertHasResourceViolation,
  assertNoResourceViolations,
  createResourceValidationArgs,
  policy,
  runResourcePolicy,
} from "./util";

const dir = mkdtempSync(join(tmpdir(), "pl-policy-config-"));
const missingPec = azureNativeDefinition.props({ auths: [{ principalId: OTHER, roleDefinitionId: ROLES.contributor }] });
const args = (config: unknown) =>
  createResourceValidationArgs(azureNativeDefinition.type, missingPec, { name: "contoso", config });

describe("policy config", () => {
  it("the configSchema offers every partnerlink config key, with $refs inlined, plus configFile", () => {
    const keys = Object.keys(configSchema.properties).filter((k) => k !== "$schema");
    expect(Object.keys(POLICY_CONFIG_SCHEMA.properties).sort()).toEqual([...keys, "configFile"].sort());
    expect(JSON.stringify(POLICY_CONFIG_SCHEMA)).not.toContain("$ref");
    expect(POLICY_CONFIG_SCHEMA.properties.pecPrincipals).toMatchObject({ type: "array", items: { type: "string", pattern: expect.any(String) } });
  });

  it("defaults apply when the engine did not configure the pack (getConfig() returns {})", () => {
    expect(resolvePolicyConfig({}, "pec-principal-missing")).toEqual({ ok: true, config: {} });
  });

  it("inline keys drive the rule", async () => {
    await assertHasResourceViolation(policy("pec-principal-missing"), args({ pecPrincipals: [PEC] }), /^PL001 /);
  });

  it("configFile is read (YAML), relative to the pack directory, and inline keys override it", async () => {
    writeFileSync(join(dir, "partnerlink.config.yaml"), `pecPrincipals: [${PEC}]\n`);
    const r = resolvePolicyConfig({ configFile: "partnerlink.config.yaml", partnerId: "1234567" }, "p", dir);
    expect(r).toEqual({ ok: true, config: { pecPrincipals: [PEC], partnerId: "1234567" } });
    await assertHasResourceViolation(policy("pec-principal-missing"), args({ configFile: join(dir, "partnerlink.config.yaml") }), /^PL001 /);
    await assertNoResourceViolations(
      policy("pec-principal-missing"),
      args({ configFile: join(dir, "partnerlink.config.yaml"), pecPrincipals: [OTHER] }),
    );
  });

  it("PARTNERLINK_CONFIG names one file for every policy without configFile; configFile wins", () => {
    const all = join(dir, "all.json");
    writeFileSync(all, JSON.stringify({ pecPrincipals: [PEC] }));
    writeFileSync(join(dir, "own.yaml"), `pecPrincipals: [${OTHER}]\n`);
    expect(resolvePolicyConfig({}, "pal-link-missing", dir, all)).toEqual({ ok: true, config: { pecPrincipals: [PEC] } });
    expect(resolvePolicyConfig({ configFile: "own.yaml" }, "pal-link-missing", dir, all)).toEqual({ ok: true, config: { pecPrincipals: [OTHER] } });
    expect(resolvePolicyConfig({}, "pal-link-missing", dir, join(dir, "absent.json"))).toEqual({
      ok: false,
      message: expect.stringMatching(/PARTNERLINK_CONFIG: .*absent\.json: file not found/),
    });
  });

  it("a config file the pack cannot find names where its path came from and the fix, not the CLI's --config", () => {
    const fromKey = resolvePolicyConfig({ configFile: "nope.yaml" }, "pec-principal-missing", dir);
    expect(fromKey).toEqual({
      ok: false,
      message: `policy pack config for 'pec-principal-missing': $.configFile: ${join(dir, "nope.yaml")}: file not found. Relative paths are relative to the policy pack directory (${dir}), not to the project: give an absolute path.`,
    });
    const fromEnv = resolvePolicyConfig({}, "pal-link-missing", dir, "partnerlink.config.json");
    expect(fromEnv.ok ? "" : fromEnv.message).toBe(
      `policy pack config for 'pal-link-missing': PARTNERLINK_CONFIG: ${join(dir, "partnerlink.config.json")}: file not found. Relative paths are relative to the policy pack directory (${dir}), not to the project: give an absolute path.`,
    );
    expect(fromEnv.ok ? "" : fromEnv.message).not.toContain("--config");
  });

  it("an invalid value is one violation naming the policy, the JSON path and the fix", async () => {
    const run = await runResourcePolicy(policy("pec-principal-missing"), args({ pecPrincipals: ["not-a-guid"] }));
    expect(run.violations).toHaveLength(1);
    expect(run.violations[0].message).toMatch(/^policy pack config for 'pec-principal-missing': \$\.pecPrincipals\[0\]: must be a GUID/);
    expect(run.violations[0].message).not.toContain("\n");
  });

  it("an unknown key, a missing configFile and a non-object are reported, never thrown", async () => {
    expect(resolvePolicyConfig({ pecPrincipal: [PEC] }, "x")).toEqual({ ok: false, message: expect.stringMatching(/\$\.pecPrincipal: unknown key/) });
    expect(resolvePolicyConfig({ configFile: join(dir, "nope.yaml") }, "x")).toEqual({
      ok: false,
      message: expect.stringMatching(/\$\.configFile: .*nope\.yaml: file not found/),
    });
    expect(resolvePolicyConfig("mandatory", "x")).toEqual({ ok: false, message: expect.stringMatching(/must be an object/) });
    writeFileSync(join(dir, "bad.json"), "{ not json");
    const r = resolvePolicyConfig({ configFile: join(dir, "bad.json") }, "x");
    expect(r.ok).toBe(false);
  });

  it("a waiver suppresses the violation and the waived finding is written out, not dropped", async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      await assertNoResourceViolations(
        policy("pec-principal-missing"),
        args({ pecPrincipals: [PEC], waivers: [{ rule: "PL001", resource: "contoso", reason: "migration ticket 42" }] }),
      );
    } finally {
      spy.mockRestore();
    }
    expect(lines.join("")).toMatch(/PL001 waived on 'contoso': migration ticket 42/);
  });

  it("an expired waiver stops applying", async () => {
    await assertHasResourceViolation(
      policy("pec-principal-missing"),
      args({ pecPrincipals: [PEC], waivers: [{ rule: "PL001", resource: "*", reason: "old", expires: "2001-01-01" }] }),
      /^PL001 /,
    );
  });

  it("severity off disables the rule", async () => {
    await assertNoResourceViolations(
      policy("pec-principal-missing"),
      args({ pecPrincipals: [PEC], rules: { "pec-principal-missing": { severity: "off" } } }),
    );
  });
});
