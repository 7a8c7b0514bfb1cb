/**
 * The one locked read-modify-write of the store, for one file (create, rotate, delete,
 * prune, an export: `updateFile` in store.ts is this with one path) or several changed as
 * one (apply). Every file is locked, in the order of its resolved path so two
 * transactions over the same files cannot deadlock; every file read and handed to one
 * transform; then every new text written to its temp file before any rename. The order of
 * the steps is what guarantees the SPEC's promises:
 *
 *  - the lock is held by the very first writer too (it does not need the file to exist);
 *  - right before each rename the lock and the target are checked again, so a writer that
 *    lost its lock (paused past the stale time) fails instead of clobbering newer work;
 *  - the directory fsync comes after the release (other writers only need the rename),
 *    and success is reported only once it is done.
 *
 * The renames are nested in writeFileAtomic's beforeRename hooks: a failure while
 * writing any temp file cancels every rename. Only a failing rename after an earlier one
 * (the temp files are already complete and beside their targets) could leave a file
 * changed, and then the earlier files are written back with what they held.
 */
import type { Stats } from 'node:fs';
import { dirname } from 'node:path';
import { FileError, LockError } from '../errors';
import { type FsSeam, nodeFs } from './fs-seam';
import { checkInterrupted, whileBusy } from './interrupts';
import { type HeldLock, STALE_MS, acquire, assertLockHeld, release } from './lock';
import { type ExistingFile, type Snapshot, missingFile, readSnapshot, sameFile } from './read';
import { FILE_MODE, type Text, fsyncDirectory, removeAbandonedTemps, writeFileAtomic } from './atomic-write';
import { type Owner, type Trust, ensureDirectory, keptOwner, refuseIfNotRegular, resolveTarget, trustExisting, trustOf } from './target';
import { io, lstatIfExists } from './sys';
import { verifiedTokenFile } from './verify';

export interface TransactionRequest<R> {
  /** The paths as the user gave them. */
  paths: readonly string[];
  lockTimeoutMs: number;
  /**
   * Gets every file's content (undefined: no file), in the order of `paths`; returns the new
   * texts (undefined: leave it). Runs while the locks are held; throwing leaves every file as it was.
   */
  transform(existing: ReadonlyArray<ExistingFile | undefined>): { texts: ReadonlyArray<Text | undefined>; result: R };
  /**
   * The files are token files: each new text is read back by the server's reader before
   * any is written (verify.ts). An export's files are not.
   */
  tokenFiles: boolean;
  /** Commands that edit a file never create one: a missing file is refused before any directory or lock is made. */
  mustExist?: boolean;
  /** The owner of the files written and of the directories created for them. */
  owner?: Owner;
  /**
   * Plan only (apply --dry-run): no directory made, no lock taken, nothing written. Writers
   * replace files with a rename, so the read still sees whole files.
   */
  readOnly?: boolean;
  seam?: FsSeam;
}

export interface TransactionOutcome<R> {
  result: R;
  /** Per path: whether it was written. */
  written: boolean[];
  /** Per path: set when an existing file's looser mode was written back as 0600. */
  modeTightened: Array<{ from: number; to: number } | undefined>;
  /** Per path: the regular file actually written (symlinks resolved). */
  targets: string[];
  /** Locks that could not be released once the work succeeded (they go stale); worded for the user. */
  releaseFailures: string[];
}

/** An existing file keeps its mode unless it is looser than 0600; a new file gets 0600. */
function modeOf(before: Snapshot): number {
  const old = before.existing?.mode;
  return old === undefined || (old & ~FILE_MODE) !== 0 ? FILE_MODE : old;
}

export function updateFiles<R>(req: TransactionRequest<R>): Promise<TransactionOutcome<R>> {
  return whileBusy(() => transaction(req));
}

