/**
 * `show tokens` and `get token`: read a file (no lock: writers replace it with a rename,
 * so a read sees a whole file), validated as every action does.
 */
import { FileError } from '../errors';
import type { FileKind } from '../domain/token-file';
import { type LoadedFile, readChecked } from './load';
import type { LifecycleEnv } from './lifecycle-env';

/** One token of either kind of file, as the lifecycle commands show it. */
export interface TokenView {
  name: string;
  token: string;
  expiry_millis: number | undefined;
  /** undefined for the admin token (it has every permission). */
  permissions: readonly string[] | undefined;
  /** The entry as written (an admin file: the whole object), unknown fields included. */
  entry: Readonly<Record<string, unknown>>;
}

export interface FileTokens {
  file: string;
  kind: FileKind;
  tokens: TokenView[];
}

export function tokensOf(doc: LoadedFile): TokenView[] {
  if (doc.kind === 'admin') {
    const v = doc.value;
    return [{ name: v.name, token: v.token, expiry_millis: v.expiry_millis ?? undefined, permissions: undefined, entry: v }];
  }
  return doc.value.tokens.map((t) => ({ name: t.name, token: t.token, expiry_millis: t.expiry_millis ?? undefined, permissions: t.permissions, entry: t }));
}

export function listTokens(file: string, env: Pick<LifecycleEnv, 'now' | 'seam'>): FileTokens {
  const doc = readChecked(file, env.now(), env.seam);
  return { file, kind: doc.kind, tokens: tokensOf(doc) };
}

export function getToken(file: string, name: string, env: Pick<LifecycleEnv, 'now' | 'seam'>): TokenView & { kind: FileKind } {
  const { kind, tokens } = listTokens(file, env);
  const found = tokens.find((t) => t.name === name);
  if (!found) throw noSuchToken(file, [name], tokens.map((t) => t.name));
  return { ...found, kind };
}

/** "no token named X in FILE" with the names that are there, when there are few. */
export function noSuchToken(file: string, missing: readonly string[], present: readonly string[]): FileError {
  const names = missing.map((n) => JSON.stringify(n)).join(', ');
  const there =
    present.length === 0 ? 'it holds no tokens' : present.length <= 5 ? `it holds ${present.map((n) => JSON.stringify(n)).join(', ')}` : `it holds ${present.length} tokens; list them with show tokens`;
  return new FileError('ENOTOKEN', `no token named ${names} in ${file} (${there}).`);
}
