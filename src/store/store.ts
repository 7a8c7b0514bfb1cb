/**
 * The one module that touches token files: lock, read, hand the text to a transform that
 * validates and modifies it, write the result atomically, release. Every fs call goes
 * through the FsSeam. The order of the steps is what guarantees the SPEC's promises:
 *
 *  - the lock is held by the very first writer too (it does not need the file to exist);
 *  - the new content goes to a uniquely named temp file created exclusively with its final
 *    mode, fsynced, then renamed over the target, and the directory fsynced, so a reader
 *    or the server sees the old file or the new one, never a torn one;
 *  - right before the rename the target is compared with what was read, so a writer that
 *    lost its lock (paused past the stale time) fails instead of clobbering newer work;
 *  - any failure removes the temp file and reports the original error.
 */
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FileError, IoError, LockError } from '../errors';
import { type FsSeam, type Release, nodeFs } from './fs-seam';
import { checkInterrupted, whileBusy } from './interrupts';

/** A lock not refreshed for this long belongs to a dead (or frozen) writer and is taken over. */
export const STALE_MS = 5_000;
const UPDATE_MS = 1_000;
/** About a million tokens: far above any real tokens file, and still fits in memory twice. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
const MAX_SYMLINK_HOPS = 40;
export const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export interface ExistingFile {
  readonly text: string;
  readonly mode: number;
}

/** The new content: a string, or pieces written one after another (no 28 MB concatenation). */
export type Text = string | readonly string[];

export interface UpdateRequest<R> {
  /** The output path as the user gave it. */
  path: string;
  lockTimeoutMs: number;
  /**
   * Validates the current content (undefined when there is no file) and returns the new
   * text, or `write: false` to leave the file as it is. Runs while the lock is held.
   */
  transform(existing: ExistingFile | undefined): { write: true; text: Text; result: R } | { write: false; result: R };
  seam?: FsSeam;
  /** `--owner`: set on the file written and on the directories created for it (gid -1 keeps the group). */
  owner?: Owner;
}

export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

export interface UpdateOutcome<R> {
  result: R;
  written: boolean;
  /** The regular file actually written (symlinks resolved). */
  target: string;
  /** Set when an existing file's looser mode was tightened to 0600. */
  modeTightened?: { from: number; to: number };
  /** Set when the work succeeded but the lock could not be released (it goes stale). */
  releaseFailure?: string;
}

const errnoOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;

function io(what: string, e: unknown): IoError {
  const code = errnoOf(e);
  const detail = e instanceof Error ? e.message : String(e);
  const hint =
    code === 'EACCES' || code === 'EPERM'
      ? ' Check the permissions of the file and its directory.'
      : code === 'ENOSPC' || code === 'EDQUOT'
        ? ' Free some disk space and run the command again.'
        : code === 'EROFS'
          ? ' The file system is read-only; choose another --output-file.'
          : '';
  return new IoError(`Cannot ${what}: ${detail}.${hint}`, e);
}

/** Where the bytes really go: symlinks followed (a dangling one to its target), loops refused. */
export function resolveTarget(path: string, seam: FsSeam = nodeFs): string {
  let current = resolve(path);
  for (let hop = 0; hop <= MAX_SYMLINK_HOPS; hop++) {
    let st: Stats;
    try {
      st = seam.lstat(current);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return canonicalMissing(current, seam);
      if (errnoOf(e) === 'ENOTDIR') {
        throw new FileError('ENOTFILE', `${path} cannot be created: a component of its directory is not a directory.`, { cause: e });
      }
      throw io(`inspect ${path}`, e);
    }
    if (!st.isSymbolicLink()) {
      try {
        return seam.realpath(current);
      } catch (e) {
        throw io(`resolve ${path}`, e);
      }
    }
    let link: string;
    try {
      link = seam.readlink(current);
    } catch (e) {
      throw io(`read the symbolic link ${current}`, e);
    }
    current = resolve(dirname(current), link);
  }
  throw new FileError('ENOTFILE', `${path} is a symbolic link loop (more than ${MAX_SYMLINK_HOPS} links); point it at a regular file.`);
}

/** A path that does not exist yet, with its deepest existing ancestor canonicalised. */
function canonicalMissing(abs: string, seam: FsSeam): string {
  const parent = dirname(abs);
  if (parent === abs) return abs;
  try {
    return join(seam.realpath(parent), basename(abs));
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return join(canonicalMissing(parent, seam), basename(abs));
    if (errnoOf(e) === 'ENOTDIR') {
      throw new FileError('ENOTFILE', `${abs} cannot be created: ${parent} is not a directory.`, { cause: e });
    }
    throw io(`resolve ${parent}`, e);
  }
}

