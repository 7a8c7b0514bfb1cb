/**
 * The one entry to token files for writers: resolve the path, lock, read, hand the text to
 * a transform that validates and edits it, write the result atomically, release. The order
 * of the steps is what guarantees the SPEC's promises:
 *
 *  - the lock is held by the very first writer too (it does not need the file to exist);
 *  - right before the rename the lock and the target are checked again, so a writer that
 *    lost its lock (paused past the stale time) fails instead of clobbering newer work;
 *  - the directory fsync comes after the release (other writers only need the rename),
 *    and success is reported only once it is done.
 *
 * The concerns themselves live beside this file: target.ts, lock.ts, read.ts, atomic-write.ts.
 */
import type { Stats } from 'node:fs';
import { dirname } from 'node:path';
import { FileError, LockError } from '../errors';
import { type FsSeam, nodeFs } from './fs-seam';
import { checkInterrupted, whileBusy } from './interrupts';
import { STALE_MS, acquire, assertLockHeld, release } from './lock';
import { type ExistingFile, readSnapshot, sameFile } from './read';
import { FILE_MODE, type Text, fsyncDirectory, removeAbandonedTemps, writeFileAtomic } from './atomic-write';
import { type Owner, ensureDirectory, keptOwner, refuseIfNotRegular, resolveTarget, trustExisting, trustOf } from './target';
import { io, lstatIfExists } from './sys';
import { verifiedTokenFile } from './verify';

export { STALE_MS, retryDelayMs } from './lock';
export { MAX_FILE_BYTES, type ExistingFile, readFile } from './read';
export { FILE_MODE, type Text, writeFileAtomic } from './atomic-write';
export { type Owner, resolveTarget } from './target';

export interface UpdateRequest<R> {
  /** The path as the user gave it. */
  path: string;
  lockTimeoutMs: number;
  /**
   * Validates the current content (undefined when there is no file) and returns the new
   * text, or `write: false` to leave the file as it is. Runs while the lock is held.
   */
  transform(existing: ExistingFile | undefined): { write: true; text: Text; result: R } | { write: false; result: R };
  /** Commands that edit a file never create one: refuse a missing file before any directory or lock is made. */
  mustExist?: boolean;
  seam?: FsSeam;
  /** `--owner`: the owner of the file written and of the directories created for it. */
  owner?: Owner;
  /** The file is a token file: its new text is read back by the server's reader before it is written (exports are not). */
  tokenFile?: boolean;
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

export function updateFile<R>(req: UpdateRequest<R>): Promise<UpdateOutcome<R>> {
  return whileBusy(() => update(req));
}

async function update<R>(req: UpdateRequest<R>): Promise<UpdateOutcome<R>> {
  const seam = req.seam ?? nodeFs;
  const outcome = await lockedUpdate(req, seam);
  if (outcome.written) fsyncDirectory(dirname(outcome.target), req.path, seam);
  return outcome;
}

async function lockedUpdate<R>(req: UpdateRequest<R>, seam: FsSeam): Promise<UpdateOutcome<R>> {
  const trust = trustOf(req.owner);
  const target = resolveTarget(req.path, seam, undefined, trust);
  // A directory, FIFO or device is refused before a lock directory is made beside it.
  let existing: Stats | undefined;
  try {
    existing = lstatIfExists(target, seam);
  } catch (e) {
    throw io(`inspect ${req.path}`, e);
  }
  if (existing) {
    refuseIfNotRegular(existing, req.path);
    trustExisting(target, existing, 'file', trust, seam);
  } else if (req.mustExist) throw new FileError('ENOTFILE', `${req.path} does not exist; check the path.`);
  ensureDirectory(dirname(target), seam, req.owner);
  const lock = await acquire(target, req.lockTimeoutMs, seam, trust);
  let outcome: UpdateOutcome<R> | undefined;
  try {
    checkInterrupted();
    removeAbandonedTemps(target, STALE_MS, seam);
    const before = readSnapshot(target, req.path, seam);
    // The file may have been replaced between the first look and the lock.
    if (before.stat) trustExisting(target, before.stat, 'file', trust, seam);
    const change = req.transform(before.existing);
    if (!change.write) {
      outcome = { result: change.result, written: false, target };
      return outcome;
    }
    const oldMode = before.existing?.mode;
    const mode = oldMode === undefined || (oldMode & ~FILE_MODE) !== 0 ? FILE_MODE : oldMode;
    const text = req.tokenFile ? verifiedTokenFile(change.text, req.path) : change.text;
    writeFileAtomic(target, text, {
      mode,
      owner: keptOwner(before.stat, trust),
      chown: req.owner,
      label: req.path,
      seam,
      syncDirectory: false,
      beforeRename: () => {
        // The refresh timer cannot run inside this synchronous section, so a writer paused
        // past the stale time learns it here, from the lock directory and the file itself.
        assertLockHeld(lock, seam);
        if (!sameFile(before.stat, lstatIfExists(target, seam))) {
          throw new LockError(
            'ECOMPROMISED',
            `${req.path} was changed by another writer while this command held the lock; nothing was written. Run the command again.`,
          );
        }
      },
    });
    outcome = { result: change.result, written: true, target };
    if (oldMode !== undefined && mode !== oldMode) outcome.modeTightened = { from: oldMode, to: mode };
    return outcome;
  } finally {
    // A release failure must not replace the error that stopped the command; on success
    // the file is written and the lock is taken over once stale, so the caller only reports it.
    const failure = await release(lock);
    if (outcome && failure) outcome.releaseFailure = failure;
  }
}
