/**
 * A reader that goes away (`partnerlink audit ... 2>&1 | head -1`, a stderr pipe its reader closed) makes the next
 * write to that stream fail with EPIPE, emitted as an 'error' event that, unhandled, crashes the process with a stack
 * trace and exit 1 (which reads as "findings"). cli/main.ts listens on stdout and stderr for every command, once per
 * stream: a mature CLI stops writing to a reader that is gone, quietly.
 *
 * - stderr: every error is dropped, and the messages after it with it (nowhere is left to say anything). The command
 *   carries on: the report (stdout or --output) and the exit code are what they would have been.
 * - stdout: a closed reader is dropped (a command writing to it after that writes to no one; the audit stops at once,
 *   audit/report-stream.ts). Any other error is left as it was: rethrown unless the command listens itself.
 *
 * The listeners stay on the streams: the error of a last write arrives after the command returned.
 */
export const CLOSED_READER_CODES: ReadonlySet<string> = new Set(["EPIPE", "ERR_STREAM_DESTROYED"]);

/** true for the error a write gets once its reader has gone (EPIPE), or a write after that (ERR_STREAM_DESTROYED). */
export function isClosedReader(err: unknown): boolean {
  return CLOSED_READER_CODES.has((err as NodeJS.ErrnoException | undefined)?.code ?? "");
}

const quieted = new WeakSet<NodeJS.WritableStream>();

export function quietOnClosedReader(stream: NodeJS.WritableStream, which: "stdout" | "stderr"): void {
  if (quieted.has(stream)) return;
  quieted.add(stream);
  const listener = (err: Error): void => {
    if (which === "stderr" || isClosedReader(err)) return;
    // Not ours to handle: as before, an error nobody else listens for is thrown.
    if (stream.listenerCount("error") === 1) throw err;
  };
  stream.on("error", listener);
}
