/**
 * Random bytes from the kernel's CSPRNG, for token strings and temp-file names.
 *
 * On Linux 5.6 and later, reading /dev/random is getrandom(2) with no flags: it waits only
 * until the kernel's generator is seeded at boot, and never after (random(4)); that is the
 * source OpenSSL seeds from, and the one a token minted at a device's first boot must wait
 * for. Reading it directly spares every run the load of node:crypto (about 5 ms of a
 * command that takes 20, for one 64-byte read). Older kernels (where /dev/random can block
 * for entropy), other systems, and any failure to read use node:crypto's randomBytes.
 * /dev/urandom is never used: before seeding it answers anyway.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { release } from 'node:os';

/** Linux 5.6 or later (os.release() of that system), where /dev/random has getrandom's semantics. */
export function devRandomIsGetrandom(platform: string, kernel: string): boolean {
  const m = platform === 'linux' ? /^(\d+)\.(\d+)/.exec(kernel) : null;
  return m !== null && (Number(m[1]) > 5 || (Number(m[1]) === 5 && Number(m[2]) >= 6));
}

/** makedev(1, 8): Linux's /dev/random. */
const DEV_RANDOM = (1 << 8) | 8;

let kernelOk: boolean | undefined;
const kernelAllows = (): boolean => (kernelOk ??= devRandomIsGetrandom(process.platform, release()));

/** Where the bytes come from on this system (for tests and the README). */
export function randomSource(): '/dev/random' | 'node:crypto' {
  return kernelAllows() && fromDevRandom(1) !== undefined ? '/dev/random' : 'node:crypto';
}

/** `size` bytes from Linux's /dev/random device at `path`, or undefined when that is not what is there or it fails. */
export function fromDevRandom(size: number, path = '/dev/random'): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    // The kernel's device itself (character 1:8), not a file or another device bind-mounted
    // or linked at that path in a badly built root: a regular file there would give every
    // run the same bytes.
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev !== DEV_RANDOM) return undefined;
    const out = Buffer.alloc(size);
    for (let got = 0; got < size; ) {
      const n = readSync(fd, out, got, size - got, null);
      if (n <= 0) return undefined;
      got += n;
    }
    return out;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

export function randomBytes(size: number): Buffer {
  // One open and read per call: a failed read (no device there) falls through to node:crypto.
  const bytes = kernelAllows() ? fromDevRandom(size) : undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return bytes ?? (require('node:crypto') as typeof import('node:crypto')).randomBytes(size);
}
