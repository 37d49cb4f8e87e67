/**
 * `pulumi policy analyze --policy-pack policies --file <state>`: the pack on an exported stack state, without running a
 * program or calling any provider (Pulumi CLI 3.229+). The state holds azure-native Lighthouse resources, whose
 * provider plugin is not installed here: only the engine and the pack run. Run with `npm run test:e2e`.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { PulumiSession, type PulumiRun } from "../e2e/harness/pulumi-session";
import { AZURE_NATIVE_TYPES } from "../../policies/adapters";
import { OTHER, PEC, ROLES, SUB, TENANT } from "./util";

const PACK = path.join(__dirname, "..", "..", "policies");
let session: PulumiSession;

beforeAll(async () => {
  session = await PulumiSession.create();
});
afterAll(() => session?.dispose());

const STACK = "urn:pulumi:prod::onboarding";
const urn = (type: string, name: string) => `${STACK}::${type}::${name}`;

/** A `pulumi stack export` (deployment v3) with one azure-native definition + assignment. */
function stateWith(authorizations: unknown[], eligibleAuthorizations: unknown[]): unknown {
  const defId = "9c35d57d-a6de-5523-ae50-c7693d2698ec";
  const definition = {
    scope: `/subscriptions/${SUB}`,
    registrationDefinitionId: defId,
    properties: { registrationDefinitionName: "Contoso managed services", managedByTenantId: TENANT, authorizations, eligibleAuthorizations },
  };
  const resource = (type: string, name: string, inputs: unknown) => ({
    urn: urn(type, name),
    custom: true,
    id: `${name}-id`,
    type,
    inputs,
    outputs: inputs,
    parent: urn("pulumi:pulumi:Stack", "onboarding-prod"),
    provider: `${STACK}::pulumi:providers:azure-native::default::provider-id`,
  });
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-11-21T00:00:00Z", magic: "", version: "v3.259.0" },
      resources: [
        { urn: urn("pulumi:pulumi:Stack", "onboarding-prod"), custom: false, type: "pulumi:pulumi:Stack" },
        { urn: `${STACK}::pulumi:providers:azure-native::default`, custom: true, id: "provider-id", type: "pulumi:providers:azure-native", inputs: {}, outputs: {} },
        resource(AZURE_NATIVE_TYPES.registrationDefinition, "contoso", definition),
        resource(AZURE_NATIVE_TYPES.registrationAssignment, "contoso-assignment", {
          scope: `/subscriptions/${SUB}`,
          registrationAssignmentId: "5c9bb77c-2bbc-58af-8c79-68536773ba7c",
          properties: { registrationDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${defId}` },
        }),
      ],
    },
  };
}

async function analyze(name: string, state: unknown): Promise<PulumiRun> {
  const file = path.join(session.dir, `${name}.state.json`);
  writeFileSync(file, JSON.stringify(state, null, 2));
  const config = path.join(session.dir, "partnerlink.config.json");
  writeFileSync(config, JSON.stringify({ pecPrincipals: [PEC], palLinkedPrincipals: [PEC] }));
  return session.run(["policy", "analyze", "--policy-pack", PACK, "--file", file], {
    cwd: session.dir,
    allowFailure: true,
    env: { PARTNERLINK_CONFIG: config },
  });
}

test("a state whose PEC principal is only just-in-time fails with PL002, without the azure-native plugin", async () => {
  const r = await analyze("jit", stateWith(
    [{ principalId: OTHER, roleDefinitionId: ROLES.reader }],
    [{ principalId: PEC, roleDefinitionId: ROLES.contributor, justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT8H" } }],
  ));
  const text = `${r.stdout}${r.stderr}`;
  expect(r.code).not.toBe(0);
  expect(text).toMatch(/\[mandatory\][^\n]*pec-principal-jit-only/);
  expect(text).toContain("PL002 Delegation 'contoso'");
});

test("a state whose PEC principal holds Contributor permanently passes", async () => {
  const r = await analyze("good", stateWith([{ principalId: PEC, roleDefinitionId: ROLES.contributor }], []));
  expect(`exit ${r.code}\n${r.stdout}${r.stderr}`).toMatch(/^exit 0\n/);
});
