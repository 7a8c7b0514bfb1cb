/**
 * `create token`: maps argv to CreateTokenOptions (every usage check happens here, before
 * any file is touched), makes one call into createToken, and renders the result.
 */
import type { Argv } from 'yargs';
import humanizeDuration from 'humanize-duration';
import { type CreateTokenOptions, type CreateTokenResult, createToken } from '../actions/create-token';
import { databaseNameProblem } from '../domain/database-name';
import { parseDuration } from '../domain/duration';
import { type ExpirySpec, parseInstant } from '../domain/expiry';
import { formatPermission, parsePermission } from '../domain/permissions';
import { UsageError } from '../errors';
import type { RunEnv } from '../main';
import { durationMs, many, single } from './args';

export const command = 'token [permissions..]';
export const describe = 'Create a token and write it to a permission tokens file (or, with --admin, an admin token file)';

/** Options of the server CLI that only matter online; accepted so its command lines work unchanged. */
const ONLINE_ONLY = ['host', 'token', 'tls-ca', 'tls-no-verify'] as const;

export function builder(y: Argv): Argv {
  return y
    .positional('permissions', {
      describe: 'Permissions given after a bare --permission, as in the server docs',
      type: 'string',
      array: true,
    })
    .options({
      permission: { type: 'string', describe: 'RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS, e.g. db:mydb:read,write or system:health:read (repeatable)' },
      name: { type: 'string', describe: 'Token name, unique in the file (default _admin with --admin)' },
      expiry: { type: 'string', describe: 'Lifetime as a humantime duration: 7d, 12h, 1y 6months' },
      'expires-at': { type: 'string', describe: 'Expiry instant in RFC 3339, e.g. 2030-01-01T00:00:00Z' },
      'output-file': { type: 'string', describe: 'Token file to create or append to' },
      'create-databases': { type: 'string', describe: 'Comma-separated databases for the server to create at start (repeatable)' },
      admin: { type: 'boolean', describe: 'Write an admin token file (--admin-token-file) instead' },
      force: { type: 'boolean', describe: 'With --admin: replace an existing admin token file' },
      'if-not-exists': { type: 'boolean', describe: 'Keep an existing token of the same name (or admin file) and exit 0' },
      format: { type: 'string', choices: ['text', 'json'], default: 'text', describe: 'Output: text (no secret) or json (includes the token)' },
      'lock-timeout': { type: 'string', default: '30s', describe: 'How long to wait for other writers of the file' },
      offline: { type: 'boolean', describe: 'Accepted for compatibility; this tool never contacts a server' },
      host: { alias: 'H', type: 'string', describe: 'Ignored (online only)' },
      token: { type: 'string', describe: 'Ignored (online only); never used as the new token' },
      'tls-ca': { type: 'string', describe: 'Ignored (online only)' },
      'tls-no-verify': { type: 'boolean', describe: 'Ignored (online only)' },
    })
    .example('$0 create token --permission "db:mydb:read,write" --name app --output-file tokens.json', 'read/write on one database')
    .example('$0 create token --admin --output-file admin.json', 'an admin token file');
}

export interface CreateTokenArgs {
  permission?: unknown;
  permissions?: unknown;
  name?: unknown;
  expiry?: unknown;
  expiresAt?: unknown;
  outputFile?: unknown;
  createDatabases?: unknown;
  admin?: boolean;
  force?: boolean;
  ifNotExists?: boolean;
  lockTimeout?: unknown;
  [flag: string]: unknown;
}

function permissionsOf(args: CreateTokenArgs): string[] {
  // A bare --permission (the docs' positional form) parses as ''; the strings follow as positionals.
  const given = [...many(args.permission), ...many(args.permissions)].filter((p) => p !== '');
  return [
    ...new Set(
      given.map((text) => {
        const parsed = parsePermission(text);
        if (!parsed.ok) {
          throw new UsageError(`--permission ${JSON.stringify(text)} is invalid: ${parsed.reason}. Write RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS, for example db:mydb:read,write.`);
        }
        return formatPermission(parsed.value);
      }),
    ),
  ];
}

function databasesOf(args: CreateTokenArgs): string[] {
  const names: string[] = [];
  for (const list of many(args.createDatabases)) {
    for (const db of list.split(',')) {
      const problem = databaseNameProblem(db);
      if (problem) {
        throw new UsageError(`--create-databases ${JSON.stringify(list)} names an invalid database ${JSON.stringify(db)}: ${problem}.`);
      }
      names.push(db);
    }
  }
  return names;
}

function expiryOf(args: CreateTokenArgs): ExpirySpec | undefined {
  const duration = single(args.expiry, '--expiry');
  const instant = single(args.expiresAt, '--expires-at');
  if (duration !== undefined && instant !== undefined) {
    throw new UsageError('--expiry and --expires-at both set the expiry; give one of them.');
  }
  if (duration !== undefined) return { kind: 'duration', flag: '--expiry', text: duration, duration: parseDuration(duration, '--expiry') };
  if (instant !== undefined) return { kind: 'instant', flag: '--expires-at', text: instant, millis: parseInstant(instant, '--expires-at') };
  return undefined;
}

export function toOptions(args: CreateTokenArgs): CreateTokenOptions {
  const outputFile = single(args.outputFile, '--output-file');
  if (!outputFile) {
    throw new UsageError('--output-file is required: this tool writes the token to a file for `influxdb3 serve` to load. Add --output-file PATH.');
  }
  const name = single(args.name, '--name');
  if (name === '') throw new UsageError('--name is empty; give the token a name.');
  const common = {
    outputFile,
    expiry: expiryOf(args),
    lockTimeoutMs: durationMs(single(args.lockTimeout, '--lock-timeout') ?? '30s', '--lock-timeout'),
    ifNotExists: args.ifNotExists === true,
  };
  const permissions = permissionsOf(args);
  const createDatabases = databasesOf(args);
  if (args.admin) {
    if (permissions.length > 0) throw new UsageError('--admin cannot be combined with --permission: an admin token has full access. Drop one of them.');
    if (createDatabases.length > 0) throw new UsageError('--admin cannot be combined with --create-databases: an admin token file has no databases. Drop one of them.');
    if (args.force && common.ifNotExists) throw new UsageError('--force and --if-not-exists contradict each other; give one of them.');
    return { kind: 'admin', ...common, name: name ?? '_admin', force: args.force === true };
  }
  if (args.force) throw new UsageError('--force only applies to --admin; permission tokens are appended, never replaced.');
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

export async function run(args: CreateTokenArgs, env: RunEnv): Promise<void> {
  const opts = toOptions(args);
  const result = await createToken(opts, env);
  // Only on success: a failure prints exactly one line.
  const ignored = ONLINE_ONLY.filter((flag) => args[flag] !== undefined);
  if (ignored.length > 0) {
    env.io.stderr(`notice: ${ignored.map((f) => `--${f}`).join(', ')} ignored: this tool writes files and never contacts a server.\n`);
  }
  if (result.modeTightened) {
    env.io.stderr(`notice: ${opts.outputFile} had mode ${octal(result.modeTightened.from)}; it was written back as ${octal(result.modeTightened.to)}.\n`);
  }
  if (result.releaseFailure) env.io.stderr(`notice: ${result.releaseFailure}\n`);
  env.io.stdout(render(result, String(args.format ?? 'text'), env.now()));
}
