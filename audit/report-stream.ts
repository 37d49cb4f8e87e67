import { isClosedReader } from "../cli/closed-reader";

/**
 * The report's output stream, guarded: `partnerlink audit | head -1` closes stdout while rows are still coming,
 * and a write then fails with EPIPE, emitted as an 'error' event that would crash the process with a stack trace.
 * The guard listens for it: a closed reader (EPIPE) means nobody wants the rest, so `onFail` is told (the audit
 * stops) and later writes are dropped. Any other write error is kept as `failure` for the audit to report.
 *
 * The listener stays on the stream after the audit: an error of the last write arrives after the command returned.
 * A closed stderr is cli/closed-reader.ts's: the audit's messages are dropped, the report and exit code unchanged.
 */
export interface ReportStream {
  write(s: string): void;
  /** The reader went away (EPIPE): stop quietly. */
  readonly closed: boolean;
  /** Another write error (disk full, ...), to be reported. */
  readonly failure: Error | undefined;
}

export function guardReportStream(stream: NodeJS.WritableStream, onFail: () => void): ReportStream {
  let closed = false;
  let failure: Error | undefined;
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (closed || failure) return;
    if (isClosedReader(err)) closed = true;
    else failure = err;
    onFail();
  });
  return {
    write(s) {
      if (!closed && !failure) stream.write(s);
    },
    get closed() {
      return closed;
    },
    get failure() {
      return failure;
    },
  };
}
