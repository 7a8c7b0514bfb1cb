/** `prune`: remove the expired tokens of a permission tokens file (or, dry, say which). */
import { entriesOf, removeEntries, renderDocument } from '../domain/document';
import { expiredEntries } from '../domain/lifecycle';
import { readFile, updateFile } from '../store/store';
import { loadAdminAware } from './edit';
import type { LifecycleEnv, WriteNotes } from './lifecycle-env';

export interface PruneOptions {
  file: string;
  dryRun: boolean;
  lockTimeoutMs: number;
}

export interface PrunedToken {
  name: string;
  /** Exact i64 milliseconds. */
  expiry: bigint;
}

export interface PruneResult extends WriteNotes {
  file: string;
  dryRun: boolean;
  removed: PrunedToken[];
  kept: number;
}

export async function prune(opts: PruneOptions, env: LifecycleEnv): Promise<PruneResult> {
  const now = env.now();
  const plan = (existing: Parameters<typeof loadAdminAware>[0]) => {
    const doc = loadAdminAware(existing, opts.file, now, 'prune');
    const expired = expiredEntries(entriesOf(doc), now);
    const removed = expired.map((t) => ({ name: t.name, expiry: t.expiry! }));
    return { doc, removed, kept: doc.names.length - removed.length };
  };
  if (opts.dryRun) {
    const { removed, kept } = plan(readFile(opts.file, env.seam));
    return { file: opts.file, dryRun: true, removed, kept, written: false, modeTightened: undefined, releaseFailure: undefined };
  }
  const outcome = await updateFile({
    path: opts.file,
    tokenFile: true,
    lockTimeoutMs: opts.lockTimeoutMs,
    mustExist: true,
    seam: env.seam,
    transform: (existing) => {
      const { doc, removed, kept } = plan(existing);
      const result = { removed, kept };
      if (removed.length === 0) return { write: false, result };
      return { write: true, text: renderDocument(removeEntries(doc, new Set(removed.map((r) => r.name)))), result };
    },
  });
  return {
    file: opts.file,
    dryRun: false,
    ...outcome.result,
    written: outcome.written,
    modeTightened: outcome.modeTightened,
    releaseFailure: outcome.releaseFailure,
  };
}
