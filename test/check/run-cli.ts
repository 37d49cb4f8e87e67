import { Writable } from "node:stream";
import { main } from "../../cli/main";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `partnerlink <argv>` in-process through cli/main with captured streams. */
export async function runCli(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const out = new Writable({ write(chunk, _enc, cb) { stdout += chunk.toString(); cb(); } }) as Writable & { isTTY?: boolean };
  const err = new Writable({ write(chunk, _enc, cb) { stderr += chunk.toString(); cb(); } });
  if (opts.tty) out.isTTY = true;
  const code = await main(argv, { stdout: out, stderr: err, env: opts.env ?? {}, cwd: opts.cwd ?? process.cwd() });
  return { code, stdout, stderr };
}

/** Parses `--format json` output. */
export function findingsOf(run: CliRun): { ruleId: string; resource: string; path: string | null; file: string | null; severity: string; message: string; suppressed?: unknown }[] {
  return (JSON.parse(run.stdout) as { findings: never[] }).findings;
}