async function transaction<R>(req: TransactionRequest<R>): Promise<TransactionOutcome<R>> {
  const seam = req.seam ?? nodeFs;
  const trust = trustOf(req.owner);
  const targets = req.paths.map((p) => resolveTarget(p, seam, undefined, trust));
  targets.forEach((t, i) => {
    const j = targets.indexOf(t);
    if (j !== i) throw new FileError('ENOTFILE', `${req.paths[j]} and ${req.paths[i]} are the same file; give two files.`);
    let st: Stats | undefined;
    try {
      st = lstatIfExists(t, seam);
    } catch (e) {
      throw io(`inspect ${req.paths[i]}`, e);
    }
    // A directory, FIFO or device is refused before a lock directory is made beside it.
    if (st) {
      refuseIfNotRegular(st, req.paths[i]!);
      trustExisting(t, st, 'file', trust, seam);
    } else if (req.mustExist) throw missingFile(req.paths[i]!);
  });
  if (req.readOnly) {
    const change = req.transform(targets.map((t, i) => readSnapshot(t, req.paths[i]!, seam).existing));
    return { result: change.result, written: targets.map(() => false), modeTightened: targets.map(() => undefined), targets, releaseFailures: [] };
  }
  for (const t of targets) ensureDirectory(dirname(t), seam, req.owner);
  const order = targets.map((_, i) => i).sort((a, b) => (targets[a]! < targets[b]! ? -1 : 1));
  const locks: HeldLock[] = [];
  const releaseFailures: string[] = [];
  let outcome: TransactionOutcome<R> | undefined;
  try {
    for (const i of order) locks[i] = await acquire(targets[i]!, req.lockTimeoutMs, seam, trust);
    checkInterrupted();
    const snaps: Snapshot[] = targets.map((t, i) => {
      removeAbandonedTemps(t, STALE_MS, seam);
      const snap = readSnapshot(t, req.paths[i]!, seam);
      // The file may have been replaced between the first look and the lock.
      if (snap.stat) trustExisting(t, snap.stat, 'file', trust, seam);
      return snap;
    });
    const change = req.transform(snaps.map((s) => s.existing));
    const writes = order.filter((i) => change.texts[i] !== undefined);
    const texts = req.tokenFiles ? change.texts.map((t, i) => (t === undefined ? undefined : verifiedTokenFile(t, req.paths[i]!))) : change.texts;
    writeNested(writes, 0, targets, snaps, locks, texts, req, seam, trust);
    const written = targets.map((_, i) => change.texts[i] !== undefined);
    const modeTightened = snaps.map((s, i) => {
      const from = s.existing?.mode;
      const to = modeOf(s);
      return written[i] && from !== undefined && to !== from ? { from, to } : undefined;
    });
    outcome = { result: change.result, written, modeTightened, targets, releaseFailures };
  } finally {
    // A release failure must not replace the error that stopped the command; on success
    // the files are written and a lock is taken over once stale, so the caller only reports it.
    for (const i of [...order].reverse()) {
      if (!locks[i]) continue;
      const failure = await release(locks[i]!);
      if (failure) releaseFailures.push(failure);
    }
  }
  outcome.written.forEach((w, i) => w && fsyncDirectory(dirname(targets[i]!), req.paths[i]!, seam));
  return outcome;
}

/** Writes files[k..]: file k's temp, then (in its beforeRename) the rest, then file k's rename. */
function writeNested(
  files: readonly number[],
  k: number,
  targets: string[],
  snaps: Snapshot[],
  locks: HeldLock[],
  texts: ReadonlyArray<Text | undefined>,
  req: TransactionRequest<unknown>,
  seam: FsSeam,
  trust: Trust | undefined,
): void {
  if (k === files.length) return;
  const i = files[k]!;
  const before = snaps[i]!;
  let inner = false;
  try {
    writeFileAtomic(targets[i]!, texts[i]!, {
      mode: modeOf(before),
      owner: keptOwner(before.stat, trust),
      chown: req.owner,
      label: req.paths[i],
      seam,
      syncDirectory: false,
      beforeRename: () => {
        // The refresh timer cannot run inside this synchronous section, so a writer paused
        // past the stale time learns it here, from the lock directory and the file itself.
        assertLockHeld(locks[i]!, seam);
        if (!sameFile(before.stat, lstatIfExists(targets[i]!, seam))) {
          throw new LockError(
            'ECOMPROMISED',
            `${req.paths[i]} was changed by another writer while this command held the lock; nothing was written. Run the command again.`,
          );
        }
        writeNested(files, k + 1, targets, snaps, locks, texts, req, seam, trust);
        inner = true;
      },
    });
  } catch (e) {
    // The later files are renamed already, this one is not: put theirs back.
    if (inner) for (const j of files.slice(k + 1)) restore(targets[j]!, snaps[j]!, req.paths[j]!, seam);
    throw e;
  }
}

function restore(target: string, snap: Snapshot, label: string, seam: FsSeam): void {
  try {
    if (snap.existing) writeFileAtomic(target, snap.existing.text, { mode: snap.existing.mode, owner: snap.stat, label, seam });
    else seam.unlink(target);
  } catch {
    // Best effort: the error that stopped the transaction is the one reported.
  }
}
