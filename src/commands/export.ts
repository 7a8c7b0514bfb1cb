/**
 * `export --file FILE ... --format k8s-secret|env|files|json`: hands the tokens of the token
 * files to clients (SPEC 12). Every flag rule is checked and worded here; the action only
 * reads, renders and writes.
 */
import { EXPORT_FORMATS, type ExportFormat, type ExportRequest, exportTokens } from '../actions/export';
import { UsageError } from '../errors';
import { envNameProblem } from '../output/env';
import { fileNameProblem } from '../output/files';
import { namespaceProblem, secretKeyProblem, secretNameProblem } from '../output/k8s-secret';
import type { RunEnv } from '../main';
import { durationMs, parseOwner } from './args';
import { emit, emitText } from './output';
import { escapeText } from '../output/escape';
import { DEFAULT_LOCK_TIMEOUT, LOCK_TIMEOUT, OWNER } from './options';
import type { CommandModule, FlagValue, ParsedArgs } from './types';

export const DEFAULT_SECRET_NAME = 'influxdb3-tokens';
export const DEFAULT_ENV_PREFIX = 'INFLUXDB3_TOKEN_';

function one(v: FlagValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function all(v: FlagValue | undefined): readonly string[] | undefined {
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : undefined;
}

function check(flag: string, value: string, problem: string | undefined, fix: string): void {
  if (problem) throw new UsageError(`${flag} ${JSON.stringify(value)} is not valid: ${problem}; ${fix}.`);
}

function noRepeats(flag: string, values: readonly string[]): void {
  const twice = values.find((v, i) => values.indexOf(v) !== i);
  if (twice !== undefined) throw new UsageError(`${flag} ${JSON.stringify(twice)} is given twice; give each once.`);
}


/** A flag that only means something for some formats is refused for the others, not ignored. */
const ONLY_FOR: Record<string, readonly ExportFormat[]> = {
  'secret-name': ['k8s-secret'],
  namespace: ['k8s-secret'],
  prefix: ['env'],
};

export function toRequest(args: ParsedArgs): ExportRequest {
  const f = args.flags;
  const files = all(f.file) ?? [];
  if (files.length === 0) throw new UsageError('export needs --file FILE, the token file to export (give --file twice for an admin and a permission tokens file).');
  noRepeats('--file', files);
  const format = one(f.format);
  if (format === undefined) throw new UsageError(`export needs --format, one of ${EXPORT_FORMATS.join(', ')}.`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format ${JSON.stringify(format)} is not an export format; use one of ${EXPORT_FORMATS.join(', ')}.`);
  }
  const fmt = format as ExportFormat;
  for (const [flag, formats] of Object.entries(ONLY_FOR)) {
    if (f[flag] !== undefined && !formats.includes(fmt)) throw new UsageError(`--${flag} only applies to --format ${formats.join(', ')}, not ${fmt}; remove it.`);
  }
  const tokenNames = all(f['token-name']);
  if (tokenNames) noRepeats('--token-name', tokenNames);
  const key = one(f.key);
  if (key !== undefined) {
    if (tokenNames?.length !== 1) throw new UsageError('--key names the key of one token: give exactly one --token-name with it.');
    const problem = { 'k8s-secret': secretKeyProblem, env: envNameProblem, files: fileNameProblem, json: () => undefined }[fmt](key);
    check('--key', key, problem, 'choose another key');
  }
  const secretName = one(f['secret-name']) ?? DEFAULT_SECRET_NAME;
  check('--secret-name', secretName, secretNameProblem(secretName), 'Kubernetes would refuse the Secret');
  const namespace = one(f.namespace);
  if (namespace !== undefined) check('--namespace', namespace, namespaceProblem(namespace), 'Kubernetes would refuse it');
  const prefix = one(f.prefix) ?? DEFAULT_ENV_PREFIX;
  if (prefix !== '') check('--prefix', prefix, envNameProblem(prefix), 'use letters, digits and "_", or --prefix "" for none');
  const outputFlag = one(f.output);
  const output = outputFlag === '-' ? undefined : outputFlag;
  if (fmt === 'files' && output === undefined) {
    throw new UsageError('--format files writes one file per token: give --output DIR, the directory to write them in.');
  }
  if (outputFlag === '') throw new UsageError('--output is empty; give a path, or - for stdout.');
  const owner = one(f.owner);
  if (owner !== undefined && output === undefined) throw new UsageError('--owner sets the owner of files written: give --output PATH with it (stdout has no owner).');
  return {
    files,
    format: fmt,
    tokenNames,
    key,
    secretName,
    namespace,
    prefix,
    output,
    owner: owner === undefined ? undefined : parseOwner(owner),
    lockTimeoutMs: durationMs(one(f['lock-timeout']) ?? DEFAULT_LOCK_TIMEOUT, '--lock-timeout'),
  };
}

export const exportCommand: CommandModule = {
  paths: [['export']],
  describe: 'Hand tokens to clients: a Kubernetes Secret, Compose env lines, one file per token, or JSON',
  flags: {
    file: { type: 'string', aliases: ['f'], repeatable: true, required: true, describe: 'A token file to export (twice for the admin and the permission tokens file)' },
    format: { type: 'string', required: true, choices: EXPORT_FORMATS, describe: 'What to write' },
    'token-name': { type: 'string', repeatable: true, describe: 'Export only this token; a Secret then has one key per token holding its raw string' },
    key: { type: 'string', describe: 'The key, env name or file name of the one --token-name (e.g. INFLUXDB3_AUTH_TOKEN)' },
    'secret-name': { type: 'string', describe: 'k8s-secret: the Secret name', defaultDescription: DEFAULT_SECRET_NAME },
    namespace: { type: 'string', describe: 'k8s-secret: the Secret namespace' },
    prefix: { type: 'string', describe: 'env: prefix of every name', defaultDescription: DEFAULT_ENV_PREFIX },
    output: { type: 'string', describe: 'File to write (a directory for files; - or nothing for stdout)' },
    owner: OWNER,
    'lock-timeout': LOCK_TIMEOUT,
  },
  examples: [
    ['export --file admin.json --file tokens.json --format k8s-secret --secret-name influxdb3-auth', 'A Secret for the Helm chart existingSecret'],
    ['export --file tokens.json --format env --output .env.tokens', 'Compose env_file lines'],
    ['export --file tokens.json --format files --output ./secrets --owner 1500', 'One file per token for Compose secrets'],
  ],
  async run(args: ParsedArgs, env: RunEnv): Promise<void> {
    const req = toRequest(args);
    const result = await exportTokens(req, env);
    const tokens = `${result.tokens} token${result.tokens === 1 ? '' : 's'}`;
    if (result.stdout !== undefined) {
      await emit(env, result.stdout, `The ${req.format} export of ${tokens} was made (nothing was written)`);
      return;
    }
    const files = result.written.length;
    const where = req.format === 'files' ? `${files} file${files === 1 ? '' : 's'} in ${req.output}` : result.written[0];
    await emitText(env, `Exported ${tokens} to ${escapeText(where ?? '')}\n`, `Exported ${tokens} to ${where}`);
  },
};
export default exportCommand;
