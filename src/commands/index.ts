/**
 * The registry: every command module, in the order help lists them. The reader (argv.ts)
 * and the help (help.ts) are built from this list alone; a command exists when it is here.
 */
import completion from './completion';
import apply from './apply';
import createToken from './create-token';
import deleteToken from './delete-token';
import exportCommand from './export';
import getToken from './get-token';
import prune from './prune';
import rotateToken from './rotate-token';
import showTokens from './show-tokens';
import validate from './validate';
import { QUIET } from './options';
import type { CommandModule } from './types';

/** Flags every command takes, declared once here rather than in each module. */
const shared = (command: CommandModule): CommandModule => ({ ...command, flags: { ...command.flags, quiet: QUIET } });

export const COMMANDS: readonly CommandModule[] = [
  createToken,
  showTokens,
  getToken,
  rotateToken,
  deleteToken,
  prune,
  validate,
  apply,
  exportCommand,
  completion,
].map(shared);
