/** Reading a token file: never through a link swapped in under us, never a FIFO, never more than a token file can be. */
import { decodeUtf8 } from './text';
import { type Stats, constants } from 'node:fs';
import { FileError } from '../errors';
import { type FsSeam, nodeFs } from './fs-seam';
import { refuseIfNotRegular, resolveTarget } from './target';
import { errnoOf, io, withFd } from './sys';

/** About a million tokens: far above any real tokens file, and still fits in memory twice. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface ExistingFile {
  readonly text: string;
  readonly mode: number;
}

export interface Snapshot {
  existing: ExistingFile | undefined;
  /** What was read, to tell later whether another writer replaced it. */
  stat: Stats | undefined;
}

/** Reads the canonical `target` (`path` is the user's spelling, for messages); a missing file is an empty snapshot. */
export function readSnapshot(target: string, path: string, seam: FsSeam): Snapshot {
  let fd: number;
  try {
    // O_NONBLOCK so that a FIFO at the path cannot hang the command on open.
    fd = seam.open(target, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return { existing: undefined, stat: undefined };
    if (errnoOf(e) === 'ELOOP') throw new FileError('ENOTFILE', `${path} changed into a symbolic link while being read; run the command again.`, { cause: e });
    throw io(`read ${path}`, e);
  }
  try {
    return withFd(fd, seam, () => {
      const stat = seam.fstat(fd);
      refuseIfNotRegular(stat, path);
      if (stat.size > MAX_FILE_BYTES) {
        throw new FileError(
          'ETOOLARGE',
          `${path} is ${stat.size} bytes, larger than the ${MAX_FILE_BYTES} bytes a tokens file may have; it is not a tokens file this tool will rewrite.`,
        );
      }
      // The server parses bytes as UTF-8 and refuses invalid sequences; so do we.
      const text = decodeUtf8(seam.readAll(fd));
      if (text === undefined) throw new FileError('EINVALIDFILE', `${path} is not valid UTF-8 text, so it is not a tokens file; fix or remove it.`);
      return { existing: { text, mode: stat.mode & 0o7777 }, stat };
    });
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw io(`read ${path}`, e);
  }
}

/** Same inode, same size, same times: the file is still the one that was read. */
export function sameFile(before: Stats | undefined, now: Stats | undefined): boolean {
  if (!before || !now) return before === now;
  return before.ino === now.ino && before.dev === now.dev && before.size === now.size && before.mtimeMs === now.mtimeMs && before.ctimeMs === now.ctimeMs;
}

/** The one refusal of a file that must exist (readers, and writers that never create one). */
export function missingFile(path: string): FileError {
  return new FileError('ENOTFILE', `${path} does not exist; check the path.`, { file: path });
}

/** Reads a file without the lock (a rename makes every read see a whole file): `validate`, `show`, `get`. */
export function readFile(path: string, seam: FsSeam = nodeFs): ExistingFile {
  const snap = readSnapshot(resolveTarget(path, seam), path, seam);
  if (!snap.existing) throw missingFile(path);
  return snap.existing;
}
