/** Small helpers every store module shares: errno codes, wording of I/O failures, fd lifetimes. */
import type { Stats } from 'node:fs';
import { IoError } from '../errors';
import type { FsSeam } from './fs-seam';

export const errnoOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;

/** A failed system call as an IoError whose message says what was being done and, where it helps, what to do. */
export function io(what: string, e: unknown): IoError {
  const code = errnoOf(e);
  const detail = e instanceof Error ? e.message : String(e);
  const hint =
    code === 'EACCES' || code === 'EPERM'
      ? ' Check the permissions of the file and its directory.'
      : code === 'ENOSPC' || code === 'EDQUOT'
        ? ' Free some disk space and run the command again.'
        : code === 'EROFS'
          ? ' The file system is read-only; choose a file on another one.'
          : '';
  return new IoError(`Cannot ${what}: ${detail}.${hint}`, e);
}

/** lstat, with a missing path as undefined rather than an error. */
export function lstatIfExists(path: string, seam: FsSeam): Stats | undefined {
  try {
    return seam.lstat(path);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/** Runs `use` on `fd`, then closes it; a failing close is reported only when `use` succeeded. */
export function withFd<T>(fd: number, seam: FsSeam, use: () => T): T {
  let result: T;
  try {
    result = use();
  } catch (e) {
    try {
      seam.close(fd);
    } catch {
      // The first failure is the one to report; this close failing adds nothing to it.
    }
    throw e;
  }
  seam.close(fd);
  return result;
}
