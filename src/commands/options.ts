/**
 * Flags that several commands share, declared once so that their spelling, help text and
 * meaning cannot drift apart between commands.
 */
import { durationMs, text } from './args';
import type { FlagSpec, ParsedArgs, PositionalSpec } from './types';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../store/store';

/** --format for commands whose result is one thing: a sentence, or one JSON object. */
export const TEXT_OR_JSON: FlagSpec = {
  type: 'string',
  choices: ['text', 'json'],
  defaultDescription: 'text',
  describe: 'Output: text, or json (one object, for pipelines)',
};

export const TOKEN_NAME: FlagSpec = { type: 'string', describe: 'The name of the token in the file', required: true };

export const LOCK_TIMEOUT: FlagSpec = {
  type: 'string',
  describe: 'How long to wait for other writers of the file (a duration such as 30s or 2m)',
  defaultDescription: `${DEFAULT_LOCK_TIMEOUT_MS / 1000}s`,
};

/** The token file a lifecycle command reads or edits. */
export const FILE: FlagSpec = {
  type: 'string',
  aliases: ['f'],
  describe: 'The token file (admin or permission tokens file); or give it as FILE',
};

/** Every command that reads one token file also takes it as its positional word (`show tokens FILE`). */
export const FILE_POSITIONAL: PositionalSpec = { name: 'file', describe: 'The token file (instead of --file)' };

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

/** Said once when a writer has waited a second for the lock (store/progress.ts), so a slow run is not taken for a hang. */
export function lockWaitLine(lockPath: string): string {
  return `waiting for the lock ${lockPath} held by another writer (up to --lock-timeout)...`;
}

/** --lock-timeout in milliseconds, read the same way by every command; the store's default when not given. */
export function lockTimeoutOf(args: ParsedArgs): number {
  const given = text(args, 'lock-timeout');
  return given === undefined ? DEFAULT_LOCK_TIMEOUT_MS : durationMs(given, '--lock-timeout');
}

/**
 * Every command takes it (index.ts adds it to each): notices and warnings are for people,
 * and a pipeline that has read them once may want its logs quiet. Errors always print,
 * and so does what a command was asked to print (see quietIo).
 */
export const QUIET: FlagSpec = {
  type: 'boolean',
  aliases: ['q'],
  describe: 'Print no notices or warnings on stderr (errors and the output asked for still print)',
};

/** A stderr line this tool words for information only: what --quiet drops. */
const NOTICE_LINE = /^(notice|warning): /;

/**
 * The one place --quiet acts: a command's stderr without its notice and warning lines.
 * Commands word those lines with the prefix alone, so every command, present or future,
 * is covered without a branch of its own; `validate`'s report lines begin with the file
 * name and stay, and main's own error line does not go through here.
 */
export function quietIo<T extends { stderr(text: string): void }>(io: T): T {
  return {
    ...io,
    stderr: (text: string) => {
      const kept = text
        .split(/(?<=\n)/)
        .filter((line) => !NOTICE_LINE.test(line))
        .join('');
      if (kept !== '') io.stderr(kept);
    },
  };
}
