/**
 * `create token`: maps ParsedArgs to CreateTokenOptions (every usage check happens here,
 * before any file is touched), makes one call into createToken, and renders the result.
 */
import { modeTightenedLine } from './notices';
import { type CreateTokenOptions, type CreateTokenResult, createToken } from '../actions/create-token';
import { databasesOf, parsePermission } from '../domain/permissions';
import { type StaleReason, staleReasons } from '../domain/stale';
import { FileError, UsageError } from '../errors';
import type { RunEnv } from '../main';
import { expiryLine, expiryWords } from '../output/expiry';
import { jsonObject } from '../output/json';
import { DOCUMENT_LIMIT, readStdin } from '../store/stdin';
import { readFile } from '../store/store';
import { given, parseOwner, text, words } from './args';
import { DIALECT_FLAGS, type RequestInput, TOKEN_FLAGS, tokenRequestOf } from './dialects';
import { LOCK_TIMEOUT, OUTPUT_FILE, OWNER, lockTimeoutOf } from './options';
import { emitAs } from './output';
import { escapeText, shCommand } from '../output/escape';
import type { CommandModule, FlagSpec, ParsedArgs } from './types';
import { type Spelling, worded } from './words';

const ONLINE = 'Online only (accepted so server command lines work unchanged; ignored):';

/** Options of the server CLI that only matter online. */
const ONLINE_ONLY: Readonly<Record<string, FlagSpec>> = {
  host: { type: 'string', aliases: ['H'], describe: 'Ignored: this tool never contacts a server', group: ONLINE },
  token: { type: 'string', describe: 'Ignored; never used as the new token', group: ONLINE },
  'tls-ca': { type: 'string', describe: 'Ignored', group: ONLINE },
  'tls-no-verify': { type: 'boolean', describe: 'Ignored', group: ONLINE },
};

/** The token's own flags come from the dialect tables (commands/dialects); these say how it is written. */
const FLAGS: Readonly<Record<string, FlagSpec>> = {
  ...DIALECT_FLAGS,
  ...TOKEN_FLAGS,
  'output-file': OUTPUT_FILE,
  'if-not-exists': {
    type: 'boolean',
    describe: 'Keep an existing token of the same name (or admin file) and exit 0; a warning says when the kept token has expired or has other permissions',
  },
  'fail-if-stale': {
    type: 'boolean',
    describe: 'With --if-not-exists: exit 1, file unchanged, instead of the warning when the kept token has expired or has other permissions',
  },
  format: { type: 'string', choices: ['text', 'json'], defaultDescription: 'text', describe: 'Output: text (no secret) or json (includes the token)' },
  'lock-timeout': LOCK_TIMEOUT,
  owner: OWNER,
  offline: { type: 'boolean', describe: 'Accepted for compatibility; this tool never contacts a server' },
  ...ONLINE_ONLY,
};

/** What the dialects may read besides argv: a --from-json body, a --token-value-from value. */
const INPUT: RequestInput = {
  env: process.env,
  readText: (path, limit) => (path === '-' ? readStdin(limit?.bytes ?? DOCUMENT_LIMIT, limit?.what ?? 'standard input').toString('utf8') : readFile(path).text),
};

export interface CreatePlan {
  readonly opts: CreateTokenOptions;
  readonly format: string;
  /** What the dialect had to say (ignored flags or body fields), for stderr after success. */
  readonly notices: readonly string[];
  readonly spelling: Spelling;
}

export function planOf(args: ParsedArgs, input: RequestInput = INPUT): CreatePlan {
  const outputFile = text(args, 'output-file');
  if (!outputFile) {
    throw new UsageError('--output-file is required: this tool writes the token to a file for `influxdb3 serve` to load. Add --output-file PATH.');
  }
  const ifNotExists = given(args, 'if-not-exists');
  if (given(args, 'fail-if-stale') && !ifNotExists) {
    throw new UsageError('--fail-if-stale only applies to the token --if-not-exists keeps; add --if-not-exists or drop --fail-if-stale.');
  }
  const owner = text(args, 'owner');
  const { request, tokenValue, format, notices, spelling } = tokenRequestOf(args, words(args, 'permissions'), input);
  const common = {
    outputFile,
    name: request.name,
    expiry: request.expiry,
    lockTimeoutMs: lockTimeoutOf(args),
    ifNotExists,
    tokenValue,
    owner: owner === undefined ? undefined : parseOwner(owner),
  };
  if (request.kind === 'admin') {
    if (request.replace && ifNotExists) throw new UsageError('--force and --if-not-exists contradict each other; give one of them.');
    return { opts: { kind: 'admin', ...common, force: request.replace }, format: format ?? text(args, 'format') ?? 'text', notices, spelling };
  }
  const opts: CreateTokenOptions = { kind: 'permission', ...common, permissions: [...request.permissions], createDatabases: [...request.createDatabases] };
  return { opts, format: format ?? text(args, 'format') ?? 'text', notices, spelling };
}

