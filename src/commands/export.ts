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
import { given, list, parseOwner, text } from './args';
import { emit, emitText } from './output';
import { escapeText } from '../output/escape';
import { LOCK_TIMEOUT, OWNER, lockTimeoutOf } from './options';
import type { CommandModule, ParsedArgs } from './types';

export const DEFAULT_SECRET_NAME = 'influxdb3-tokens';
export const DEFAULT_ENV_PREFIX = 'INFLUXDB3_TOKEN_';

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

/**
 * An export request from export's flags, or from an apply spec's output (its keys mapped to
 * these flags): `spell` words an option the way the user typed it (--prefix, or the spec's prefix).
 */
export function toRequest(args: ParsedArgs, spell: (flag: string) => string = (flag) => `--${flag}`): ExportRequest {
  const f = args.flags;
  const files = list(args, 'file');
  if (files.length === 0)
    throw new UsageError(`export needs ${spell('file')} FILE, the token file to export (give it twice for an admin and a permission tokens file).`);
  noRepeats(spell('file'), files);
  const format = text(args, 'format');
  if (format === undefined) throw new UsageError(`export needs ${spell('format')}, one of ${EXPORT_FORMATS.join(', ')}.`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`${spell('format')} ${JSON.stringify(format)} is not an export format; use one of ${EXPORT_FORMATS.join(', ')}.`);
  }
  const fmt = format as ExportFormat;
  for (const [flag, formats] of Object.entries(ONLY_FOR)) {
    if (f[flag] !== undefined && !formats.includes(fmt))
      throw new UsageError(`${spell(flag)} only applies to ${spell('format')} ${formats.join(', ')}, not ${fmt}; remove it.`);
  }
  const tokenNames = given(args, 'token-name') ? list(args, 'token-name') : undefined;
  if (tokenNames) noRepeats(spell('token-name'), tokenNames);
  const key = text(args, 'key');
  if (key !== undefined) {
    if (tokenNames?.length !== 1) throw new UsageError(`${spell('key')} names the key of one token: give exactly one ${spell('token-name')} with it.`);
    const problem = { 'k8s-secret': secretKeyProblem, env: envNameProblem, files: fileNameProblem, json: () => undefined }[fmt](key);
    check(spell('key'), key, problem, 'choose another key');
  }
  const secretName = text(args, 'secret-name') ?? DEFAULT_SECRET_NAME;
  check(spell('secret-name'), secretName, secretNameProblem(secretName), 'Kubernetes would refuse the Secret');
  const namespace = text(args, 'namespace');
  if (namespace !== undefined) check(spell('namespace'), namespace, namespaceProblem(namespace), 'Kubernetes would refuse it');
  const prefix = text(args, 'prefix') ?? DEFAULT_ENV_PREFIX;
  if (prefix !== '') check(spell('prefix'), prefix, envNameProblem(prefix), `use letters, digits and "_", or ${spell('prefix')} "" for none`);
  const outputFlag = text(args, 'output');
  const output = outputFlag === '-' ? undefined : outputFlag;
  if (fmt === 'files' && output === undefined) {
    throw new UsageError(`${spell('format')} files writes one file per token: give ${spell('output')} DIR, the directory to write them in.`);
  }
  if (outputFlag === '') throw new UsageError(`${spell('output')} is empty; give a path, or - for stdout.`);
  const owner = text(args, 'owner');
  if (owner !== undefined && output === undefined)
    throw new UsageError(`${spell('owner')} sets the owner of files written: give ${spell('output')} PATH with it (stdout has no owner).`);
  return {
    files,
    format: fmt,
    tokenNames,
    key,
    secretName,
    namespace,
    prefix,
    output,
    owner: owner === undefined ? undefined : parseOwner(owner, spell('owner')),
    lockTimeoutMs: lockTimeoutOf(args),
  };
}

export const exportCommand: CommandModule = {
  paths: [['export']],
  describe: 'Hand tokens to clients: a Kubernetes Secret, Compose env lines, one file per token, or JSON',
  flags: {
    file: {
      type: 'string',
      aliases: ['f'],
      repeatable: true,
      required: true,
      describe: 'A token file to export (twice for the admin and the permission tokens file)',
    },
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
