import * as fs from "node:fs";
import * as path from "node:path";

/** A file written in place only when complete: output goes to a temp file beside it, renamed on commit. */
export interface AtomicOutput {
  stream: { write(s: string): boolean };
  commit(): Promise<void>;
  abort(): void;
}

export function atomicOutput(file: string): AtomicOutput {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw new Error(`--output ${file}: folder ${dir} does not exist`);
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
