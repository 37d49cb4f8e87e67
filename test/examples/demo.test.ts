/**
 * The demo (examples/demo.ts, `npm run demo`): its main function runs end to end against the emulator, and the
 * summary it returns says what the emulator really holds. With a Pulumi CLI on PATH or in .cache the onboarding
 * runs `pulumi up` of the root stack; without one, the providers' create() (the case asserted on most machines).
 */
import * as net from "node:net";
import * as fs from "node:fs";
import { findPulumiCli, formatSummary, repoRoot, runDemo, type DemoSummary } from "../../examples/demo";
import type { RunningEmulator } from "../../emulator";

// The providers' create() path always; the root stack under the real Pulumi CLI when one is present.
const PATHS: ("provider" | "pulumi")[] = findPulumiCli(repoRoot()) ? ["provider", "pulumi"] : ["provider"];

describe.each(PATHS)("onboarding through %s", (route) => {
  const lower = (s: string) => s.toLowerCase();
  let summary: DemoSummary;
  let seen: {
    links: ReturnType<RunningEmulator["state"]["listLinks"]>;
    definitions: ReturnType<RunningEmulator["state"]["listDefinitions"]>;
    assignments: ReturnType<RunningEmulator["state"]["listAssignments"]>;
    port: number;
    workDir: string;
    workDirExisted: boolean;
  };
  const logs: string[] = [];

  beforeAll(async () => {
    summary = await runDemo({
      pulumi: route === "pulumi" ? "auto" : "never",
      log: (l) => logs.push(l),
      beforeStop: (emu, workDir) => {
        seen = {
          links: emu.state.listLinks(),
          definitions: emu.state.listDefinitions(),
          assignments: emu.state.listAssignments(),
          port: emu.port,
          workDir,
          workDirExisted: fs.existsSync(workDir),
        };
      },
    });
  }, 300_000);

  test("the onboarding took the expected path, and said so in one line when it was not Pulumi", () => {
    expect(summary.onboardingPath).toBe(route);
    expect(logs.filter((l) => /Pulumi CLI/.test(l))).toHaveLength(route === "provider" ? 1 : 0);
  });

  test("the link in the summary is the emulator's active Partner Admin Link", () => {
    const active = seen.links.filter((l) => l.state === "Active");
    expect(active).toHaveLength(1);
    expect(summary.link).toEqual({ partnerId: active[0].partnerId, objectId: active[0].objectId, state: "Active" });
    expect(summary.audit.links).toEqual([expect.objectContaining({ partnerId: active[0].partnerId, objectId: active[0].objectId })]);
  });

  test("every onboarded customer's definition and assignments exist in the emulator, and nothing else", () => {
    expect(summary.onboarded.map((o) => o.customer).sort()).toEqual(["fabrikam", "northwind"]);
    expect(seen.definitions.map((d) => lower(d.id)).sort()).toEqual(summary.onboarded.map((o) => lower(o.definitionId)).sort());
    expect(seen.assignments.map((a) => lower(a.id)).sort()).toEqual(summary.onboarded.flatMap((o) => o.assignmentIds.map(lower)).sort());
    const northwind = summary.onboarded.find((o) => o.customer === "northwind")!;
    expect(northwind.assignmentIds.map((a) => /resourceGroups\/([^/]+)/i.exec(a)?.[1]).sort()).toEqual(["rg-northwind-data", "rg-northwind-web"]);
    for (const d of seen.definitions) {
      const auths = d.properties.authorizations as { principalId: string; roleDefinitionId: string }[];
      expect(auths[0]).toMatchObject({ principalId: summary.link.objectId, roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c" });
    }
  });

  test("the self-service customer gets a template package and no delegation yet; the audit credits its DPOR", () => {
    const files = ["CUSTOMER-GUIDE.md", "onboarding.json", "onboarding.parameters.json", "partnerlink.config.json"];
    expect(summary.templates).toEqual([{ customer: "tailspin", files }]);
    expect(summary.stackTemplates).toEqual([{ customer: "tailspin", files }]); // the stack (or its direct path) wrote it too
    expect(seen.assignments.some((a) => a.subscriptionId.startsWith("4d5b"))).toBe(false);
    expect(summary.audit.subscriptions).toBe(3);
    expect(summary.audit.associated).toEqual(["fabrikam", "northwind", "tailspin (DPOR)"]);
    expect(summary.audit.notAssociated).toEqual([]);
  });

  test("the checker passes the good examples and flags every broken one with its rule", () => {
    expect(summary.checks.passed).toHaveLength(3);
    expect(summary.checks.flagged.map((f) => f.expected)).toEqual(["PL001", "PL002", "PL003", "PL004", "PL005", "PL006", "PL008", "PL009"]);
    for (const f of summary.checks.flagged) expect(f.ruleIds).toContain(f.expected);
  });

  test("the printed summary says what was linked, onboarded and flagged", () => {
    const text = formatSummary(summary);
    expect(text).toContain(`Linked      ${summary.link.objectId} -> partner ID ${summary.link.partnerId} (Active)`);
    expect(text).toMatch(/Onboarded {3}northwind: definition [0-9a-f-]{36} assigned to resource group rg-northwind-web, resource group rg-northwind-data/);
    expect(text).toContain("8 broken examples flagged: PL001 PL002 PL003 PL004 PL005 PL006 PL008 PL009");
    expect(text.split("\n").length).toBeLessThan(16);
  });

  test("it cleans up: the temp dir is gone and the emulator no longer listens", async () => {
    expect(seen.workDirExisted).toBe(true);
    expect(fs.existsSync(seen.workDir)).toBe(false);
    const refused = await new Promise<boolean>((resolve) => {
      const sock = net.connect(seen.port, "127.0.0.1");
      sock.once("connect", () => (sock.destroy(), resolve(false)));
      sock.once("error", () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
