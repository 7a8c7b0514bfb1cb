/**
 * writeFileAtomic: the new content goes to a uniquely named temp file beside the target,
 * created exclusively (never through a link) with its final mode, fsynced, then renamed
 * over the target, so a reader or the server sees the old file or the new one, never a
 * torn one. Any failure removes the temp file and reports the original error.
 */
import { type Stats, constants } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileError, LockError } from '../errors';
import { type FsSeam, nodeFs } from './fs-seam';
import { randomBytes } from 'node:crypto';
import { io, withFd } from './sys';

import { type Text, piecesOf } from './text';
import { encodeChunks } from './encode';

export type { Text } from './text';

export const FILE_MODE = 0o600;
const TEMP_INFIX = '.otk-';
const TEMP_SUFFIX = '.tmp';

export interface AtomicWriteOptions {
  /** The exact mode of the file written (the umask does not apply). */
  mode?: number;
  /** Keep this owner when running as root (an init container writing for the server's uid). */
  owner?: Pick<Stats, 'uid' | 'gid'>;
  /** `--owner`: give the file exactly this owner, whoever runs (gid -1 keeps the group). */
  chown?: { readonly uid: number; readonly gid: number };
  /** The path as the user gave it, for messages. */
  label?: string;
  /** Runs after the temp file is durable, right before the rename; throwing cancels the write. */
  beforeRename?: () => void;
  /** fsync the directory after the rename (callers that release a lock first do it themselves). */
  syncDirectory?: boolean;
  seam?: FsSeam;
}

export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}${TEMP_INFIX}${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

/** Writes `text` to `target` (a canonical path to a regular file or nothing) atomically. */
export function writeFileAtomic(target: string, text: Text, opts: AtomicWriteOptions = {}): void {
  const seam = opts.seam ?? nodeFs;
  const label = opts.label ?? target;
  const temp = tempPathFor(target);
  try {
    writeTemp(temp, text, opts.mode ?? FILE_MODE, opts.chown ?? keptOwner(opts.owner), seam);
    opts.beforeRename?.();
    seam.rename(temp, target);
  } catch (e) {
    try {
      seam.unlink(temp);
    } catch {
      // The temp file may never have been created; the original error is what matters.
    }
    if (e instanceof LockError || e instanceof FileError) throw e;
    throw io(`write ${label}`, e);
  }
  if (opts.syncDirectory ?? true) fsyncDirectory(dirname(target), label, seam);
}

/**
 * Temp files of this tool's own naming scheme left by a writer that was killed. The caller
 * holds the lock, so any such file older than `olderThanMs` cannot belong to a live writer.
 */
export function removeAbandonedTemps(target: string, olderThanMs: number, seam: FsSeam): void {
  const dir = dirname(target);
  const prefix = `.${basename(target)}${TEMP_INFIX}`;
  let names: string[];
  try {
    names = seam.readdir(dir);
  } catch {
    return; // only housekeeping: the write itself will report a real problem with the directory
  }
  const cutoff = Date.now() - olderThanMs;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    const p = join(dir, name);
    try {
      const st = seam.lstat(p);
      if (st.isFile() && st.mtimeMs < cutoff) seam.unlink(p);
    } catch {
      // Another writer removed it first, or it is not ours to remove: leave it.
    }
  }
}

/** Writes the pieces one after another, encoded a chunk at a time (encode.ts). */
function writeText(fd: number, text: Text, seam: FsSeam): void {
  encodeChunks(piecesOf(text), (chunk) => {
    for (let off = 0; off < chunk.length;) off += seam.write(fd, chunk, off);
  });
}

/** Only root can give a file away, and a file root owned stays root's. */
function keptOwner(owner: AtomicWriteOptions['owner']): AtomicWriteOptions['chown'] {
  return owner && process.getuid?.() === 0 && (owner.uid !== 0 || owner.gid !== 0) ? owner : undefined;
}

function writeTemp(temp: string, text: Text, mode: number, owner: AtomicWriteOptions['chown'], seam: FsSeam): void {
  const fd = seam.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  withFd(fd, seam, () => {
    // open()'s mode is filtered by the umask; the file must end up with exactly `mode`.
    seam.fchmod(fd, mode);
    if (owner) seam.fchown(fd, owner.uid, owner.gid);
    writeText(fd, text, seam);
    seam.fsync(fd);
  });
}

/** After a rename, the directory entry itself must reach the disk for the new file to survive a power loss. */
export function fsyncDirectory(dir: string, label: string, seam: FsSeam = nodeFs): void {
  try {
    const fd = seam.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    withFd(fd, seam, () => seam.fsync(fd));
  } catch (e) {
    throw io(`flush the directory of ${label} (the new file is in place but may not survive a power loss)`, e);
  }
}
