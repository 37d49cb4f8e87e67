import { Writable } from "node:stream";
import { main } from "../../cli/main";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  tty?: boolean;
}

export interface StartedCli {
  /** The exit code, once the command returns. */
  running: Promise<number>;
  /** What it has written so far. */
  stdout(): string;
  stderr(): string;
}

/** Starts `partnerlink <argv>` in-process through cli/main with captured streams (long-running commands). */
export function startCli(argv: string[], opts: CliOptions = {}): StartedCli {
  let stdout = "";
  let stderr = "";
  const out = new Writable({ write(chunk, _enc, cb) { stdout += chunk.toString(); cb(); } }) as Writable & { isTTY?: boolean };
  const err = new Writable({ write(chunk, _enc, cb) { stderr += chunk.toString(); cb(); } });
  if (opts.tty) out.isTTY = true;
  const running = main(argv, { stdout: out, stderr: err, env: opts.env ?? {}, cwd: opts.cwd ?? process.cwd() });
  return { running, stdout: () => stdout, stderr: () => stderr };
}

/** Runs `partnerlink <argv>` in-process through cli/main with captured streams. */
export async function runCli(argv: string[], opts: CliOptions = {}): Promise<CliRun> {
  const cli = startCli(argv, opts);
  const code = await cli.running;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** Parses `--format json` output. */
export function findingsOf(run: CliRun): { ruleId: string; resource: string; path: string | null; file: string | null; severity: string; message: string; suppressed?: { kind: string; reason: string; expires?: string } }[] {
  return (JSON.parse(run.stdout) as { findings: never[] }).findings;
}
