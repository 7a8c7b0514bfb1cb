/**
 * `create token`, the command module: flags -> request (requestOf), one call of the action
 * (request -> result, actions/create-token.ts), and the result printed in the words of
 * create-token-words.ts.
 */
import { type CreateTokenRequest, type CreateTokenResult, createToken } from '../actions/create-token';
import { UsageError } from '../errors';
import type { RunEnv } from '../main';
import { DOCUMENT_LIMIT } from '../store/stdin';
import { readFile } from '../store/store';
import { given, parseOwner, text, words } from './args';
import { notices, render, reword, staleWarning } from './create-token-words';
import { DIALECT_FLAGS, type RequestInput, TOKEN_FLAGS, tokenRequestOf } from './dialects';
import { LOCK_TIMEOUT, OUTPUT_FILE, OWNER, lockTimeoutOf } from './options';
import { emitAs } from './output';
import type { CommandBody, FlagSpec, ParsedArgs } from './types';
import type { Spelling } from './words';

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

/** What the dialects may read besides argv, from what the launcher handed down: a --from-json body, a --token-value-from value. */
export function inputOf(env: Pick<RunEnv, 'vars' | 'stdin'>): RequestInput {
  return {
    env: env.vars,
    readText: (path, limit) =>
      path === '-' ? env.stdin(limit?.bytes ?? DOCUMENT_LIMIT, limit?.what ?? 'standard input').toString('utf8') : readFile(path).text,
  };
}

/** What one `create token` line asks for: the action's request, and how to word its answer. */
export interface CreateInvocation {
  readonly request: CreateTokenRequest;
  readonly format: string;
  /** What the line itself calls for on stderr after success: ignored flags, the dialect's notes. */
  readonly notices: readonly string[];
  readonly spelling: Spelling;
}

/** Flags -> request: every usage check happens here, before any file is touched. */
export function requestOf(args: ParsedArgs, input: RequestInput): CreateInvocation {
  const outputFile = text(args, 'output-file');
  if (!outputFile) {
    throw new UsageError('--output-file is required: this tool writes the token to a file for `influxdb3 serve` to load. Add --output-file PATH.');
  }
  const ifNotExists = given(args, 'if-not-exists');
  const failIfStale = given(args, 'fail-if-stale');
  if (failIfStale && !ifNotExists) {
    throw new UsageError('--fail-if-stale only applies to the token --if-not-exists keeps; add --if-not-exists or drop --fail-if-stale.');
  }
  const owner = text(args, 'owner');
  const resolved = tokenRequestOf(args, words(args, 'permissions'), input);
  const { request, tokenValue, spelling } = resolved;
  const ignored = Object.keys(ONLINE_ONLY).filter((flag) => given(args, flag));
  const notices = [
    ...resolved.notices,
    ...(ignored.length > 0 ? [`${ignored.map((f) => `--${f}`).join(', ')} ignored: this tool writes files and never contacts a server.`] : []),
  ];
  const format = resolved.format ?? text(args, 'format') ?? 'text';
  const common = {
    outputFile,
    name: request.name,
    expiry: request.expiry,
    lockTimeoutMs: lockTimeoutOf(args),
    ifNotExists,
    failIfStale,
    tokenValue,
    owner: owner === undefined ? undefined : parseOwner(owner),
  };
  if (request.kind === 'admin') {
    if (request.replace && ifNotExists) throw new UsageError('--force and --if-not-exists contradict each other; give one of them.');
    return { request: { kind: 'admin', ...common, force: request.replace }, format, notices, spelling };
  }
  const permission: CreateTokenRequest = {
    kind: 'permission',
    ...common,
    permissions: [...request.permissions],
    createDatabases: [...request.createDatabases],
  };
  return { request: permission, format, notices, spelling };
}

async function run(args: ParsedArgs, env: RunEnv): Promise<void> {
  const { request, format, notices: lineNotices, spelling } = requestOf(args, inputOf(env));
  // One clock reading for the expiry and its words: read twice, `--expiry 1y` would be a
  // few milliseconds short of a year when worded.
  const now = env.now();
  let result: CreateTokenResult;
  try {
    result = await createToken(request, { ...env, now: () => now });
  } catch (e) {
    throw reword(e, spelling, now);
  }
  // Only on success: a failure prints exactly one line.
  for (const line of [...lineNotices, ...notices(request, result)]) env.io.stderr(`notice: ${line}\n`);
  const stale = staleWarning(result, now);
  if (stale) env.io.stderr(`warning: ${stale}\n`);
  const done = result.created ? `the token was written to ${result.outputFile}` : `the token ${JSON.stringify(result.name)} was kept in ${result.outputFile}`;
  await emitAs(env, format !== 'json', render(result, format, now), done);
}

const command: CommandBody = {
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
