/**
 * What a token should be, whatever command line or body asked for it. Every dialect
 * (src/commands/dialects) maps its own spelling onto these types, so `create token` has
 * one path after the mapping. Pure: the rules here return reasons and never name a flag,
 * because the same rule is reached from --name, an influxctl description or a body's
 * token_name, and only the caller knows which one to blame.
 */
import type { ExpirySpec } from './expiry';
import { DB_ACTIONS, type DbAction, type ParseResult, formatPermission, parsePermission } from './permissions';
import { tokenWeakness } from './token';

/** Where a user-supplied token string comes from; never argv, which `ps` shows. */
export type ValueSource = { readonly from: 'env'; readonly variable: string } | { readonly from: 'file'; readonly path: string } | { readonly from: 'stdin' };

interface RequestCommon {
  readonly name: string;
  readonly expiry: ExpirySpec | undefined;
  /** undefined: mint a fresh token. */
  readonly value: ValueSource | undefined;
}
export interface PermissionTokenRequest extends RequestCommon {
  readonly kind: 'permission';
  /** Normalised permission strings, duplicates removed. */
  readonly permissions: readonly string[];
  readonly createDatabases: readonly string[];
}
export interface AdminTokenRequest extends RequestCommon {
  readonly kind: 'admin';
  /** Replace an existing admin token file (--force, or the server CLI's --regenerate). */
  readonly replace: boolean;
}
export type TokenRequest = PermissionTokenRequest | AdminTokenRequest;

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

export type PermissionCheck = { ok: true; value: string } | { ok: false; reason: string; adminOnly?: true };

/** A permission string as written in the file, or why it cannot be in a permission token. */
export function normalisePermission(text: string): PermissionCheck {
  const parsed = parsePermission(text);
  if (!parsed.ok) return parsed;
  // The server refuses "*" as a resource type for every token but the admin token.
  if (parsed.value.type === '*') return { ok: false, reason: '"*" as a resource type is only for the admin token', adminOnly: true };
  return { ok: true, value: formatPermission(parsed.value) };
}

/** One grant of another tool's flags: --read-database DB, --write-bucket B, ... */
export interface DatabaseGrant {
  readonly database: string;
  readonly action: DbAction;
}

/**
 * influxctl and influx v2 grant one action on one database per flag; the file wants one
 * `db:DB:ACTIONS` per database with its actions merged in the server's order. Databases
 * keep the order of their first grant. Fails on the first name the server would refuse.
 */
export function permissionsFromGrants(grants: readonly DatabaseGrant[]): ParseResult<string[]> {
  const byDatabase = new Map<string, Set<DbAction>>();
  for (const g of grants) {
    const actions = byDatabase.get(g.database) ?? new Set<DbAction>();
    actions.add(g.action);
    byDatabase.set(g.database, actions);
  }
  const out: string[] = [];
  for (const [database, actions] of byDatabase) {
    // A list inside one name would silently become several databases.
    if (database.includes(',') || database.includes(':')) {
      return fail(`the database name ${JSON.stringify(database)} contains "${database.includes(',') ? ',' : ':'}"; give one database per flag`);
    }
    const text = `db:${database}:${DB_ACTIONS.filter((a) => actions.has(a)).join(',')}`;
    const normalised = normalisePermission(text);
    if (!normalised.ok) return normalised;
    out.push(normalised.value);
  }
  return { ok: true, value: out };
}

/**
 * influx v2 makes tokens without a description, but names are unique keys in the file:
 * the permissions themselves are the most telling name, and the same command line run
 * twice then meets its earlier token instead of adding a twin.
 */
export function nameFromPermissions(permissions: readonly string[]): string {
  return permissions.join(' ');
}

/** Rules every request obeys, whichever spelling made it; `field` tells the caller whom to blame. */
export function requestProblem(req: TokenRequest): { field: 'name' | 'permissions'; reason: string } | undefined {
  if (req.name === '') return { field: 'name', reason: 'the token name is empty' };
  if (req.kind === 'permission' && req.permissions.length === 0) return { field: 'permissions', reason: 'a permission token needs at least one permission' };
  return undefined;
}

export function parseValueSource(text: string): ParseResult<ValueSource> {
  if (text === 'stdin' || text === '-') return { ok: true, value: { from: 'stdin' } };
  const colon = text.indexOf(':');
  const scheme = colon === -1 ? '' : text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (scheme === 'env') {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(rest))
      return fail(`env:${rest} does not name an environment variable (letters, digits and _, not starting with a digit)`);
    return { ok: true, value: { from: 'env', variable: rest } };
  }
  if (scheme === 'file') {
    if (rest === '') return fail('file: needs a path, as in file:/run/secrets/token');
    return { ok: true, value: { from: 'file', path: rest } };
  }
  // Never echo the text: a user who pasted the token itself here must not see it logged.
  return fail(
    `it is not env:VAR, file:PATH or stdin${text.startsWith('apiv3_') ? ' (a token string is never taken from the command line, where ps shows it)' : ''}`,
  );
}

/** Where a ValueSource points, in words that never include the value. */
export function describeValueSource(source: ValueSource): string {
  switch (source.from) {
    case 'env':
      return `the environment variable ${source.variable}`;
    case 'file':
      return `the file ${source.path}`;
    case 'stdin':
      return 'standard input';
  }
}

/**
 * The token string a user supplied, as it will be written: one trailing newline (`\n` or
 * `\r\n`, what `echo` and editors add) dropped, then the same strength check `validate`
 * warns with. Reasons never quote the value.
 */
export function suppliedTokenValue(raw: string): ParseResult<string> {
  const value = raw.endsWith('\r\n') ? raw.slice(0, -2) : raw.endsWith('\n') ? raw.slice(0, -1) : raw;
  if (value === '') return fail('it is empty');
  const weakness = tokenWeakness(value);
  if (weakness) return fail(weakness);
  return { ok: true, value };
}
