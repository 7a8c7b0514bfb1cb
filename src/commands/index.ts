/**
 * The registry: every command module, in the order help lists them. The reader (argv.ts)
 * and the help (help.ts) are built from this list alone; a command exists when it is here.
 */
import completion from './completion';
import createToken from './create-token';
import validate from './validate';
import { QUIET } from './options';
import type { CommandModule } from './types';

/** Flags every command takes, declared once here rather than in each module. */
const shared = (command: CommandModule): CommandModule => ({ ...command, flags: { ...command.flags, quiet: QUIET } });

export const COMMANDS: readonly CommandModule[] = [createToken, validate, completion].map(shared);
