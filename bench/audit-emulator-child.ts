/**
 * The emulator side of bench/audit, in its own process so the audit's memory and CPU are measured alone.
 * Reads {seed, state, options} as JSON from the file named by argv[2], puts the estate straight into the state,
 * prints one JSON line {url, caCertPath}, and serves until SIGTERM.
 */
import * as fs from "node:fs";
import { startEmulator, type EmulatorOptions, type EmulatorSeed, type StateSnapshot } from "../emulator";

async function run(): Promise<void> {
  const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as { seed: EmulatorSeed; state: StateSnapshot; options: EmulatorOptions };
  const emu = await startEmulator({ ...input.options, seed: input.seed });
  for (const l of input.state.partnerLinks) emu.state.putLink(l);
  for (const d of input.state.registrationDefinitions) emu.state.putDefinition(d);
  for (const a of input.state.registrationAssignments) emu.state.putAssignment(a);
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
