/**
 * `npm run demo` (build, then `node dist/examples/demo.js`): partnerlink end to end on one machine, offline.
 *
 *  1. starts the local ARM emulator seeded with a partner tenant and three customers (emulator/seeds/demo.json);
 *  2. runs `partnerlink check` on the examples: the generated ARM templates pass, every examples/broken/ folder
 *     is flagged with its rule;
 *  3. generates the customer-side template package for the customer who deploys it themselves (`partnerlink template`);
 *  4. onboards: with a Pulumi CLI on PATH (or built in .cache by scripts/ensure-pulumi-cli.sh; the demo never builds
 *     it), `pulumi up` of the root onboarding stack (Pulumi.yaml) against the emulator with a local file backend in
 *     a temp dir; without one, the same inputs through the providers' own check()/create() (the code the stack runs);
 *  5. `partnerlink audit` against the emulator: what is really linked and delegated;
 *  6. prints a short summary. Exit 0 on success; one line and exit 1 on failure. Temp dirs are removed and the
 *     emulator is stopped either way.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { main as cli } from "../cli/main";
import type { CommandIO } from "../cli/command";
import { auditCommand } from "../cli/commands/audit";
import { DEMO_SEED_PATH, loadSeedFile, startEmulator, type EmulatorSeed, type RunningEmulator } from "../emulator";
import { lighthouseOnboardingOperations, partnerAdminLinkOperations } from "../provider";
import { RULES } from "../rules/metadata";
import {
  connectionBase,
  lighthouseOnboardingInputs,
  partnerAdminLinkInputs,
  templateFolder,
  templatePackage,
} from "../stack/onboarding-program";
import { parseStackConfig, type StackConfig } from "../stack/stack-config";
import { writeTreeAtomically } from "../templates";

// ---- what the demo reports ------------------------------------------------------------------------------

export interface DemoSummary {
  /** How the customers were onboarded. */
  onboardingPath: "pulumi" | "provider";
  /** Why the Pulumi path was not taken (when it was not). */
  pulumiNote?: string;
  link: { partnerId: string; objectId: string; state: string };
  onboarded: { customer: string; definitionId: string; assignmentIds: string[] }[];
  /** Customers who deploy the generated package themselves: file names of their package (`partnerlink template`). */
  templates: { customer: string; files: string[] }[];
  /** The same customers' packages as the onboarding (root stack or its direct path) wrote them: file names. */
  stackTemplates: { customer: string; files: string[] }[];
  checks: {
    passed: string[];
    flagged: { example: string; expected: string; ruleIds: string[] }[];
  };
  audit: {
    subscriptions: number;
    associated: string[];
    notAssociated: string[];
    links: { identity: string; partnerId: string; objectId: string }[];
  };
}

export interface DemoOptions {
  /** "auto" (default): the Pulumi CLI when one is found; "never": the providers' create() path. */
  pulumi?: "auto" | "never";
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
  /** Where the examples to check live (default: the repository's examples/). */
  examplesDir?: string;
  /** Called with the running emulator and the temp dir after everything ran, before both go (tests read them). */
  beforeStop?: (emu: RunningEmulator, workDir: string) => Promise<void> | void;
}

/** A demo failure: printed as one line. */
export class DemoError extends Error {
  override readonly name = "DemoError";
}

// ---- the repository and the Pulumi CLI --------------------------------------------------------------------

/** The repository root (from examples/ in ts-jest, or dist/examples/ when compiled). */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, "Pulumi.yaml")) && JSON.parse(fs.readFileSync(pkg, "utf8")).name === "partnerlink") return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new DemoError("cannot find the partnerlink repository (package.json + Pulumi.yaml) above " + __dirname);
    dir = up;
  }
}

/** The directory of a usable `pulumi` (PATH first, then .cache/pulumi-cli/<version>/bin), or undefined. */
export function findPulumiCli(root: string, envPath = process.env.PATH ?? ""): string | undefined {
  const usable = (dir: string) => fs.existsSync(path.join(dir, "pulumi")) && fs.existsSync(path.join(dir, "pulumi-language-nodejs"));
  for (const dir of envPath.split(path.delimiter)) if (dir && usable(dir)) return dir;
  const cache = path.join(root, ".cache", "pulumi-cli");
  if (fs.existsSync(cache)) {
    for (const v of fs.readdirSync(cache).sort().reverse()) {
      const bin = path.join(cache, v, "bin");
      if (usable(bin)) return bin;
    }
  }
  return undefined;
}

