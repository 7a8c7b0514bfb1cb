/** `validate FILE`: would the server load it? Reads without locking: writers rename whole files. */
import { parseJsonText } from '../domain/json-text';
import { type Problem, type Report, checkDocument } from '../domain/validate-file';
import type { FsSeam } from '../store/fs-seam';
import { readFile } from '../store/store';

export interface ValidateOptions {
  file: string;
}

export interface ValidateResult extends Report {
  file: string;
  tokenCount: number | undefined;
}

export function validateTokenFile(opts: ValidateOptions, env: { now: () => number; seam?: FsSeam }): ValidateResult {
  const { text, mode } = readFile(opts.file, env.seam);
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const error: Problem = { pointer: '', message: `not valid JSON: ${parsed.reason} at line ${parsed.line}, column ${parsed.column}` };
    return { file: opts.file, kind: undefined, errors: [error], warnings: [], tokenCount: undefined };
  }
  const report = checkDocument(parsed.value, env.now(), { warnings: true, text });
  if ((mode & 0o077) !== 0) {
    report.warnings.unshift({
      pointer: '',
      message: `the file mode ${mode.toString(8).padStart(4, '0')} lets group or others read it (the server warns too); run chmod 600 on it`,
    });
  }
  const tokens = report.kind === 'permission' ? (parsed.value as { tokens?: unknown }).tokens : undefined;
  const tokenCount = report.kind === 'admin' ? 1 : Array.isArray(tokens) ? tokens.length : undefined;
  return { file: opts.file, ...report, tokenCount };
}
