/**
 * `partnerlink template --customers` throughput: plan (schema + rules), render and schema-validate N customer
 * bundles in memory, then write them atomically into one folder; and the CDKTF LighthouseOnboarding synth of
 * N onboardings. Reports customers/s and peak RSS.
 *
 * Run: npx tsc -p . && npx node dist/bench/templates-batch.js [N]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { armGuid } from "../rules/identifiers";
import { customerFolderName, renderOnboarding, writeTreeAtomically, type FileTree } from "../templates";

const TENANT = "0b5f7a3e-2c1d-4e6f-9a8b-7c6d5e4f3a2b";
const PEC = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
const OPS = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

function customer(i: number) {
  return {
    customer: `Customer ${i}`,
    subscriptionId: armGuid("bench-sub", String(i)),
    managingTenantId: TENANT,
    pecPrincipalId: PEC,
    authorizations: [{ principalId: OPS, roleDefinitionId: "acdd72a7-3385-48ef-bd42-f606fba81ae7" }],
    ...(i % 3 === 1 ? { resourceGroups: ["rg-app"] } : i % 3 === 2 ? { resourceGroups: ["rg-a", "rg-b", "rg-c"] } : {}),
    ...(i % 5 === 0 ? { agreement: "EA" as const, partnerId: "5127255" } : {}),
  };
}

function main(): void {
  const n = Number(process.argv[2] ?? 1000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pl-bench-templates-"));
  try {
    let t0 = process.hrtime.bigint();
    const tree: FileTree = {};
    for (let i = 0; i < n; i++) {
      const b = renderOnboarding(customer(i), "bench", `$[${i}]`);
      const folder = customerFolderName(b.plan.customer);
      for (const [f, c] of Object.entries(b.files)) tree[`${folder}/${f}`] = c;
    }
    const renderMs = Number(process.hrtime.bigint() - t0) / 1e6;
    t0 = process.hrtime.bigint();
    writeTreeAtomically(path.join(tmp, "out"), tree);
    const writeMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const bytes = Object.values(tree).reduce((s, c) => s + Buffer.byteLength(c), 0);
    console.log(
      `template: ${n} customers rendered+validated in ${renderMs.toFixed(0)} ms (${Math.round((n / renderMs) * 1000)}/s), ` +
        `written atomically in ${writeMs.toFixed(0)} ms (${Object.keys(tree).length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB)`,
    );

    // CDKTF: loaded only here (optional peer dependency).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { App, TerraformStack } = require("cdktf") as typeof import("cdktf");
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { AzurermProvider } = require("@cdktf/provider-azurerm/lib/provider") as typeof import("@cdktf/provider-azurerm/lib/provider");
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { LighthouseOnboarding } = require("../cdktf") as typeof import("../cdktf");
    t0 = process.hrtime.bigint();
    const app = new App({ outdir: path.join(tmp, "cdktf.out") });
    const stack = new TerraformStack(app, "bench");
    new AzurermProvider(stack, "azurerm", { features: [{}] });
    for (let i = 0; i < n; i++) {
      const c = customer(i);
      new LighthouseOnboarding(stack, `c${i}`, {
        offerName: `${c.customer} managed services`,
        subscriptionId: c.subscriptionId,
        managingTenantId: c.managingTenantId,
        pecPrincipalId: c.pecPrincipalId,
        authorizations: c.authorizations,
        ...("resourceGroups" in c ? { resourceGroups: c.resourceGroups } : {}),
      });
    }
    app.synth();
    const synthMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const size = fs.statSync(path.join(tmp, "cdktf.out", "stacks", "bench", "cdk.tf.json")).size;
    console.log(`cdktf: ${n} LighthouseOnboarding constructs built+synthesized in ${synthMs.toFixed(0)} ms (cdk.tf.json ${(size / 1024 / 1024).toFixed(1)} MB)`);
    console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
