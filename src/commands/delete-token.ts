/** `delete token --file FILE --token-name NAME...` (aliases `revoke`, `revoke token`). */
import { onlineDelete, writeNotices } from './notices';
import { type DeleteResult, deleteTokens } from '../actions/delete-tokens';
import { jsonObject } from '../output/json';
import type { RunEnv } from '../main';
import { fileOf, given, isJson, list } from './args';
import { FILE, FILE_POSITIONAL, LOCK_TIMEOUT, TEXT_OR_JSON, lockTimeoutOf } from './options';
import { emitAs } from './output';
import { escapeText } from '../output/escape';
import type { CommandBody, ParsedArgs } from './types';
import { UsageError } from '../errors';

const USAGE = 'delete token --file tokens.json --token-name NAME';

function render(r: DeleteResult, json: boolean): string {
  if (json) return jsonObject({ file: r.file, deleted: r.deleted, missing: r.missing, written: r.written });
  const lines = r.deleted.map((n) => `Deleted token ${JSON.stringify(n)} from ${escapeText(r.file)}`);
  for (const n of r.missing) lines.push(`No token ${JSON.stringify(n)} in ${escapeText(r.file)}; nothing to delete`);
  return `${lines.join('\n')}\n`;
}

async function run(args: ParsedArgs, env: RunEnv): Promise<void> {
  const file = fileOf(args, USAGE);
  const names = list(args, 'token-name');
  if (names.length === 0) throw new UsageError(`--token-name is required: the token to delete (repeat it for several), as in: ${USAGE}.`);
  if (names.includes('')) throw new UsageError('--token-name is empty; give the name of a token in the file.');
  const result = await deleteTokens({ file, names, ifExists: given(args, 'if-exists'), lockTimeoutMs: lockTimeoutOf(args) }, env);
  writeNotices(env, file, result);
  // The server deletes only online: a server that already started with the file keeps the token.
  for (const n of result.deleted) env.io.stderr(`notice: a server that already loaded ${JSON.stringify(n)} keeps it until you run: ${onlineDelete(n)}\n`);
  await emitAs(env, !isJson(args), render(result, isJson(args)), `${file} was updated`);
}

const command: CommandBody = {
  describe: 'Remove tokens from a permission tokens file, and print the online step for servers that already loaded them',
  positionals: [FILE_POSITIONAL],
  flags: {
    file: FILE,
    'token-name': { type: 'string', repeatable: true, required: true, describe: 'The token to delete (repeatable)' },
    'if-exists': { type: 'boolean', describe: 'A name that is not in the file is not an error' },
    format: TEXT_OR_JSON,
    'lock-timeout': LOCK_TIMEOUT,
  },
  examples: [['delete token --file tokens.json --token-name old-ci --token-name test', 'two tokens at once']],
  run,
};
export default command;
