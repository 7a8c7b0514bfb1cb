/**
 * The inter-process lock (proper-lockfile, behind the seam): taken with a bounded wait,
 * taken over from a dead writer once stale, and checked right before a rename, because a
 * writer paused past the stale time learns only then that the lock is no longer its own.
 */
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { FileError, IoError, LockError } from '../errors';
import type { FsSeam, Release } from './fs-seam';
import { checkInterrupted, nextTurn } from './interrupts';
import { lockWaitStarted } from './progress';
import { HOLDER_FILE, deadHolder, sameHolder, selfRecord } from './holder';
import { DIR_MODE, type Trust, trustExisting } from './target';
import { errnoOf, io, lstatIfExists } from './sys';

/** A lock not refreshed for this long belongs to a dead (or frozen) writer and is taken over. */
export const STALE_MS = 5_000;

/** How long a writer waits for the lock when its caller does not say (the CLI's --lock-timeout, the library's lockTimeoutMs). */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;
const UPDATE_MS = 1_000;

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

export interface HeldLock {
  release: Release;
  /** Set by proper-lockfile's refresh timer when it finds the lock taken over. */
  compromised: () => Error | undefined;
  path: string;
  /** The lock directory as created; a takeover removes it and makes a new one. */
  identity: Stats;
}

/**
 * The lock of `target` (a canonical path), waiting at most `timeoutMs` for other writers.
 * The lock is taken synchronously; the turn of the event loop after it lets a signal sent
 * meanwhile be noted, for the caller's checkInterrupted right after (it owns the release).
 */
export async function acquire(target: string, timeoutMs: number, seam: FsSeam, trust?: Trust): Promise<HeldLock> {
  // Started when the lock is first found held: a wait past a second is reported, once.
  let endWait: (() => void) | undefined;
  let held: HeldLock;
  try {
    held = await take(target, timeoutMs, seam, trust, () => {
      endWait ??= lockWaitStarted(`${target}.lock`);
    });
  } finally {
    endWait?.();
  }
  await nextTurn();
  return held;
}

async function take(target: string, timeoutMs: number, seam: FsSeam, trust: Trust | undefined, waiting: () => void): Promise<HeldLock> {
  const lockfilePath = `${target}.lock`;
  const deadline = Date.now() + timeoutMs;
  // This process's holder record, read from /proc now rather than inside the locked section.
  selfRecord();
  let compromised: Error | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      inspectLock(lockfilePath, trust, seam);
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
      if (e instanceof IoError || e instanceof FileError) throw e;
      // A writer paused while the lock was being set up finds it taken over when it resumes
      // (the lock directory is gone under proper-lockfile's mtime probe or our chmod, or it
      // is reported compromised): the lock is someone else's now, so wait for it.
      const lostWhileTaking =
        errnoOf(e) === 'ECOMPROMISED' ||
        (errnoOf(e) === 'ENOENT' && (e as NodeJS.ErrnoException).path === lockfilePath && (e as NodeJS.ErrnoException).syscall !== 'mkdir');
      if (errnoOf(e) !== 'ELOCKED' && !lostWhileTaking) throw io(`lock ${target} (lock directory ${lockfilePath})`, e);
      // A holder that died on this machine is known at once: no need to wait for staleness.
      if (errnoOf(e) === 'ELOCKED' && takeOverDead(lockfilePath, seam)) continue;
      waiting();
      checkInterrupted();
      const left = deadline - Date.now();
      if (left <= 0) {
        // The command layer adds how to wait longer (its flag); the library caller passes lockTimeoutMs.
        throw new LockError(
          'ELOCKTIMEOUT',
          `Timed out after ${timeoutMs} ms waiting for the lock ${lockfilePath}: another writer holds it. Run again, wait longer, or remove ${lockfilePath} if no writer is running.`,
          { cause: e, file: target, lockPath: lockfilePath, timeoutMs },
        );
      }
      await sleep(Math.min(left, retryDelayMs(attempt)));
      checkInterrupted();
      // While the lock directory is there and fresh, an attempt can only fail: look with
      // one lstat instead (an attempt is a mkdir, a stat and an Error with its stack, and
      // dozens of waiters make them by the thousand while the holder needs the CPU).
      let looked = Date.now();
      while (heldFresh(lockfilePath, seam) && Date.now() < deadline) {
        // The holder may die while we wait: look at its record now and then (not at every
        // poll: dozens of waiters reading it would take the CPU the holder needs).
        if (Date.now() - looked >= HOLDER_LOOK_MS) {
          looked = Date.now();
          if (deadHolder(lockfilePath) !== undefined) break;
        }
        attempt++;
        await sleep(Math.min(deadline - Date.now(), retryDelayMs(attempt)));
        checkInterrupted();
      }
    }
  }
}

