/** Typed reads of ParsedArgs for handlers; the reader has already refused repeats and bad spellings. */
import { parseDuration } from '../domain/duration';
import { InvalidInputError, UsageError } from '../errors';
import { type Owner, ownerFrom } from '../store/target';
import type { ParsedArgs } from './types';

/** A single-value string flag, or undefined when not given. */
export function text(args: ParsedArgs, flag: string): string | undefined {
  const v = args.flags[flag];
  return typeof v === 'string' ? v : undefined;
}

/** Every value of a repeatable flag, in order ([] when not given, or given bare). */
export function list(args: ParsedArgs, flag: string): readonly string[] {
  const v = args.flags[flag];
  return Array.isArray(v) ? (v as readonly string[]) : typeof v === 'string' ? [v] : [];
}

export function given(args: ParsedArgs, flag: string): boolean {
  return args.flags[flag] !== undefined;
}

/** A variadic positional's words ([] when none). */
export function words(args: ParsedArgs, positional: string): readonly string[] {
  const v = args.positionals[positional];
  return v === undefined ? [] : typeof v === 'string' ? [v] : v;
}

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

/**
 * A duration flag in whole milliseconds. The rule of expiries (domain/expiry.ts) holds here
 * too: a value past Number.MAX_SAFE_INTEGER ms is refused, never clamped to another value.
 */
export function durationMs(value: string, flag: string): number {
  const d = parseDuration(value, flag);
  const ms = d.secs * 1000n + BigInt(Math.floor(d.nanos / 1e6));
  if (ms > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidInputError(
      flag,
      ` ${JSON.stringify(value)} is longer than ${Number.MAX_SAFE_INTEGER} ms, which cannot be held exactly; give a shorter duration.`,
    );
  }
  return Number(ms);
}

/** --owner UID[:GID], refused in the words of export's rules (actions/export-request.ts). */
export function parseOwner(text: string, label = '--owner'): Owner {
  return ownerFrom(text, label);
}
