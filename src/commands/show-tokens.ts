/** `show tokens --file FILE` (alias `list FILE`): one row per token, never a token string. */
import { listTokens } from '../actions/read-tokens';
import { SHOW_FORMATS, type ShowFormat, renderTokens } from '../output/token-rows';
import type { RunEnv } from '../main';
import { fileOf, text } from './args';
import { FILE, FILE_POSITIONAL, LOCK_TIMEOUT } from './options';
import { emitAs } from './output';
import type { CommandBody, ParsedArgs } from './types';

const USAGE = 'show tokens --file tokens.json';

async function run(args: ParsedArgs, env: RunEnv): Promise<void> {
  const file = fileOf(args, USAGE);
  const format = (text(args, 'format') ?? 'pretty') as ShowFormat;
  // --lock-timeout is accepted for symmetry with the writers; a reader needs no lock
  // (writers rename whole files into place), so it is not used.
  const now = env.now();
  const { kind, tokens } = listTokens(file, { now: () => now });
  await emitAs(env, format === 'pretty', renderTokens(tokens, now, format, file, kind), `${file} was read`);
}

const command: CommandBody = {
  describe: 'List the tokens of a token file: name, hash, expiry, permissions (never the token string)',
  positionals: [FILE_POSITIONAL],
  flags: {
    file: FILE,
    format: {
      type: 'string',
      choices: SHOW_FORMATS,
      defaultDescription: 'pretty',
      describe: 'pretty (a table), json (one object), jsonl (one row per line) or csv',
    },
    'lock-timeout': { ...LOCK_TIMEOUT, describe: 'Accepted; reading needs no lock (writers replace the file whole)' },
  },
  examples: [
    ['show tokens --file tokens.json', 'a table of the tokens'],
    ['list tokens.json --format csv', 'the same as CSV'],
  ],
  run,
};
export default command;