const HOLDER_LOOK_MS = 200;

/**
 * What is at the lock path before each attempt: a link or a file there is no lock (and
 * proper-lockfile would wait on it for ever), and a lock directory another user made
 * where others can write is refused by the ownership rule (SPEC 9).
 */
function inspectLock(lockfilePath: string, trust: Trust | undefined, seam: FsSeam): void {
  let st: Stats | undefined;
  try {
    st = lstatIfExists(lockfilePath, seam);
  } catch (e) {
    throw io(`inspect the lock directory ${lockfilePath}`, e);
  }
  if (!st) return;
  trustExisting(lockfilePath, st, 'lock', trust, seam);
  if (!st.isDirectory()) {
    const what = st.isSymbolicLink() ? 'a symbolic link' : 'not a directory';
    throw new FileError(
      'ENOTFILE',
      `The lock path ${lockfilePath} is ${what}, not a lock directory this tool made; remove it (no writer of this tool is running on it).`,
    );
  }
}

/**
 * Removes a lock whose holder died on this machine; true when the caller should attempt at
 * once. The record is read again right before the removal, so a lock taken anew meanwhile
 * (a new record) is left alone; a rare race past that is caught by assertLockHeld.
 */
function takeOverDead(lockfilePath: string, seam: FsSeam): boolean {
  const record = deadHolder(lockfilePath);
  if (record === undefined) return false;
  try {
    if (!sameHolder(lockfilePath, record)) return true;
    seam.unlink(join(lockfilePath, HOLDER_FILE));
    seam.rmdir(lockfilePath);
  } catch {
    // Another waiter took it over first: attempt, and wait if it now holds it.
  }
  return true;
}

/** The lock directory exists and was refreshed within the stale time. Any doubt says no, and the caller attempts. */
function heldFresh(lockfilePath: string, seam: FsSeam): boolean {
  try {
    const st = lstatIfExists(lockfilePath, seam);
    return st !== undefined && st.mtimeMs > Date.now() - STALE_MS;
  } catch {
    return false;
  }
}

/**
 * Is the lock still ours? Throws LockError ECOMPROMISED when it was taken over. Ours: the
 * same directory (inode) with the mtime it had when taken, or, when the refresh timer has
 * moved that (a lock held across a wait of over a second for another one), holding our
 * holder record. The record is read only then: not in every writer's locked section.
 */
export function assertLockHeld(lock: HeldLock, seam: FsSeam): void {
  const compromised = lock.compromised();
  const now = compromised ? undefined : lstatIfExists(lock.path, seam);
  const ours = now !== undefined && now.ino === lock.identity.ino && (now.mtimeMs === lock.identity.mtimeMs || sameHolder(lock.path, selfRecord().trimEnd()));
  if (!ours) {
    throw new LockError(
      'ECOMPROMISED',
      `The lock ${lock.path} was taken over while this command held it (it was paused or too slow); nothing was written. Run the command again.`,
      { cause: compromised },
    );
  }
}

/** Releases the lock; returns a sentence to report when that fails (the lock then goes stale). */
export async function release(lock: HeldLock): Promise<string | undefined> {
  if (lock.compromised()) return undefined;
  try {
    await lock.release();
    return undefined;
  } catch (e) {
    return `Could not release the lock ${lock.path} (${errnoOf(e) ?? 'error'}); it is taken over once stale.`;
  }
}