// ---- in-process CLI runs ----------------------------------------------------------------------------------

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

function capturingIO(cwd: string, env: NodeJS.ProcessEnv = {}): { io: CommandIO; out: () => Captured["stdout"]; err: () => Captured["stderr"] } {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = {
    stdout: new Writable({ write(c, _e, cb) { stdout += String(c); cb(); } }),
    stderr: new Writable({ write(c, _e, cb) { stderr += String(c); cb(); } }),
    env,
    cwd,
  };
  return { io, out: () => stdout, err: () => stderr };
}

async function partnerlink(argv: string[], cwd: string): Promise<Captured> {
  const c = capturingIO(cwd);
  const code = await cli(argv, c.io);
  return { code, stdout: c.out(), stderr: c.err() };
}

const firstLine = (s: string) => s.trim().split("\n").find((l) => l.trim() !== "") ?? "";

// ---- the demo's stack config --------------------------------------------------------------------------------

const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

interface DemoParties {
  seed: EmulatorSeed;
  config: StackConfig;
  pecSecret: string;
  deployerSecrets: Record<string, string>;
}

/**
 * The root stack config for the seeded world: the partner's automation service principal is the PAL/PEC
 * identity; Fabrikam and Northwind give the partner a deployer (onboarded directly), Tailspin (EA) deploys the
 * generated template itself.
 */
function demoParties(emu: RunningEmulator, templatesDir: string): DemoParties {
  const seed = loadSeedFile(DEMO_SEED_PATH);
  const partnerTenant = seed.tenants[0].tenantId;
  const sp = seed.principals.find((p) => p.tenantId === partnerTenant && p.type === "ServicePrincipal" && p.appId && p.clientSecret);
  const admins = seed.principals.find((p) => p.tenantId === partnerTenant && p.type === "Group");
  const partnerId = seed.partners?.[0]?.partnerId;
  if (!sp || !partnerId) throw new DemoError(`${DEMO_SEED_PATH}: no partner service principal with a secret, or no partner ID`);
  const deployerSecrets: Record<string, string> = {};
  const customers = seed.subscriptions.map((s) => {
    const name = s.displayName.split(/\s+/)[0].toLowerCase();
    const deployer = seed.principals.find((p) => p.tenantId === s.tenantId && p.type === "ServicePrincipal" && p.appId && p.clientSecret);
    const selfService = s.agreement === "EA"; // this customer deploys the template itself
    if (deployer && !selfService) deployerSecrets[name] = deployer.clientSecret!;
    return {
      name,
      tenantId: s.tenantId,
      subscriptionId: s.subscriptionId,
      ...(s.resourceGroups?.length ? { resourceGroups: s.resourceGroups } : {}),
      ...(s.agreement ? { agreement: s.agreement } : {}),
      ...(s.agreement === "EA" ? { dpor: true } : {}),
      ...(admins ? { authorizations: [{ principalId: admins.objectId, principalIdDisplayName: admins.displayName, roleDefinitionId: READER }] } : {}),
      ...(deployer && !selfService ? { deployer: { clientId: deployer.appId! } } : {}),
    };
  });
  const config = parseStackConfig({
    partner: {
      partnerId,
      managingTenantId: partnerTenant,
      pecPrincipal: { objectId: sp.objectId, clientId: sp.appId, displayName: sp.displayName },
    },
    arm: { endpoint: emu.url, authorityHost: emu.url, caCertificateFile: emu.caCertPath },
    templatesDir,
    customers,
  });
  return { seed, config, pecSecret: sp.clientSecret!, deployerSecrets };
}

// ---- steps ------------------------------------------------------------------------------------------------

