/** `validate FILE...`: would the server load it? Reads without locking: writers rename whole files. */
import { isUtf8 } from 'node:buffer';
import { FileError } from '../errors';
import { parseJsonText } from '../domain/json-text';
import { type FileKind, KIND_LABEL } from '../domain/token-file';
import { type Problem, type Report, checkDocument } from '../domain/validate-file';
import { type FsSeam, nodeFs } from '../store/fs-seam';
import { MAX_FILE_BYTES, readFile } from '../store/store';
import { readStdin } from '../store/stdin';

/** The file name that stands for standard input. */
export const STDIN = '-';

export interface ValidateOptions {
  file: string;
  /** Check it as the file given to --admin-token-file or --permission-tokens-file. */
  kind?: FileKind;
}

export interface ValidateResult extends Report {
  file: string;
  tokenCount: number | undefined;
  /** Every kind the file loads as: [] when it does not load, two when it loads as either. */
  loadsAs: FileKind[];
}

const OTHER: Record<FileKind, FileKind> = { admin: 'permission', permission: 'admin' };

function readSource(file: string, seam: FsSeam): { text: string; mode: number | undefined } {
  if (file !== STDIN) return readFile(file, seam);
  const bytes = readStdin(MAX_FILE_BYTES, 'the file on standard input', (chunk, offset) => {
    const nul = chunk.indexOf(0);
    return nul === -1 ? undefined : new FileError('EINVALIDFILE', `standard input holds a NUL byte at offset ${offset + nul}, which no JSON text holds, so it is not a tokens file.`);
  });
  if (!isUtf8(bytes)) throw new FileError('EINVALIDFILE', 'standard input is not valid UTF-8 text, so it is not a tokens file.');
  // A pipe's mode says nothing about the file the server will read.
  return { text: bytes.toString('utf8'), mode: undefined };
}

/** The verdict on a file that cannot be read or parsed: one problem at the root. */
export const unreadable = (file: string, message: string): ValidateResult => ({
  file,
  kind: undefined,
  errors: [{ pointer: '', message }],
  warnings: [],
  tokenCount: undefined,
  loadsAs: [],
});

/** Throws the store's error when the file cannot be read at all; anything read gets a verdict. */
export function validateTokenFile(opts: ValidateOptions, env: { now: () => number; seam?: FsSeam }): ValidateResult {
  const { text, mode } = readSource(opts.file, env.seam ?? nodeFs);
  const parsed = parseJsonText(text);
  if (!parsed.ok) return unreadable(opts.file, `not valid JSON: ${parsed.reason} at line ${parsed.line}, column ${parsed.column}`);

  const now = env.now();
  const check = (kind?: FileKind): Report => checkDocument(parsed.value, now, { warnings: true, text, kind });
  let report = check(opts.kind);
  let loadsAs: FileKind[] = report.errors.length === 0 && report.kind ? [report.kind] : [];
  if (opts.kind === undefined && report.kind !== undefined) {
    // The server ignores unknown fields, so the kind the fields suggest is not the only one
    // that may load: {"token", "name", "create_databases"} is an admin token file.
    const other = check(OTHER[report.kind]);
    if (other.errors.length === 0) {
      if (loadsAs.length === 0) report = other;
      loadsAs = [...loadsAs, other.kind!];
    }
  } else if (opts.kind !== undefined && report.errors.length > 0) {
    const suggested = check();
    if (suggested.kind !== undefined && suggested.kind !== opts.kind && suggested.errors.length === 0) {
      report.errors.unshift({ pointer: '', message: `it is ${KIND_LABEL[suggested.kind]}, not ${KIND_LABEL[opts.kind]}` });
    }
  }
  if (mode !== undefined && (mode & 0o077) !== 0) {
    report.warnings.unshift({
      pointer: '',
      message: `the file mode ${mode.toString(8).padStart(4, '0')} lets group or others read it (the server warns too); run chmod 600 on it`,
    });
  }
  const tokens = report.kind === 'permission' ? (parsed.value as { tokens?: unknown }).tokens : undefined;
  const tokenCount = report.kind === 'admin' ? 1 : Array.isArray(tokens) ? tokens.length : undefined;
  return { file: opts.file, ...report, tokenCount, loadsAs };
}

export type { Problem };
