import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import type { CommandModule, CommandIO } from "../command";
import { UsageError } from "../command";
import { strayEndpoint, type ArmConnection, type CredentialOptions } from "../../arm";
import { SEVERITY_ORDER, type Finding, type Severity } from "../../rules/model";
import { isGuid } from "../../rules/identifiers";
import type { PartnerlinkConfig } from "../../rules/config-types";
import { resolveRulesConfig } from "../rules-config";
import { runAudit, type AuditIdentity } from "../../audit/run-audit";
import { Checkpoint, CheckpointMismatchError } from "../../audit/checkpoint";
import { progressFor } from "../../audit/progress";
import { csvSink, jsonSink, linkFindingText, sarifSink, tableSink, type AuditSummary, type RowSink } from "../../audit/sinks";
import type { AuditRow } from "../../audit/audit-row";
import { AtomicOutputError, atomicOutput, type AtomicOutput } from "../atomic-output";
import { guardReportStream, type ReportStream } from "../../audit/report-stream";
import { pointerToJsonPath } from "../../rules/json-path";
import { schemaValidator, type SchemaValidatorSpec } from "../../rules/schema-validator";
import identitiesSchema from "../../audit/identities.schema.json";
import { parseCommandOptions } from "../parse-options";
import { jsonSyntaxProblem } from "../../rules/json-syntax";

const USAGE = `Usage: partnerlink audit [options]

Signs in as the partner identity (or identities), lists the subscriptions the managing tenant can see, reads every
delegation (registration assignments with their definitions) and each identity's Partner Admin Link, and reports per
subscription: associated or not (not judged when PL007 is turned off), PEC principal, its role and whether it is
permanent, rule findings, DPOR as declared.

Sign-in (one identity):
  --tenant-id <id> --client-id <id>   a service principal; its secret is read from --client-secret-env
  --client-secret-env <VAR>           environment variable holding the client secret (default AZURE_CLIENT_SECRET)
  --certificate <file>                PEM (certificate + private key) instead of a secret
  --federated-token-file <file>       workload identity federation instead of a secret
  --managed-identity                  managed identity (optionally with --client-id)
  --azure-cli                         the Azure CLI's signed-in account
  (none of these)                     the default credential chain
  --identities <file>                 JSON/YAML list of identities (see docs/audit.md); secrets by env var name
Endpoints:
  --cloud <AzureCloud|AzureUSGovernment|AzureChinaCloud>
  --endpoint <https url>  --authority-host <https url>  --ca-cert <file>   (the emulator, Azure Stack)
                                      these apply to --identities too; its arm: section must not disagree
Rules (as partnerlink check):
  --config <file>  --pec-principal <objectId>...  --partner-id <id>  --allowed-tenant <id>...
Output:
  --format table|json|csv|sarif       default: table on a terminal, json otherwise
  --output <file>                     written atomically when the audit ends
  --severity-threshold error|warning|info   exit 1 when a finding at or above it is not suppressed (default error)
Scale:
  --concurrency <n>                   subscriptions read at once (default 16)
  --include-home                      also report the identities' own-tenant subscriptions
  --checkpoint <file>                 record progress (default .partnerlink-audit.jsonl); --resume continues from it

Exit codes: 0 nothing at or above the threshold, 1 findings, 2 usage errors or unreadable input/subscriptions.
`;

export const auditCommand: CommandModule = {
  usage: USAGE,
  run: runAuditCommand,
};

const AUDIT_OPTIONS = {
  "tenant-id": { type: "string" },
  "client-id": { type: "string" },
  "client-secret-env": { type: "string" },
  certificate: { type: "string" },
  "federated-token-file": { type: "string" },
  "managed-identity": { type: "boolean" },
  "azure-cli": { type: "boolean" },
  identities: { type: "string" },
  cloud: { type: "string" },
  endpoint: { type: "string" },
  "authority-host": { type: "string" },
  "ca-cert": { type: "string" },
  config: { type: "string" },
  "pec-principal": { type: "string", multiple: true },
  "partner-id": { type: "string" },
  "allowed-tenant": { type: "string", multiple: true },
  format: { type: "string" },
  output: { type: "string" },
  "severity-threshold": { type: "string" },
  concurrency: { type: "string" },
  "include-home": { type: "boolean" },
  checkpoint: { type: "string" },
  resume: { type: "boolean" },
} as const;

