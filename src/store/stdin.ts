/**
 * Standard input, read whole up to a limit that fits its use (SPEC 17): a never-ending
 * stream (`< /dev/zero`) stops at the limit instead of filling the memory. The read is
 * synchronous on purpose: outside the locked section no signal handler is installed, so
 * SIGINT/SIGTERM end a command waiting on a silent stdin at once.
 */
import { readSync } from 'node:fs';
import { InputLimitError } from '../errors';

export const KiB = 1024;
export const MiB = 1024 * KiB;
/** A token value (--token-value-from stdin): far above any token string. */
export const TOKEN_VALUE_LIMIT = 4 * KiB;
/** An HTTP body or an apply spec. */
export const DOCUMENT_LIMIT = 16 * MiB;

const CHUNK = 64 * KiB;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Every byte of fd 0, or InputLimitError once more than `limit` bytes came. `what` names
 * the input for the message. `refuse` may look at each chunk as it comes and stop the read
 * with an error of its own (a NUL byte is never in a JSON text: no need to read 256 MiB of
 * /dev/zero to know).
 */
export function readStdin(limit: number, what: string, refuse?: (chunk: Buffer, offset: number) => Error | undefined, fd = 0): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A non-blocking stdin (a terminal or pipe set so by the parent) has nothing yet.
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    total += n;
    if (total > limit) throw new InputLimitError(what, limit);
    const chunk = buf.subarray(0, n);
    const refused = refuse?.(chunk, total - n);
    if (refused) throw refused;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
