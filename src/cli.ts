/**
 * The launcher: reads the command line against the registry and hands what to run to
 * `main`, which alone decides the exit status.
 */
import { randomBytes } from 'node:crypto';
import { readArgv } from './commands/argv';
import { COMMANDS } from './commands';
import { type Action, exitOnSignals, main } from './main';
import { version } from '../package.json';

function parse(words: readonly string[]): Action {
  const reading = readArgv(words, COMMANDS);
  switch (reading.kind) {
    case 'run':
      return (env) => reading.command.run(reading.args, env);
    // main waits for these writes and words a failure to print them.
    case 'version':
      return async (env) => void env.io.stdout(`${version}\n`);
    case 'help':
      return async (env) => {
        // Help is the only user of yargs: loaded here, never at start-up.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { renderHelp } = require('./commands/help') as typeof import('./commands/help');
        void env.io.stdout(await renderHelp(COMMANDS, reading.path, reading.command, reading.all));
      };
  }
}

// A closed pipe or a full disk reaches the write's callback (main reports it); without these
// listeners the same error would also be thrown as an uncaught 'error' event.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);
exitOnSignals((code) => process.exit(code));
void main(async () => parse(process.argv.slice(2)), {
  io: {
    stdout: (text) => new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve()))),
    stderr: (text) => process.stderr.write(text),
  },
  now: Date.now,
  randomBytes: (n) => randomBytes(n),
}).then((code) => {
  process.exitCode = code;
});
