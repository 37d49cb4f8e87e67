import * as fs from "node:fs";
import type { AuditRow } from "./audit-row";

/** `--resume` with a checkpoint that another audit (other identities, endpoint or config) wrote. */
export class CheckpointMismatchError extends Error {}

/** The first line of a checkpoint: which audit it belongs to. */
interface CheckpointHeader {
  partnerlinkAuditCheckpoint: 1;
  fingerprint: string;
}

/**
 * Resume support: every subscription read to the end is appended as one JSON line, so an interrupted audit
 * (Ctrl-C, a lost network, a CI timeout) can skip what it already read. Only IDs stay in memory. The first line
 * says which audit wrote the file (a fingerprint of its identities and config, never a secret); resuming another
 * audit's file is refused. Rows with an error are not recorded: a resumed run reads those subscriptions again.
 */
export class Checkpoint {
  private fd: number | undefined;

  /**
   * @param resumed true when this run continues a checkpoint an earlier run wrote: that file holds the earlier runs'
   *   work and is the user's to keep, whatever happens to this run before it reads anything.
   */
  private constructor(
    readonly file: string,
    readonly done: Set<string>,
    readonly resumed: boolean,
    private readonly fingerprint: string,
  ) {}

  /** Opens (or creates) the checkpoint file; with `resume` false an old file is started afresh. */
  static open(file: string, resume: boolean, fingerprint: string): Checkpoint {
    const done = new Set<string>();
    const exists = fs.existsSync(file);
    if (resume && exists) {
      const written = fingerprintOf(file);
      if (written !== undefined && written !== fingerprint)
        throw new CheckpointMismatchError(
          `--resume: the checkpoint ${file} was written by another audit (other identities, endpoint or config); run without --resume to start afresh, or pass --checkpoint <file> for this one`,
        );
      for (const row of readRows(file)) done.add(row.subscriptionId.toLowerCase());
    } else if (exists) {
      fs.rmSync(file);
    }
    const cp = new Checkpoint(file, done, resume && exists, fingerprint);
    cp.fd = fs.openSync(file, "a");
    if (!(resume && exists)) fs.writeSync(cp.fd, JSON.stringify({ partnerlinkAuditCheckpoint: 1, fingerprint } satisfies CheckpointHeader) + "\n");
    return cp;
  }

  /**
   * Ties the rows to the PAL links they are judged against (`key`, never a secret: partner IDs and object IDs), called
   * once the links are read and before any row is recorded. A new checkpoint records the key and the time. A resumed
   * one keeps its rows only when it recorded the same key: otherwise (the links changed since, or a checkpoint that
   * records none) its rows are dropped and the file starts again with this key, so their subscriptions are read again.
   * Returns how many rows were dropped, and when the dropped ones' links were recorded.
   */
  useLinks(key: string, now: Date = new Date()): { discarded: number; since?: string } {
    if (this.fd === undefined) return { discarded: 0 };
    const line = JSON.stringify({ partnerlinkAuditLinks: key, at: now.toISOString() } satisfies CheckpointLinks) + "\n";
    if (!this.resumed) {
      fs.writeSync(this.fd, line);
      return { discarded: 0 };
    }
    const recorded = linksOf(this.file);
    if (recorded?.partnerlinkAuditLinks === key) return { discarded: 0 };
    const discarded = this.done.size;
    this.done.clear();
    fs.closeSync(this.fd);
    // Written whole, then renamed over the old file: an interruption leaves one or the other, never a torn header.
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ partnerlinkAuditCheckpoint: 1, fingerprint: this.fingerprint } satisfies CheckpointHeader) + "\n" + line);
    fs.renameSync(tmp, this.file);
    this.fd = fs.openSync(this.file, "a");
    return { discarded, ...(recorded ? { since: recorded.at } : {}) };
  }

  has(subscriptionId: string): boolean {
    return this.done.has(subscriptionId.toLowerCase());
  }

  record(row: AuditRow): void {
    if (this.fd === undefined || row.error !== undefined) return;
    fs.writeSync(this.fd, JSON.stringify(row) + "\n");
    this.done.add(row.subscriptionId.toLowerCase());
  }

  /** Rows recorded by earlier runs, streamed line by line (never the whole file in memory). */
  *previousRows(): Generator<AuditRow> {
    yield* readRows(this.file);
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /** A finished audit removes its checkpoint. */
  finish(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
  }
}

/** The second line of a checkpoint: the PAL links its rows were judged against, and when they were read. */
interface CheckpointLinks {
  partnerlinkAuditLinks: string;
  at: string;
}

/** The links line (the second line, written before any row); undefined when there is none (an older checkpoint). */
function linksOf(file: string): CheckpointLinks | undefined {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(1 << 16);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const second = buf.toString("utf8", 0, n).split("\n")[1] ?? "";
    const l = JSON.parse(second) as Partial<CheckpointLinks>;
    return typeof l.partnerlinkAuditLinks === "string" && typeof l.at === "string" ? { partnerlinkAuditLinks: l.partnerlinkAuditLinks, at: l.at } : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The fingerprint in the header line; "" when the first line is not a header (a file no audit of this version
 * wrote, which matches no audit); undefined for an empty file or a torn first line.
 */
function fingerprintOf(file: string): string | undefined {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const first = buf.toString("utf8", 0, n).split("\n")[0] ?? "";
    const h = JSON.parse(first) as Partial<CheckpointHeader>;
    return h.partnerlinkAuditCheckpoint === 1 && typeof h.fingerprint === "string" ? h.fingerprint : "";
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

function* readRows(file: string): Generator<AuditRow> {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(1 << 16);
    let rest = "";
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const lines = (rest + buf.toString("utf8", 0, n)).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) {
        const row = parse(line);
        if (row) yield row;
      }
    }
    const row = parse(rest);
    if (row) yield row;
  } finally {
    fs.closeSync(fd);
  }
}

/** A line torn by an interruption is ignored: its subscription is simply read again. */
function parse(line: string): AuditRow | undefined {
  if (line.trim() === "") return undefined;
  try {
    const row = JSON.parse(line) as AuditRow;
    return typeof row.subscriptionId === "string" ? row : undefined;
  } catch {
    return undefined;
  }
}
