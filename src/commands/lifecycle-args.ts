/** What the lifecycle commands (show, get, delete, rotate, prune) read from argv and say on stderr alike. */
import type { WriteNotes } from '../actions/lifecycle-env';
import { UsageError } from '../errors';
import type { RunEnv } from '../main';
import { octalMode } from '../output/mode';
import { text, words } from './args';
import type { FlagSpec, ParsedArgs } from './types';
import { escapeText, shCommand, shQuote } from '../output/escape';

/** --format for commands whose result is one thing: a sentence, or one JSON object. */
export const TEXT_OR_JSON: FlagSpec = {
  type: 'string',
  choices: ['text', 'json'],
  defaultDescription: 'text',
  describe: 'Output: text, or json (one object, for pipelines)',
};

export const TOKEN_NAME: FlagSpec = { type: 'string', describe: 'The name of the token in the file', required: true };

/** The file, from --file or (for `list FILE` and `show tokens FILE`) the positional FILE. */
export function fileOf(args: ParsedArgs, usage: string): string {
  const flagged = text(args, 'file');
  const positional = words(args, 'file')[0];
  if (flagged !== undefined && positional !== undefined) {
    throw new UsageError(`the file was given twice (--file ${JSON.stringify(flagged)} and ${JSON.stringify(positional)}); give it once.`);
  }
  const file = flagged ?? positional;
  if (file === undefined || file === '') throw new UsageError(`--file is required: the token file to work on, as in: ${usage}.`);
  return file;
}

export function tokenNameOf(args: ParsedArgs, usage: string): string {
  const name = text(args, 'token-name');
  if (name === undefined) throw new UsageError(`--token-name is required: the name of the token in the file, as in: ${usage}.`);
  if (name === '') throw new UsageError('--token-name is empty; give the name of a token in the file.');
  return name;
}

export function isJson(args: ParsedArgs): boolean {
  return text(args, 'format') === 'json';
}

/** A word for a POSIX shell (the one quoting of every printed command: output/escape.ts). */
export const shellWord = shQuote;

/** The online step a running server needs to forget a token (the server deletes only online). */
export function onlineDelete(name: string): string {
  return shCommand(['influxdb3', 'delete', 'token', '--token-name', name]);
}

/** The one wording, for every writing command, of a looser mode written back as 0600. */
export function modeTightenedLine(file: string, change: { from: number; to: number }): string {
  return `${escapeText(file)} had mode ${octalMode(change.from)}; it was written back as ${octalMode(change.to)}.`;
}

/** The store's side notes on a write: a mode tightened to 0600, a lock that could not be released. */
export function writeNotices(env: RunEnv, file: string, notes: WriteNotes): void {
  if (notes.modeTightened) env.io.stderr(`notice: ${modeTightenedLine(file, notes.modeTightened)}\n`);
  if (notes.releaseFailure) env.io.stderr(`notice: ${notes.releaseFailure}\n`);
}
