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

export function atomicOutput(file: string): AtomicOutput {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw new AtomicOutputError(`--output ${file}: folder ${dir} does not exist; create it or choose another path`);
  // Checked before any work: a directory there would only fail at the final rename, after the whole run.
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new AtomicOutputError(`--output ${file} is a directory; give a file path`);
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
