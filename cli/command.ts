/** What a `partnerlink <command>` implementation receives; tests pass their own streams. */
export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * One subcommand's implementation (cli/commands/<name>.ts). `run` returns the exit code: 0 nothing at or above the
 * threshold, 1 findings, 2 usage errors or unreadable input. It never throws for user error: it prints one clear
 * line instead.
 */
export interface CommandModule {
  /** Full `--help` text. */
  usage: string;
  run(argv: string[], io: CommandIO): Promise<number>;
}

/** A subcommand as the registry (cli/commands/index.ts) lists it: its name and one-line summary, then its module. */
export interface Command extends CommandModule {
  name: string;
  summary: string;
}

/** A user-facing error: printed as one line `partnerlink <command>: <message>`, exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
