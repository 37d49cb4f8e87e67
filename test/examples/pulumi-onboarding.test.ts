/**
 * examples/pulumi-onboarding: type-checks against the package's published types (`partnerlink/provider` through
 * package.json "exports" -> dist/provider/index.d.ts; needs `npm run build`), and runs under setMocks: one link,
 * two onboardings whose PEC authorization comes from the link, connections secret.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LIGHTHOUSE_ONBOARDING_TYPE, PARTNER_ADMIN_LINK_TYPE } from "../../provider/type-tokens";
import { runProgram, useMocks, type RegisteredResource } from "./program-under-mocks";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLE = path.join(ROOT, "examples/pulumi-onboarding");
const SECRETS = { pecClientSecret: "example-pec-secret-51f0", fabrikamDeployerSecret: "example-fab-secret-0c2e", northwindDeployerSecret: "example-nw-secret-9a7b" };

test("type-checks against the package types (tsc -p examples/pulumi-onboarding)", () => {
  const tsc = require.resolve("typescript/bin/tsc", { paths: [ROOT] });
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(EXAMPLE, "tsconfig.json"), "--listFiles"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const out = `${r.stdout}${r.stderr}`;
  // The program was checked against the built declarations, not against the sources.
  expect(out.split("\n").map((l) => l.trim())).toContain(path.join(ROOT, "dist/provider/index.d.ts"));
  expect(out.split("\n").filter((l) => /error TS\d+/.test(l))).toEqual([]);
  expect(r.status).toBe(0);
});

describe("under setMocks", () => {
  let resources: RegisteredResource[];
  beforeAll(async () => {
    useMocks();
    // `new pulumi.Config()` reads the project's namespace: the mocks' project name.
    const ns = pulumi.getProject();
    const plain = { partnerId: "1234567", partnerTenantId: "11111111-1111-4111-8111-111111111111", pecClientId: "1a000000-0000-4000-8000-0000000000a1" };
    pulumi.runtime.setAllConfig(
      Object.fromEntries(Object.entries({ ...plain, ...SECRETS }).map(([k, v]) => [`${ns}:${k}`, v])),
      Object.keys(SECRETS).map((k) => `${ns}:${k}`),
    );
    resources = await runProgram(path.join(EXAMPLE, "index.ts"));
  });

  test("one Partner Admin Link and two onboardings, by their type tokens", () => {
    expect(resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [`${LIGHTHOUSE_ONBOARDING_TYPE} fabrikam`, `${LIGHTHOUSE_ONBOARDING_TYPE} northwind`, `${PARTNER_ADMIN_LINK_TYPE} contoso-pal`].sort(),
    );
    const nw = resources.find((r) => r.name === "northwind")!;
    expect(nw.inputs.resourceGroups).toEqual(["rg-northwind-web", "rg-northwind-data"]);
  });

  test("the PEC authorization is the linked principal (the link's objectId output)", () => {
    for (const name of ["fabrikam", "northwind"]) {
      const r = resources.find((x) => x.name === name)!;
      expect(r.inputs.pecAuthorization.principalId).toBe("1a000000-0000-4000-8000-000000000001");
    }
  });

  test("every connection reaches the engine as a secret; no secret in plain inputs", () => {
    const SIG = "4dabf18193072939515e22adb298388d";
    const pal = resources.find((r) => r.type === PARTNER_ADMIN_LINK_TYPE)!;
    expect(pal.inputs.connection[SIG]).toBeDefined();
    for (const r of resources.filter((x) => x.type === LIGHTHOUSE_ONBOARDING_TYPE)) expect(r.inputs.customerConnection[SIG]).toBeDefined();
    const plain = JSON.stringify(resources.map((r) => ({ ...r.inputs, connection: undefined, customerConnection: undefined })));
    for (const s of Object.values(SECRETS)) expect(plain).not.toContain(s);
  });
});
