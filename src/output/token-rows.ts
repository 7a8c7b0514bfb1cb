/**
 * The rows of `show tokens`, modelled on the server's own `show tokens`: the name, the
 * first 9 hex digits of the SHA-512 of the string (the server's display of a token),
 * the expiry, whether it has passed, the permissions. Never the string itself.
 */
import type { TokenView } from '../actions/read-tokens';
import { csv } from './csv';
import { type ExpiryText, expiryText } from './expiry';
import { exactInteger, jsonLines, jsonObject } from './json';
import { escapeText } from './escape';

export const ADMIN_PERMISSION = '*:*:*';

export interface TokenRow {
  name: string;
  hash: string;
  /** Exact i64 milliseconds: a number where that is exact, else the bigint (written as digits). */
  expiry_millis: number | bigint | null;
  expiry: string | null;
  expires: string;
  expired: boolean;
  permissions: readonly string[];
}

let sha512Hex: ((s: string) => string) | undefined;

/** node:crypto is loaded here, on first use: most commands never hash (src/store/random.ts). */
function hasher(): (s: string) => string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const crypto = require('node:crypto') as typeof import('node:crypto');
  // crypto.hash (Node 20.12+) hashes in one call, about twice as fast as createHash on 100,000 tokens.
  const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
  return oneShot ? (s) => oneShot('sha512', s, 'hex') : (s) => crypto.createHash('sha512').update(s).digest('hex');
}

export function tokenHash(token: string): string {
  sha512Hex ??= hasher();
  return sha512Hex(token).slice(0, 9);
}

export function tokenRow(t: TokenView, now: number): TokenRow {
  const text = t.expiry === null ? undefined : expiryText(t.expiry, now);
  return {
    name: t.name,
    hash: tokenHash(t.token),
    expiry_millis: t.expiry === null ? null : exactInteger(t.expiry),
    expiry: text?.words.iso ?? null,
    expires: text?.expires ?? 'never',
    expired: text?.words.expired ?? false,
    permissions: t.permissions ?? [ADMIN_PERMISSION],
  };
}

const NEVER = 'never';
const PRETTY_HEADERS = ['NAME', 'HASH', 'EXPIRY', 'EXPIRED', 'PERMISSIONS'];

export const SHOW_FORMATS = ['pretty', 'json', 'jsonl', 'csv'] as const;
export type ShowFormat = (typeof SHOW_FORMATS)[number];

/** The row formats; `pretty` is made from the tokens directly (prettyTokens). */
const RENDER: Record<Exclude<ShowFormat, 'pretty'>, (rows: readonly TokenRow[], file: string, kind: string) => string> = {
  json: (rows, file, kind) => jsonObject({ file, kind, tokens: rows }),
  jsonl: (rows) => jsonLines(rows),
  csv: (rows) =>
    csv(
      ['name', 'hash', 'expiry_millis', 'expiry', 'expires', 'expired', 'permissions'],
      rows.map((r) => [
        r.name,
        r.hash,
        r.expiry_millis === null ? '' : String(r.expiry_millis),
        r.expiry ?? '',
        r.expires,
        String(r.expired),
        r.permissions.join(' '),
      ]),
    ),
};

export function renderTokenRows(rows: readonly TokenRow[], format: Exclude<ShowFormat, 'pretty'>, file: string, kind: string): string {
  return RENDER[format](rows, file, kind);
}

/** What `show tokens` prints for these tokens. */
export function renderTokens(tokens: readonly TokenView[], now: number, format: ShowFormat, file: string, kind: string): string {
  return format === 'pretty'
    ? prettyTokens(tokens, now)
    : renderTokenRows(
        tokens.map((t) => tokenRow(t, now)),
        format,
        file,
        kind,
      );
}

/**
 * `show tokens` as a table (columns padded to their widest cell, the last one not, no borders), made from the tokens with no row in between:
 * on 100,000 tokens the rows and their cells outlived every scavenge until the table was
 * done, and copying them was most of the time. Only the lines are kept. The cells that
 * depend on the expiry alone (its words, padded, and "expired") are built again only when
 * the expiry differs from the previous token's: files list runs of tokens made together,
 * and a file of distinct expiries pays no cache for them.
 */
function prettyTokens(tokens: readonly TokenView[], now: number): string {
  const texts = new Array<ExpiryText | undefined>(tokens.length);
  // Names come from other people's files: escaped (SPEC 16), a name cannot fake a row.
  const names = tokens.map((t) => escapeText(t.name));
  const widths = PRETTY_HEADERS.map((h) => h.length);
  let lastMillis: bigint | null = null;
  let lastText: ExpiryText | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (names[i]!.length > widths[0]!) widths[0] = names[i]!.length;
    const millis = t.expiry;
    if (millis !== null && millis !== lastMillis) {
      lastText = expiryText(millis, now);
      lastMillis = millis;
    }
    const text = millis === null ? undefined : lastText;
    texts[i] = text;
    const expiry = text === undefined ? NEVER.length : text.line.length;
    if (expiry > widths[2]!) widths[2] = expiry;
  }
  // A hash is always 9 hex digits, "yes" and "no" never wider than EXPIRED: no pass needed.
  if (tokens.length > 0) widths[1] = Math.max(widths[1]!, 9);
  const pad = (s: string, column: number): string => s.padEnd(widths[column]! + 2);
  // Lines are joined a block at a time, so that each line's pieces die young instead of
  // being copied by every scavenge until the whole table is done.
  const blocks: string[] = [];
  let lines: string[] = [
    `${pad(PRETTY_HEADERS[0]!, 0)}${pad(PRETTY_HEADERS[1]!, 1)}${pad(PRETTY_HEADERS[2]!, 2)}${pad(PRETTY_HEADERS[3]!, 3)}${PRETTY_HEADERS[4]}`,
  ];
  let middleOf: ExpiryText | undefined | null = null;
  let middle = '';
  let lastList: readonly string[] | undefined;
  let permissions = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const text = texts[i];
    if (text !== middleOf) {
      middle = text === undefined ? `${pad(NEVER, 2)}${pad('no', 3)}` : `${pad(text.line, 2)}${pad(text.words.expired ? 'yes' : 'no', 3)}`;
      middleOf = text;
    }
    if (t.permissions !== lastList || lastList === undefined) {
      permissions = t.permissions === undefined ? ADMIN_PERMISSION : t.permissions.join(' ');
      lastList = t.permissions;
    }
    lines.push(`${pad(names[i]!, 0)}${pad(tokenHash(t.token), 1)}${middle}${permissions}`);
    if (lines.length === BLOCK_LINES) {
      blocks.push(lines.join('\n'));
      lines = [];
    }
  }
  lines.push('');
  blocks.push(lines.join('\n'));
  return blocks.join('\n');
}

const BLOCK_LINES = 4096;
