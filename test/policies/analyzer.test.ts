/**
 * The pack as the Pulumi CLI runs it: `policies/` started by @pulumi/pulumi's own `cmd/run-policy-pack` (what the
 * Node.js language host starts for `pulumi preview --policy-pack policies`), spoken to over the Analyzer gRPC
 * protocol with the CLI's own protobuf messages. Needs the compiled pack: `npm run build` (npm test does it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../../rules/metadata";
import { azureNativeDefinition } from "./fixtures";
import { OTHER, PEC, ROLES, SUB, SUB2, UNKNOWN } from "./util";

/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb.js");
const pb = require("@pulumi/pulumi/proto/analyzer_pb.js");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb.js");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb.js");
/* eslint-enable @typescript-eslint/no-require-imports */

const root = join(__dirname, "..", "..");
const packDir = join(root, "policies");

interface Diag {
  policyName: string;
  message: string;
  enforcementLevel: number;
  urn: string;
}

const ADVISORY = pb.EnforcementLevel.ADVISORY;
const MANDATORY = pb.EnforcementLevel.MANDATORY;

let child: ChildProcess | undefined;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let client: any;
let stderr = "";

function call<T>(method: string, req: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    client[method](req, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))),
  );
}

interface PbDiag {
  getPolicyname(): string;
  getMessage(): string;
  getEnforcementlevel(): number;
  getUrn(): string;
}

function diagsOf(res: { getDiagnosticsList(): PbDiag[] }): Diag[] {
  return res.getDiagnosticsList().map((d) => ({
    policyName: d.getPolicyname(),
    message: d.getMessage(),
    enforcementLevel: d.getEnforcementlevel(),
    urn: d.getUrn(),
  }));
}

async function analyze(type: string, name: string, props: Record<string, unknown>): Promise<Diag[]> {
  const req = new pb.AnalyzeRequest();
  req.setType(type);
  req.setName(name);
  req.setUrn(`urn:pulumi:dev::p::${type}::${name}`);
  req.setProperties(Struct.fromJavaScript(props));
  req.setOptions(new pb.AnalyzerResourceOptions());
  return diagsOf(await call("analyze", req));
}

async function configure(cfg: Record<string, { level?: number; props?: Record<string, unknown> }>): Promise<void> {
  const req = new pb.ConfigureAnalyzerRequest();
  const map = req.getPolicyconfigMap();
  for (const [policy, c] of Object.entries(cfg)) {
    const pc = new pb.PolicyConfig();
    pc.setEnforcementlevel(c.level ?? MANDATORY);
    pc.setProperties(Struct.fromJavaScript(c.props ?? {}));
    map.set(policy, pc);
  }
  await call("configure", req);
}

