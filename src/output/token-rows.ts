/**
 * The rows of `show tokens`, modelled on the server's own `show tokens`: the name, the
 * first 9 hex digits of the SHA-512 of the string (the server's display of a token),
 * the expiry, whether it has passed, the permissions. Never the string itself.
 */
import * as crypto from 'node:crypto';
import type { TokenView } from '../actions/read-tokens';
import { csv } from './csv';
import { expiryWords } from './expiry';
import { jsonLines, jsonObject } from './json';
import { table } from './table';

export const ADMIN_PERMISSION = '*:*:*';

export interface TokenRow {
  name: string;
  hash: string;
  expiry_millis: number | null;
  expiry: string | null;
  expires: string;
  expired: boolean;
  permissions: readonly string[];
}

// crypto.hash (Node 20.12+) hashes in one call, about twice as fast as createHash on 100,000 tokens.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha512Hex = oneShot ? (s: string): string => oneShot('sha512', s, 'hex') : (s: string): string => crypto.createHash('sha512').update(s).digest('hex');

export function tokenHash(token: string): string {
  return sha512Hex(token).slice(0, 9);
}

export function tokenRow(t: TokenView, now: number): TokenRow {
  const words = t.expiry_millis === undefined ? undefined : expiryWords(t.expiry_millis, now);
  return {
    name: t.name,
    hash: tokenHash(t.token),
    expiry_millis: t.expiry_millis ?? null,
    expiry: words?.iso ?? null,
    expires: words ? (words.expired ? `expired ${words.relative}` : words.relative) : 'never',
    expired: words?.expired ?? false,
    permissions: t.permissions ?? [ADMIN_PERMISSION],
  };
}

export const SHOW_FORMATS = ['pretty', 'json', 'jsonl', 'csv'] as const;
export type ShowFormat = (typeof SHOW_FORMATS)[number];

const RENDER: Record<ShowFormat, (rows: readonly TokenRow[], file: string, kind: string) => string> = {
  pretty: (rows) =>
    table(
      ['NAME', 'HASH', 'EXPIRY', 'EXPIRED', 'PERMISSIONS'],
      rows.map((r) => [r.name, r.hash, r.expiry === null ? 'never' : `${r.expiry} (${r.expires})`, r.expired ? 'yes' : 'no', r.permissions.join(' ')]),
    ),
  json: (rows, file, kind) => jsonObject({ file, kind, tokens: rows }),
  jsonl: (rows) => jsonLines(rows),
  csv: (rows) =>
    csv(
      ['name', 'hash', 'expiry_millis', 'expiry', 'expires', 'expired', 'permissions'],
      rows.map((r) => [r.name, r.hash, r.expiry_millis === null ? '' : String(r.expiry_millis), r.expiry ?? '', r.expires, String(r.expired), r.permissions.join(' ')]),
    ),
};

export function renderTokenRows(rows: readonly TokenRow[], format: ShowFormat, file: string, kind: string): string {
  return RENDER[format](rows, file, kind);
}