function ensureDirectory(dir: string, seam: FsSeam, owner?: Owner): void {
  let first: string | undefined;
  try {
    first = seam.mkdir(dir, DIR_MODE);
  } catch (e) {
    if (errnoOf(e) === 'ENOTDIR' || errnoOf(e) === 'EEXIST') {
      throw new FileError('ENOTFILE', `Cannot create the directory ${dir}: a component of it is not a directory.`, { cause: e });
    }
    throw io(`create the directory ${dir}`, e);
  }
  if (first === undefined) return;
  // mkdir's mode passes through the umask; the directories we made must be 0700 whatever it is.
  for (let d = dir; ; d = dirname(d)) {
    try {
      seam.chmod(d, DIR_MODE);
    } catch (e) {
      throw io(`set the mode of the directory ${d}`, e);
    }
    if (owner) chownDirectory(d, owner, seam);
    if (d === first || dirname(d) === d) break;
  }
}

function chownDirectory(dir: string, owner: Owner, seam: FsSeam): void {
  try {
    const fd = seam.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    withFd(fd, seam, () => seam.fchown(fd, owner.uid, owner.gid));
  } catch (e) {
    throw io(`set the owner of the directory ${dir}`, e);
  }
}

/**
 * Randomised waits that start at a few milliseconds and are capped at 100 ms. proper-
 * lockfile's own back-off (1 s and doubling) made 64 writers take minutes; a fixed 1-20 ms
 * poll keeps a short queue moving but, with dozens of waiters polling, burns the CPU the
 * holder needs. With many waiters one of them still retries soon after any release.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(100, 4 * 2 ** Math.min(attempt, 5));
  return 1 + Math.floor(random() * cap);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

interface HeldLock {
  release: Release;
  /** Set by proper-lockfile's refresh timer when it finds the lock taken over. */
  compromised: () => Error | undefined;
  path: string;
  /** The lock directory as created; a takeover removes it and makes a new one. */
  identity: Stats;
}

async function acquire(target: string, timeoutMs: number, seam: FsSeam): Promise<HeldLock> {
  const lockfilePath = `${target}.lock`;
  const deadline = Date.now() + timeoutMs;
  let compromised: Error | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const release = await seam.lock(target, {
        lockfilePath,
        staleMs: STALE_MS,
        updateMs: UPDATE_MS,
        onCompromised: (err) => {
          compromised = err;
        },
      });
      let identity: Stats;
      try {
        // proper-lockfile's mkdir takes the umask as it is (0777 under umask 000): the lock
        // directory must not let others drop files in it, which would make it unremovable.
        seam.chmod(lockfilePath, DIR_MODE);
        identity = seam.lstat(lockfilePath);
      } catch (e) {
        // Whatever went wrong, what is reported is this, not a failing release after it.
        await release().catch(() => undefined);
        if (errnoOf(e) === 'ENOENT') throw e; // taken over while we were paused: wait below
        throw io(`inspect the lock directory ${lockfilePath}`, e);
      }
      return { release, compromised: () => compromised, path: lockfilePath, identity };
    } catch (e) {
      if (e instanceof IoError) throw e;
      // A writer paused while the lock was being set up finds it taken over when it resumes
      // (the lock directory is gone under proper-lockfile's mtime probe or our chmod, or it
      // is reported compromised): the lock is someone else's now, so wait for it.
      const lostWhileTaking = errnoOf(e) === 'ECOMPROMISED' || (errnoOf(e) === 'ENOENT' && (e as NodeJS.ErrnoException).path === lockfilePath && (e as NodeJS.ErrnoException).syscall !== 'mkdir');
      if (errnoOf(e) !== 'ELOCKED' && !lostWhileTaking) throw io(`lock ${target} (lock directory ${lockfilePath})`, e);
      checkInterrupted();
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new LockError(
          'ELOCKED',
          `Timed out after ${timeoutMs} ms waiting for the lock ${lockfilePath}: another writer holds it. Run again, raise --lock-timeout, or remove ${lockfilePath} if no writer is running.`,
          { cause: e },
        );
      }
      await sleep(Math.min(left, retryDelayMs(attempt)));
      checkInterrupted();
    }
  }
}

const TEMP_INFIX = '.otk-';
const TEMP_SUFFIX = '.tmp';

