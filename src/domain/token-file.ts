/**
 * The two file kinds, as typed structs mirroring schemas/*.schema.json (keep them in
 * step), and the pure operations on them. Unknown fields ride along in the index
 * signatures so that nothing a file held is lost when it is written back.
 */
import { FileError } from '../errors';
import { appendToArray, layoutAt, renderMembers, topLevelMembers } from './json-layout';

export interface TokenEntry {
  token: string;
  name: string;
  /** Unix epoch milliseconds; absent (never null) when the token does not expire. */
  expiry_millis?: number;
  permissions: string[];
  [unknownField: string]: unknown;
}

export interface PermissionTokensFile {
  create_databases?: string[];
  tokens: TokenEntry[];
  [unknownField: string]: unknown;
}

export interface AdminTokenFile {
  token: string;
  name: string;
  expiry_millis?: number;
  [unknownField: string]: unknown;
}

export type FileKind = 'admin' | 'permission';
export const KIND_LABEL: Record<FileKind, string> = {
  admin: 'an admin token file',
  permission: 'a permission tokens file',
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A permission tokens file is recognised by `tokens` (or `create_databases`), an admin file by `token`. */
export function detectKind(doc: unknown): FileKind | undefined {
  if (!isObject(doc)) return undefined;
  if ('tokens' in doc || 'create_databases' in doc) return 'permission';
  if ('token' in doc) return 'admin';
  return undefined;
}

/** Field order is the server's: token, name, expiry_millis, permissions. */
export function newTokenEntry(token: string, name: string, expiryMillis: number | undefined, permissions: string[]): TokenEntry {
  return expiryMillis === undefined ? { token, name, permissions } : { token, name, expiry_millis: expiryMillis, permissions };
}

export function newAdminFile(token: string, name: string, expiryMillis: number | undefined): AdminTokenFile {
  return expiryMillis === undefined ? { token, name } : { token, name, expiry_millis: expiryMillis };
}

export interface AppendOutcome {
  /** false when a token of that name was there and `ifNotExists` kept it. */
  added: boolean;
  /** The token entry of that name in `doc`: the new one, or the one kept. */
  entry: TokenEntry;
  /** The document to write, or undefined when nothing changes. */
  doc: PermissionTokensFile | undefined;
  /** Databases that were not in create_databases before. */
  newDatabases: string[];
}

function withDatabases(existing: PermissionTokensFile | undefined, newDatabases: string[], tokens: TokenEntry[]): PermissionTokensFile {
  if (!existing) return newDatabases.length > 0 ? { create_databases: newDatabases, tokens } : { tokens };
  if (newDatabases.length === 0) return { ...existing, tokens };
  if (existing.create_databases === undefined) {
    // create_databases comes first, as in the server's own files; the rest keeps its place.
    return { create_databases: newDatabases, ...existing, tokens };
  }
  return { ...existing, create_databases: [...existing.create_databases, ...newDatabases], tokens };
}

/**
 * Adds `entry` and merges `createDatabases` (in order, without repeats). A name already
 * present is refused, or, when `ifNotExists`, kept as it is; new databases are still
 * merged then, so a pipeline that adds a database to its list gets it on the next run.
 * `existing` has been validated and is not mutated.
 */
export function appendToken(
  existing: PermissionTokensFile | undefined,
  entry: TokenEntry,
  createDatabases: readonly string[],
  ifNotExists: boolean,
  fileLabel = 'the file',
): AppendOutcome {
  const tokens = existing?.tokens ?? [];
  const known = new Set(existing?.create_databases ?? []);
  const newDatabases: string[] = [];
  for (const db of createDatabases) {
    if (!known.has(db)) {
      known.add(db);
      newDatabases.push(db);
    }
  }
  const taken = tokens.find((t) => t.name === entry.name);
  if (!taken) return { added: true, entry, doc: withDatabases(existing, newDatabases, [...tokens, entry]), newDatabases };
  if (!ifNotExists) {
    throw new FileError(
      'ENAMETAKEN',
      `a token named ${JSON.stringify(entry.name)} is already in ${fileLabel}, which was left unchanged; choose another --name, or pass --if-not-exists to keep the existing one`,
    );
  }
  return { added: false, entry: taken, doc: newDatabases.length > 0 ? withDatabases(existing, newDatabases, tokens) : undefined, newDatabases };
}

/**
 * The text of an existing permission tokens file with `entry` (if any) appended to its
 * tokens and `newDatabases` to its create_databases (which comes first when it is new).
 * Everything else keeps its bytes and its place; see json-layout.ts for why this works on
 * text. `existingText` has been validated; JSON.parse's last-wins rule picks the member
 * that changes when a key is repeated.
 */
export function appendToText(existingText: string, entry: TokenEntry | undefined, newDatabases: readonly string[]): string[] {
  const members = topLevelMembers(existingText).map((m) => ({ ...m }));
  const lastOf = (key: string): number => members.map((m) => m.key).lastIndexOf(key);
  const tokens = lastOf('tokens');
  if (entry && tokens !== -1) members[tokens]!.value = appendToArray(members[tokens]!.value, [layoutAt(entry, 2)], 1);
  if (newDatabases.length > 0) {
    const dbs = lastOf('create_databases');
    if (dbs === -1) members.unshift({ rawKey: '"create_databases"', key: 'create_databases', value: layoutAt(newDatabases, 1) });
    else members[dbs]!.value = appendToArray(members[dbs]!.value, newDatabases.map((d) => JSON.stringify(d)), 1);
  }
  return renderMembers(members);
}

/**
 * The text of an existing admin token file with its token, name and expiry replaced (only
 * ever with --force). Unknown fields such as a description keep their bytes and place; a
 * new expiry_millis goes after name, where the server's own writer puts it.
 */
export function replaceAdminToken(existingText: string, replacement: AdminTokenFile): string {
  const out: Array<{ rawKey: string; value: string }> = [];
  const expiry = replacement.expiry_millis === undefined ? undefined : JSON.stringify(replacement.expiry_millis);
  const members = topLevelMembers(existingText);
  const hasExpiry = members.some((m) => m.key === 'expiry_millis');
  for (const m of members) {
    if (m.key === 'token' || m.key === 'name') {
      out.push({ rawKey: m.rawKey, value: JSON.stringify(replacement[m.key]) });
      if (m.key === 'name' && !hasExpiry && expiry !== undefined) out.push({ rawKey: '"expiry_millis"', value: expiry });
    } else if (m.key === 'expiry_millis') {
      if (expiry !== undefined) out.push({ rawKey: m.rawKey, value: expiry });
    } else out.push(m);
  }
  return renderMembers(out).join('');
}

/** Two-space pretty printing with a trailing newline, as the server's writer does. */
export function serializeTokenFile(doc: PermissionTokensFile | AdminTokenFile): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
