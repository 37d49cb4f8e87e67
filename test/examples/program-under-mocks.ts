/**
 * Runs example Pulumi programs under `pulumi.runtime.setMocks` and records what each registers. The mocks answer
 * like Azure would for the few outputs the examples read (ARM IDs of registration definitions, the PAL link's
 * object ID). Each program is required once (module cache) and awaited until all of its `new ...(` resources
 * are registered, so one test file can run several programs in turn.
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";

export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

const registered: RegisteredResource[] = [];
let mocksSet = false;

/** Azure-like outputs per type token (what a mock engine returns after create). */
function outputsOf(type: string, name: string, inputs: Record<string, any>): { id: string; state: Record<string, unknown> } {
  const state: Record<string, unknown> = { ...inputs };
  if (type === "azure-native:managedservices:RegistrationDefinition") {
    const id = `${String(inputs.scope)}/providers/Microsoft.ManagedServices/registrationDefinitions/${String(inputs.registrationDefinitionId)}`;
    return { id, state };
  }
  if (type === "azure-native:managedservices:RegistrationAssignment") {
    return { id: `${String(inputs.scope)}/providers/Microsoft.ManagedServices/registrationAssignments/${String(inputs.registrationAssignmentId)}`, state };
  }
  if (type.endsWith(":PartnerAdminLink")) {
    Object.assign(state, { objectId: "1a000000-0000-4000-8000-000000000001", tenantId: "11111111-1111-4111-8111-111111111111", state: "Active", partnerName: "Contoso Managed Services" });
  }
  if (type.endsWith(":LighthouseOnboarding")) {
    const sub = String(inputs.subscriptionId);
    const def = `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${name}`;
    const rgs: string[] = inputs.resourceGroups?.length ? inputs.resourceGroups : [""];
    Object.assign(state, {
      definitionId: def,
      assignmentIds: rgs.map((rg) => `/subscriptions/${sub}${rg ? `/resourceGroups/${rg}` : ""}/providers/Microsoft.ManagedServices/registrationAssignments/${name}`),
      provisioningState: "Succeeded",
      manageeTenantId: inputs.customerTenantId,
    });
  }
  return { id: `${name}-id`, state };
}

export function useMocks(): void {
  if (mocksSet) return;
  mocksSet = true;
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return outputsOf(args.type, args.name, args.inputs);
      },
      call: (args) => args.inputs,
    },
    "partnerlink-examples",
    "test",
    false,
  );
}

/** How many resources a program's source declares (`new X(` at statement level or assigned). */
function declaredCount(source: string): number {
  return (source.match(/\bnew (?:pulumi\.CustomResource|PartnerAdminLink|LighthouseOnboarding)\(/g) ?? []).length;
}

/** Requires the program (once) and resolves with the resources it registered. */
export async function runProgram(file: string, timeoutMs = 20_000): Promise<RegisteredResource[]> {
  useMocks();
  const start = registered.length;
  const expected = declaredCount(fs.readFileSync(file, "utf8"));
  if (expected === 0) throw new Error(`${file} declares no resource`);
  require(file);
  const deadline = Date.now() + timeoutMs;
  while (registered.length - start < expected) {
    if (Date.now() > deadline) throw new Error(`${file}: ${registered.length - start} of ${expected} resources registered`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return registered.slice(start, start + expected);
}
