/**
 * The launcher: builds the yargs parser and hands it to `main`, which alone decides the
 * exit status. Each command's handler only records what to run.
 */
import { randomBytes } from 'node:crypto';
import yargs from 'yargs/yargs';
import * as createToken from './commands/create-token';
import * as validate from './commands/validate';
import { UsageError } from './errors';
import { type Action, exitOnSignals, main } from './main';
import { version } from '../package.json';

/**
 * yargs lists an unknown --some-flag twice, as typed and camel-cased (someFlag). The copy
 * adds nothing, and for a pasted token it defeats the redaction of apiv3_ strings.
 */
function withoutCamelCaseCopies(msg: string): string {
  const m = /^(Unknown arguments?): (.*)$/s.exec(msg);
  if (!m) return msg;
  const items = m[2]!.split(', ');
  const squash = (s: string): string => s.replace(/[-_]/g, '').toLowerCase();
  const typed = new Set(items.filter((i) => /[-_]/.test(i)).map(squash));
  const kept = items.filter((i) => /[-_]/.test(i) || !typed.has(squash(i)));
  return `${kept.length === 1 ? 'Unknown argument' : 'Unknown arguments'}: ${kept.join(', ')}`;
}

let action: Action | undefined;
const select = (run: (args: never, env: Parameters<Action>[0]) => Promise<void>) => (args: unknown) => {
  action = (env) => run(args as never, env);
};

const parser = yargs(process.argv.slice(2))
  .scriptName('influxdb3-offline-tokens')
  .usage('$0 <command>\n\nWrites the token files that `influxdb3 serve` loads at start, without a server.')
  .parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false })
  .command('create', 'Create a token file entry', (y) =>
    y.command(createToken.command, createToken.describe, createToken.builder, select(createToken.run)).demandCommand(1, 'create needs a resource: create token ...'),
  )
  .command(validate.command, validate.describe, validate.builder, select(validate.run))
  .option('help-all', { type: 'boolean', describe: 'Show help (as the server CLI does)' })
  .middleware((argv) => {
    if (argv['help-all']) parser.showHelp('log');
  })
  .demandCommand(1, 'Give a command: create token, or validate.')
  .strict()
  .help()
  .alias('help', 'h')
  .version(version)
  .wrap(null)
  // Messages stay in English, and no locale file is looked for at start-up.
  .detectLocale(false)
  .exitProcess(false)
  .fail((msg, err) => {
    throw err ?? new UsageError(`${withoutCamelCaseCopies(msg).replace(/\.?$/, '.')} Run with --help for usage.`);
  });

exitOnSignals((code) => process.exit(code));
void main(async () => {
  await parser.parseAsync();
  return action;
}, {
  io: { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
  now: Date.now,
  randomBytes: (n) => randomBytes(n),
}).then((code) => {
  process.exitCode = code;
});
