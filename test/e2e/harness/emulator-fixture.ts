/**
 * The local ARM emulator (emulator/) for e2e runs, in this jest process: the Pulumi CLI and its Node.js
 * providers reach it over https on loopback, trusting its CA through NODE_EXTRA_CA_CERTS (PulumiSession sets it
 * from `caCertPath` before the CLI starts; every child inherits it).
 */
import { startEmulator, DEMO_SEED_PATH, loadSeedFile } from "../../../emulator";
import type { EmulatorSeed, RunningEmulator } from "../../../emulator";

export type { EmulatorSeed, RunningEmulator };

/** The demo seed (emulator/seeds/demo.json), as an object to extend per scenario. */
export function demoSeed(): EmulatorSeed {
  return JSON.parse(JSON.stringify(loadSeedFile(DEMO_SEED_PATH))) as EmulatorSeed;
}

/** Starts the emulator with the given seed (default: the demo seed). Stop it with `emu.stop()`. */
export async function startE2eEmulator(seed: EmulatorSeed = demoSeed()): Promise<RunningEmulator> {
  return startEmulator({ seed, throttle: false });
}

/** What the emulator holds, for assertions: counts and the live (Active) partner links. */
export function emulatorContents(emu: RunningEmulator): {
  activePartnerLinks: { tenantId: string; objectId: string; partnerId: string }[];
  definitions: string[];
  assignments: { scope: string; registrationDefinitionId: string }[];
} {
  const s = emu.state;
  return {
    activePartnerLinks: s
      .listLinks()
      .filter((l) => l.state === "Active")
      .map((l) => ({ tenantId: l.tenantId, objectId: l.objectId, partnerId: l.partnerId })),
    definitions: s.listDefinitions().map((d) => d.id.toLowerCase()).sort(),
    assignments: s
      .listAssignments()
      .map((a) => ({ scope: a.scope.toLowerCase(), registrationDefinitionId: a.registrationDefinitionId.toLowerCase() }))
      .sort((a, b) => a.scope.localeCompare(b.scope)),
  };
}
