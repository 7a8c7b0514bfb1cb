/**
 * Help text, rendered by yargs from the same declarations the reader uses. Loaded only when
 * help is asked for: yargs and its help machinery cost start-up that no other run needs.
 */
import type { Argv } from 'yargs';
import { durationUnits } from '../domain/duration';
import { DB_ACTIONS, SYSTEM_RESOURCES } from '../domain/permissions';
import { BIN } from './argv';
import type { CommandModule } from './types';

const name = (path: readonly string[]): string => path.join(' ');

function usageLine(command: CommandModule): string {
  const positionals = (command.positionals ?? []).map((p) => (p.variadic ? `[${p.name}..]` : `[${p.name}]`));
  return ['$0', ...command.paths[0]!, '[options]', ...positionals].join(' ');
}

const OPTIONS = 'Options:';

/** Flags whose value is a permission string, and those whose value is a duration. */
const PERMISSION_FLAGS = ['permission'];
const DURATION_FLAGS = ['expiry', 'lock-timeout'];

export const DOCS_URL = 'https://github.com/influxdb3-offline-tokens/influxdb3-offline-tokens/tree/main/docs';

/** The first commands a new user runs, shown by the top-level help. */
const TOP_EXAMPLES: readonly (readonly [string, string])[] = [
  ['apply -f tokens.yaml', 'make the token files match a spec'],
  ['create token --admin --output-file admin-token.json', 'an admin token file'],
  ['create token --permission "db:mydb:read,write" --name app --output-file tokens.json', 'one permission token'],
  ['validate tokens.json', 'would the server load it?'],
  ['export -f tokens.json --format k8s-secret --output secret.yaml', 'a Secret for Kubernetes'],
];

export const EXIT_STATUSES = [
  'Exit status:',
  '  0  success',
  '  1  failure: an existing file is invalid, a name is taken, a kept token is stale (--fail-if-stale), the lock was not acquired in time, an I/O error',
  '  2  usage error: the command line is wrong (unknown flag, missing flag, bad permission, duration or name)',
  'Every failure prints one line starting with "error:" on stderr and leaves every file as it was.',
].join('\n');

function permissionReference(): string {
  return [
    'Permissions (RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS, names and actions comma-separated or *):',
    `  db:NAMES:ACTIONS        actions: ${DB_ACTIONS.join(', ')}`,
    `  system:RESOURCES:read   resources: ${SYSTEM_RESOURCES.join(', ')}`,
  ].join('\n');
}

/** A span in the unit people think of it in: 30.44 days for a month, not 2630016 seconds. */
function spanWords(seconds: number): string {
  if (seconds < 86_400) return '';
  const days = seconds / 86_400;
  return Number.isInteger(days) ? '' : ` (${days} days)`;
}

function durationReference(): string {
  const units = durationUnits().map((u) => `  ${u.spellings.join(' ')}${spanWords(u.seconds)}`);
  return ['Durations (the humantime syntax the server uses): spans <number><unit> summed, e.g. 90d, 1y 6months, 1.5h; units (case-sensitive):', ...units].join(
    '\n',
  );
}

/** What a user needs to write the values of this command's flags, then the exit statuses. */
export function references(command: CommandModule): string[] {
  const flags = Object.keys(command.flags);
  const out: string[] = [];
  if (PERMISSION_FLAGS.some((f) => flags.includes(f))) out.push(permissionReference());
  if (DURATION_FLAGS.some((f) => flags.includes(f))) out.push(durationReference());
  out.push(EXIT_STATUSES);
  return out;
}

function base(usage: string): Argv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yargs = require('yargs/yargs') as (args: string[]) => Argv;
  return (
    yargs([])
      .scriptName(BIN)
      .usage(usage)
      .wrap(null)
      // Messages stay in English, and no locale file is looked for.
      .detectLocale(false)
      .exitProcess(false)
      .help(false)
      .version(false)
  );
}

/** Declared last, so they close the list of options at every level. */
function withHelpFlags(y: Argv): Argv {
  return y.options({
    help: { alias: 'h', type: 'boolean', describe: 'Show help and do nothing else', group: OPTIONS },
    'help-all': { type: 'boolean', describe: 'Show help, hidden options included (as the server CLI does)', group: OPTIONS },
    version: { alias: 'V', type: 'boolean', describe: 'Show the version', group: OPTIONS },
  });
}

function commandHelp(command: CommandModule, all: boolean): Argv {
  const y = base(`${usageLine(command)}\n\n${command.describe}`);
  for (const p of command.positionals ?? []) y.positional(p.name, { describe: p.describe, type: 'string' });
  for (const [flag, spec] of Object.entries(command.flags)) {
    y.option(flag, {
      type: spec.type,
      describe: spec.repeatable ? `${spec.describe} (repeatable)` : spec.describe,
      alias: spec.aliases ? [...spec.aliases] : undefined,
      choices: spec.choices ? [...spec.choices] : undefined,
      defaultDescription: spec.defaultDescription,
      demandOption: spec.required,
      group: spec.group ?? OPTIONS,
      hidden: spec.hidden === true && !all,
    });
  }
  for (const [line, what] of command.examples ?? []) y.example(`$0 ${line}`, what);
  const aliases = command.paths.slice(1).map(name);
  const epilogs = references(command);
  if (command.about) epilogs.unshift(command.about);
  if (aliases.length > 0) epilogs.unshift(`Also spelt: ${aliases.join(', ')}`);
  // One epilog: yargs joins several with a bare newline, and each needs a blank line before it.
  return y.epilog(epilogs.join('\n\n'));
}

function listHelp(prefix: readonly string[], registry: readonly CommandModule[]): Argv {
  const intro = prefix.length === 0 ? 'Writes the token files that `influxdb3 serve` loads at start, without a server.' : '';
  const y = base(`$0 ${[...prefix, '<command>'].join(' ')}${intro ? `\n\n${intro}` : ''}`);
  for (const m of registry) {
    const path = m.paths[0]!;
    if (prefix.every((w, i) => path[i] === w)) y.command(name(path), m.describe);
  }
  if (prefix.length > 0) return y.epilog(EXIT_STATUSES);
  for (const [line, what] of TOP_EXAMPLES) y.example(`$0 ${line}`, what);
  return y.epilog(`${EXIT_STATUSES}\n\nRun \`$0 COMMAND --help\` for a command's flags, \`man ${BIN}\` for all of them.\nDocumentation: ${DOCS_URL}`);
}

export async function renderHelp(
  registry: readonly CommandModule[],
  path: readonly string[],
  command: CommandModule | undefined,
  all: boolean,
): Promise<string> {
  const y = withHelpFlags(command ? commandHelp(command, all) : listHelp(path, registry));
  const text = await y.getHelp();
  return `${text}\n`;
}
