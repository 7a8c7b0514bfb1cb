/**
 * `create token`: maps argv to CreateTokenOptions (every usage check happens here, before
 * any file is touched), makes one call into createToken, and renders the result.
 */
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import humanizeDuration from 'humanize-duration';
import { type CreateTokenOptions, type CreateTokenResult, createToken } from '../actions/create-token';
import { UsageError } from '../errors';
import type { RunEnv } from '../main';
import { readFile } from '../store/store';
import { durationMs, many, single } from './args';
import { DIALECT_FLAGS, type RequestInput, TOKEN_FLAGS, tokenRequestOf } from './dialects';
import type { FlagSpec, ParsedArgs } from './types';

export const command = 'token [permissions..]';
export const describe = 'Create a token and write it to a permission tokens file (or, with --admin, an admin token file)';

/** Options of the server CLI that only matter online; accepted so its command lines work unchanged. */
const ONLINE_ONLY = ['host', 'token', 'tls-ca', 'tls-no-verify'] as const;
const ONLINE_GROUP = 'Online-only options (accepted and ignored)';

export const FLAGS: Readonly<Record<string, FlagSpec>> = {
  ...DIALECT_FLAGS,
  ...TOKEN_FLAGS,
  'output-file': { type: 'string', required: true, describe: 'Token file to create or append to' },
  'if-not-exists': { type: 'boolean', describe: 'Keep an existing token of the same name (or admin file) and exit 0' },
  format: { type: 'string', choices: ['text', 'json'], defaultDescription: 'text', describe: 'Output: text (no secret) or json (includes the token)' },
  'lock-timeout': { type: 'string', defaultDescription: '30s', describe: 'How long to wait for other writers of the file' },
  offline: { type: 'boolean', describe: 'Accepted for compatibility; this tool never contacts a server' },
  host: { type: 'string', aliases: ['H'], group: ONLINE_GROUP, describe: 'Ignored (online only)' },
  token: { type: 'string', group: ONLINE_GROUP, describe: 'Ignored (online only); never used as the new token' },
  'tls-ca': { type: 'string', group: ONLINE_GROUP, describe: 'Ignored (online only)' },
  'tls-no-verify': { type: 'boolean', group: ONLINE_GROUP, describe: 'Ignored (online only)' },
};

export function builder(y: Argv): Argv {
  y.positional('permissions', {
    describe: 'Permissions given after a bare --permission, as in the server docs (or the influxctl description)',
    type: 'string',
    array: true,
  });
  for (const [name, spec] of Object.entries(FLAGS)) {
    y.option(name, {
      type: spec.type,
      describe: spec.describe,
      ...(spec.aliases ? { alias: [...spec.aliases] } : {}),
      ...(spec.choices ? { choices: [...spec.choices] } : {}),
      ...(spec.group ? { group: spec.group } : {}),
      ...(spec.hidden ? { hidden: true } : {}),
    });
  }
  return y
    .example('$0 create token --permission "db:mydb:read,write" --name app --output-file tokens.json', 'read/write on one database')
    .example('$0 create token --admin --output-file admin.json', 'an admin token file');
}

/** yargs' argv (kebab-case or camel-case keys). */
export type CreateTokenArgs = Record<string, unknown>;

/** Until the new parser lands: yargs' argv in the shape of ParsedArgs. */
function parsedArgsOf(argv: CreateTokenArgs): ParsedArgs {
  const flags: Record<string, string | readonly string[] | true> = {};
  for (const [name, spec] of Object.entries(FLAGS)) {
    const v = argv[name] ?? argv[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
    if (v === undefined || v === false) continue;
    if (spec.type === 'boolean') flags[name] = true;
    // A bare --permission (the docs' positional form) parses as ''.
    else if (spec.repeatable) flags[name] = many(v).filter((p) => !(spec.bare && p === ''));
    else flags[name] = single(v, `--${name}`)!;
  }
  return { flags, positionals: { permissions: many(argv.permissions) } };
}

const input: RequestInput = {
  env: process.env,
  // A body or a token value: no lock, no size surprise; stdin read whole (a pipe or a file).
  readText: (path) => (path === '-' ? readFileSync(0, 'utf8') : readFile(path).text),
};

export interface CreatePlan {
  opts: CreateTokenOptions;
  format: string;
  notices: readonly string[];
}

export function toOptions(args: CreateTokenArgs): CreateTokenOptions {
  return planOf(parsedArgsOf(args)).opts;
}

/** Every usage check happens here, before any file is touched. */
export function planOf(args: ParsedArgs, io: RequestInput = input): CreatePlan {
  const flag = (name: string): string | undefined => {
    const v = args.flags[name];
    return typeof v === 'string' ? v : undefined;
  };
  const outputFile = flag('output-file');
  if (!outputFile) {
    throw new UsageError('--output-file is required: this tool writes the token to a file for `influxdb3 serve` to load. Add --output-file PATH.');
  }
  const ifNotExists = args.flags['if-not-exists'] === true;
  const words = many(args.positionals.permissions);
  const { request, tokenValue, format, notices } = tokenRequestOf(args, words, io);
  const common = {
    outputFile,
    name: request.name,
    expiry: request.expiry,
    lockTimeoutMs: durationMs(flag('lock-timeout') ?? '30s', '--lock-timeout'),
    ifNotExists,
    tokenValue,
  };
  const opts: CreateTokenOptions =
    request.kind === 'admin'
      ? { kind: 'admin', ...common, force: request.replace }
      : { kind: 'permission', ...common, permissions: [...request.permissions], createDatabases: [...request.createDatabases] };
  if (opts.kind === 'admin' && opts.force && ifNotExists) throw new UsageError('--force and --if-not-exists contradict each other; give one of them.');
  const ignored = ONLINE_ONLY.filter((f) => args.flags[f] !== undefined);
  const online = ignored.length > 0 ? [`${ignored.map((f) => `--${f}`).join(', ')} ignored: this tool writes files and never contacts a server.`] : [];
  return { opts, format: format ?? flag('format') ?? 'text', notices: [...online, ...notices] };
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

export async function run(argv: CreateTokenArgs, env: RunEnv): Promise<void> {
  const { opts, format, notices } = planOf(parsedArgsOf(argv));
  const result = await createToken(opts, env);
  // Only on success: a failure prints exactly one line.
  for (const notice of notices) env.io.stderr(`notice: ${notice}\n`);
  if (result.modeTightened) {
    env.io.stderr(`notice: ${opts.outputFile} had mode ${octal(result.modeTightened.from)}; it was written back as ${octal(result.modeTightened.to)}.\n`);
  }
  if (result.releaseFailure) env.io.stderr(`notice: ${result.releaseFailure}\n`);
  env.io.stdout(render(result, format, env.now()));
}
