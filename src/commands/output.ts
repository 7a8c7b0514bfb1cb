/** Printing a command's result, where a failure to print must not pass for success. */
import { IoError } from '../errors';
import type { RunEnv } from '../main';
import { escapeLines } from '../output/escape';

/** "EPIPE: stdout was closed" rather than a stack: the reason in the words of the system. */
export function stdoutReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPIPE') return 'stdout was closed (EPIPE)';
  if (code === 'ENOSPC') return 'no space left on the device behind stdout (ENOSPC)';
  return code ? `stdout failed (${code})` : 'stdout failed';
}

/**
 * Writes `text` on stdout and waits until it is written. `done` says what already happened
 * (the token is in its file), so the one error line tells the operator where to find it.
 */
export async function emit(env: RunEnv, text: string, done: string): Promise<void> {
  try {
    await env.io.stdout(text);
  } catch (e) {
    throw new IoError(`${done}, but it could not be printed: ${stdoutReason(e)}.`, e);
  }
}

/** emit for text meant for people: names and paths from other people's files cannot act on the terminal. */
export function emitText(env: RunEnv, text: string, done: string): Promise<void> {
  return emit(env, escapeLines(text), done);
}

/** emit, escaped unless it is machine output (json, jsonl, csv, an export) that must stay exact. */
export function emitAs(env: RunEnv, human: boolean, text: string, done: string): Promise<void> {
  return human ? emitText(env, text, done) : emit(env, text, done);
}
