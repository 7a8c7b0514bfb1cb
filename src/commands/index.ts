/**
 * The registry: every command, in the order help lists them, by the words that select it.
 * The reader (argv.ts) and the help (help.ts) are built from this list alone; a command
 * exists when it is here. A command's own module (its flags and handler) is loaded when it
 * is first asked for: a run loads the one it runs, not all ten with their actions and
 * renderers (2.7 ms of every `create token`'s start-up).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- each require is the lazy load of one command module */
import { QUIET } from './options';
import type { CommandBody, CommandModule } from './types';

/**
 * The command selected by `paths`, whose module `load` gives (first path: the name help
 * shows; the others: aliases). Every command also takes the flags every command shares,
 * declared once here rather than in each module.
 */
function command(paths: CommandModule['paths'], load: () => { default: CommandBody }): CommandModule {
  let body: CommandBody | undefined;
  const get = (): CommandBody => {
    if (body === undefined) {
      const own = load().default;
      body = { ...own, flags: { ...own.flags, quiet: QUIET } };
    }
    return body;
  };
  return {
    paths,
    get describe() {
      return get().describe;
    },
    get positionals() {
      return get().positionals;
    },
    get flags() {
      return get().flags;
    },
    get about() {
      return get().about;
    },
    get examples() {
      return get().examples;
    },
    run: (args, env) => get().run(args, env),
  };
}

export const COMMANDS: readonly CommandModule[] = [
  // influxctl's and influx v2's verbs too, so their lines work with only the binary swapped.
  command(
    [
      ['create', 'token'],
      ['token', 'create'],
      ['auth', 'create'],
    ],
    () => require('./create-token') as typeof import('./create-token'),
  ),
  command([['show', 'tokens'], ['list']], () => require('./show-tokens') as typeof import('./show-tokens')),
  command([['get', 'token']], () => require('./get-token') as typeof import('./get-token')),
  command([['rotate', 'token']], () => require('./rotate-token') as typeof import('./rotate-token')),
  command([['delete', 'token'], ['revoke', 'token'], ['revoke']], () => require('./delete-token') as typeof import('./delete-token')),
  command([['prune']], () => require('./prune') as typeof import('./prune')),
  command([['validate']], () => require('./validate') as typeof import('./validate')),
  command([['apply']], () => require('./apply') as typeof import('./apply')),
  command([['export']], () => require('./export') as typeof import('./export')),
  command([['completion']], () => require('./completion') as typeof import('./completion')),
];
