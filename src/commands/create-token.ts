/**
 * `create token`: maps ParsedArgs to CreateTokenOptions (every usage check happens here,
 * before any file is touched), makes one call into createToken, and renders the result.
 */
import humanizeDuration from 'humanize-duration';
import { type CreateTokenOptions, type CreateTokenResult, createToken } from '../actions/create-token';
import { databaseNameProblem } from '../domain/database-name';
import { parseDuration } from '../domain/duration';
import { type ExpirySpec, parseInstant } from '../domain/expiry';
import { databasesOf, formatPermission, parsePermission } from '../domain/permissions';
import { UsageError } from '../errors';
import type { RunEnv } from '../main';
import { durationMs, given, list, text, words } from './args';
import { DEFAULT_LOCK_TIMEOUT, LOCK_TIMEOUT, OUTPUT_FILE } from './options';
import { emit } from './output';
import type { CommandModule, FlagSpec, ParsedArgs } from './types';

const ONLINE = 'Online only (accepted so server command lines work unchanged; ignored):';

/** Options of the server CLI that only matter online. */
const ONLINE_ONLY: Readonly<Record<string, FlagSpec>> = {
  host: { type: 'string', aliases: ['H'], describe: 'Ignored: this tool never contacts a server', group: ONLINE },
  token: { type: 'string', describe: 'Ignored; never used as the new token', group: ONLINE },
  'tls-ca': { type: 'string', describe: 'Ignored', group: ONLINE },
  'tls-no-verify': { type: 'boolean', describe: 'Ignored', group: ONLINE },
};

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  permission: {
    type: 'string',
    repeatable: true,
    bare: true,
    describe: 'RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS, e.g. db:mydb:read,write or system:health:read; bare, the permissions follow as arguments',
  },
  name: { type: 'string', describe: 'Token name, unique in the file (default _admin with --admin)' },
  expiry: { type: 'string', describe: 'Lifetime as a humantime duration: 7d, 12h, 1y 6months' },
  'expires-at': { type: 'string', describe: 'Expiry instant in RFC 3339, e.g. 2030-01-01T00:00:00Z' },
  'output-file': OUTPUT_FILE,
  'create-databases': { type: 'string', repeatable: true, describe: 'Comma-separated databases for the server to create at start' },
  admin: { type: 'boolean', describe: 'Write an admin token file (--admin-token-file) instead' },
  force: { type: 'boolean', describe: 'With --admin: replace an existing admin token file' },
  'if-not-exists': { type: 'boolean', describe: 'Keep an existing token of the same name (or admin file) and exit 0' },
  format: { type: 'string', choices: ['text', 'json'], defaultDescription: 'text', describe: 'Output: text (no secret) or json (includes the token)' },
  'lock-timeout': LOCK_TIMEOUT,
  offline: { type: 'boolean', describe: 'Accepted for compatibility; this tool never contacts a server' },
  ...ONLINE_ONLY,
};

function permissionsOf(args: ParsedArgs): string[] {
  const flagged = list(args, 'permission');
  const trailing = words(args, 'permissions');
  if (trailing.length > 0 && !given(args, 'permission')) {
    throw new UsageError(`unexpected argument ${JSON.stringify(trailing[0])}; permissions given as arguments follow a bare --permission, as in: create token --permission --name NAME "db:mydb:read".`);
  }
  return [
    ...new Set(
      [...flagged, ...trailing].map((perm) => {
        const parsed = parsePermission(perm);
        if (!parsed.ok) {
          throw new UsageError(`--permission ${JSON.stringify(perm)} is invalid: ${parsed.reason}. Write RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS, for example db:mydb:read,write.`);
        }
        if (parsed.value.type === '*') {
          // The server's catalog refuses the "*" type for every token but the admin token.
          throw new UsageError(`--permission ${JSON.stringify(perm)} is full access, which only the admin token may have: the server refuses it in a permission tokens file. Use --admin (without --permission) to write an admin token file.`);
        }
        return formatPermission(parsed.value);
      }),
    ),
  ];
}

function databasesIn(args: ParsedArgs): string[] {
  const names: string[] = [];
  for (const given of list(args, 'create-databases')) {
    for (const db of given.split(',')) {
      const problem = databaseNameProblem(db);
      if (problem) {
        throw new UsageError(`--create-databases ${JSON.stringify(given)} names an invalid database ${JSON.stringify(db)}: ${problem}.`);
      }
      names.push(db);
    }
  }
  return names;
}

function expiryOf(args: ParsedArgs): ExpirySpec | undefined {
  const duration = text(args, 'expiry');
  const instant = text(args, 'expires-at');
  if (duration !== undefined && instant !== undefined) {
    throw new UsageError('--expiry and --expires-at both set the expiry; give one of them.');
  }
  if (duration !== undefined) return { kind: 'duration', flag: '--expiry', text: duration, duration: parseDuration(duration, '--expiry') };
  if (instant !== undefined) return { kind: 'instant', flag: '--expires-at', text: instant, millis: parseInstant(instant, '--expires-at') };
  return undefined;
}

