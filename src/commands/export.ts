/**
 * `export --file FILE ... --format k8s-secret|env|files|json`: hands the tokens of the token
 * files to clients (SPEC 12). The flags are read here into export's request, whose rules
 * (actions/export-request.ts) name each value by its flag; the action only reads, renders
 * and writes.
 */
import { EXPORT_FORMATS, type ExportRequest, exportTokens } from '../actions/export';
import { DEFAULT_ENV_PREFIX, DEFAULT_SECRET_NAME, type ExportField, exportRequestOf } from '../actions/export-request';
import type { RunEnv } from '../main';
import { given, list, text } from './args';
import { emit, emitText } from './output';
import { escapeText } from '../output/escape';
import { LOCK_TIMEOUT, OWNER, lockTimeoutOf } from './options';
import type { CommandBody, ParsedArgs } from './types';

/** export's flags by the request's field they set. */
const FLAG_OF: Record<ExportField, string> = {
  files: 'file',
  format: 'format',
  tokenNames: 'token-name',
  key: 'key',
  secretName: 'secret-name',
  namespace: 'namespace',
  prefix: 'prefix',
  output: 'output',
  owner: 'owner',
};

/** An export request from export's flags: the rules are export-request.ts's, worded with the flags. */
export function toRequest(args: ParsedArgs): ExportRequest {
  return exportRequestOf(
    {
      files: list(args, 'file'),
      format: text(args, 'format'),
      tokenNames: given(args, 'token-name') ? list(args, 'token-name') : undefined,
      key: text(args, 'key'),
      secretName: text(args, 'secret-name'),
      namespace: text(args, 'namespace'),
      prefix: text(args, 'prefix'),
      output: text(args, 'output'),
      owner: text(args, 'owner'),
      lockTimeoutMs: lockTimeoutOf(args),
    },
    (field) => `--${FLAG_OF[field]}`,
  );
}

export const exportCommand: CommandBody = {
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
