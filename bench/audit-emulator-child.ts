/**
 * The emulator side of bench/audit, in its own process so the audit's memory and CPU are measured alone.
 * Reads {subscriptions, options} as JSON from the file named by argv[2], generates the estate, puts it straight into the state,
 * prints one JSON line {url, caCertPath}, and serves until SIGTERM.
 */
import * as fs from "node:fs";
import { startEmulator, type EmulatorOptions } from "../emulator";
import { estate } from "./audit-estate";

async function run(): Promise<void> {
  const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as { subscriptions: number; options: EmulatorOptions };
  const { seed, state } = estate(input.subscriptions);
  const emu = await startEmulator({ ...input.options, seed });
  for (const l of state.partnerLinks) emu.state.putLink(l);
  for (const d of state.registrationDefinitions) emu.state.putDefinition(d);
  for (const a of state.registrationAssignments) emu.state.putAssignment(a);
  process.stdout.write(JSON.stringify({ url: emu.url, caCertPath: emu.caCertPath }) + "\n");
  const stop = () => {
    const s = emu.stats();
    process.stderr.write(JSON.stringify({ emulatorStats: s }) + "\n");
    void emu.stop().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

run().catch((err) => {
  process.stderr.write(`bench emulator: ${(err as Error).message}\n`);
  process.exit(1);
});
