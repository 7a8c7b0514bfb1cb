/**
 * Every file-system call the store makes goes through this seam, so tests can make any
 * single step fail (ENOSPC on write, EIO on fsync, EXDEV on rename...) and check that the
 * original error is the one reported and nothing is left behind.
 */
import {
  type Stats,
  chmodSync,
  closeSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { HOLDER_FILE, writeHolder } from './holder';

export type Release = () => Promise<void>;

export interface LockOptions {
  lockfilePath: string;
  /** A lock whose directory mtime is older than this is taken over. */
  staleMs: number;
  /** How often the holder refreshes the mtime. */
  updateMs: number;
  onCompromised: (err: Error) => void;
}

export interface FsSeam {
  lstat(path: string): Stats;
  readlink(path: string): string;
  mkdir(path: string, mode: number): string | undefined;
  chmod(path: string, mode: number): void;
  readdir(path: string): string[];
  open(path: string, flags: number, mode?: number): number;
  fstat(fd: number): Stats;
  readAll(fd: number): Buffer;
  write(fd: number, data: Uint8Array, offset: number): number;
  fsync(fd: number): void;
  fchmod(fd: number, mode: number): void;
  fchown(fd: number, uid: number, gid: number): void;
  close(fd: number): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  symlink(target: string, path: string): void;
  /** Takes the inter-process lock once, without retrying; rejects with code ELOCKED if held. */
  lock(file: string, options: LockOptions): Promise<Release>;
}

export const nodeFs: FsSeam = {
  lstat: (p) => lstatSync(p),
  readlink: (p) => readlinkSync(p),
  mkdir: (p, mode) => makeDirectories(p, mode),
  chmod: (p, mode) => chmodSync(p, mode),
  readdir: (p) => readdirSync(p),
  open: (p, flags, mode) => openSync(p, flags, mode),
  fstat: (fd) => fstatSync(fd),
  readAll: (fd) => readFileSync(fd),
  write: (fd, data, offset) => writeSync(fd, data, offset, data.length - offset),
  fsync: (fd) => fsyncSync(fd),
  fchmod: (fd, mode) => fchmodSync(fd, mode),
  fchown: (fd, uid, gid) => fchownSync(fd, uid, gid),
  close: (fd) => closeSync(fd),
  rename: (from, to) => renameSync(from, to),
  unlink: (p) => unlinkSync(p),
  rmdir: (p) => rmdirSync(p),
  symlink: (target, p) => symlinkSync(target, p),
  lock: async (file, o) => {
    // Loaded only to take a lock: unbundled, it brings signal-exit, whose listeners must not
    // be there outside the locked section (interrupts.ts; the bundles shim it).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { lockSync } = require('proper-lockfile') as typeof import('proper-lockfile');
    const release = lockSync(file, {
      // The file may not exist yet: the very first writer must hold the lock too.
      realpath: false,
      lockfilePath: o.lockfilePath,
      stale: o.staleMs,
      update: o.updateMs,
      retries: 0,
      onCompromised: o.onCompromised,
      // Synchronous on purpose: each asynchronous step (mkdir, probe, rmdir) went through
      // the thread pool, and under load every such step waited for the scheduler while the
      // lock was held: 64 writers held it about 90 ms each instead of a few. A signal that
      // comes during these calls is taken at the next turn of the event loop, which the
      // store makes right after the lock is taken and right after it is released
      // (interrupts.ts). Plain fs rather than graceful-fs's queueing: the store already
      // bounds its retries.
      fs: lockFs,
    });
    return async () => release();
  },
};

/**
 * The fs calls proper-lockfile makes in its synchronous mode, with two changes. The lock
 * directory is made 0700 from the start (its own mkdir takes the umask as it is: 0777
 * under umask 000, open to others until a chmod), and records its holder (holder.ts) so
 * that a waiter on this machine knows at once when the holder died; every removal takes
 * that record out first. Each call reaches fs when it is made, so a test that patches fs
 * sees it. Plain enumerable properties: proper-lockfile copies this object with a spread.
 */
const lockFs = {
  mkdirSync: (p: string): void => {
    mkdirSync(p, DIR_MODE_LOCK);
    try {
      writeHolder(p);
    } catch {
      // Without its record the lock is only known by its mtime: still a lock.
    }
  },
  rmdirSync: (p: string): void => {
    try {
      unlinkSync(join(p, HOLDER_FILE));
    } catch {
      // Not there (the record could not be written): the rmdir says what matters.
    }
    rmdirSync(p);
  },
  statSync: (p: string): Stats => statSync(p),
  utimesSync: (p: string, atime: Date, mtime: Date): void => utimesSync(p, atime, mtime),
  realpathSync: (p: string): string => realpathSync(p),
} as unknown as typeof import('node:fs');

const DIR_MODE_LOCK = 0o700;

/**
 * mkdir -p, returning the first directory it created (undefined when `dir` existed), as
 * mkdirSync's `recursive` does. Not that one: where mkdir(2) answers ENOENT under a parent
 * that exists (/proc, some FUSE and network mounts), Node's recursive mkdir retries the
 * parent and the child for ever, at full CPU and deaf to SIGTERM. This walks up once.
 */
function makeDirectories(dir: string, mode: number): string | undefined {
  const missing: string[] = [];
  for (let d = dir; ;) {
    try {
      if (statSync(d).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR', syscall: 'mkdir', path: dir });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    missing.push(d);
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]!, { mode });
    } catch (e) {
      // Another writer made it first: the same directory, which is all this needs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(missing[i]!).isDirectory()) throw e;
    }
  }
  return missing[missing.length - 1];
}
