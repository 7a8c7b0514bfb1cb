/**
 * The one loader of existing token files, shared by every action: parse, tell the kind,
 * check it as the server's reader would (checkDocument), and open it as a document to
 * edit. A file that would not load is refused with one sentence naming the first problem;
 * nothing is ever written on top of it.
 */
import { FileError } from '../errors';
import { type CanonicalPermissionFile, scanCanonicalPermissionFile } from '../domain/canonical-file';
import { type AdminDocument, type PermissionDocument, type TokenDocument, openCanonical, openDocument } from '../domain/document';
import { parseJsonText } from '../domain/json-text';
import { type AdminTokenFile, type FileKind, KIND_LABEL, type PermissionTokensFile, detectKind } from '../domain/token-file';
import { checkDocument } from '../domain/validate-file';
import type { FsSeam } from '../store/fs-seam';
import { type ExistingFile, readFile } from '../store/store';

const FILE_NOUN: Record<FileKind, string> = { admin: 'admin token', permission: 'permission tokens' };

/** A validated file's parsed view, for commands that only look (no text layout needed). */
export type LoadedFile = { kind: 'admin'; value: AdminTokenFile } | { kind: 'permission'; value: PermissionTokensFile };

/** Parses and fully validates an existing file (of kind `expect`, when given), or refuses it, and opens it for edits. */
export function loadDocument(existing: ExistingFile, path: string, now: number, expect: 'admin'): AdminDocument;
export function loadDocument(existing: ExistingFile, path: string, now: number, expect: 'permission'): PermissionDocument;
export function loadDocument(existing: ExistingFile, path: string, now: number, expect?: FileKind): TokenDocument;
export function loadDocument(existing: ExistingFile, path: string, now: number, expect?: FileKind): TokenDocument {
  const canonical = expect === 'admin' ? undefined : canonicalFile(existing.text, now);
  if (canonical) return openCanonical(existing.text, canonical);
  const { kind, value } = checkFully(existing, path, now, expect);
  return openDocument(existing.text, value, kind);
}

/**
 * The file, when it is a canonical permission tokens file (canonical-file.ts) that loads:
 * the checks the grammar leaves open run on one entry per distinct list of permissions and
 * on create_databases, through the same checkDocument as every other file. Undefined sends
 * the file down the full path, which finds the same verdict and words its reasons.
 */
export function canonicalFile(text: string, now: number): CanonicalPermissionFile | undefined {
  const scan = scanCanonicalPermissionFile(text);
  if (!scan) return undefined;
  const tokens = scan.representatives.map((r) => JSON.parse(text.slice(r.start, r.end)) as unknown);
  const sample = scan.databases === undefined ? { tokens } : { create_databases: scan.databases, tokens };
  return checkDocument(sample, now, { warnings: false, kind: 'permission' }).errors.length === 0 ? scan : undefined;
}

/** Parses and fully validates an existing file (of kind `expect`, when given), or refuses it. */
export function checkFile(existing: ExistingFile, path: string, now: number, expect?: FileKind): LoadedFile {
  if (expect !== 'admin' && canonicalFile(existing.text, now)) return { kind: 'permission', value: JSON.parse(existing.text) as PermissionTokensFile };
  return checkFully(existing, path, now, expect);
}

/** checkFile without the canonical fast path: every file, every reason. */
export function checkFully(existing: ExistingFile, path: string, now: number, expect?: FileKind): LoadedFile {
  const parsed = parseJsonText(existing.text);
  if (!parsed.ok) {
    throw new FileError('EINVALIDFILE', `${path} is not valid JSON (${parsed.reason} at line ${parsed.line}, column ${parsed.column}); fix or move it, then run again. It was left unchanged.`);
  }
  const found = detectKind(parsed.value);
  if (expect !== undefined && found !== undefined && found !== expect) {
    throw new FileError('EWRONGKIND', `${path} is ${KIND_LABEL[found]}, not ${KIND_LABEL[expect]}; give the other file. It was left unchanged.`);
  }
  const { errors, kind, arrayForm } = checkDocument(parsed.value, now, { warnings: false, text: existing.text, kind: expect });
  const asKind = expect ?? kind ?? found;
  if (errors.length > 0 || asKind === undefined) {
    const first = errors[0] ?? { pointer: '', message: 'is neither an admin token file nor a permission tokens file' };
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    const noun = asKind === undefined ? 'token' : FILE_NOUN[asKind];
    throw new FileError(
      'EINVALIDFILE',
      `${path} is not a valid ${noun} file: at ${first.pointer || '/'} ${first.message}${more}. Run \`influxdb3-offline-tokens validate ${path}\` for every problem. It was left unchanged.`,
    );
  }
  if (arrayForm) {
    // serde reads a struct from an array of its fields, so the server loads it; this tool reads and edits objects only.
    throw new FileError('EINVALIDFILE', `${path} writes a token as a JSON array of its fields, which the server reads but this tool does not edit; rewrite it as an object ({"token": …, "name": …}), then run again. It was left unchanged.`);
  }
  return { kind: asKind, value: parsed.value } as LoadedFile;
}

/** Reads (without the lock: writers rename whole files) and checks a file, for commands that only look. */
export function readChecked(path: string, now: number, seam?: FsSeam): LoadedFile {
  return checkFile(readFile(path, seam), path, now);
}
