/** `get token --file FILE --token-name NAME`: the token string alone on stdout, for `$(…)` and secret stores. */
import { fileOf, isJson, tokenNameOf } from './args';
import { getToken } from '../actions/read-tokens';
import { layoutValue } from '../domain/json/layout';
import type { RunEnv } from '../main';
import { FILE, FILE_POSITIONAL, LOCK_TIMEOUT, TEXT_OR_JSON, TOKEN_NAME } from './options';
import { emit } from './output';
import type { CommandBody, ParsedArgs } from './types';

const USAGE = 'get token --file tokens.json --token-name NAME';

async function run(args: ParsedArgs, env: RunEnv): Promise<void> {
  const file = fileOf(args, USAGE);
  const name = tokenNameOf(args, USAGE);
  const found = getToken(file, name, env);
  await emit(
    env,
    isJson(args) ? `${layoutValue(found.text, found.start, 0).text}\n` : `${found.token}\n`,
    `the token ${JSON.stringify(name)} was found in ${file}`,
  );
}

const command: CommandBody = {
  describe: 'Print one token string (and a newline) on stdout, nothing else; --format json prints its entry',
  positionals: [FILE_POSITIONAL],
  flags: {
    file: FILE,
    'token-name': TOKEN_NAME,
    format: { ...TEXT_OR_JSON, describe: 'text (the string alone) or json (the entry as in the file)' },
    'lock-timeout': { ...LOCK_TIMEOUT, describe: 'Accepted; reading needs no lock (writers replace the file whole)' },
  },
  examples: [['get token --file tokens.json --token-name telegraf', 'for INFLUX_TOKEN=$(…)']],
  run,
};
export default command;
