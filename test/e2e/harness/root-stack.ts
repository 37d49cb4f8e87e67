/**
 * Drives the ROOT onboarding stack (Pulumi.yaml at the repo root) in a PulumiSession: every command runs in the
 * project dir (the repo root) with `--stack <name> --config-file <session dir>/Pulumi.<name>.yaml`, so the stack's config (and
 * its passphrase salt) live in the temp workspace, never in the work tree.
 */
import { existsSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./pulumi-cli";
import type { PulumiRun, PulumiSession } from "./pulumi-session";
import type { PreviewDigest, StackExport } from "./pulumi-json";
import type { RootStackConfig } from "./root-stack-config";

export class RootStack {
  readonly configFile: string;

  readonly name: string;

  /**
   * `baseName` gets the session's random suffix: `stack init` writes Pulumi.<stack>.yaml into the shared project
   * dir for a moment, so two e2e runs at once must not use the same stack name.
   * `projectDir`: the repo root (the onboarding stack); another dir for the harness's own test and for a fixture
   * program driven the same way (lighthouse-repeats.e2e.ts).
   */
  constructor(
    private readonly session: PulumiSession,
    baseName: string,
    readonly projectDir: string = REPO_ROOT,
  ) {
    this.name = `${baseName}-${path.basename(session.dir).slice(-6).toLowerCase()}`;
    this.configFile = path.join(session.dir, `Pulumi.${this.name}.yaml`);
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
    const written = path.join(this.projectDir, `Pulumi.${this.name}.yaml`);
    await this.session.run(["stack", "init", this.name], { cwd: this.projectDir });
    if (existsSync(written)) renameSync(written, this.configFile);
    await this.setConfig(config);
  }

  /**
   * Sets the config: plain values and string secrets in one `pulumi config set-all --json` (objects as
   * objectValue, `value` their JSON text), secret objects leaf by leaf with `set-all --path --secret 'k["leaf"]=v'`:
   * at v3.259.0 `set-all --json` fails on a secret object ("invalid character 'v' looking for beginning of value":
   * it parses the ciphertext as JSON, pkg/cmd/pulumi/config/config.go). Secrets are encrypted by the CLI.
   */
  async setConfig(config: RootStackConfig): Promise<void> {
    const json: Record<string, { value: string; objectValue?: unknown; secret: boolean }> = {};
    const secretLeaves: string[] = [];
    for (const [k, v] of Object.entries(config.plain)) {
      json[k] = typeof v === "string" ? { value: v, secret: false } : { value: JSON.stringify(v), objectValue: v, secret: false };
    }
    for (const [k, v] of Object.entries(config.secrets)) {
      if (typeof v === "string") json[k] = { value: v, secret: true };
      else for (const [leaf, s] of Object.entries(v as Record<string, string>)) secretLeaves.push("--secret", `${k}[${JSON.stringify(leaf)}]=${s}`);
    }
    await this.session.run(this.withConfig(["config", "set-all", "--json", JSON.stringify(json)]), { cwd: this.projectDir });
    if (secretLeaves.length > 0) {
      await this.session.run(this.withConfig(["config", "set-all", "--path", ...secretLeaves]), { cwd: this.projectDir });
    }
  }

  run(args: string[], allowFailure = false, env?: Record<string, string>): Promise<PulumiRun> {
    return this.session.run(this.withConfig(args), { cwd: this.projectDir, allowFailure, env });
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
    return (await this.session.json<PreviewDigest>(this.withConfig(["preview"]), { cwd: this.projectDir })).value;
  }
  /**
   * `pulumi preview --policy-pack policies` (the repo's pack; needs `npm run build`), non-zero exit allowed.
   * `partnerlinkConfigFile`: a partnerlink.config.json handed to every policy through PARTNERLINK_CONFIG (the
   * pack's documented way, docs/policies.md); without it the pack knows no PEC principal. Text output: policy
   * events are not in --json.
   */
  previewWithPolicies(partnerlinkConfigFile?: string): Promise<PulumiRun> {
    const env = partnerlinkConfigFile ? { PARTNERLINK_CONFIG: partnerlinkConfigFile } : undefined;
    return this.run(["preview", "--policy-pack", path.join(REPO_ROOT, "policies")], true, env);
  }
  /** `pulumi stack output --json` (secrets as "[secret]" unless showSecrets). */
  async outputs(showSecrets = false): Promise<{ text: string; value: Record<string, unknown> }> {
    const args = ["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])];
    const r = await this.session.run(this.args(args), { cwd: this.projectDir });
    return { text: r.stdout, value: JSON.parse(r.stdout) as Record<string, unknown> };
  }
  async exportState(): Promise<{ text: string; value: StackExport }> {
    const r = await this.session.run(this.args(["stack", "export"]), { cwd: this.projectDir });
    return { text: r.stdout, value: JSON.parse(r.stdout) as StackExport };
  }
  /** `pulumi stack import`: replaces the stack's state with `exported` (a `stack export` document, possibly edited). */
  async importState(exported: StackExport): Promise<void> {
    const file = path.join(this.session.dir, `${this.name}.import.json`);
    writeFileSync(file, JSON.stringify(exported));
    await this.session.run(this.args(["stack", "import", "--file", file]), { cwd: this.projectDir });
  }
  /** Removes the stack (after destroy) and its config file. */
  async remove(): Promise<void> {
    await this.session.run(this.args(["stack", "rm", "--yes", "--force"]), { cwd: this.projectDir, allowFailure: true });
  }
}