export function toOptions(args: ParsedArgs): CreateTokenOptions {
  const outputFile = text(args, 'output-file');
  if (!outputFile) {
    throw new UsageError('--output-file is required: this tool writes the token to a file for `influxdb3 serve` to load. Add --output-file PATH.');
  }
  const name = text(args, 'name');
  if (name === '') throw new UsageError('--name is empty; give the token a name.');
  const ifNotExists = given(args, 'if-not-exists');
  const force = given(args, 'force');
  const common = {
    outputFile,
    expiry: expiryOf(args),
    lockTimeoutMs: durationMs(text(args, 'lock-timeout') ?? DEFAULT_LOCK_TIMEOUT, '--lock-timeout'),
    ifNotExists,
  };
  const permissions = permissionsOf(args);
  const createDatabases = databasesIn(args);
  if (given(args, 'admin')) {
    if (permissions.length > 0) throw new UsageError('--admin cannot be combined with --permission: an admin token has full access. Drop one of them.');
    if (createDatabases.length > 0) throw new UsageError('--admin cannot be combined with --create-databases: an admin token file has no databases. Drop one of them.');
    if (force && ifNotExists) throw new UsageError('--force and --if-not-exists contradict each other; give one of them.');
    return { kind: 'admin', ...common, name: name ?? '_admin', force };
  }
  if (force) throw new UsageError('--force only applies to --admin; permission tokens are appended, never replaced.');
  if (name === undefined) throw new UsageError('--name is required for a permission token: names are unique within the file. Add --name NAME.');
  if (permissions.length === 0) {
    throw new UsageError('at least one permission is required, for example --permission "db:mydb:read,write"; or pass --admin for an admin token.');
  }
  return { kind: 'permission', ...common, name, permissions, createDatabases };
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

function describeExpiry(expiryMillis: number | undefined, now: number): string {
  if (expiryMillis === undefined) return 'never';
  const left = expiryMillis - now;
  const date = new Date(expiryMillis);
  // Beyond ±8.64e15 ms a Date has no ISO form (a 280,000-year expiry is still writable).
  const when = Number.isNaN(date.getTime()) ? `${expiryMillis} ms since 1970` : date.toISOString();
  return left > 0 ? `${when} (in ${humanizeDuration(left, { largest: 2, round: true })})` : `${when} (expired)`;
}

export function render(result: CreateTokenResult, format: string, now: number): string {
  if (format === 'json') {
    const out: Record<string, unknown> = {
      token: result.token,
      name: result.name,
      expiry_millis: result.expiryMillis ?? null,
    };
    if (result.kind === 'permission') out.permissions = result.permissions;
    out.output_file = result.outputFile;
    out.kind = result.kind;
    out.created = result.created;
    if (result.kind === 'permission') out.create_databases = result.createDatabases ?? [];
    return `${JSON.stringify(out, null, 2)}\n`;
  }
  const lines = [
    result.created ? `Token saved to: ${result.outputFile}` : `Token ${JSON.stringify(result.name)} already exists in ${result.outputFile}; it was kept unchanged.`,
    `Name: ${result.name}`,
  ];
  if (result.kind === 'permission') lines.push(`Permissions: ${(result.permissions ?? []).join(' ')}`);
  else lines.push('Access: admin (full access)');
  lines.push(`Expires: ${describeExpiry(result.expiryMillis, now)}`);
  if (result.newDatabases.length > 0) lines.push(`Databases to create: ${result.newDatabases.join(', ')} (added)`);
  const flag = result.kind === 'admin' ? '--admin-token-file' : '--permission-tokens-file';
  lines.push(`Load it with: influxdb3 serve ${flag} ${result.outputFile}`);
  lines.push('The token string is not shown; use --format json to print it.');
  return `${lines.join('\n')}\n`;
}

/** What a successful run says on stderr besides the result: one line each. */
export function notices(args: ParsedArgs, opts: CreateTokenOptions, result: CreateTokenResult): string[] {
  const out: string[] = [];
  const ignored = Object.keys(ONLINE_ONLY).filter((flag) => given(args, flag));
  if (ignored.length > 0) out.push(`${ignored.map((f) => `--${f}`).join(', ')} ignored: this tool writes files and never contacts a server.`);
  if (opts.kind === 'admin' && result.created && opts.name !== '_admin') {
    out.push(`the admin token is named ${JSON.stringify(opts.name)}, not "_admin": until a token named _admin exists, the server keeps its unauthenticated admin-token endpoint (POST /api/v3/configure/token/admin) open.`);
  }
  if (result.kind === 'permission' && result.created) {
    const declared = new Set(result.createDatabases ?? []);
    for (const perm of result.permissions ?? []) {
      const parsed = parsePermission(perm);
      const missing = parsed.ok ? databasesOf(parsed.value).filter((db) => !declared.has(db)) : [];
      if (missing.length > 0) {
        out.push(`${perm} names ${missing.map((db) => JSON.stringify(db)).join(', ')}, not in create_databases of ${result.outputFile}: the server refuses the token at start unless the database exists by then (add it with --create-databases ${missing.join(',')}).`);
      }
    }
  }
  if (result.modeTightened) {
    out.push(`${opts.outputFile} had mode ${octal(result.modeTightened.from)}; it was written back as ${octal(result.modeTightened.to)}.`);
  }
  if (result.releaseFailure) out.push(result.releaseFailure);
  return out;
}

async function run(args: ParsedArgs, env: RunEnv): Promise<void> {
  const opts = toOptions(args);
  const result = await createToken(opts, env);
  // Only on success: a failure prints exactly one line.
  for (const line of notices(args, opts, result)) env.io.stderr(`notice: ${line}\n`);
  const done = result.created ? `the token was written to ${result.outputFile}` : `the token ${JSON.stringify(result.name)} was kept in ${result.outputFile}`;
  await emit(env, render(result, text(args, 'format') ?? 'text', env.now()), done);
}

const command: CommandModule = {
  paths: [['create', 'token']],
  describe: 'Create a token and write it to a permission tokens file (or, with --admin, an admin token file)',
  positionals: [{ name: 'permissions', describe: 'Permissions given after a bare --permission, as in the server docs', variadic: true }],
  flags: FLAGS,
  examples: [
    ['create token --permission "db:mydb:read,write" --name app --output-file tokens.json', 'read/write on one database'],
    ['create token --admin --output-file admin.json', 'an admin token file'],
  ],
  run,
};
export default command;
