/** What the editing actions share beyond the loader: refusing a missing file or the wrong kind in their own words. */
import { FileError } from '../errors';
import type { PermissionDocument, TokenDocument } from '../domain/document';
import type { ExistingFile } from '../store/store';
import { loadDocument } from './load';

/** Loads an existing file of either kind; a missing one is an error (these commands never create files). */
export function loadAny(existing: ExistingFile | undefined, path: string, now: number): TokenDocument {
  if (!existing) throw new FileError('ENOTFILE', `${path} does not exist; check the path.`);
  return loadDocument(existing, path, now);
}

/** A permission tokens file; an admin file is refused with why `verb` cannot apply to it. */
export function loadAdminAware(existing: ExistingFile | undefined, path: string, now: number, verb: 'delete' | 'prune'): PermissionDocument {
  const doc = loadAny(existing, path, now);
  if (doc.kind === 'admin') {
    const why =
      verb === 'delete'
        ? 'the admin token cannot be deleted (the server refuses to delete _admin); rotate it instead, or remove the file itself'
        : 'prune removes tokens from permission tokens files; an admin token is replaced by rotating it in place';
    throw new FileError('EWRONGKIND', `${path} is an admin token file: ${why}. It was left unchanged.`);
  }
  return doc;
}
