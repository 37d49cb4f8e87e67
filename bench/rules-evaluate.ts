/**
 * Rules engine throughput: evaluate() over a generated estate of N delegations (each a definition with 3
 * permanent + 1 eligible authorization and one assignment, in its own subscription), plus one PartnerLink and
 * the N subscriptions. Target: > 100,000 resources/s, counting definitions, assignments, links and subscriptions.
 *
 * Run: npx tsc -p . && npx node dist/bench/rules-evaluate.js [N]
 */
import { armGuid } from "../rules/identifiers";
import { evaluate } from "../rules/engine";
import type { Estate } from "../rules/model";

const PEC = "11111111-1111-4111-8111-111111111111";
const TENANT = "44444444-4444-4444-8444-444444444444";
const ROLES = ["b24988ac-6180-42a0-ab88-20f7382dd24c", "acdd72a7-3385-48ef-bd42-f606fba81ae7", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "91c1777a-f3dc-4fae-b103-61d183457e46"];

/** `dirty`: every delegation breaks some rule (Reader-only PEC, Owner, PT12H...); clean: none does. */
export function generateEstate(n: number, dirty = true): Estate {
  const e: Estate = { delegations: [], partnerLinks: [{ name: "pal", source: {}, partnerId: "1234567", objectId: PEC }], subscriptions: [] };
  for (let i = 0; i < n; i++) {
    const sub = armGuid("sub", String(i));
    const group = armGuid("group", String(i % 50));
    e.delegations.push({
      name: `offer-${i}`,
      source: { file: "estate.json", path: `$.resources[${i}]` },
      managedByTenantId: TENANT,
      definitionScope: `/subscriptions/${sub}`,
      assignments: [{ scope: `/subscriptions/${sub}`, source: {} }],
      authorizations: [
        { principalId: dirty && i % 10 === 0 ? group : PEC, roleDefinitionId: ROLES[dirty ? i % 2 : 0], source: {} },
        { principalId: group, roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${ROLES[dirty && i % 4 === 2 ? 2 : 1]}`, source: {} },
        { principalId: group, roleDefinitionId: ROLES[3], source: {} },
      ],
      eligibleAuthorizations: [
        {
          principalId: group,
          roleDefinitionId: ROLES[0],
          source: {},
          justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure", maximumActivationDuration: dirty && i % 7 === 0 ? "PT12H" : "PT8H", managedByTenantApprovers: [], source: {} },
        },
      ],
    });
    e.subscriptions.push({ name: `sub-${i}`, source: {}, subscriptionId: sub, agreement: "MCA" });
  }
  return e;
}

function measure(n: number, dirty: boolean): void {
  const e = generateEstate(n, dirty);
  const resources = n * 2 + e.partnerLinks.length + e.subscriptions.length;
  const config = { pecPrincipals: [PEC], partnerId: "1234567", allowedManagingTenants: [TENANT] };
  evaluate(e, config); // warm-up
  const runs = 5;
  const times: number[] = [];
  const cpu: number[] = [];
  let findings = 0;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    findings = evaluate(e, config).findings.length;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const median = times[Math.floor(runs / 2)];
  const cpuMedian = cpu[Math.floor(runs / 2)];
  const heapMb = process.memoryUsage().heapUsed / 1048576;
  console.log(
    `rules-evaluate (${dirty ? "every delegation with findings" : "clean estate"}): ${n} delegations, ${resources} resources, ${findings} findings; median ${median.toFixed(1)} ms ` +
      `(min ${times[0].toFixed(1)}) => ${Math.round(resources / (median / 1000)).toLocaleString("en-US")} resources/s, ` +
      `${Math.round(n / (median / 1000)).toLocaleString("en-US")} delegations/s; CPU time median ${cpuMedian.toFixed(1)} ms ` +
      `(${Math.round(resources / (cpuMedian / 1000)).toLocaleString("en-US")} resources per CPU-second; includes GC threads); heap ${heapMb.toFixed(0)} MB`,
  );
}

if (require.main === module) {
  const n = Number(process.argv[2] ?? 10000);
  measure(n, false);
  measure(n, true);
}