/** The action's refusals, worded with the spelling this line used. */
function reword(e: unknown, plan: CreatePlan): unknown {
  if (e instanceof FileError && e.code === 'ENAMETAKEN') {
    const fix = `choose another ${plan.spelling.name ?? 'name'}, or pass --if-not-exists to keep the existing one`;
    return new FileError('ENAMETAKEN', `${e.message.replace(/\.$/, '')}; ${fix}.`, { file: e.file, tokenName: e.tokenName, cause: e });
  }
  if (e instanceof FileError && e.code === 'EADMINEXISTS') {
    return new FileError('EADMINEXISTS', `${e.message} Pass --force to replace it, --if-not-exists to keep it, or choose another --output-file.`, {
      file: e.file,
      tokenName: e.tokenName,
      cause: e,
    });
  }
  return worded(e, plan.spelling);
}

export function render(result: CreateTokenResult, format: string, now: number): string {
  if (format === 'json') {
    const out: Record<string, unknown> = {
      token: result.token,
      name: result.name,
      expiry_millis: result.expiry,
    };
    if (result.kind === 'permission') out.permissions = result.permissions;
    out.output_file = result.outputFile;
    out.kind = result.kind;
    out.created = result.created;
    if (result.kind === 'permission') out.create_databases = result.createDatabases ?? [];
    return jsonObject(out);
  }
  const lines = [
    result.created
      ? `Token saved to: ${escapeText(result.outputFile)}`
      : `Token ${JSON.stringify(result.name)} already exists in ${escapeText(result.outputFile)}; it was kept unchanged.`,
    `Name: ${escapeText(result.name)}`,
  ];
  if (result.kind === 'permission') lines.push(`Permissions: ${(result.permissions ?? []).join(' ')}`);
  else lines.push('Access: admin (full access)');
  lines.push(`Expires: ${expiryLine(result.expiry, now)}`);
  if (result.newDatabases.length > 0) lines.push(`Databases to create: ${escapeText(result.newDatabases.join(', '))} (added)`);
  const flag = result.kind === 'admin' ? '--admin-token-file' : '--permission-tokens-file';
  lines.push(`Load it with: ${shCommand(['influxdb3', 'serve', flag, result.outputFile])}`);
  lines.push('The token string is not shown; use --format json to print it.');
  return `${lines.join('\n')}\n`;
}

/** What a successful run says on stderr besides the result: one line each. */
export function notices(args: ParsedArgs, opts: CreateTokenOptions, result: CreateTokenResult): string[] {
  const out: string[] = [];
  const ignored = Object.keys(ONLINE_ONLY).filter((flag) => given(args, flag));
  if (ignored.length > 0) out.push(`${ignored.map((f) => `--${f}`).join(', ')} ignored: this tool writes files and never contacts a server.`);
  if (opts.kind === 'admin' && result.created && opts.name !== '_admin') {
    out.push(
      `the admin token is named ${JSON.stringify(opts.name)}, not "_admin": until a token named _admin exists, the server keeps its unauthenticated admin-token endpoint (POST /api/v3/configure/token/admin) open.`,
    );
  }
  if (result.kind === 'permission' && result.created) {
    const declared = new Set(result.createDatabases ?? []);
    for (const perm of result.permissions ?? []) {
      const parsed = parsePermission(perm);
      const missing = parsed.ok ? databasesOf(parsed.value).filter((db) => !declared.has(db)) : [];
      if (missing.length > 0) {
        out.push(
          `${perm} names ${missing.map((db) => JSON.stringify(db)).join(', ')}, not in create_databases of ${result.outputFile}: the server refuses the token at start unless the database exists by then (add it with --create-databases ${missing.join(',')}).`,
        );
      }
    }
  }
  if (result.modeTightened) {
    out.push(modeTightenedLine(opts.outputFile, result.modeTightened));
  }
  if (result.releaseFailure) out.push(result.releaseFailure);
  return out;
}

