/** The registry of command modules the parser and the help are built from. */
import { exportCommand } from './export';
import type { CommandModule } from './types';

export const COMMANDS: readonly CommandModule[] = [exportCommand];
