import type { Command } from "../command";
import { checkCommand } from "./check";
import { templateCommand } from "./template";
import { emulatorCommand } from "./emulator";
import { auditCommand } from "./audit";

/**
 * The subcommand registry: each command lives in its own file under cli/commands and is listed here once.
 */
export const COMMANDS: Command[] = [checkCommand, templateCommand, emulatorCommand, auditCommand];