beforeAll(async () => {
  const entry = join(root, "dist", "policies", "index.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
  child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`the policy pack did not start: ${stderr}`)), 30000);
    child!.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child!.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the policy pack exited (${code}): ${stderr}`));
    });
  });
  client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(() => {
  client?.close();
  if (child && child.exitCode === null) child.kill();
});

describe("the policy pack under @pulumi/pulumi's run-policy-pack", () => {
  it("lists the fourteen policies with their default enforcement, the version from policies/package.json", async () => {
    const info = (await call<{ toObject(): Record<string, unknown> }>("getAnalyzerInfo", new Empty())).toObject() as {
      name: string;
      version: string;
      supportsconfig: boolean;
      policiesList: { name: string; enforcementlevel: number; remediationSteps: string; url: string }[];
    };
    expect(info.name).toBe("partnerlink");
    expect(info.version).toBe("0.1.0");
    expect(info.supportsconfig).toBe(true);
    expect(info.policiesList).toHaveLength(14);
    const level = Object.fromEntries(info.policiesList.map((p) => [p.name, p.enforcementlevel]));
    expect(level["pec-principal-missing"]).toBe(MANDATORY);
    expect(level["value-unresolved"]).toBe(ADVISORY);
    // Each policy carries its rule's fix and reference, where Pulumi looks for a policy's remediation.
    const pl003 = info.policiesList.find((p) => p.name === "pec-role-not-eligible")!;
    expect(pl003.remediationSteps).toMatch(/^Give the PEC principal a PEC-eligible role/);
    expect(pl003.url).toBe("https://learn.microsoft.com/partner-center/billing/azure-roles-perms-pec");
  });

  it("unconfigured: an Owner authorization is a mandatory violation; a preview unknown is only advisory", async () => {
    const owner = azureNativeDefinition.props({
      auths: [
        { principalId: PEC, roleDefinitionId: ROLES.contributor },
        { principalId: OTHER, roleDefinitionId: ROLES.owner },
      ],
    });
    const d1 = await analyze(azureNativeDefinition.type, "offer", owner);
    expect(d1.map((d) => [d.policyName, d.enforcementLevel])).toEqual([["role-not-supported-by-lighthouse", MANDATORY]]);

    const unknown = azureNativeDefinition.props({ auths: [{ principalId: UNKNOWN, roleDefinitionId: ROLES.contributor }] });
    const d2 = await analyze(azureNativeDefinition.type, "offer", unknown);
    expect(d2.length).toBeGreaterThan(0);
    for (const d of d2) {
      expect(d.policyName).toBe("value-unresolved");
      expect(d.enforcementLevel).toBe(ADVISORY);
      expect(d.message).toMatch(/cannot be checked until apply/);
      expect(d.message).not.toMatch(/can't run policy/);
    }
  });

  it("--policy-pack-config: config reaches the policies and overrides enforcement", async () => {
    await configure({
      "pec-principal-missing": { props: { pecPrincipals: [PEC] } },
      "role-not-supported-by-lighthouse": { level: ADVISORY },
    });
    const props = azureNativeDefinition.props({
      auths: [
        { principalId: OTHER, roleDefinitionId: ROLES.contributor },
        { principalId: OTHER, roleDefinitionId: ROLES.owner },
      ],
    });
    const diags = await analyze(azureNativeDefinition.type, "offer", props);
    const by = Object.fromEntries(diags.map((d) => [d.policyName, d.enforcementLevel]));
    expect(by).toEqual({ "pec-principal-missing": MANDATORY, "role-not-supported-by-lighthouse": ADVISORY });
  });

  it("a config the schema rejects is reported as that policy's violation, not a crash", async () => {
    await configure({ "pec-principal-missing": { props: { pecPrincipals: ["not-a-guid"] } } });
    const diags = await analyze(azureNativeDefinition.type, "offer", azureNativeDefinition.props({}));
    expect(diags.map((d) => d.message)).toEqual([expect.stringMatching(/\$\.pecPrincipals\[0\]: must be a GUID/)]);
  });

  it("AnalyzeStack: a subscription no delegation covers is reported on it", async () => {
    await configure({ "subscription-not-associated": { props: { pecPrincipals: [PEC], palLinkedPrincipals: [PEC] } } });
    const res = (type: string, name: string, props: Record<string, unknown>) => {
      const r = new pb.AnalyzerResource();
      r.setType(type);
      r.setName(name);
      r.setUrn(`urn:pulumi:dev::p::${type}::${name}`);
      r.setProperties(Struct.fromJavaScript(props));
      r.setOptions(new pb.AnalyzerResourceOptions());
      return r;
    };
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList([
      res("azure-native:subscription:Alias", "customer", { properties: { subscriptionId: SUB } }),
      res(azureNativeDefinition.type, "offer", azureNativeDefinition.props({ subscriptionId: SUB2 })),
    ]);
    const diags = diagsOf(await call("analyzeStack", req));
    expect(diags.map((d) => [d.policyName, d.urn])).toEqual([
      ["subscription-not-associated", "urn:pulumi:dev::p::azure-native:subscription:Alias::customer"],
    ]);
  });
});

describe("importing the policies without the pack", () => {
  it("does not start the analyzer: a process that requires dist/policies/policies.js exits by itself and prints no port", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
    const modulePath = join(root, "dist", "policies", "policies.js");
    const r = spawnSync(process.execPath, ["-e", `const p = require(${JSON.stringify(modulePath)}); console.error(p.policies.length)`], {
      encoding: "utf8",
      timeout: 30000,
    });
    expect(r.error).toBeUndefined();
    expect([r.status, r.stdout, r.stderr.trim()]).toEqual([0, "", String(RULES.length)]);
  });
});
