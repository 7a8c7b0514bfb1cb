/**
 * The one place that catches: every failure becomes one line on stderr and an exit
 * status, 2 for usage errors and 1 for anything else. Nothing here runs at import time.
 */
import { InterruptedError, IoError, type TokenFileErrorCode, isToolError } from './errors';
import { stdoutReason } from './commands/output';
import { lateSignal } from './store/interrupts';
import type { RandomBytes } from './domain/token';
import { escapeLines, redactSecrets } from './output/escape';

export interface Io {
  /** May settle when the text is written; a rejection is a failure to print (commands/output.ts). */
  stdout(text: string): void | Promise<void>;
  stderr(text: string): void;
}

export interface RunEnv {
  io: Io;
  now: () => number;
  randomBytes: RandomBytes;
  /** The environment variables a command may read (a token value from env:VAR); the launcher's are process.env. */
  vars: Readonly<Record<string, string | undefined>>;
  /**
   * Standard input, whole, or InputLimitError past `limit` bytes (`what` names it); `refuse`
   * may stop the read at a chunk. The launcher's is store/stdin.ts's readStdin.
   */
  stdin(limit: number, what: string, refuse?: (chunk: Buffer, offset: number) => Error | undefined): Buffer;
}

export type Action = (env: RunEnv) => Promise<void>;

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * The exit status of each code, decided here and nowhere else: what was typed (a flag, a
 * value, a spec) is a usage error; anything about files, locks and the system is a failure.
 */
const EXIT_STATUS: Record<TokenFileErrorCode, number> = {
  EUSAGE: EXIT_USAGE,
  EINVALID: EXIT_USAGE,
  EINVALIDFILE: EXIT_FAILURE,
  EWRONGKIND: EXIT_FAILURE,
  ENAMETAKEN: EXIT_FAILURE,
  EREFUSEDBYSERVER: EXIT_FAILURE,
  ETOKENTAKEN: EXIT_FAILURE,
  EADMINEXISTS: EXIT_FAILURE,
  ESTALE: EXIT_FAILURE,
  ETOOLARGE: EXIT_FAILURE,
  ENOTOKEN: EXIT_FAILURE,
  EEXPORTKEY: EXIT_FAILURE,
  ENOTFILE: EXIT_FAILURE,
  EUNSAFEPATH: EXIT_FAILURE,
  ELOCKTIMEOUT: EXIT_FAILURE,
  ECOMPROMISED: EXIT_FAILURE,
  EIO: EXIT_FAILURE,
  EINTERRUPTED: EXIT_FAILURE,
};

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** 128 + the signal number, as shells report a process ended by that signal. */
// Outside the locked section a signal ends the process by its default action (a shell
// reports 130/143 too); inside it, it waits for a safe point (store/interrupts.ts).
const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * `parse` reads the command line and returns what to run; help and the version are actions
 * too, so that their output is checked like any other.
 */
export async function main(parse: () => Promise<Action | undefined>, env: RunEnv): Promise<number> {
  // stderr never carries a secret, whatever a message quotes (a token pasted into a
  // permission, a name or a database list is quoted back by the problem that names it).
  // Every line on stderr is for people: names and paths in it cannot act on the terminal.
  const stderr = (text: string): void => env.io.stderr(escapeLines(redactSecrets(text)));
  // Every write to stdout is waited for before the status is decided: a closed pipe or a
  // full disk is a failure, also for output a command did not wait for itself.
  const printing: Promise<void>[] = [];
  const stdout = (text: string): Promise<void> => {
    let written: Promise<void>;
    try {
      written = Promise.resolve(env.io.stdout(text));
    } catch (e) {
      written = Promise.reject(e);
    }
    written.catch(() => undefined);
    printing.push(written);
    return written;
  };
  const safeEnv: RunEnv = { ...env, io: { stdout, stderr } };
  try {
    const action = await parse();
    if (action) await action(safeEnv);
    const unprinted = (await Promise.allSettled(printing)).find((r) => r.status === 'rejected');
    if (unprinted) throw new IoError(`the output could not be printed: ${stdoutReason(unprinted.reason)}.`, unprinted.reason);
    // A signal that came while the lock was held, too late to stop the write: the work
    // is done, but whoever sent it is told, with the status a signal gives.
    const late = lateSignal();
    if (late) {
      stderr(`notice: ${late} arrived while the file was being written; the write completed.\n`);
      return SIGNAL_EXIT[late];
    }
    return EXIT_OK;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const prefix = isToolError(e) ? 'error' : 'internal error';
    stderr(`${prefix}: ${oneLine(message)}\n`);
    if (e instanceof InterruptedError) return SIGNAL_EXIT[e.signal];
    return isToolError(e) ? EXIT_STATUS[e.code] : EXIT_FAILURE;
  }
}
