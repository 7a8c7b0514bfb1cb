/** `prune`: remove the expired tokens of a permission tokens file (or, dry, say which). */
import { entriesOf, removeEntries, renderDocument } from '../domain/document';
import { expiredEntries } from '../domain/lifecycle';
import { type ExistingFile, readFile } from '../store/store';
import { editTokenFile } from './edit';
import type { ActionEnv, WriteNotes } from './env';
import { permissionDocument } from './load';

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

export async function prune(opts: PruneOptions, env: ActionEnv): Promise<PruneResult> {
  const now = env.now();
  const expiredOf = (existing: ExistingFile | undefined) => {
    const doc = permissionDocument(existing, opts.file, now, 'prune');
    const expired = expiredEntries(entriesOf(doc), now);
    const removed = expired.map((t) => ({ name: t.name, expiry: t.expiry! }));
    return { doc, removed, kept: doc.names.length - removed.length };
  };
  if (opts.dryRun) {
    const { removed, kept } = expiredOf(readFile(opts.file, env.seam));
    return { file: opts.file, dryRun: true, removed, kept, written: false, modeTightened: undefined, releaseFailure: undefined };
  }
  const done = await editTokenFile(opts.file, opts.lockTimeoutMs, env, (existing) => {
    const { doc, removed, kept } = expiredOf(existing);
    const result = { removed, kept };
    if (removed.length === 0) return { write: false, result };
    return { write: true, text: renderDocument(removeEntries(doc, new Set(removed.map((r) => r.name)))), result };
  });
  return { file: opts.file, dryRun: false, ...done };
}
