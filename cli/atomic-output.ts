import * as fs from "node:fs";
import * as path from "node:path";

/** A file written in place only when complete: output goes to a temp file beside it, renamed on commit. */
export interface AtomicOutput {
  stream: { write(s: string): boolean };
  commit(): Promise<void>;
  abort(): void;
}

/** An --output path that cannot be written (a usage error: nothing has run yet). */
export class AtomicOutputError extends Error {}

/**
 * Refuses, before any work, a file path an option (`--output`, `--state`) cannot be written to: its folder missing, or
 * a directory in its place (which would only fail at the final rename, after the whole run). `shown` is the path
 * as the message names it.
 */
export function checkOutputPath(option: string, file: string, shown = file): void {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new AtomicOutputError(`${option} ${shown}: folder ${dir} does not exist; create it or choose another path`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new AtomicOutputError(`${option} ${shown} is a directory; give a file path`);
}

export function atomicOutput(file: string): AtomicOutput {
  checkOutputPath("--output", file);
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, "w");
  let open = true;
  const close = () => {
    if (open) fs.closeSync(fd);
    open = false;
  };
  return {
    stream: {
      write(s: string) {
        fs.writeSync(fd, s);
        return true;
      },
    },
    async commit() {
      fs.fsyncSync(fd);
      close();
      fs.renameSync(tmp, file);
    },
    abort() {
      close();
      fs.rmSync(tmp, { force: true });
    },
  };
}
