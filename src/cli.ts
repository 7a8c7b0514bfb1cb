/**
 * The launcher: reads the command line against the registry and hands what to run to
 * `main`, which alone decides the exit status.
 */
import { readArgv } from './commands/argv';
import { COMMANDS } from './commands';
import { rewordUnsafePath } from './commands/unsafe-path';
import { lockWaitLine, quietIo } from './commands/options';
import { worded } from './commands/words';
import { onLockWait } from './store/progress';
import { randomBytes } from 'node:crypto';
import { writeOut } from './stdio';
import { readStdin } from './store/stdin';
import { type Action, main } from './main';
import { version } from '../package.json';

function parse(words: readonly string[]): Action {
  const reading = readArgv(words, COMMANDS);
  switch (reading.kind) {
    case 'run':
      return (env) => {
        const io = reading.args.flags.quiet ? quietIo(env.io) : env.io;
        onLockWait((lockPath) => io.stderr(`notice: ${lockWaitLine(lockPath)}\n`));
        // What every command shares (the lock timeout, a file that would not load, an unsafe path) is worded here, once.
        return reading.command.run(reading.args, { ...env, io }).catch((e: unknown) => {
          throw rewordUnsafePath(worded(e));
        });
      };
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

void main(async () => parse(process.argv.slice(2)), {
  io: {
    stdout: (text) => writeOut('stdout', text),
    // A failure to print a message on stderr has nowhere left to be reported.
    stderr: (text) => void writeOut('stderr', text).catch(() => undefined),
  },
  now: Date.now,
  randomBytes: (n) => randomBytes(n),
  // Read here, at the edge, and handed down: no command module reads the process's own.
  vars: process.env,
  stdin: (limit, what, refuse) => readStdin(limit, what, refuse),
}).then((code) => {
  process.exitCode = code;
});
