/**
 * The store's entry for writers of one file: `updateFile` is a transaction (transaction.ts)
 * over one path, with the transform's answer for that one file. The steps and their order
 * (resolve, lock, read, transform, post-write check, atomic write, release, fsync) are
 * written once, there.
 *
 * The concerns themselves live beside this file: target.ts, lock.ts, read.ts, atomic-write.ts.
 */
import type { FsSeam } from './fs-seam';
import type { ExistingFile } from './read';
import type { Text } from './atomic-write';
import type { Owner } from './target';
import { updateFiles } from './transaction';

export { DEFAULT_LOCK_TIMEOUT_MS, STALE_MS, retryDelayMs } from './lock';
export { MAX_FILE_BYTES, type ExistingFile, missingFile, readFile } from './read';
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
  /** The owner of the file written and of the directories created for it. */
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

export async function updateFile<R>(req: UpdateRequest<R>): Promise<UpdateOutcome<R>> {
  const outcome = await updateFiles({
    paths: [req.path],
    lockTimeoutMs: req.lockTimeoutMs,
    tokenFiles: req.tokenFile ?? false,
    mustExist: req.mustExist,
    owner: req.owner,
    seam: req.seam,
    transform: ([existing]) => {
      const change = req.transform(existing);
      return { texts: [change.write ? change.text : undefined], result: change.result };
    },
  });
  const one: UpdateOutcome<R> = { result: outcome.result, written: outcome.written[0]!, target: outcome.targets[0]! };
  if (outcome.modeTightened[0]) one.modeTightened = outcome.modeTightened[0];
  if (outcome.releaseFailures[0] !== undefined) one.releaseFailure = outcome.releaseFailures[0];
  return one;
}
