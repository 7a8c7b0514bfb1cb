/**
 * `show tokens` and `get token`: read a file (no lock: writers replace it with a rename,
 * so a read sees a whole file), checked as every action does, with the exact values the
 * server reads.
 */
import { FileError } from '../errors';
import type { FileKind } from '../domain/token-file';
import type { EntryValues } from '../domain/server-reader';
import { readFile } from '../store/store';
import { type CheckedFile, checkFile } from './load';
import type { ActionEnv } from './env';

/** One token of either kind of file, as the lifecycle commands show it. */
export interface TokenView {
  readonly name: string;
  readonly token: string;
  /** i64 milliseconds, exact; null never expires. */
  readonly expiry: bigint | null;
  /** undefined for the admin token (it has every permission). */
  readonly permissions: readonly string[] | undefined;
  /** Where the entry's text lies in the file (an admin file: the whole object). */
  readonly start: number;
  readonly end: number;
}

export interface FileTokens {
  file: string;
  kind: FileKind;
  /** The file's text, which the views' offsets point into. */
  text: string;
  tokens: TokenView[];
}

/** The views of a file checked with every entry's values. */
export function tokenViews(loaded: CheckedFile, text: string): TokenView[] {
  const { read } = loaded;
  if (loaded.kind === 'admin') {
    const a = read.admin as { token: string; name: string; expiry: bigint | null };
    return [{ name: a.name, token: a.token, expiry: a.expiry, permissions: undefined, start: 0, end: text.length }];
  }
  return read.read.map(({ index, values }) => {
    const v = values as EntryValues;
    const place = read.entries[index]!;
    return { name: v.name, token: v.token, expiry: v.expiry, permissions: v.permissions, start: place.start, end: place.end };
  });
}

export function listTokens(file: string, env: Pick<ActionEnv, 'now' | 'seam'>): FileTokens {
  const existing = readFile(file, env.seam);
  const loaded = checkFile(existing, file, env.now(), undefined, true);
  return { file, kind: loaded.kind, text: existing.text, tokens: tokenViews(loaded, existing.text) };
}

export function getToken(file: string, name: string, env: Pick<ActionEnv, 'now' | 'seam'>): TokenView & { kind: FileKind; text: string } {
  const { kind, tokens, text } = listTokens(file, env);
  const found = tokens.find((t) => t.name === name);
  if (!found)
    throw noSuchToken(
      file,
      [name],
      tokens.map((t) => t.name),
    );
  return { ...found, kind, text };
}

/** "no token named X in FILE" with the names that are there, when there are few. */
export function noSuchToken(file: string, missing: readonly string[], present: readonly string[]): FileError {
  const names = missing.map((n) => JSON.stringify(n)).join(', ');
  const there =
    present.length === 0
      ? 'it holds no tokens'
      : present.length <= 5
        ? `it holds ${present.map((n) => JSON.stringify(n)).join(', ')}`
        : `it holds ${present.length} tokens; list them with show tokens`;
  return new FileError('ENOTOKEN', `no token named ${names} in ${file} (${there}).`);
}
