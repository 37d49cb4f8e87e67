/**
 * One isolated, offline Pulumi workspace for the e2e suite: a temp PULUMI_HOME, a local file backend
 * (`pulumi login file://<tmp>/backend`), a passphrase secrets provider, the emulator's CA in NODE_EXTRA_CA_CERTS,
 * Node 24 first on PATH, no update check and no plugin downloads. Runs the real CLI, always asynchronously (the
 * emulator answering the CLI's providers lives in this same process: a blocking spawnSync would deadlock it).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pulumiPath } from "./pulumi-cli";

export interface PulumiRun {
  /** The command as typed (passphrase and secret values never appear in args). */
  command: string;
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** Accept a non-zero exit (the caller asserts on it); otherwise a non-zero exit throws with the output's tail. */
  allowFailure?: boolean;
  timeoutMs?: number;
  /** Extra environment for this run only. */
  env?: Record<string, string>;
}

export interface SessionOptions {
  /** PEM file of the emulator's CA: NODE_EXTRA_CA_CERTS for every child (set before the CLI starts). */
  caCertPath?: string;
}

const DEFAULT_TIMEOUT_MS = 240_000;

export class PulumiSession {
  readonly dir: string;
  readonly backendUrl: string;
  private readonly passphrase = randomBytes(18).toString("base64url");
  private readonly baseEnv: NodeJS.ProcessEnv;

  private constructor(private readonly options: SessionOptions) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), "partnerlink-e2e-"));
    mkdirSync(path.join(this.dir, "backend"));
    this.backendUrl = `file://${path.join(this.dir, "backend")}`;
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Nothing of a real Pulumi Cloud login or a developer's config may leak in.
    for (const k of Object.keys(env)) if (k.startsWith("PULUMI_")) delete env[k];
    Object.assign(env, {
      PATH: pulumiPath(),
      PULUMI_HOME: path.join(this.dir, "home"),
      PULUMI_CONFIG_PASSPHRASE: this.passphrase,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      NO_COLOR: "1",
    });
    if (options.caCertPath) env.NODE_EXTRA_CA_CERTS = options.caCertPath;
    this.baseEnv = env;
  }

  /** A new workspace, logged in to its own file backend. */
  static async create(options: SessionOptions = {}): Promise<PulumiSession> {
    const s = new PulumiSession(options);
    try {
      await s.run(["login", s.backendUrl], { cwd: s.dir });
    } catch (e) {
      s.dispose();
      throw e;
    }
    return s;
  }

  /** The environment every Pulumi run gets (for the report: which variables the engine needs). */
  get env(): Readonly<NodeJS.ProcessEnv> {
    return this.baseEnv;
  }

  /** Runs `pulumi <args>` with `--non-interactive --color never`. */
  run(args: string[], opts: RunOptions): Promise<PulumiRun> {
    const full = [...args, "--non-interactive", "--color", "never"];
    const command = `pulumi ${full.join(" ")}`;
    return new Promise((resolve, reject) => {
      const child = spawn("pulumi", full, {
        cwd: opts.cwd,
        env: { ...this.baseEnv, ...opts.env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      child.on("error", (e) => {
        clearTimeout(timer);
        reject(new Error(`${command}: could not start: ${e.message}`));
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        const run: PulumiRun = { command, code: code ?? (signal ? 128 : 1), stdout, stderr };
        if (signal) return reject(new Error(`${command}: killed by ${signal} (timeout ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms)\n${tail(run)}`));
        if (run.code !== 0 && !opts.allowFailure) return reject(new Error(`${command}: exit ${run.code}\n${tail(run)}`));
        resolve(run);
      });
    });
  }

  /** Runs `pulumi <args> --json` and parses stdout (a failing run still prints its JSON; see allowFailure). */
  async json<T = unknown>(args: string[], opts: RunOptions): Promise<{ run: PulumiRun; value: T }> {
    const run = await this.run([...args, "--json"], opts);
    try {
      return { run, value: JSON.parse(run.stdout) as T };
    } catch {
      throw new Error(`${run.command}: stdout is not JSON\n${tail(run)}`);
    }
  }

  /** Removes the workspace (backend, state, PULUMI_HOME). */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The passphrase, for tests that check it never shows up in output or state. */
  get secretPassphrase(): string {
    return this.passphrase;
  }

  /** For messages: where the CA comes from. */
  get caCertPath(): string | undefined {
    return this.options.caCertPath;
  }
}

/** The last lines of a run's output, for error messages. */
export function tail(run: PulumiRun, lines = 40): string {
  const text = `${run.stdout}\n${run.stderr}`.trim().split("\n");
  return text.slice(-lines).join("\n");
}
