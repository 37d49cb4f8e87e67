/**
 * Drives the ROOT onboarding stack (Pulumi.yaml at the repo root) in a PulumiSession: every command runs in the
 * repo root with `--stack <name> --config-file <session dir>/Pulumi.<name>.yaml`, so the stack's config (and
 * its passphrase salt) live in the temp workspace, never in the work tree.
 */
import { existsSync, renameSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./pulumi-cli";
import type { PulumiRun, PulumiSession } from "./pulumi-session";
import type { PreviewDigest, StackExport } from "./pulumi-json";
import type { RootStackConfig } from "./root-stack-config";

export class RootStack {
  readonly configFile: string;

  constructor(
    private readonly session: PulumiSession,
    readonly name: string,
  ) {
    this.configFile = path.join(session.dir, `Pulumi.${name}.yaml`);
  }

  private args(args: string[]): string[] {
    return [...args, "--stack", this.name];
  }
  private withConfig(args: string[]): string[] {
    return [...this.args(args), "--config-file", this.configFile];
  }

  /**
   * `pulumi stack init` (which has no --config-file flag): the file it writes in the project dir, holding the
   * passphrase salt, is moved into the workspace at once.
   */
  async init(config: RootStackConfig): Promise<void> {
    const written = path.join(REPO_ROOT, `Pulumi.${this.name}.yaml`);
    await this.session.run(["stack", "init", this.name], { cwd: REPO_ROOT });
    if (existsSync(written)) renameSync(written, this.configFile);
    await this.setConfig(config);
  }

  /** Sets every key at once (`pulumi config set-all --json`, objects as objectValue; secrets encrypted by the CLI). */
  async setConfig(config: RootStackConfig): Promise<void> {
    const json: Record<string, { value: string; objectValue?: unknown; secret: boolean }> = {};
    const put = (values: Record<string, unknown>, secret: boolean): void => {
      for (const [k, v] of Object.entries(values)) {
        json[k] = typeof v === "string" ? { value: v, secret } : { value: JSON.stringify(v), objectValue: v, secret };
      }
    };
    put(config.plain, false);
    put(config.secrets, true);
    await this.session.run(this.withConfig(["config", "set-all", "--json", JSON.stringify(json)]), { cwd: REPO_ROOT });
  }

  run(args: string[], allowFailure = false): Promise<PulumiRun> {
    return this.session.run(this.withConfig(args), { cwd: REPO_ROOT, allowFailure });
  }

  up(): Promise<PulumiRun> {
    return this.run(["up", "--yes", "--skip-preview"]);
  }
  refresh(): Promise<PulumiRun> {
    return this.run(["refresh", "--yes", "--skip-preview"]);
  }
  destroy(): Promise<PulumiRun> {
    return this.run(["destroy", "--yes", "--skip-preview"]);
  }
  async preview(): Promise<PreviewDigest> {
    return (await this.session.json<PreviewDigest>(this.withConfig(["preview"]), { cwd: REPO_ROOT })).value;
  }
  /** `pulumi preview --policy-pack policies` (the repo's pack; needs `npm run build`). Text output: policy events are not in --json. */
  previewWithPolicies(): Promise<PulumiRun> {
    return this.run(["preview", "--policy-pack", path.join(REPO_ROOT, "policies")], true);
  }
  async exportState(): Promise<{ text: string; value: StackExport }> {
    const r = await this.session.run(this.args(["stack", "export"]), { cwd: REPO_ROOT });
    return { text: r.stdout, value: JSON.parse(r.stdout) as StackExport };
  }
  /** Removes the stack (after destroy) and its config file. */
  async remove(): Promise<void> {
    await this.session.run(this.args(["stack", "rm", "--yes", "--force"]), { cwd: REPO_ROOT, allowFailure: true });
  }
}