function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}${TEMP_INFIX}${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

/**
 * Temp files of this tool's own naming scheme left by a writer that was killed. We hold
 * the lock, so any such file older than the stale time cannot belong to a live writer.
 */
function removeAbandonedTemps(target: string, seam: FsSeam): void {
  const dir = dirname(target);
  const prefix = `.${basename(target)}${TEMP_INFIX}`;
  let names: string[];
  try {
    names = seam.readdir(dir);
  } catch {
    return; // only housekeeping: the write itself will report a real problem with the directory
  }
  const cutoff = Date.now() - STALE_MS;
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

/**
 * Right before the rename: is the lock still ours, and is the file still the one we read?
 * The refresh timer cannot run inside the synchronous write section, so a writer that was
 * paused past the stale time learns it here, from the lock directory and the file itself.
 */
function assertStillOwner(lock: HeldLock, target: string, before: Stats | undefined, path: string, seam: FsSeam): void {
  const lost = (why: string, cause?: unknown): LockError =>
    new LockError('ECOMPROMISED', `${why}; nothing was written. Run the command again.`, { cause });
  const compromised = lock.compromised();
  const now = compromised ? undefined : lstatIfExists(lock.path, seam);
  if (!now || now.ino !== lock.identity.ino || now.mtimeMs !== lock.identity.mtimeMs) {
    throw lost(`The lock ${lock.path} was taken over while this command held it (it was paused or too slow)`, compromised);
  }
  if (!sameFile(before, lstatIfExists(target, seam))) throw lost(`${path} was changed by another writer while this command held the lock`);
}

/** lstat, with a missing path as undefined rather than an error. */
function lstatIfExists(path: string, seam: FsSeam): Stats | undefined {
  try {
    return seam.lstat(path);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw e;
  }
}

function refuseIfNotRegular(stat: Stats, path: string): void {
  if (stat.isFile()) return;
  const what = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a FIFO' : stat.isSocket() ? 'a socket' : 'a device';
  throw new FileError('ENOTFILE', `${path} is ${what}, not a regular file; give the path of a token file.`);
}

interface Snapshot {
  existing: ExistingFile | undefined;
  stat: Stats | undefined;
}

/** Runs `use` on `fd`, then closes it; a failing close is reported only when `use` succeeded. */
function withFd<T>(fd: number, seam: FsSeam, use: () => T): T {
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

function readExisting(target: string, path: string, seam: FsSeam): Snapshot {
  let fd: number;
  try {
    // O_NONBLOCK so that a FIFO at the output path cannot hang the command on open.
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
        throw new FileError('ETOOLARGE', `${path} is ${stat.size} bytes, larger than the ${MAX_FILE_BYTES} bytes a tokens file may have; it is not a tokens file this tool will rewrite.`);
      }
      const bytes = seam.readAll(fd);
      // The server parses bytes as UTF-8 and refuses invalid sequences; so do we.
      if (!isUtf8(bytes)) throw new FileError('EINVALIDFILE', `${path} is not valid UTF-8 text, so it is not a tokens file; fix or remove it.`);
      return { existing: { text: bytes.toString('utf8'), mode: stat.mode & 0o7777 }, stat };
    });
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw io(`read ${path}`, e);
  }
}

function sameFile(before: Stats | undefined, now: Stats | undefined): boolean {
  if (!before || !now) return before === now;
  return before.ino === now.ino && before.dev === now.dev && before.size === now.size && before.mtimeMs === now.mtimeMs && before.ctimeMs === now.ctimeMs;
}

const CHUNK_CHARS = 1 << 20;

/**
 * Encodes and writes in 1 Mi-character chunks through one reused buffer: encoding a
 * 28 MB file in one go spent more time faulting in fresh pages than writing.
 */
function writeText(fd: number, text: Text, seam: FsSeam): void {
  // Three bytes per UTF-16 unit is the most UTF-8 needs (a surrogate pair takes 4 for 2).
  const pieces = typeof text === 'string' ? [text] : text;
  const longest = pieces.reduce((n, p) => Math.max(n, p.length), 0);
  const scratch = Buffer.allocUnsafe(Math.min(longest, CHUNK_CHARS) * 3);
  for (const piece of pieces) writePiece(fd, piece, scratch, seam);
}

function writePiece(fd: number, text: string, scratch: Buffer, seam: FsSeam): void {
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + CHUNK_CHARS, text.length);
    // Never split a surrogate pair: each half alone would be written as U+FFFD.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    const size = scratch.write(text.slice(i, end), 0, 'utf8');
    const chunk = scratch.subarray(0, size);
    for (let off = 0; off < size; ) off += seam.write(fd, chunk, off);
    i = end;
  }
}