async function checkExamples(root: string, examples: string, log: (l: string) => void): Promise<DemoSummary["checks"]> {
  const passed: string[] = [];
  const flagged: DemoSummary["checks"]["flagged"] = [];
  const good = path.join(examples, "arm-templates", "onboarding");
  for (const c of fs.readdirSync(good).sort()) {
    const dir = path.join(good, c);
    const r = await partnerlink(["check", dir, "--config", path.join(dir, "partnerlink.config.json"), "--format", "json"], root);
    const rel = path.relative(root, dir);
    if (r.code !== 0) throw new DemoError(`partnerlink check failed on the good example ${rel} (exit ${r.code}): ${firstLine(r.stderr) || "see its findings"}`);
    passed.push(rel);
  }
  const brokenRoot = path.join(examples, "broken");
  for (const name of fs.readdirSync(brokenRoot).sort()) {
    const dir = path.join(brokenRoot, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    const expected = RULES.find((m) => m.name === name)?.id ?? "?";
    const r = await partnerlink(["check", path.join(dir, "template.json"), "--config", path.join(dir, "partnerlink.config.json"), "--format", "json"], root);
    const ruleIds = [...new Set((JSON.parse(r.stdout) as { findings: { ruleId: string; severity: string }[] }).findings.filter((f) => f.severity === "error").map((f) => f.ruleId))].sort();
    if (r.code !== 1 || !ruleIds.includes(expected)) {
      throw new DemoError(`partnerlink check did not flag examples/broken/${name} with ${expected} (exit ${r.code}, found ${ruleIds.join(", ") || "nothing"})`);
    }
    flagged.push({ example: `examples/broken/${name}`, expected, ruleIds });
  }
  flagged.sort((a, b) => a.expected.localeCompare(b.expected));
  log(`check: ${passed.length} generated templates pass; ${flagged.length} broken examples flagged (${flagged.map((f) => f.expected).join(", ")})`);
  return { passed, flagged };
}

/** `partnerlink template` for each customer without a deployer, then `partnerlink check` on what it wrote. */
async function generateTemplates(p: DemoParties, outRoot: string, log: (l: string) => void): Promise<DemoSummary["templates"]> {
  const out: DemoSummary["templates"] = [];
  for (const c of p.config.customers.filter((x) => !x.deployer)) {
    const dir = path.join(outRoot, c.name);
    const args = [
      "template", "--customer", c.name, "--subscription", c.subscriptionId,
      "--managing-tenant", p.config.partner.managingTenantId,
      "--pec-principal", p.config.partner.pecPrincipal.objectId,
      "--pec-principal-name", p.config.partner.pecPrincipal.displayName ?? "Provider Automation Account",
      "--partner-id", p.config.partner.partnerId,
      ...(c.agreement ? ["--agreement", c.agreement] : []),
      ...(c.resourceGroups ?? []).flatMap((rg) => ["--resource-group", rg]),
      ...(c.authorizations ?? []).map((a) => `--authorization=${a.principalId}:${a.roleDefinitionId}${a.principalIdDisplayName ? `:${a.principalIdDisplayName}` : ""}`),
      "--out", dir,
    ];
    const t = await partnerlink(args, outRoot);
    if (t.code !== 0) throw new DemoError(`partnerlink template failed for ${c.name}: ${firstLine(t.stderr)}`);
    const k = await partnerlink(["check", dir, "--config", path.join(dir, "partnerlink.config.json"), "--format", "json"], outRoot);
    if (k.code !== 0) throw new DemoError(`the template generated for ${c.name} fails partnerlink check (exit ${k.code})`);
    const files = fs.readdirSync(dir).sort();
    log(`template: ${c.name} (${c.agreement ?? "no agreement"}) gets ${files.join(", ")}; it passes partnerlink check`);
    out.push({ customer: c.name, files });
  }
  return out;
}

type Onboarding = Pick<DemoSummary, "link" | "onboarded" | "stackTemplates">;

const packageFiles = (folders: Record<string, string>): DemoSummary["stackTemplates"] =>
  Object.entries(folders).map(([customer, dir]) => ({ customer, files: fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [] }));

/** The providers' own check() and create(), with the inputs the stack would give them. */
async function onboardDirectly(p: DemoParties, root: string, log: (l: string) => void): Promise<Onboarding> {
  const base = connectionBase(p.config, root);
  const palIn = partnerAdminLinkInputs(p.config, base, p.pecSecret);
  const palChecked = await partnerAdminLinkOperations.check({}, palIn as unknown as Record<string, unknown>);
  if (palChecked.failures?.length) throw new DemoError(`PartnerAdminLink: ${palChecked.failures[0].reason}`);
  const pal = await partnerAdminLinkOperations.create(palChecked.inputs as never);
  const link = { partnerId: String(pal.outs?.partnerId), objectId: String(pal.outs?.objectId), state: String(pal.outs?.state) };
  log(`provider: Partner Admin Link ${link.objectId} -> ${link.partnerId} (${link.state})`);
  const onboarded: Onboarding["onboarded"] = [];
  for (const c of p.config.customers.filter((x) => x.deployer)) {
    const inputs = lighthouseOnboardingInputs(p.config, c, base, p.deployerSecrets[c.name]);
    const checked = await lighthouseOnboardingOperations.check({}, inputs as unknown as Record<string, unknown>);
    if (checked.failures?.length) throw new DemoError(`LighthouseOnboarding ${c.name}: ${checked.failures[0].reason}`);
    const created = await lighthouseOnboardingOperations.create(checked.inputs as never, { updateIntervalInMs: 20 });
    onboarded.push({ customer: c.name, definitionId: String(created.outs?.definitionId), assignmentIds: (created.outs?.assignmentIds as string[]) ?? [] });
    log(`provider: ${c.name} onboarded (${onboarded[onboarded.length - 1].assignmentIds.length} assignment(s))`);
  }
  const folders: Record<string, string> = {};
  p.config.customers.forEach((c, i) => {
    if (c.deployer) return;
    folders[c.name] = templateFolder(p.config, c.name, root);
    writeTreeAtomically(folders[c.name], templatePackage(p.config, i), { overwrite: true });
  });
  return { link, onboarded, stackTemplates: packageFiles(folders) };
}

/** Runs the Pulumi CLI asynchronously (the emulator answering its providers lives in this process). */
function runPulumi(bin: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Captured> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(bin, "pulumi"), [...args, "--non-interactive", "--color", "never"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += String(d)));
    child.stderr.on("data", (d) => (stderr += String(d)));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** `pulumi up` of the root onboarding stack against the emulator, with a file backend in `work`. */
async function onboardWithPulumi(p: DemoParties, bin: string, root: string, work: string, emu: RunningEmulator, log: (l: string) => void): Promise<Onboarding> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("PULUMI_")) env[k] = v;
  Object.assign(env, {
    // Node 24 (the `node` devDependency) first: the language host and the dynamic providers run on it.
    PATH: [path.join(root, "node_modules", ".bin"), bin, path.join(root, "node_modules", "@pulumi", "pulumi"), process.env.PATH ?? ""].join(path.delimiter),
    PULUMI_HOME: path.join(work, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${path.join(work, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: randomBytes(18).toString("base64url"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    NODE_EXTRA_CA_CERTS: emu.caCertPath,
    NO_COLOR: "1",
  });
  fs.mkdirSync(path.join(work, "backend"), { recursive: true });
  const stack = `demo-${randomBytes(4).toString("hex")}`;
  const configFile = path.join(work, `Pulumi.${stack}.yaml`);
  const must = async (args: string[]): Promise<Captured> => {
    const r = await runPulumi(bin, args, env, root);
    if (r.code !== 0) {
      const lines = `${r.stdout}\n${r.stderr}`.split("\n").map((l) => l.trim()).filter((l) => /error/i.test(l));
      throw new DemoError(`pulumi ${args[0]} failed (exit ${r.code}): ${lines[lines.length - 1] ?? firstLine(r.stderr)}`);
    }
    return r;
  };
  // `stack init` writes Pulumi.<stack>.yaml (its secrets salt) into the project: moved to the temp dir at once.
  const written = path.join(root, `Pulumi.${stack}.yaml`);
  try {
    await must(["stack", "init", stack]);
    if (fs.existsSync(written)) fs.renameSync(written, configFile);
    const all: Record<string, { value: string; objectValue?: unknown; secret: boolean }> = {};
    // A secret object is passed as a secret string holding its JSON (the program's getSecretObject parses it):
    // `config set-all --json` of CLI 3.259 fails on a secret with objectValue ("invalid character 'v'").
    const put = (k: string, v: unknown, secret: boolean) => {
      all[`partnerlink:${k}`] = typeof v === "string" ? { value: v, secret } : secret ? { value: JSON.stringify(v), secret } : { value: JSON.stringify(v), objectValue: v, secret };
    };
    put("partner", p.config.partner, false);
    put("arm", p.config.arm, false);
    put("templatesDir", p.config.templatesDir, false);
    put("customers", p.config.customers, false);
    put("pecClientSecret", p.pecSecret, true);
    put("deployerSecrets", p.deployerSecrets, true);
    const withConfig = (args: string[]) => [...args, "--stack", stack, "--config-file", configFile];
    await must(withConfig(["config", "set-all", "--json", JSON.stringify(all)]));
    log(`pulumi: up (stack ${stack}, file backend in a temp dir)`);
    await must(withConfig(["up", "--yes", "--skip-preview"]));
    const outputs = JSON.parse((await must(["stack", "output", "--json", "--stack", stack])).stdout) as {
      link: DemoSummary["link"];
      onboarded: Record<string, { definitionId: string; assignmentIds: string[] }>;
      templates: Record<string, string>;
    };
    return {
      link: outputs.link,
      onboarded: Object.entries(outputs.onboarded).map(([customer, o]) => ({ customer, definitionId: o.definitionId, assignmentIds: o.assignmentIds })),
      stackTemplates: packageFiles(outputs.templates),
    };
  } finally {
    fs.rmSync(written, { force: true });
  }
}

async function audit(p: DemoParties, emu: RunningEmulator, work: string, log: (l: string) => void): Promise<DemoSummary["audit"]> {
  const cfgFile = path.join(work, "audit.config.json");
  fs.writeFileSync(
    cfgFile,
    JSON.stringify({
      partnerId: p.config.partner.partnerId,
      pecPrincipals: [p.config.partner.pecPrincipal.objectId],
      allowedManagingTenants: [p.config.partner.managingTenantId],
      subscriptions: p.config.customers.map((c) => ({ subscriptionId: c.subscriptionId, name: c.name, ...(c.agreement ? { agreement: c.agreement } : {}), ...(c.dpor ? { dpor: true } : {}) })),
    }),
  );
  const c = capturingIO(work, { PARTNERLINK_DEMO_PEC_SECRET: p.pecSecret });
  const code = await auditCommand.run(
    [
      "--tenant-id", p.config.partner.managingTenantId,
      "--client-id", p.config.partner.pecPrincipal.clientId,
      "--client-secret-env", "PARTNERLINK_DEMO_PEC_SECRET",
      "--endpoint", emu.url, "--authority-host", emu.url, "--ca-cert", emu.caCertPath,
      "--config", cfgFile, "--format", "json", "--checkpoint", path.join(work, "audit-checkpoint.jsonl"),
    ],
    c.io,
  );
  if (code === 2) throw new DemoError(`partnerlink audit failed: ${firstLine(c.err())}`);
  const report = JSON.parse(c.out()) as {
    subscriptions: { subscriptionId: string; displayName: string; associated: boolean | null; delegations: number; dpor: string }[];
    summary: { subscriptions: number; links: DemoSummary["audit"]["links"] };
  };
  const nameOf = (id: string) => p.config.customers.find((x) => x.subscriptionId.toLowerCase() === id.toLowerCase())?.name ?? id;
  const result = {
    subscriptions: report.summary.subscriptions,
    // Associated through a delegation, or (EA) through the declared Partner of Record.
    associated: report.subscriptions.filter((s) => s.associated).map((s) => `${nameOf(s.subscriptionId)}${s.delegations === 0 && s.dpor === "declared" ? " (DPOR)" : ""}`).sort(),
    notAssociated: report.subscriptions.filter((s) => s.associated === false).map((s) => nameOf(s.subscriptionId)).sort(),
    links: report.summary.links,
  };
  log(`audit: ${result.subscriptions} subscriptions, ${result.associated.length} associated, ${result.notAssociated.length} not (yet)`);
  return result;
}

// ---- the demo -----------------------------------------------------------------------------------------------

export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const log = options.log ?? ((l: string) => process.stderr.write(`  ${l}\n`));
  const root = repoRoot();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-demo-"));
  let emu: RunningEmulator | undefined;
  try {
    emu = await startEmulator({ seed: DEMO_SEED_PATH, lro: { pollsUntilDone: 2, retryAfterSeconds: 0 } });
    log(`emulator: ${emu.url} (seed ${path.relative(root, DEMO_SEED_PATH)})`);
    const parties = demoParties(emu, path.join(work, "stack-templates"));
    const checks = await checkExamples(root, options.examplesDir ?? path.join(root, "examples"), log);
    const templates = await generateTemplates(parties, path.join(work, "templates"), log);

    const bin = options.pulumi === "never" ? undefined : findPulumiCli(root);
    let onboarding: Onboarding;
    let pulumiNote: string | undefined;
    if (bin) {
      onboarding = await onboardWithPulumi(parties, bin, root, work, emu, log);
    } else {
      pulumiNote =
        options.pulumi === "never"
          ? "Pulumi CLI not used (pulumi: never): onboarding through the providers' create() calls"
          : "no Pulumi CLI on PATH or in .cache (scripts/ensure-pulumi-cli.sh builds one): onboarding through the providers' create() calls instead";
      log(pulumiNote);
      onboarding = await onboardDirectly(parties, root, log);
    }
    const audited = await audit(parties, emu, work, log);
    if (options.beforeStop) await options.beforeStop(emu, work);
    return { onboardingPath: bin ? "pulumi" : "provider", ...(pulumiNote ? { pulumiNote } : {}), ...onboarding, templates, checks, audit: audited };
  } finally {
    await emu?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** `/subscriptions/x/resourceGroups/rg/providers/...` -> `rg`; `/subscriptions/x/providers/...` -> `subscription x`. */
function scopeName(assignmentId: string): string {
  const scope = assignmentId.split(/\/providers\//i)[0];
  const rg = /\/resourceGroups\/([^/]+)$/i.exec(scope);
  return rg ? `resource group ${rg[1]}` : `subscription ${scope.split("/")[2] ?? scope}`;
}

/** The closing summary, a few readable lines. */
export function formatSummary(s: DemoSummary): string {
  const lines = [
    "",
    "partnerlink demo: summary",
    `  Linked      ${s.link.objectId} -> partner ID ${s.link.partnerId} (${s.link.state}) by Partner Admin Link`,
    ...s.onboarded.map((o) => `  Onboarded   ${o.customer}: definition ${o.definitionId.split("/").pop()} assigned to ${o.assignmentIds.map(scopeName).join(", ")}`),
    ...s.templates.map((t) => `  Template    ${t.customer}: deploys it themselves (${t.files.join(", ")})`),
    `  Checked     ${s.checks.passed.length} generated templates pass; ${s.checks.flagged.length} broken examples flagged: ${s.checks.flagged.map((f) => f.expected).join(" ")}`,
    `  Audit       ${s.audit.subscriptions} subscriptions: associated ${s.audit.associated.join(", ") || "none"}; not associated ${s.audit.notAssociated.join(", ") || "none"}`,
    `  Onboarding  ${s.onboardingPath === "pulumi" ? "pulumi up of the root stack (Pulumi.yaml)" : "the providers' create() (the code the stack runs)"}`,
    "",
  ];
  return lines.join("\n");
}

if (require.main === module) {
  runDemo()
    .then((s) => {
      process.stdout.write(formatSummary(s));
      process.exitCode = 0;
    })
    .catch((err: unknown) => {
      const msg = err instanceof Error ? err.message : String(err);
      process.stderr.write(`partnerlink demo: ${msg.split("\n")[0]}\n`);
      process.exitCode = 1;
    });
}
