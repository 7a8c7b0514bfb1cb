/**
 * The one loader of existing token files, shared by every action: the server's reader
 * (one pass: verdict, exact values, offsets), this tool's checks on what it read, and the
 * document to edit. A file that would not load is refused with one sentence naming the
 * first problem; nothing is ever written on top of it.
 *
 * One check (checkFile); the other entries are what an action asks of it, each named for
 * that: the document of a file to edit (editDocument), of a file that must already exist
 * (existingDocument), of a permission tokens file an edit refuses an admin file for
 * (permissionDocument).
 */
import { FileError } from '../errors';
import { type AdminDocument, type PermissionDocument, type TokenDocument, openDocument } from '../domain/document';
import { type ServerRead, readTokenFile } from '../domain/server-reader';
import { type FileKind, KIND_LABEL, detectKind } from '../domain/token-file';
import { checkRead, neitherKind } from '../domain/validate-file';
import { type ExistingFile, missingFile } from '../store/store';

const NOT_JSON = 'not valid JSON: ';
const FILE_NOUN: Record<FileKind, string> = { admin: 'admin token', permission: 'permission tokens' };

/** An existing token file that loads: its kind, what the server's reader read, and the document to edit. */
export interface CheckedFile {
  readonly kind: FileKind;
  readonly read: ServerRead;
  readonly doc: TokenDocument;
}

/**
 * Reads and checks an existing file (of kind `expect`, when given), or refuses it. With
 * `values`, every entry's values are read too (show, get, export); an edit reads only what
 * it needs, and the document reads an entry's values from its text when asked.
 */
export function checkFile(existing: ExistingFile, path: string, now: number, expect?: FileKind, values = false): CheckedFile {
  const { text } = existing;
  // Read as the kind expected, or first as a permission tokens file (the big ones): its
  // members tell the kind, and an admin file is read again as what it is (it is small).
  let read = readTokenFile(text, expect ?? 'permission', { values });
  const found = detectKind(read.members.map((m) => m.key));
  if (expect !== undefined && found !== undefined && found !== expect) {
    throw new FileError('EWRONGKIND', `${path} is ${KIND_LABEL[found]}, not ${KIND_LABEL[expect]}; give the other file. It was left unchanged.`);
  }
  // No key tells the kind of the array form: it is the kind it loads as.
  const kind = expect ?? found ?? (['admin', 'permission'] as const).find((k) => readTokenFile(text, k).errors.length === 0);
  if (expect === undefined && kind === 'admin') read = readTokenFile(text, 'admin', { values });
  const { errors, arrayForm } = checkRead(read, now, { warnings: false });
  const syntax = read.errors.find((e) => e.message.startsWith(NOT_JSON));
  if (syntax)
    throw new FileError(
      'EINVALIDFILE',
      `${path} is not valid JSON (${syntax.message.slice(NOT_JSON.length)}); fix or move it, then run again. It was left unchanged.`,
    );
  if (errors.length > 0 || kind === undefined) {
    const first = kind === undefined ? neitherKind(text, (k) => readTokenFile(text, k)) : errors[0]!;
    const more = kind !== undefined && errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    const noun = kind === undefined ? 'token' : FILE_NOUN[kind];
    throw new FileError('EINVALIDFILE', `${path} is not a valid ${noun} file: at ${first.pointer || '/'} ${first.message}${more}. It was left unchanged.`, {
      file: path,
      pointer: first.pointer,
    });
  }
  if (arrayForm) {
    // serde reads a struct from an array of its fields, so the server loads it; this tool reads and edits objects only.
    throw new FileError(
      'EINVALIDFILE',
      `${path} writes a token as a JSON array of its fields, which the server reads but this tool does not edit; rewrite it as an object ({"token": …, "name": …}), then run again. It was left unchanged.`,
    );
  }
  return { kind, read, doc: openDocument(text, read) };
}

/** The document of an existing file an edit changes (of kind `expect`, when given); only what the edit needs is read. */
export function editDocument(existing: ExistingFile, path: string, now: number, expect: 'admin'): AdminDocument;
export function editDocument(existing: ExistingFile, path: string, now: number, expect: 'permission'): PermissionDocument;
export function editDocument(existing: ExistingFile, path: string, now: number, expect?: FileKind): TokenDocument;
export function editDocument(existing: ExistingFile, path: string, now: number, expect?: FileKind): TokenDocument {
  return checkFile(existing, path, now, expect).doc;
}

/**
 * editDocument of either kind for the commands that never create a file. The store refuses
 * a missing file before it locks; this sees one only when it was removed in between.
 */
export function existingDocument(existing: ExistingFile | undefined, path: string, now: number): TokenDocument {
  if (!existing) throw missingFile(path);
  return editDocument(existing, path, now);
}

/** existingDocument of a permission tokens file; an admin file is refused with why `verb` cannot apply to it. */
export function permissionDocument(existing: ExistingFile | undefined, path: string, now: number, verb: 'delete' | 'prune'): PermissionDocument {
  const doc = existingDocument(existing, path, now);
  if (doc.kind === 'admin') {
    const why =
      verb === 'delete'
        ? 'the admin token cannot be deleted (the server refuses to delete _admin); rotate it instead, or remove the file itself'
        : 'prune removes tokens from permission tokens files; an admin token is replaced by rotating it in place';
    throw new FileError('EWRONGKIND', `${path} is an admin token file: ${why}. It was left unchanged.`);
  }
  return doc;
}