/** The owner to give the new file: the one asked for, else the old file's when root rewrites it. */
function ownerFor(asked: Owner | undefined, old: Stats | undefined): Owner | undefined {
  if (asked) return asked;
  // Keep the owner of a file we rewrite as root (an init container writing for the server's uid).
  if (old && process.getuid?.() === 0 && (old.uid !== 0 || old.gid !== 0)) return old;
  return undefined;
}

function writeTemp(temp: string, text: Text, mode: number, owner: Owner | undefined, seam: FsSeam): void {
  const fd = seam.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  withFd(fd, seam, () => {
    // open()'s mode is filtered by the umask; the file must end up with exactly `mode`.
    seam.fchmod(fd, mode);
    if (owner) seam.fchown(fd, owner.uid, owner.gid);
    writeText(fd, text, seam);
    seam.fsync(fd);
  });
}

function fsyncDirectory(dir: string, seam: FsSeam): void {
  const fd = seam.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  withFd(fd, seam, () => seam.fsync(fd));
}

export function updateFile<R>(req: UpdateRequest<R>): Promise<UpdateOutcome<R>> {
  return whileBusy(() => update(req));
}

async function update<R>(req: UpdateRequest<R>): Promise<UpdateOutcome<R>> {
  const seam = req.seam ?? nodeFs;
  const outcome = await lockedUpdate(req, seam);
  if (outcome.written) {
    // After the release: other writers only need the rename, and 64 concurrent writers
    // were serialised on this fsync too. Success is still reported only once it is done.
    try {
      fsyncDirectory(dirname(outcome.target), seam);
    } catch (e) {
      throw io(`flush the directory of ${req.path} (the new file is in place but may not survive a power loss)`, e);
    }
  }
  return outcome;
}

async function lockedUpdate<R>(req: UpdateRequest<R>, seam: FsSeam): Promise<UpdateOutcome<R>> {
  const target = resolveTarget(req.path, seam);
  // A directory, FIFO or device is refused before a lock directory is made beside it.
  let existing: Stats | undefined;
  try {
    existing = lstatIfExists(target, seam);
  } catch (e) {
    throw io(`inspect ${req.path}`, e);
  }
  if (existing) refuseIfNotRegular(existing, req.path);
  ensureDirectory(dirname(target), seam, req.owner);
  const lock = await acquire(target, req.lockTimeoutMs, seam);
  let outcome: UpdateOutcome<R> | undefined;
  try {
    checkInterrupted();
    removeAbandonedTemps(target, seam);
    const before = readExisting(target, req.path, seam);
    const change = req.transform(before.existing);
    if (!change.write) {
      outcome = { result: change.result, written: false, target };
      return outcome;
    }

    const oldMode = before.existing?.mode;
    const mode = oldMode === undefined || (oldMode & ~FILE_MODE) !== 0 ? FILE_MODE : oldMode;
    const temp = tempPathFor(target);
    try {
      writeTemp(temp, change.text, mode, ownerFor(req.owner, before.stat), seam);
      assertStillOwner(lock, target, before.stat, req.path, seam);
      seam.rename(temp, target);
    } catch (e) {
      try {
        seam.unlink(temp);
      } catch {
        // The temp file may never have been created; the original error is what matters.
      }
      if (e instanceof LockError || e instanceof FileError) throw e;
      throw io(`write ${req.path}`, e);
    }
    outcome = { result: change.result, written: true, target };
    if (oldMode !== undefined && mode !== oldMode) outcome.modeTightened = { from: oldMode, to: mode };
    return outcome;
  } finally {
    if (!lock.compromised()) {
      try {
        await lock.release();
      } catch (e) {
        // A release failure must not replace the error that stopped the command; on
        // success the token is written and the lock is taken over once stale, so the
        // caller only reports it.
        if (outcome) outcome.releaseFailure = `Could not release the lock ${target}.lock (${errnoOf(e) ?? 'error'}); it is taken over once stale.`;
      }
    }
  }
}

/** Reads a file for `validate`: no lock (a rename makes every read see a whole file). */
export function readFile(path: string, seam: FsSeam = nodeFs): ExistingFile {
  let target: string;
  try {
    target = seam.realpath(path);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') throw new FileError('ENOTFILE', `${path} does not exist; check the path.`, { cause: e });
    if (errnoOf(e) === 'ELOOP') throw new FileError('ENOTFILE', `${path} is a symbolic link loop; point it at a regular file.`, { cause: e });
    throw io(`read ${path}`, e);
  }
  const snap = readExisting(target, path, seam);
  if (!snap.existing) throw new FileError('ENOTFILE', `${path} does not exist; check the path.`);
  return snap.existing;
}
