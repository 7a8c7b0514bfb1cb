/**
 * The two file kinds as this tool writes them: what a new entry or admin token holds. The
 * file's text is read by server-reader.ts and edited by document.ts; these are values.
 */
import type { AdminValues, EntryValues } from './server-reader';

export type { AdminValues, EntryValues } from './server-reader';

export type FileKind = 'admin' | 'permission';
export const KIND_LABEL: Record<FileKind, string> = {
  admin: 'an admin token file',
  permission: 'a permission tokens file',
};

/**
 * A permission tokens file is recognised by `tokens` (or `create_databases`), an admin file
 * by `token`, from the top-level keys.
 */
export function detectKind(keys: readonly string[]): FileKind | undefined {
  if (keys.includes('tokens')) return 'permission';
  // The server ignores unknown fields, so {"token", "name", "create_databases"} loads as an
  // admin token file; create_databases alone still says "permission tokens file".
  if (keys.includes('token')) return 'admin';
  if (keys.includes('create_databases')) return 'permission';
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

/** An expiry from a number of milliseconds this tool computed (safe integers only), or none. */
export const expiryOf = (millis: number | undefined): bigint | null => (millis === undefined ? null : BigInt(millis));

/** Field order is the server's: token, name, expiry_millis, permissions. */
export function newTokenEntry(token: string, name: string, expiry: bigint | null, permissions: readonly string[]): EntryValues {
  return { token, name, expiry, permissions: [...permissions] };
}

export function newAdminFile(token: string, name: string, expiry: bigint | null): AdminValues {
  return { token, name, expiry };
}
