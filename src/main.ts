/**
 * The one place that catches: every failure becomes one line on stderr and an exit
 * status, 2 for usage errors and 1 for anything else. Nothing here runs at import time.
 */
import { UsageError, isToolError } from './errors';
import type { RandomBytes } from './domain/token';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface RunEnv {
  io: Io;
  now: () => number;
  randomBytes: RandomBytes;
}

export type Action = (env: RunEnv) => Promise<void>;

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Belt and braces: no message may carry a token string, whatever produced it. */
export function redactSecrets(text: string): string {
  return text.replace(/apiv3_[A-Za-z0-9_\-.]*/g, 'apiv3_<redacted>');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * SIGINT and SIGTERM end the command with the conventional 128+n status. The store's
 * critical section (read, write temp, rename) is synchronous, so a signal is handled only
 * between steps: the file is the old or the new one, no temp file exists at that point,
 * and proper-lockfile's exit hook removes a lock still held.
 */
export function exitOnSignals(exit: (code: number) => void): void {
  process.once('SIGINT', () => exit(130));
  process.once('SIGTERM', () => exit(143));
}

/**
 * `parse` reads the command line and returns what to run, or undefined when it has
 * already done all there is to do (--help, --version).
 */
export async function main(parse: () => Promise<Action | undefined>, env: RunEnv): Promise<number> {
  try {
    const action = await parse();
    if (action) await action(env);
    return EXIT_OK;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const prefix = isToolError(e) ? 'error' : 'internal error';
    env.io.stderr(`${prefix}: ${redactSecrets(oneLine(message))}\n`);
    return e instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  }
}
