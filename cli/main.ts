import type { CommandIO } from "./command";
import { quietOnClosedReader } from "./closed-reader";
import { UsageError } from "./command";
import { COMMANDS } from "./commands";
import { VERSION } from "./version";

function topUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 8);
  return [
    "Usage: partnerlink <command> [options]",
    "",
    "Declare and check Azure partner associations (PAL, Lighthouse, PEC, DPOR).",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `partnerlink <command> --help` for a command's options.",
    "",
  ].join("\n");
}

export function processIO(): CommandIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Runs the CLI; returns the exit code. Never throws: unexpected errors become one line and exit 2. */
export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  // A reader that goes away (`| head -1`, a closed stderr pipe) ends the output quietly, never with an EPIPE crash.
  quietOnClosedReader(io.stdout, "stdout");
  quietOnClosedReader(io.stderr, "stderr");
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(topUsage());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr.write(`partnerlink: unknown command '${name}'. Run 'partnerlink --help' for the list.\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(cmd.usage.endsWith("\n") ? cmd.usage : cmd.usage + "\n");
    return 0;
  }
  // `partnerlink <command> --version` is the CLI's version for every command, as `check --version` always was (before
  // a `--`, after which a word is a path).
  const options = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  if (options.includes("--version")) {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof UsageError) io.stderr.write(`partnerlink ${name}: ${message}\n`);
    else io.stderr.write(`partnerlink ${name}: unexpected error: ${message}\n`);
    return 2;
  }
}