/** What makes a kept token stale, in words; permissions are not secret, the token string never appears. */
export function staleWords(reasons: readonly StaleReason[], now: number): string {
  return reasons
    .map((r) => {
      if (r.kind === 'expired') {
        const w = expiryWords(r.expiry, now);
        return `it expired ${w.relative} (${w.iso})`;
      }
      const parts: string[] = [];
      if (r.onlyKept.length > 0) parts.push(`it has ${r.onlyKept.join(' ')}, which was not asked for`);
      if (r.onlyAsked.length > 0) parts.push(`it lacks ${r.onlyAsked.join(' ')}, which was asked for`);
      return parts.join(', and ');
    })
    .join('; ');
}

const REPLACE = 'replace it with `rotate token`, or delete it and run again';

async function run(args: ParsedArgs, env: RunEnv): Promise<void> {
  const plan = planOf(args);
  const { opts } = plan;
  // One clock reading for the expiry and its words: read twice, `--expiry 1y` would be a
  // few milliseconds short of a year when worded.
  const now = env.now();
  let stale = '';
  opts.onKeep = (kept) => {
    const reasons = staleReasons(kept, opts.kind === 'permission' ? opts.permissions : undefined, now);
    if (reasons.length === 0) return;
    const fail = given(args, 'fail-if-stale');
    stale = `the token ${JSON.stringify(kept.name)} that --if-not-exists ${fail ? 'would keep' : 'kept'} in ${opts.outputFile} is stale: ${staleWords(reasons, now)}`;
    if (fail) throw new FileError('ESTALE', `${stale}. ${opts.outputFile} was left unchanged (--fail-if-stale); ${REPLACE}.`);
  };
  let result: CreateTokenResult;
  try {
    result = await createToken(opts, { ...env, now: () => now });
  } catch (e) {
    throw reword(e, plan);
  }
  // Only on success: a failure prints exactly one line.
  for (const line of [...plan.notices, ...notices(args, opts, result)]) env.io.stderr(`notice: ${line}\n`);
  // The server skips a name it already has: clients would fail with the kept token without a word.
  if (stale)
    env.io.stderr(
      `warning: ${stale}; a server that already has this name keeps it as it is. ${REPLACE[0]!.toUpperCase()}${REPLACE.slice(1)}, or pass --fail-if-stale to make this an error.\n`,
    );
  const done = result.created ? `the token was written to ${result.outputFile}` : `the token ${JSON.stringify(result.name)} was kept in ${result.outputFile}`;
  await emitAs(env, plan.format !== 'json', render(result, plan.format, now), done);
}

const command: CommandModule = {
  // influxctl's and influx v2's verbs, so their lines work with only the binary swapped.
  paths: [
    ['create', 'token'],
    ['token', 'create'],
    ['auth', 'create'],
  ],
  describe: 'Create a token and write it to a permission tokens file (or, with --admin, an admin token file)',
  positionals: [
    {
      name: 'permissions',
      describe: 'Permissions given after a bare --permission, as in the server docs; with influxctl flags, the token description',
      variadic: true,
    },
  ],
  flags: FLAGS,
  examples: [
    ['create token --permission "db:mydb:read,write" --name app --output-file tokens.json', 'read/write on one database'],
    ['create token --admin --output-file admin-token.json', 'an admin token file'],
    ['token create --read-database mydb --write-database mydb "app" --output-file tokens.json', 'an influxctl line: db:mydb:read,write named app'],
    ['auth create --write-bucket mydb -d collector --output-file tokens.json', 'an influx v2 line: db:mydb:write named collector'],
    ['create token --from-json body.json --output-file tokens.json', 'the body of POST /api/v3/configure/token'],
    ['create token --admin --token-value-from env:ADMIN_TOKEN --output-file admin-token.json', 'a token string you supply, never on the command line'],
  ],
  run,
};
export default command;
