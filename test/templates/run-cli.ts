import { runCli } from "../check/run-cli";

export interface CheckJson {
  findings: { ruleId: string; severity: string; message: string; file: string | null; path: string | null; suppressed?: unknown }[];
  summary: { error: number; warning: number; info: number; suppressed: number; files: number };
  notices: string[];
}

/** `partnerlink check <inputs> --config <config> --format json --severity-threshold warning`. */
export async function check(inputs: string[], config: string, cwd: string): Promise<{ code: number; report: CheckJson; stderr: string }> {
  const r = await runCli(["check", ...inputs, "--config", config, "--format", "json", "--severity-threshold", "warning"], { cwd });
  return { code: r.code, report: JSON.parse(r.stdout) as CheckJson, stderr: r.stderr };
}
