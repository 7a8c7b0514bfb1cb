/** Helpers shared by the command modules to turn yargs values into typed options. */
import { UsageError } from '../errors';
import { parseDuration } from '../domain/duration';

/** yargs turns a repeated string flag into an array; these flags must be given once. */
export function single(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    throw new UsageError(`${flag} was given ${value.length} times; give it once.`);
  }
  return String(value);
}

/** Repeatable flags: every occurrence, in order. */
export function many(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function durationMs(text: string, flag: string): number {
  const d = parseDuration(text, flag);
  const ms = d.secs * 1000n + BigInt(Math.floor(d.nanos / 1e6));
  return ms > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(ms);
}
