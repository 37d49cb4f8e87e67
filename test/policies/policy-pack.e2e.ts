/**
 * The pack under the real Pulumi CLI: `pulumi preview --policy-pack policies` on a small program whose resources
 * carry partnerlink's LighthouseOnboarding type token, offline (file backend). Needs the CLI
 * (scripts/ensure-pulumi-cli.sh) and the compiled pack (`npm run build`). Run:
 *
 *   npx tsc -p . ; npx jest -c jest.e2e.config.js --roots '<rootDir>/test/policies'
 */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PulumiSession, type PulumiRun } from "../e2e/harness/pulumi-session";
import { PEC, ROLES } from "./util";

const REPO = path.join(__dirname, "..", "..");
const PACK = path.join(REPO, "policies");

let session: PulumiSession;
let prog: string;

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
// A provider that is never called at preview: the policies judge the inputs.
const provider = { async create(inputs) { return { id: "id", outs: inputs }; } };
const other = new pulumi.dynamic.Resource(provider, "other", { value: "x" }, {});
const principal = process.env.UNKNOWN_PRINCIPAL ? other.id.apply((id) => id) : "22222222-2222-4222-8222-222222222222";
new pulumi.dynamic.Resource(provider, "contoso", {
  managingTenantId: "99999999-9999-4999-8999-999999999999",
  customerTenantId: "77777777-7777-4777-8777-777777777777",
  subscriptionId: "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
  resourceGroups: [],
  offerName: "Contoso managed services",
  authorizations: [{ principalId: principal, roleDefinitionId: "${ROLES.reader}" }],
  eligibleAuthorizations: [],
  pecAuthorization: { principalId: "${PEC}", principalDisplayName: "PEC", roleDefinitionId: process.env.PEC_ROLE },
}, {}, "partnerlink", "LighthouseOnboarding");
`;

function preview(env: Record<string, string>, extra: string[] = []): Promise<PulumiRun> {
  return session.run(["preview", "--policy-pack", PACK, ...extra], { cwd: prog, allowFailure: true, env });
}

const out = (r: PulumiRun): string => `exit ${r.code}\n${r.stdout}${r.stderr}`;

beforeAll(async () => {
  session = await PulumiSession.create();
  prog = path.join(session.dir, "prog");
  mkdirSync(prog);
  symlinkSync(path.join(REPO, "node_modules"), path.join(prog, "node_modules"));
  writeFileSync(path.join(prog, "Pulumi.yaml"), "name: plpack\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n");
  writeFileSync(path.join(prog, "package.json"), JSON.stringify({ name: "plpack", version: "0.0.1", main: "index.js" }));
  writeFileSync(path.join(prog, "index.js"), PROGRAM);
  writeFileSync(
    path.join(session.dir, "linked.yaml"),
    `pecPrincipals: [${PEC}]\npalLinkedPrincipals: [${PEC}]\n`,
  );
  await session.run(["stack", "init", "dev"], { cwd: prog });
});

afterAll(() => session?.dispose());

describe("pulumi preview --policy-pack policies", () => {
  it("fails on what loses PEC: the PEC principal with Reader (PL003) and not PAL-linked (PL008)", async () => {
    const r = await preview({ PEC_ROLE: ROLES.reader });
    expect(out(r)).toMatch(/^exit [1-9]/);
    expect(r.stdout).toMatch(/\[mandatory\].*pec-role-not-eligible/);
    expect(r.stdout).toMatch(/PL003 Delegation 'contoso' \(\$\.pecAuthorization\.roleDefinitionId\)/);
    expect(r.stdout).toMatch(/\[mandatory\].*pal-link-missing/);
  });

  it("passes a compliant stack configured through PARTNERLINK_CONFIG", async () => {
    const r = await preview({ PEC_ROLE: ROLES.contributor, PARTNERLINK_CONFIG: path.join(session.dir, "linked.yaml") });
    expect(out(r)).toMatch(/^exit 0\n/);
    expect(r.stdout).not.toMatch(/\[mandatory\]/);
  });

  it("a value unknown until apply is an advisory 'cannot be checked until apply', never a failure", async () => {
    const r = await preview({
      PEC_ROLE: ROLES.contributor,
      UNKNOWN_PRINCIPAL: "1",
      PARTNERLINK_CONFIG: path.join(session.dir, "linked.yaml"),
    });
    expect(out(r)).toMatch(/^exit 0\n/);
    expect(r.stdout).toMatch(/\[advisory\].*value-unresolved/);
    expect(r.stdout).toMatch(/\$\.authorizations\[0\]\.principalId.*cannot be checked until apply/);
  });

  it("--policy-pack-config overrides the enforcement level and carries config", async () => {
    const cfg = path.join(session.dir, "policy-config.json");
    writeFileSync(
      cfg,
      JSON.stringify({
        "pec-role-not-eligible": { enforcementLevel: "advisory" },
        "pal-link-missing": { palLinkedPrincipals: [PEC] },
      }),
    );
    const r = await preview({ PEC_ROLE: ROLES.reader }, ["--policy-pack-config", cfg]);
    expect(out(r)).toMatch(/^exit 0\n/);
    expect(r.stdout).toMatch(/\[advisory\].*pec-role-not-eligible/);
    expect(r.stdout).not.toMatch(/pal-link-missing/);
  });
});
