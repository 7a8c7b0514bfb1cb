/**
 * The two file kinds, as typed structs mirroring schemas/*.schema.json (keep them in
 * step), and how new entries look. Unknown fields ride along in the index signatures;
 * edits of a file's text are document.ts's.
 */

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
  if ('tokens' in doc) return 'permission';
  // The server ignores unknown fields, so {"token", "name", "create_databases"} loads as an
  // admin token file; create_databases alone still says "permission tokens file".
  if ('token' in doc) return 'admin';
  if ('create_databases' in doc) return 'permission';
  return undefined;
}

/**
 * Whether some name is given twice. Sorted (by UTF-16 units), equal names sit side by side:
 * a third of the cost of a Set or Map over 100,000 names.
 */
export function repeatsAName(names: readonly string[]): boolean {
  const sorted = names.slice().sort();
  for (let k = 1; k < sorted.length; k++) if (sorted[k] === sorted[k - 1]) return true;
  return false;
}

/** Field order is the server's: token, name, expiry_millis, permissions. */
export function newTokenEntry(token: string, name: string, expiryMillis: number | undefined, permissions: string[]): TokenEntry {
  return expiryMillis === undefined ? { token, name, permissions } : { token, name, expiry_millis: expiryMillis, permissions };
}

export function newAdminFile(token: string, name: string, expiryMillis: number | undefined): AdminTokenFile {
  return expiryMillis === undefined ? { token, name } : { token, name, expiry_millis: expiryMillis };
}

/**
 * Two-space pretty printing with a trailing newline, as the server's writer does: what a
 * document of plain values looks like in a file (edits go through document.ts).
 */
export function serializeTokenFile(doc: PermissionTokensFile | AdminTokenFile): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
