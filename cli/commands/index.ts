import type { Command } from "../command";
import { templateCommand } from "./template";
import { emulatorCommand } from "./emulator";

/**
 * The subcommand registry: each command lives in its own file under cli/commands and is listed here once.
 */
export const COMMANDS: Command[] = [templateCommand, emulatorCommand];
