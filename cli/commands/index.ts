import type { Command, CommandModule } from "../command";

/**
 * The subcommand registry: each command lives in its own file under cli/commands and is listed here once, with
 * its summary. A command's module (and what it imports: the Azure SDK for `audit`, the rules and readers for
 * `check`) is loaded when that command runs or shows its help, so `partnerlink --version`, `--help` and each
 * command load only what they use.
 */
function lazy(name: string, summary: string, load: () => CommandModule): Command {
  return {
    name,
    summary,
    get usage(): string {
      return load().usage;
    },
    run: (argv, io) => load().run(argv, io),
  };
}

export const COMMANDS: Command[] = [
  lazy("check", "Check templates, Terraform plans/JSON, CDKTF output and config for PAL, Lighthouse and PEC problems", () => (require("./check") as typeof import("./check")).checkCommand),
  lazy("template", "Generate a customer's Lighthouse onboarding template, parameters and guide (PEC-safe)", () => (require("./template") as typeof import("./template")).templateCommand),
  lazy("emulator", "Run the local ARM emulator (PAL, Lighthouse, sign-in) for tests and demos.", () => (require("./emulator") as typeof import("./emulator")).emulatorCommand),
  lazy("audit", "Report what is really delegated and linked across a partner estate (live ARM reads).", () => (require("./audit") as typeof import("./audit")).auditCommand),
];
