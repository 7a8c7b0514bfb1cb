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
}

export interface FileTokens {
  file: string;
  kind: FileKind;
  /** The file's text (get token lays out an entry from it). */
  text: string;
  tokens: TokenView[];
}

/**
 * The views of a file checked with every entry's values: the reader's own values objects
 * (on 100,000 tokens, a copy of each was a sixth of what the collector had to move).
 */
export function tokenViews(loaded: CheckedFile): TokenView[] {
  const { read } = loaded;
  if (loaded.kind === 'admin') {
    const a = read.admin as { token: string; name: string; expiry: bigint | null };
    return [{ name: a.name, token: a.token, expiry: a.expiry, permissions: undefined }];
  }
  return read.read.map((r) => r.values as EntryValues);
}

export function listTokens(file: string, env: Pick<ActionEnv, 'now' | 'seam'>): FileTokens {
  return listed(file, env).tokens;
}

function listed(file: string, env: Pick<ActionEnv, 'now' | 'seam'>): { loaded: CheckedFile; tokens: FileTokens } {
  const existing = readFile(file, env.seam);
  const loaded = checkFile(existing, file, env.now(), undefined, true);
  return { loaded, tokens: { file, kind: loaded.kind, text: existing.text, tokens: tokenViews(loaded) } };
}

/** One token, and where its entry lies in the file's text (an admin file: the whole object). */
export function getToken(
  file: string,
  name: string,
  env: Pick<ActionEnv, 'now' | 'seam'>,
): TokenView & { kind: FileKind; text: string; start: number; end: number } {
  const { loaded, tokens: listing } = listed(file, env);
  const { kind, tokens, text } = listing;
  const index = tokens.findIndex((t) => t.name === name);
  if (index === -1)
    throw noSuchToken(
      file,
      [name],
      tokens.map((t) => t.name),
    );
  const place = kind === 'admin' ? { start: 0, end: text.length } : loaded.read.entries.at(index)!;
  return { ...tokens[index]!, kind, text, start: place.start, end: place.end };
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
