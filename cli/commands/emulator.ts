import * as fs from "node:fs";
import * as path from "node:path";
import type { CommandModule, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseCommandOptions } from "../parse-options";
import { AtomicOutputError, checkOutputPath } from "../atomic-output";
import { startEmulator, SeedError, DEMO_SEED_PATH } from "../../emulator";
import { loadFaultFile } from "../../emulator/fault-file";
import type { FaultRule } from "../../emulator/types";

const USAGE = `Usage: partnerlink emulator [options]

Runs partnerlink's local ARM emulator over https on loopback: Entra ID token endpoints (client secret,
client certificate, workload identity federation), Microsoft.ManagementPartner (Partner Admin Link),
Microsoft.ManagedServices (Azure Lighthouse) and /subscriptions. Serves until Ctrl-C (SIGINT) or SIGTERM.

Options:
  --port <n>        port to listen on (default: a free port)
  --seed <file>     tenants, principals and subscriptions (JSON, emulator/seed.schema.json; default: the demo seed)
  --state <file>    keep links and delegations in this JSON file (loaded at start, saved after each change)
  --faults <file>   fault rules (JSON, emulator/faults.schema.json)
  --no-throttle     turn ARM request throttling off
  --quiet           no per-request log lines

Prints the URL, the CA certificate file and the environment for clients:
  NODE_EXTRA_CA_CERTS (trust the emulator's CA), AZURE_AUTHORITY_HOST (sign-in) and the ARM endpoint.
`;

export const emulatorCommand: CommandModule = {
  usage: USAGE,
  run: runEmulator,
};

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const EMULATOR_OPTIONS = {
  port: { type: "string" },
  seed: { type: "string" },
  state: { type: "string" },
  faults: { type: "string" },
  "no-throttle": { type: "boolean" },
  quiet: { type: "boolean" },
} as const;

async function runEmulator(argv: string[], io: CommandIO): Promise<number> {
  const values = parseCommandOptions(argv, EMULATOR_OPTIONS, "emulator");
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port '${values.port}' is not a port number (0-65535)`);
  }
  const abs = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(io.cwd, p));
  let faults: FaultRule[] = [];
  const seedPath = abs(values.seed);
  try {
    if (values.faults) faults = loadFaultFile(abs(values.faults)!);
  } catch (err) {
    if (err instanceof SeedError) throw new UsageError(err.message);
    throw err;
  }
  const statePath = abs(values.state);
  // Checked before serving: a state file that cannot be written would fail every change after applying it.
  if (statePath !== undefined) {
    const dir = path.dirname(statePath);
    try {
      checkOutputPath("--state", statePath, values.state);
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (err) {
      throw new UsageError(err instanceof AtomicOutputError ? err.message : `--state ${values.state}: folder ${dir} is not writable`);
    }
  }
  let emu;
  try {
    emu = await startEmulator({
      port,
      seed: seedPath,
      statePath,
      faults,
      throttle: values["no-throttle"] ? false : undefined,
      log: values.quiet ? false : (line) => io.stderr.write(line + "\n"),
    });
  } catch (err) {
    if (err instanceof SeedError) throw new UsageError(err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE") throw new UsageError(`port ${port} is in use: pick another with --port, or --port 0 for a free one`);
    throw new UsageError((err as Error).message);
  }
  io.stdout.write(
    [
      `partnerlink emulator listening on ${emu.url}`,
      `  seed:  ${seedPath ?? DEMO_SEED_PATH}`,
      `  state: ${abs(values.state) ?? "in memory"}`,
      `  CA certificate: ${emu.caCertPath}`,
      "",
      "Environment for clients (bash):",
      `  export NODE_EXTRA_CA_CERTS=${shellQuote(emu.caCertPath)}`,
      `  export AZURE_AUTHORITY_HOST=${emu.url}`,
      `  export ARM_ENDPOINT=${emu.url}   # SDK clients: { endpoint, credentialScopes: ["https://management.azure.com/.default"] }`,
      `partnerlink audit flags: --endpoint ${emu.url} --authority-host ${emu.url} --ca-cert ${shellQuote(emu.caCertPath)}`,
      "@azure/identity credentials also need { disableInstanceDiscovery: true } (see emulator/README.md).",
      "Stop with Ctrl-C.",
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const done = (): void => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
  await emu.stop();
  io.stdout.write("partnerlink emulator stopped.\n");
  return 0;
}
