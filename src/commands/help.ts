/**
 * Help text, rendered by yargs from the same declarations the reader uses. Loaded only when
 * help is asked for: yargs and its help machinery cost start-up that no other run needs.
 */
import type { Argv } from 'yargs';
import { BIN } from './argv';
import type { CommandModule } from './types';

const name = (path: readonly string[]): string => path.join(' ');

function usageLine(command: CommandModule): string {
  const positionals = (command.positionals ?? []).map((p) => (p.variadic ? `[${p.name}..]` : `[${p.name}]`));
  return ['$0', ...command.paths[0]!, '[options]', ...positionals].join(' ');
}

const OPTIONS = 'Options:';

function base(usage: string): Argv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yargs = require('yargs/yargs') as (args: string[]) => Argv;
  return yargs([])
    .scriptName(BIN)
    .usage(usage)
    .wrap(null)
    // Messages stay in English, and no locale file is looked for.
    .detectLocale(false)
    .exitProcess(false)
    .help(false)
    .version(false);
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
  if (aliases.length > 0) y.epilog(`Also spelt: ${aliases.join(', ')}`);
  return y;
}

function listHelp(prefix: readonly string[], registry: readonly CommandModule[]): Argv {
  const intro = prefix.length === 0 ? 'Writes the token files that `influxdb3 serve` loads at start, without a server.' : '';
  const y = base(`$0 ${[...prefix, '<command>'].join(' ')}${intro ? `\n\n${intro}` : ''}`);
  for (const m of registry) {
    const path = m.paths[0]!;
    if (prefix.every((w, i) => path[i] === w)) y.command(name(path), m.describe);
  }
  return y;
}

export async function renderHelp(registry: readonly CommandModule[], path: readonly string[], command: CommandModule | undefined, all: boolean): Promise<string> {
  const y = withHelpFlags(command ? commandHelp(command, all) : listHelp(path, registry));
  const text = await y.getHelp();
  return `${text}\n`;
}
