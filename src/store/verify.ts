/**
 * The post-write check (SPEC 9): the text about to be renamed over a token file is read
 * back with the same reader and checks as `validate`, so nothing the server would refuse
 * ever replaces a file it loads. Runs under the lock, before the temp file is written.
 */
import { FileError } from '../errors';
import { readTokenFile } from '../domain/server-reader';
import { detectKind } from '../domain/token-file';
import { checkRead } from '../domain/validate-file';
import type { Text } from './text';

/**
 * The text to write as one string, once it has been read back and would load; otherwise
 * EREFUSEDBYSERVER. (One string, not bytes: every fresh 28 MB costs more in page faults
 * than copying it, so the text is joined once and written through a small buffer.)
 */
export function verifiedTokenFile(text: Text, label: string): string {
  const whole = typeof text === 'string' ? text : text.join('');
  let read = readTokenFile(whole, 'permission');
  if (detectKind(read.members.map((m) => m.key)) === 'admin') read = readTokenFile(whole, 'admin');
  // Only errors count here, so the clock does not matter.
  const { errors } = checkRead(read, 0, { warnings: false });
  if (errors.length > 0 || read.arrayForm) {
    const first = errors[0] ?? { pointer: '', message: 'a struct is written as an array' };
    throw new FileError(
      'EREFUSEDBYSERVER',
      `the new text of ${label} would not load in the server (at ${first.pointer || '/'} ${first.message}), so it was not written; the file was left unchanged. This is a bug: please report it.`,
    );
  }
  return whole;
}
