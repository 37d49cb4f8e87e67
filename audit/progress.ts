/**
 * A one-line progress bar on a terminal. None when stderr is not a TTY, in CI (`CI` set) or with NO_COLOR,
 * so logs stay clean.
 */
export interface Progress {
  update(done: number, seen: number): void;
  end(): void;
}

export function progressFor(stream: NodeJS.WritableStream & { isTTY?: boolean }, env: NodeJS.ProcessEnv): Progress {
  const enabled = stream.isTTY === true && !env.CI && env.NO_COLOR === undefined;
  if (!enabled) return { update() {}, end() {} };
  let last = 0;
  return {
    update(done, seen) {
      const now = Date.now();
      if (now - last < 100 && done !== seen) return;
      last = now;
      const width = 30;
      const frac = seen === 0 ? 0 : Math.min(1, done / seen);
      const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
      stream.write(`\r[${bar}] ${done}/${seen} subscriptions`);
    },
    end() {
      stream.write("\r\x1b[K");
    },
  };
}
