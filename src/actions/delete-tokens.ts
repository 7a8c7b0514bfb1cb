/** `delete token`: remove entries by name from a permission tokens file, under the lock. */
import { findEntry, removeEntries, renderDocument } from '../domain/document';
import { editTokenFile } from './edit';
import type { ActionEnv, WriteNotes } from './env';
import { permissionDocument } from './load';
import { noSuchToken } from './read-tokens';

export interface DeleteOptions {
  file: string;
  names: readonly string[];
  /** Names not in the file are not an error. */
  ifExists: boolean;
  lockTimeoutMs: number;
}

export interface DeleteResult extends WriteNotes {
  file: string;
  deleted: string[];
  /** Asked for but not in the file (only with ifExists). */
  missing: string[];
}

export async function deleteTokens(opts: DeleteOptions, env: ActionEnv): Promise<DeleteResult> {
  const now = env.now();
  const done = await editTokenFile(opts.file, opts.lockTimeoutMs, env, (existing) => {
    const doc = permissionDocument(existing, opts.file, now, 'delete');
    const names = [...new Set(opts.names)];
    const missing = names.filter((n) => findEntry(doc, n) === -1);
    if (missing.length > 0 && !opts.ifExists) throw noSuchToken(opts.file, missing, doc.names);
    const deleted = names.filter((n) => !missing.includes(n));
    const result = { deleted, missing };
    if (deleted.length === 0) return { write: false, result };
    return { write: true, text: renderDocument(removeEntries(doc, new Set(deleted))), result };
  });
  return { file: opts.file, ...done };
}
