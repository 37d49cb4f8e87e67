/**
 * `partnerlink audit` at scale: N delegated subscriptions (default 10,000) in the emulator, with realistic latency and
 * ARM's token-bucket throttling on, audited by the partner's service principal.
 *
 * The estate is generated in the emulator's child process (bench/audit-estate.ts), so the audit process holds only
 * what the audit itself needs. Reports, in one run:
 *  - wall time of a clean audit against the lower bound the configured concurrency and throttling allow, and the
 *    ratio (target >= 0.8 of the bound's throughput);
 *  - peak RSS of the audit process (the emulator runs in a child process; target < 300 MB);
 *  - a second audit with 1% injected 429s and 1% injected 5xx: subscriptions lost (target 0).
 *
 * The lower bound: every subscription costs at least one assignment read, whose latency the emulator draws uniformly
 * from [min, max] (expected (min+max)/2), C at a time; the subscription listing costs ceil(N / pageSize) sequential
 * page reads; each subscription's read bucket (250 burst) never empties at one read per subscription, and the tenant
 * bucket's burst (250) covers the pages, so throttling adds nothing for this shape:
 * bound = max(N x latencyMean / C, pages x latencyMean) + sign-in and PAL read (3 x latencyMean).
 *
 * Run: npm run bench:audit [-- N [concurrency]]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import type { EmulatorOptions, FaultRule } from "../emulator";
import { BENCH_PARTNER as PARTNER, BENCH_SP as SP } from "./audit-estate";
import { runAudit } from "../audit/run-audit";
import type { AuditRow } from "../audit/audit-row";

const LATENCY = { min: 20, max: 40 };
const PAGE_SIZE = 100;

interface Child {
  url: string;
  caCertPath: string;
  stop(): Promise<string>;
}

async function startChild(dir: string, input: { subscriptions: number; options: EmulatorOptions }): Promise<Child> {
  const file = path.join(dir, `emulator-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(input));
  const child = spawn(process.execPath, [path.join(__dirname, "audit-emulator-child.js"), file], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const first = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += d;
      const nl = buf.indexOf("\n");
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.on("exit", (code) => reject(new Error(`emulator child exited ${code}: ${err}`)));
  });
  const info = JSON.parse(first) as { url: string; caCertPath: string };
  return {
    ...info,
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners("exit");
        child.on("exit", () => resolve(err));
        child.kill("SIGTERM");
      }),
  };
}

async function audit(child: Child, concurrency: number): Promise<{ seconds: number; rows: number; associated: number; errors: number; pl003: number }> {
  const ca = fs.readFileSync(child.caCertPath, "utf8");
  let rows = 0;
  let associated = 0;
  let errors = 0;
  let pl003 = 0;
  const t0 = performance.now();
  await runAudit(
    {
      identities: [
        {
          name: "automation",
          connection: {
            credential: { kind: "clientSecret", tenantId: PARTNER, clientId: SP.appId, clientSecret: SP.secret },
            endpoint: child.url,
            authorityHost: child.url,
            caCertificatePem: ca,
            retry: { maxRetries: 6, retryDelayMs: 100, maxRetryDelayMs: 2000 },
          },
        },
      ],
      config: { pecPrincipals: [SP.objectId], partnerId: "1234567" },
      concurrency,
    },
    (r: AuditRow) => {
      rows++;
      if (r.associated) associated++;
      if (r.error) errors++;
      if (r.findings.some((f) => f.ruleId === "PL003")) pl003++;
    },
  );
  return { seconds: (performance.now() - t0) / 1000, rows, associated, errors, pl003 };
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10000);
  const concurrency = Number(process.argv[3] ?? 16);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-bench-audit-"));
  const base: EmulatorOptions = { latencyMs: LATENCY, pageSize: PAGE_SIZE, log: false };
  const pages = Math.ceil(n / PAGE_SIZE);
  const mean = (LATENCY.min + LATENCY.max) / 2;
  const boundSeconds = Math.max((n * mean) / 1000 / concurrency, (pages * mean) / 1000) + (3 * mean) / 1000;

  const clean = await startChild(dir, { subscriptions: n, options: base });
  const r1 = await audit(clean, concurrency);
  await clean.stop();
  const rssAfterClean = process.resourceUsage().maxRSS / 1024;

  const faults: FaultRule[] = [
    { path: "registrationAssignments", kind: "429", probability: 0.01, retryAfterSeconds: 1, seed: 7 },
    { path: "registrationAssignments", kind: "503", probability: 0.005, seed: 11 },
    { path: "registrationAssignments", kind: "500", probability: 0.005, seed: 13 },
  ];
  const faulty = await startChild(dir, { subscriptions: n, options: { ...base, faults } });
  const r2 = await audit(faulty, concurrency);
  const childErr = await faulty.stop();
  const stats = /\{"emulatorStats".*\}/.exec(childErr);
  const peakMb = process.resourceUsage().maxRSS / 1024;

  const result = {
    subscriptions: n,
    concurrency,
    latencyMs: LATENCY,
    pageSize: PAGE_SIZE,
    clean: { ...r1, boundSeconds: round(boundSeconds), throughputVsBound: round(boundSeconds / r1.seconds), subscriptionsPerSecond: round(r1.rows / r1.seconds) },
    faults: { ...r2, lost: n - r2.rows, emulator: stats ? JSON.parse(stats[0]).emulatorStats : undefined },
    peakRssMb: { afterCleanRun: round(rssAfterClean), overall: round(peakMb) },
  };
  fs.mkdirSync(path.join(__dirname, "..", "..", "bench", "out"), { recursive: true });
  fs.writeFileSync(path.join(__dirname, "..", "..", "bench", "out", "audit.json"), JSON.stringify(result, null, 2) + "\n");
  fs.rmSync(dir, { recursive: true, force: true });
  const line = (k: string, v: string) => process.stdout.write(`${k.padEnd(44)} ${v}\n`);
  line("subscriptions / concurrency", `${n} / ${concurrency} (latency ${LATENCY.min}-${LATENCY.max} ms, page ${PAGE_SIZE})`);
  line("clean run: wall time", `${round(r1.seconds)} s (${result.clean.subscriptionsPerSecond} subscriptions/s)`);
  line("lower bound (concurrency x latency, throttling)", `${round(boundSeconds)} s`);
  line("throughput vs bound (target >= 0.8)", `${result.clean.throughputVsBound}`);
  line("clean run: rows / associated / PL003 / errors", `${r1.rows} / ${r1.associated} / ${r1.pl003} / ${r1.errors}`);
  line("1% 429 + 1% 5xx: rows / lost / errors", `${r2.rows} / ${n - r2.rows} / ${r2.errors} (wall ${round(r2.seconds)} s)`);
  line("emulator faults injected / throttled", stats ? `${JSON.parse(stats[0]).emulatorStats.faultsInjected} / ${JSON.parse(stats[0]).emulatorStats.throttled}` : "?");
  line("peak RSS of the audit process (target < 300 MB)", `${round(peakMb)} MB`);
}

const round = (x: number) => Math.round(x * 100) / 100;

main().catch((err) => {
  process.stderr.write(`bench audit: ${(err as Error).stack}\n`);
  process.exit(1);
});
