import * as fs from "node:fs";
import type { AuditRow } from "./audit-row";

/**
 * Resume support: every finished subscription is appended as one JSON line, so an interrupted audit
 * (Ctrl-C, a lost network, a CI timeout) can skip what it already read. Only IDs stay in memory.
 */
export class Checkpoint {
  private fd: number | undefined;

  private constructor(readonly file: string, readonly done: Set<string>) {}

  /** Opens (or creates) the checkpoint file; with `resume` false an old file is started afresh. */
  static open(file: string, resume: boolean): Checkpoint {
    const done = new Set<string>();
    if (resume && fs.existsSync(file)) {
      for (const row of readRows(file)) done.add(row.subscriptionId.toLowerCase());
    } else if (fs.existsSync(file)) {
      fs.rmSync(file);
    }
    const cp = new Checkpoint(file, done);
    cp.fd = fs.openSync(file, "a");
    return cp;
  }

  has(subscriptionId: string): boolean {
    return this.done.has(subscriptionId.toLowerCase());
  }

  record(row: AuditRow): void {
    if (this.fd === undefined) return;
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
