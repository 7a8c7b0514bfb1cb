/**
 * Flags that several commands share, declared once so that their spelling, help text and
 * meaning cannot drift apart between commands.
 */
import type { FlagSpec } from './types';

export const LOCK_TIMEOUT: FlagSpec = {
  type: 'string',
  describe: 'How long to wait for other writers of the file (a duration such as 30s or 2m)',
  defaultDescription: '30s',
};

/** The token file a lifecycle command reads or edits. */
export const FILE: FlagSpec = {
  type: 'string',
  describe: 'The token file (admin or permission tokens file)',
  required: true,
};

export const OUTPUT_FILE: FlagSpec = {
  type: 'string',
  describe: 'Token file to create or append to',
  required: true,
};

export const DRY_RUN: FlagSpec = {
  type: 'boolean',
  describe: 'Print what would change, and change nothing',
};

export const OWNER: FlagSpec = {
  type: 'string',
  describe: 'UID[:GID] to own the files and directories written (the InfluxDB 3 image runs as 1500)',
};

/** The lock timeout every writing command uses when --lock-timeout is not given. */
export const DEFAULT_LOCK_TIMEOUT = '30s';
