import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A file written in place only when complete: output goes to a temp file beside it, renamed on commit (a device or
 * pipe is written directly; see {@link atomicOutput}).
 */
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
  // The folder as the user gave the path (relative stays relative), not the absolute path of this machine.
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new AtomicOutputError(`${option} ${shown}: folder ${path.dirname(shown)} does not exist; create it or choose another path`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new AtomicOutputError(`${option} ${shown} is a directory; give a file path`);
}

/**
 * Where `--output` really writes. A symbolic link is followed, so the file it points at is replaced and the link
 * kept; a device, pipe or socket (`/dev/stdout`, a FIFO, bash's `>(...)`) is written directly, since a temp file
 * renamed over it would replace the device node or pipe with a regular file.
 */
function outputTarget(file: string): { file: string; direct: boolean } {
  let link: fs.Stats;
  try {
    link = fs.lstatSync(file);
  } catch {
    return { file, direct: false }; // a new file
  }
  if (!link.isSymbolicLink()) return { file, direct: !link.isFile() && !link.isDirectory() };
  let target: fs.Stats;
  try {
    target = fs.statSync(file);
  } catch {
    // A dangling link: create the file it names.
    return { file: path.resolve(path.dirname(file), fs.readlinkSync(file)), direct: false };
  }
  if (target.isFile()) return { file: fs.realpathSync(file), direct: false };
  return { file, direct: !target.isDirectory() };
}

export function atomicOutput(file: string): AtomicOutput {
  const target = outputTarget(file);
  // A device or pipe: written as the run goes (a reader sees the report as it is written; there is nothing to rename).
  if (target.direct) return fdOutput(fs.openSync(file, "w"), () => {}, () => {});
  checkOutputPath("--output", target.file, file);
  const dir = path.dirname(target.file);
  const tmp = path.join(dir, `.${path.basename(target.file)}.${process.pid}.tmp`);
  // The report replaces a file the user may have restricted (0600): the new one keeps its permissions (the temp file
  // is created private, then given them). A new file gets the usual mode, 0666 less the umask.
  const existing = existingFileMode(target.file);
  const fd = fs.openSync(tmp, "w", existing === undefined ? 0o666 : 0o600);
  if (existing !== undefined) fs.fchmodSync(fd, existing);
  return fdOutput(
    fd,
    () => fs.renameSync(tmp, target.file),
    () => fs.rmSync(tmp, { force: true }),
  );
}

/** The permission bits of a regular file at `file`, or undefined when there is none. */
function existingFileMode(file: string): number | undefined {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st.mode & 0o777 : undefined;
  } catch {
    return undefined;
  }
}

/** Writes to `fd`; commit syncs and closes it, then runs `afterCommit`; abort closes it, then runs `afterAbort`. */
function fdOutput(fd: number, afterCommit: () => void, afterAbort: () => void): AtomicOutput {
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
      if (fs.fstatSync(fd).isFile()) fs.fsyncSync(fd);
      close();
      afterCommit();
    },
    abort() {
      close();
      afterAbort();
    },
  };
}