async function runAuditCommand(argv: string[], io: CommandIO): Promise<number> {
  const v = parseCommandOptions(argv, AUDIT_OPTIONS, "audit");
  const format = v.format ?? (io.stdout.isTTY && !v.output ? "table" : "json");
  if (!["table", "json", "csv", "sarif"].includes(format)) throw new UsageError(`--format ${format}: use table, json, csv or sarif`);
  const threshold = (v["severity-threshold"] ?? "error") as Severity;
  if (!Object.hasOwn(SEVERITY_ORDER, threshold)) throw new UsageError(`--severity-threshold ${threshold}: use error, warning or info`);
  const concurrency = v.concurrency === undefined ? 16 : Number(v.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new UsageError(`--concurrency ${v.concurrency}: use a whole number from 1 to 256`);

  const { config } = resolveRulesConfig(
    { config: v.config, pecPrincipals: v["pec-principal"], partnerId: v["partner-id"], allowedTenants: v["allowed-tenant"] },
    io.cwd,
  );
  refuseConflictingSignIn(v);
  const identities = v.identities ? readIdentitiesFile(path.resolve(io.cwd, v.identities), v, io) : [singleIdentity(v, io)];

  const abort = new AbortController();
  // stdout may close under the report (`| head -1`): the guard stops the audit instead of crashing on EPIPE.
  let stdout: ReportStream | undefined;
  let out: AtomicOutput | { stream: { write(s: string): unknown }; commit(): Promise<void> | void; abort(): void };
  try {
    if (v.output) out = atomicOutput(path.resolve(io.cwd, v.output));
    else {
      stdout = guardReportStream(io.stdout, () => abort.abort());
      out = { stream: stdout, commit() {}, abort() {} };
    }
  } catch (err) {
    if (err instanceof AtomicOutputError) throw new UsageError(err.message);
    throw err;
  }
  const rowSink: RowSink = format === "table" ? tableSink(out.stream) : format === "csv" ? csvSink(out.stream) : format === "sarif" ? sarifSink(out.stream) : jsonSink(out.stream);
  // The report starts with its first row: a run that fails before (sign-in, a bad identity) writes nothing.
  let begun = false;
  const begin = (): void => {
    if (!begun) rowSink.begin();
    begun = true;
  };
  const sink: RowSink = { begin, row: (r) => (begin(), rowSink.row(r)), end: (sm, notices) => (begin(), rowSink.end(sm, notices)) };
  const checkpointFile = path.resolve(io.cwd, v.checkpoint ?? ".partnerlink-audit.jsonl");
  // Notices of the command itself, said at once on stderr and carried by the report with the run's (a scheduled
  // `--resume` whose checkpoint is gone audits everything again: its report says so). The path as the user would
  // write it, relative to the working folder, where it is in it: a report may be uploaded.
  const commandNotices: string[] = [];
  if (v.resume === true && !fs.existsSync(checkpointFile)) {
    const shown = path.relative(io.cwd, checkpointFile);
    const notice = `no checkpoint at ${shown === "" || shown.startsWith("..") || path.isAbsolute(shown) ? checkpointFile : shown}; auditing from the start`;
    commandNotices.push(notice);
    io.stderr.write(`partnerlink audit: ${notice}\n`);
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = Checkpoint.open(checkpointFile, v.resume === true, auditFingerprint(identities, config));
  } catch (err) {
    out.abort();
    if (err instanceof CheckpointMismatchError) throw new UsageError(err.message);
    throw err;
  }
  const progress = progressFor(io.stderr, io.env);
  const summary: AuditSummary = { subscriptions: 0, associated: 0, notAssociated: 0, notJudged: 0, errors: 0, delegationsNotInEffect: 0, findings: { error: 0, warning: 0, info: 0, suppressed: 0 }, links: [], notEvaluated: [] };
  let failing = false;
  const count = (f: Finding): void => {
    if (f.suppressed) summary.findings.suppressed++;
    else {
      summary.findings[f.severity]++;
      if (SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[threshold]) failing = true;
    }
  };
  // Ctrl-C, and the SIGTERM a CI runner, a container stop or `timeout` sends: either stops the audit cleanly (no
  // temporary report file left behind, the checkpoint kept for --resume). Without a listener SIGTERM would end the
  // process at once, leaving the --output temp file half-written. Requests in flight are aborted, not awaited (a
  // sign-in included: run-audit.ts untilAborted), so the stop takes moments.
  let signalled = false;
  const onSignal = () => {
    signalled = true;
    abort.abort();
  };
  /** The clean stop after a signal: no report (stdout's is left unfinished, not closed as if complete), the checkpoint kept. */
  const interrupted = (): number => {
    checkpoint.close();
    out.abort();
    io.stderr.write(`partnerlink audit: interrupted after ${summary.subscriptions} subscriptions; run again with --resume to continue\n`);
    // A token request the credential cannot abort (run-audit.ts untilAborted) would keep the process alive until the
    // authority answers, if ever: nothing is left to do, so do not wait for it (the timer holds no process open).
    setTimeout(() => process.exit(2), 1000).unref();
    return 2;
  };
  for (const sig of INTERRUPTS) process.once(sig, onSignal);
  try {
    const result = await runAudit(
      { identities, config, concurrency, includeHome: v["include-home"], checkpoint, signal: abort.signal, onProgress: (d, s) => progress.update(d, s) },
      (row: AuditRow) => {
        summary.subscriptions++;
        // An unreadable subscription is counted as such only: whether it is associated is not known. Nor is it when
        // PL007 did not run (turned off in config): counted apart, never as associated or not.
        if (row.error) summary.errors++;
        else if (row.associated === null) summary.notJudged++;
        else if (row.associated) summary.associated++;
        else summary.notAssociated++;
        summary.delegationsNotInEffect += row.notInEffect?.length ?? 0;
        for (const f of row.findings) count(f);
        sink.row(row);
      },
    );
    progress.end();
    if (stdout?.failure) throw new Error(`cannot write the report to stdout (${(stdout.failure as NodeJS.ErrnoException).code ?? stdout.failure.message}); use --output <file>`);
    if (stdout?.closed) {
      // Whoever read the report has all they wanted: end quietly, as a pipe's writer does. The checkpoint this run
      // started goes (nobody asked to resume a report they cut short); one it resumed is kept.
      if (checkpoint.resumed) checkpoint.close();
      else checkpoint.finish();
      return 0;
    }
    for (const n of result.notices) io.stderr.write(`partnerlink audit: ${n}\n`);
    // No summary after an interrupt: on stdout a closed JSON or SARIF document with a summary of the rows read so far
    // would pass for the whole estate's report.
    if (signalled) return interrupted();
    // Findings on a PAL link (linked to another partner ID) are the link's, once, not every subscription's.
    summary.links = result.links.map((l) => {
      const findings = result.linkFindings.filter((f) => f.resource === l.name);
      return { identity: l.name, partnerId: String(l.partnerId), objectId: String(l.objectId ?? ""), ...(findings.length > 0 ? { findings } : {}) };
    });
    for (const f of result.linkFindings) count(f);
    // A CSV report has a row per subscription and no place for them.
    if (format === "csv") for (const f of result.linkFindings) io.stderr.write(`partnerlink audit: ${linkFindingText(f)}\n`);
    summary.notEvaluated = result.notEvaluated;
    // The notices went to stderr above; the JSON and SARIF reports carry them too (a scheduled pipeline reads only those).
    sink.end(summary, [...commandNotices, ...result.notices]);
    await out.commit();
    // Unreadable subscriptions are not in the checkpoint: keep it, so --resume reads just those again.
    if (summary.errors > 0) {
      checkpoint.close();
      io.stderr.write(`partnerlink audit: ${summary.errors} subscription(s) could not be read; run again with --resume to read just those\n`);
    } else checkpoint.finish();
  } catch (err) {
    progress.end();
    // Interrupted during a sign-in or a listing: the same clean stop as between reads.
    if (signalled) return interrupted();
    // A run that failed before its first subscription (sign-in, listing) leaves no checkpoint behind; but one that
    // resumed keeps the checkpoint it resumed, with everything the earlier runs read, and so does one that read some.
    const keep = summary.subscriptions > 0 || checkpoint.resumed;
    if (keep) checkpoint.close();
    else checkpoint.finish();
    out.abort();
    const after: string[] = [];
    if (keep) after.push(`the checkpoint ${checkpoint.file} is kept: run again with --resume once this is fixed`);
    // Rows already streamed to stdout stay there, without the summary: say so, rather than leave a reader guessing.
    if (stdout && begun) after.push(`the report on stdout stops after ${summary.subscriptions} subscriptions and is incomplete`);
    throw new UsageError([(err as Error).message, ...after].join("; "));
  } finally {
    for (const sig of INTERRUPTS) process.removeListener(sig, onSignal);
  }
  if (summary.errors > 0) return 2;
  return failing ? 1 : 0;
}

type Values = Record<string, string | boolean | string[] | undefined>;

/** The signals that interrupt an audit (as Ctrl-C does): the report is dropped, the checkpoint kept. */
const INTERRUPTS = ["SIGINT", "SIGTERM"] as const;

/**
 * What a checkpoint belongs to: the identities (name, tenant, client, endpoint) and the rules config. `--resume`
 * refuses a checkpoint another audit wrote, whose rows would be mixed into this report.
 */
function auditFingerprint(identities: readonly AuditIdentity[], config: PartnerlinkConfig): string {
  // Who signs in where; never a secret (the credential's secret, certificate and token file stay out).
  const who = identities.map((i) => {
    const c = i.connection.credential as Partial<Record<"kind" | "tenantId" | "clientId", string>>;
    return [i.name, c.kind ?? "token", c.tenantId ?? "", c.clientId ?? "", i.connection.endpoint ?? "", i.connection.cloud ?? ""];
  });
  return createHash("sha256").update(JSON.stringify({ who, config })).digest("hex");
}

/** Where the ARM settings come from: the command line, or an identities file's `arm:` section (paths already resolved). */
interface ArmSettingsSource {
  cloud?: string;
  endpoint?: string;
  authorityHost?: string;
  caCertificateFile?: string;
  /** How to name a setting in a message: `--endpoint` or `ids.yaml: arm.endpoint`. */
  label(key: keyof typeof ARM_OPTION): string;
}

const ARM_OPTION = { cloud: "cloud", endpoint: "endpoint", authorityHost: "authority-host", caCertificateFile: "ca-cert" } as const;

function commandLineArm(v: Values, io: CommandIO): ArmSettingsSource {
  const ca = v["ca-cert"] as string | undefined;
  return {
    cloud: v.cloud as string | undefined,
    endpoint: v.endpoint as string | undefined,
    authorityHost: v["authority-host"] as string | undefined,
    caCertificateFile: ca === undefined ? undefined : path.resolve(io.cwd, ca),
    label: (key) => `--${ARM_OPTION[key]}`,
  };
}

function armSettings(src: ArmSettingsSource): Omit<ArmConnection, "credential"> {
  const cloud = src.cloud;
  if (cloud && !["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"].includes(cloud)) throw new UsageError(`${src.label("cloud")} ${cloud}: use AzureCloud, AzureUSGovernment or AzureChinaCloud`);
  const caFile = src.caCertificateFile;
  let caCertificatePem: string | undefined;
  if (caFile) {
    try {
      caCertificatePem = fs.readFileSync(caFile, "utf8");
    } catch {
      throw new UsageError(`${src.label("caCertificateFile")} ${caFile}: cannot read the file`);
    }
    // Anything else would be taken as an empty trust list, and every request would fail as "not trusted".
    if (!caCertificatePem.includes("-----BEGIN CERTIFICATE-----"))
      throw new UsageError(`${src.label("caCertificateFile")} ${caFile}: holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the CA certificate's file (the emulator prints its path)`);
  }
  // Errors name the audit's own settings: its CA option or key, and no retry setting (the audit has none).
  const settings = { cloud: cloud as ArmConnection["cloud"], endpoint: src.endpoint, authorityHost: src.authorityHost, caCertificatePem, settingNames: { caCertificatePem: src.label("caCertificateFile"), retry: "" } };
  // Every sign-in here is built from options: a foreign endpoint without its authority would get a real cloud token.
  const stray = strayEndpoint(settings);
  if (stray !== undefined)
    throw new UsageError(
      `${src.label("endpoint")} ${stray.endpoint} is not the cloud's ARM endpoint, and no ${src.label("authorityHost")} is given: the audit would sign in at ${stray.authority} and send that token to ${stray.endpoint}. Give ${src.label("authorityHost")} too (the emulator prints it), or leave ${src.label("endpoint")} out`,
    );
  return settings;
}

/**
 * The ARM settings for an identities file: its `arm:` section and the command line's --cloud, --endpoint,
 * --authority-host and --ca-cert together. Credentials must go where the user asked, so a setting given in both
 * places with different values is a usage error naming both, never settled by picking one.
 */
function identitiesFileArm(cli: ArmSettingsSource, fromFile: ArmSettingsSource): ArmSettingsSource {
  const same = (key: keyof typeof ARM_OPTION, a: string, b: string): boolean =>
    key === "caCertificateFile" ? path.resolve(a) === path.resolve(b) : key === "cloud" ? a === b : a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();
  const merged: ArmSettingsSource = { label: (key) => (cli[key] !== undefined ? cli.label(key) : fromFile.label(key)) };
  for (const key of Object.keys(ARM_OPTION) as (keyof typeof ARM_OPTION)[]) {
    const a = cli[key];
    const b = fromFile[key];
    if (a !== undefined && b !== undefined && !same(key, a, b))
      throw new UsageError(`${cli.label(key)} ${a} and ${fromFile.label(key)} ${b} disagree; give it in one place (or the same value in both)`);
    merged[key] = a ?? b;
  }
  return merged;
}

/** An environment variable's name: the pattern audit/identities.schema.json requires of `clientSecretEnv`, read from it. */
const ENV_VAR_NAME = new RegExp(identitiesSchema.properties.identities.items.properties.credential.properties.clientSecretEnv.pattern);

function readSecretEnv(varName: string, io: CommandIO, who: string): string {
  // Not a variable name: most likely the secret itself, pasted where its variable's name goes. Never repeated.
  if (!ENV_VAR_NAME.test(varName))
    throw new UsageError(`--client-secret-env takes the NAME of an environment variable (letters, digits and _), and the value given is not one (not repeated here: it may be the secret itself). Put the secret in a variable (e.g. AZURE_CLIENT_SECRET) and pass its name`);
  const secret = io.env[varName];
  if (!secret) throw new UsageError(`${who}: environment variable ${varName} is empty; set it to the client secret (secrets are never taken on the command line)`);
  return secret;
}

/** PEM text, anything on several lines, or a JWT (a federated token): file contents given where a file's path goes. */
const NOT_A_PATH = /-----BEGIN |[\r\n]|^eyJ[\w-]*\.[\w-]*\./;

function readFileFor(file: string, io: CommandIO, what: string): string {
  // The certificate itself pasted where its file's path goes (`--certificate="$(cat cert.pem)"`): never repeated.
  if (NOT_A_PATH.test(file))
    throw new UsageError(`${what} takes the PATH of a file, and the value given is file contents (not repeated here: it may hold a private key or a token). Save it to a file and pass that file's path`);
  try {
    return fs.readFileSync(path.resolve(io.cwd, file), "utf8");
  } catch {
    throw new UsageError(`${what} ${file}: cannot read the file`);
  }
}

/**
 * A federated token file's absolute path, once it is known to be readable: the credential reads it again as the token
 * rotates, but a missing file is refused here (as --certificate is), not reported later as a sign-in failure.
 */
function readableTokenFile(file: string, io: CommandIO, what: string): string {
  readFileFor(file, io, what);
  return path.resolve(io.cwd, file);
}

/** The options that each choose a way to sign in; at most one may be given. */
const SIGN_IN_CHOICES = ["managed-identity", "azure-cli", "certificate", "federated-token-file", "client-secret-env"] as const;
/** The service principal's own options: they need --tenant-id and --client-id. */
const SERVICE_PRINCIPAL_CHOICES: readonly string[] = ["certificate", "federated-token-file", "client-secret-env"];

/**
 * Refuses sign-in options that contradict each other, rather than pick one silently: two ways to sign in, a service
 * principal's credential without the service principal, or command-line credentials beside --identities.
 */
function refuseConflictingSignIn(v: Values): void {
  const chosen = SIGN_IN_CHOICES.filter((o) => v[o] !== undefined && v[o] !== false);
  if (v.identities !== undefined) {
    const extra = [...(["tenant-id", "client-id"] as const).filter((o) => v[o] !== undefined), ...chosen];
    if (extra.length > 0) throw new UsageError(`--identities gives every identity with its credential; drop --${extra[0]} (or drop --identities)`);
    return;
  }
  if (chosen.length > 1) throw new UsageError(`--${chosen[0]} and --${chosen[1]} are two ways to sign in; give one`);
  // An ID the chosen sign-in does not use would be ignored, and the audit would run as someone else than meant.
  if (v["azure-cli"] && v["client-id"] !== undefined)
    throw new UsageError("--azure-cli signs in as the Azure CLI's account, which --client-id cannot choose; drop --client-id (or sign in the service principal with --tenant-id, --client-id and its credential)");
  if (v["managed-identity"] && v["tenant-id"] !== undefined)
    throw new UsageError("--managed-identity signs in as this host's managed identity, in its own tenant; drop --tenant-id (--client-id picks a user-assigned identity)");
  const sp = chosen.find((o) => SERVICE_PRINCIPAL_CHOICES.includes(o));
  if (sp !== undefined && (v["tenant-id"] === undefined || v["client-id"] === undefined)) {
    throw new UsageError(`--${sp} signs in a service principal: give its --tenant-id and --client-id too`);
  }
}

function singleIdentity(v: Values, io: CommandIO): AuditIdentity {
  const tenantId = v["tenant-id"] as string | undefined;
  const clientId = v["client-id"] as string | undefined;
  // GUIDs, as the identities file requires. A value that is not one is never repeated: it may be a secret pasted
  // into the wrong option, and would otherwise reach the sign-in error (and the identity's name) verbatim.
  for (const [option, id] of [["--tenant-id", tenantId], ["--client-id", clientId]] as const) {
    if (id !== undefined && !isGuid(id))
      throw new UsageError(`${option} must be a GUID (8-4-4-4-12 hex digits: the ${option === "--tenant-id" ? "directory (tenant)" : "application (client)"} ID from Entra ID); the value given is not one (not repeated here, in case it is a secret)`);
  }
  let credential: CredentialOptions;
  if (v["managed-identity"]) credential = { kind: "managedIdentity", clientId };
  else if (v["azure-cli"]) credential = { kind: "azureCli", tenantId };
  else if (tenantId && clientId && v.certificate) credential = { kind: "clientCertificate", tenantId, clientId, certificatePem: readFileFor(v.certificate as string, io, "--certificate") };
  else if (tenantId && clientId && v["federated-token-file"]) credential = { kind: "workloadIdentity", tenantId, clientId, tokenFilePath: readableTokenFile(v["federated-token-file"] as string, io, "--federated-token-file") };
  else if (tenantId && clientId) credential = { kind: "clientSecret", tenantId, clientId, clientSecret: readSecretEnv((v["client-secret-env"] as string | undefined) ?? "AZURE_CLIENT_SECRET", io, "--client-secret-env") };
  else if (tenantId || clientId) throw new UsageError("--tenant-id and --client-id go together (a service principal); or use --managed-identity / --azure-cli");
  else credential = { kind: "default" };
  const connection: ArmConnection = { credential, ...armSettings(commandLineArm(v, io)) };
  refuseOwnSignIn(connection, `--${v["managed-identity"] ? "managed-identity" : "azure-cli"}`, "--endpoint", "--authority-host", "a service principal (--tenant-id, --client-id and a secret, --certificate or --federated-token-file)");
  return { name: clientId ?? credential.kind, connection };
}

/**
 * The Azure CLI and a managed identity sign in at their own cloud, whatever --authority-host says (arm/connection.ts
 * strayEndpoint): with an --endpoint that is not the cloud's ARM, their real token would go there. Refused before
 * anyone signs in, as an --endpoint without --authority-host is.
 */
function refuseOwnSignIn(connection: ArmConnection, who: string, endpointLabel: string, authorityLabel: string, instead: string): void {
  const stray = strayEndpoint(connection);
  if (stray?.credentialKind !== undefined)
    throw new UsageError(
      `${who} signs in at ${stray.authority}, whatever ${authorityLabel} says: that real token would go to ${endpointLabel} ${stray.endpoint}. Sign in ${instead} there instead, or leave ${endpointLabel} out`,
    );
}

/** audit/identities.schema.json, compiled once per process (rules/schema-validator.ts). */
const IDENTITIES_SCHEMA: SchemaValidatorSpec = { id: "audit-identities", schema: identitiesSchema, allErrors: true, formats: false };

interface IdentitiesFile {
  arm?: { cloud?: string; endpoint?: string; authorityHost?: string; caCertificateFile?: string };
  identities: { name: string; credential: { kind: CredentialOptions["kind"]; tenantId?: string; clientId?: string; clientSecretEnv?: string; certificateFile?: string; tokenFile?: string } }[];
}

function readIdentitiesFile(file: string, v: Values, io: CommandIO): AuditIdentity[] {
  const text = readFileFor(file, io, "--identities");
  let doc: unknown;
  const yaml = /\.ya?ml$/i.test(file);
  try {
    doc = yaml ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    // JSON: line, column and reason, never the text around the error (V8 quotes it; a mistaken secret could be there).
    throw new UsageError(`${file}: not valid ${yaml ? `YAML: ${(err as Error).message.split("\n")[0]}` : `JSON${jsonSyntaxProblem(text, err)}`}`);
  }
  const validate = schemaValidator<IdentitiesFile>(IDENTITIES_SCHEMA);
  if (!validate(doc)) {
    const e = validate.errors![0];
    const where = pointerToJsonPath(e.instancePath, "$", doc);
    const member = e.keyword === "additionalProperties" ? (e.params as { additionalProperty: string }).additionalProperty : undefined;
    // A secret written into the file is the one mistake that must never be accepted: say what to do instead.
    if (member === "clientSecret") throw new UsageError(`${file}: ${where}: secrets are never read from this file; remove 'clientSecret' and set clientSecretEnv to the name of an environment variable that holds it.`);
    const extra = member !== undefined ? ` '${member}'` : "";
    throw new UsageError(`${file}: ${where}: ${e.message}${extra}. See docs/audit.md for the identities file format.`);
  }
  const dup = doc.identities.findIndex((id, i) => doc.identities.findIndex((o) => o.name === id.name) !== i);
  if (dup >= 0) throw new UsageError(`${file}: $.identities[${dup}].name: '${doc.identities[dup]!.name}' is used twice; give each identity its own name.`);
  const dir = path.dirname(file);
  const base = doc.arm ?? {};
  const fromFile: ArmSettingsSource = {
    ...base,
    caCertificateFile: base.caCertificateFile ? path.resolve(dir, base.caCertificateFile) : undefined,
    label: (key) => `${file}: arm.${key}`,
  };
  // Checked (and the CA read) before any secret is: a conflict is reported before anything else about the identities.
  const armSource = identitiesFileArm(commandLineArm(v, io), fromFile);
  const arm = armSettings(armSource);
  return doc.identities.map((id, i) => {
    const c = id.credential;
    const who = `${file}: $.identities[${i}].credential`;
    const need = (k: "tenantId" | "clientId") => {
      const val = c[k];
      if (!val) throw new UsageError(`${who}: '${k}' is required for kind ${c.kind}`);
      return val;
    };
    let credential: CredentialOptions;
    switch (c.kind) {
      case "clientSecret":
        credential = { kind: "clientSecret", tenantId: need("tenantId"), clientId: need("clientId"), clientSecret: readSecretEnv(c.clientSecretEnv ?? "AZURE_CLIENT_SECRET", io, who) };
        break;
      case "clientCertificate":
        if (!c.certificateFile) throw new UsageError(`${who}: 'certificateFile' is required for kind clientCertificate`);
        credential = { kind: "clientCertificate", tenantId: need("tenantId"), clientId: need("clientId"), certificatePem: readFileFor(path.resolve(dir, c.certificateFile), io, `${who}.certificateFile`) };
        break;
      case "workloadIdentity":
        if (!c.tokenFile) throw new UsageError(`${who}: 'tokenFile' is required for kind workloadIdentity`);
        credential = { kind: "workloadIdentity", tenantId: need("tenantId"), clientId: need("clientId"), tokenFilePath: readableTokenFile(path.resolve(dir, c.tokenFile), io, `${who}.tokenFile`) };
        break;
      case "managedIdentity":
        credential = { kind: "managedIdentity", clientId: c.clientId };
        break;
      case "azureCli":
        credential = { kind: "azureCli", tenantId: c.tenantId };
        break;
      default:
        credential = { kind: "default", tenantId: c.tenantId, clientId: c.clientId };
    }
    const connection: ArmConnection = { credential, ...arm };
    refuseOwnSignIn(connection, `${who}: kind ${c.kind}`, armSource.label("endpoint"), armSource.label("authorityHost"), "with kind clientSecret, clientCertificate or workloadIdentity");
    return { name: id.name, connection };
  });
}
