/**
 * The command layer's half of every error: lower layers (and the library) throw coded
 * errors with data and no flag words; here they are worded for what the user typed. Each
 * command passes how the values were spelled (the flag, the dialect's spelling, the spec's
 * key); errors every command shares (the lock timeout, a file that would not load) are
 * worded once, by the launcher, with `worded(e)`.
 */
import { shCommand } from '../output/escape';
import { parseDuration } from '../domain/duration';
import { type ExpirySpec, parseInstant } from '../domain/expiry';
import { FileError, InvalidInputError, LockError, UsageError } from '../errors';
import { text } from './args';
import { BIN } from './argv';
import type { ParsedArgs } from './types';

/** How the user spelled a request's fields: "--name", "the description argument", "expiry_secs of body.json". */
export interface Spelling {
  readonly name?: string;
  readonly expiry?: string;
}

/** --expiry or --expires-at (never both), with the flag it came from. */
export function expiryFlags(args: ParsedArgs): { spec: ExpirySpec; from: string } | undefined {
  const duration = text(args, 'expiry');
  const instant = text(args, 'expires-at');
  if (duration !== undefined && instant !== undefined) throw new UsageError('--expiry and --expires-at both set the expiry; give one of them.');
  if (duration !== undefined) return { spec: { kind: 'duration', text: duration, duration: parseDuration(duration, '--expiry') }, from: '--expiry' };
  if (instant !== undefined) return { spec: { kind: 'instant', text: instant, millis: parseInstant(instant, '--expires-at') }, from: '--expires-at' };
  return undefined;
}

/**
 * `e` worded for the command line: the field of an invalid value replaced by its spelling,
 * and the fixes that are flags (--lock-timeout, the validate command) added. Anything
 * else is returned as it is.
 */
export function worded(e: unknown, spelling: Spelling = {}): unknown {
  if (e instanceof InvalidInputError) {
    const as = spelling[e.field as keyof Spelling];
    return as === undefined ? e : new InvalidInputError(as, e.rest, { file: e.file, pointer: e.pointer, tokenName: e.tokenName, cause: e });
  }
  if (e instanceof LockError && e.code === 'ELOCKTIMEOUT') {
    const lock = e.lockPath ?? 'its lock';
    return new LockError(
      'ELOCKTIMEOUT',
      `Timed out after ${e.timeoutMs} ms waiting for the lock ${lock}: another writer holds it. Run again, raise --lock-timeout, or remove ${lock} if no writer is running.`,
      { file: e.file, lockPath: e.lockPath, timeoutMs: e.timeoutMs, cause: e },
    );
  }
  // A file that would not load, placed at its first problem: the validate command lists all of them.
  if (e instanceof FileError && e.code === 'EINVALIDFILE' && e.pointer !== undefined && e.file !== undefined) {
    return new FileError('EINVALIDFILE', `${e.message} Run \`${shCommand([BIN, 'validate', e.file])}\` for every problem.`, {
      file: e.file,
      pointer: e.pointer,
      cause: e,
    });
  }
  return e;
}
