/**
 * How token names become keys of an export (file names, Secret keys, env names), and the
 * one check every format makes: two tokens may not land on the same key, or one would
 * silently overwrite the other in the client's secret.
 */
import type { ParseResult } from '../domain/permissions';

/** A token as exports see it: where it came from (for messages), its name and raw string. */
export interface ExportToken {
  readonly file: string;
  readonly name: string;
  readonly token: string;
}

export interface Keyed {
  readonly key: string;
  readonly item: ExportToken;
}

/**
 * One `_` per code point outside `A-Z a-z 0-9 _ -`: `/` and `.` go, so a mapped name can never
 * be `.`, `..`, a hidden file or a path, and it is also a valid Kubernetes Secret key.
 */
export function safeKey(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/gu, '_');
}

/** Compose env names: ASCII upper case, everything else `_`, the prefix in front as given. */
export function envKey(name: string, prefix: string): string {
  return prefix + name.replace(/[^A-Za-z0-9]/gu, '_').toUpperCase();
}

const label = (t: ExportToken): string => `${JSON.stringify(t.name)} (${t.file})`;

/** Keys for every token, or the first two tokens that would share one. */
export function assignKeys(tokens: readonly ExportToken[], keyOf: (t: ExportToken) => string): ParseResult<Keyed[]> {
  const seen = new Map<string, ExportToken>();
  const out: Keyed[] = [];
  for (const item of tokens) {
    const key = keyOf(item);
    const first = seen.get(key);
    if (first) {
      return { ok: false, reason: `the tokens ${label(first)} and ${label(item)} would both be exported as ${JSON.stringify(key)}` };
    }
    seen.set(key, item);
    out.push({ key, item });
  }
  return { ok: true, value: out };
}
