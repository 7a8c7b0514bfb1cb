/** `validate FILE...`: would the server load it? Reads without locking: writers rename whole files. */
import { type ServerRead, readTokenFile } from '../domain/server-reader';
import { type FileKind, KIND_LABEL } from '../domain/token-file';
import { type Report, checkRead, neitherKind, suggestedKind } from '../domain/validate-file';
import { keysAt } from '../domain/schema';
import { type FsSeam, nodeFs } from '../store/fs-seam';
import { readFile } from '../store/store';
import { octalMode } from '../output/mode';

export interface ValidateOptions {
  /** The file to read; with `content`, only its label. */
  file: string;
  /**
   * The text to check instead of reading `file` (the CLI's `validate -` reads standard input
   * itself); `mode` undefined when there is no file whose mode the server would see.
   */
  content?: { text: string; mode: number | undefined };
  /** Check it as the file given to --admin-token-file or --permission-tokens-file. */
  kind?: FileKind;
}

export interface ValidateResult extends Report {
  file: string;
  tokenCount: number | undefined;
  /** Every kind the file loads as: [] when it does not load, two when it loads as either. */
  loadsAs: FileKind[];
  /** The file does not load, and is an apply spec (its top-level keys are the spec's). */
  applySpec?: boolean;
}

/** The top-level keys of an apply spec, from its schema (`$schema` is anyone's). */
const SPEC_KEYS = keysAt('tokenSpec', '').filter((k) => k !== '$schema');
const YAML_SPEC_KEY = new RegExp(`^(?:${SPEC_KEYS.join('|')})[ \\t]*:`, 'm');

/** A spec, not a token file: YAML with a spec key at the top, or JSON with one and no token field. */
function isApplySpec(text: string, topKeys: readonly string[] | undefined): boolean {
  if (topKeys === undefined) return YAML_SPEC_KEY.test(text);
  return topKeys.some((k) => SPEC_KEYS.includes(k)) && !topKeys.some((k) => k === 'token' || k === 'tokens');
}

/** The verdict on a spec given to validate: one problem, worded by the caller. */
const specVerdict = (file: string): ValidateResult => ({
  ...unreadable(file, 'it is an apply spec, not a token file'),
  applySpec: true,
});

const OTHER: Record<FileKind, FileKind> = { admin: 'permission', permission: 'admin' };

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
  const { text, mode } = opts.content ?? readFile(opts.file, env.seam ?? nodeFs);
  const now = env.now();
  const reads: Partial<Record<FileKind, ServerRead>> = {};
  const readAs = (kind: FileKind): ServerRead => (reads[kind] ??= readTokenFile(text, kind, { values: true }));
  // Syntax is the same whatever the kind: a file that is not JSON gets that one problem.
  const syntax = readAs('permission').errors.find((e) => e.message.startsWith('not valid JSON'));
  if (syntax) return isApplySpec(text, undefined) ? specVerdict(opts.file) : unreadable(opts.file, syntax.message);
  const check = (kind: FileKind): Report => checkRead(readAs(kind), now, { warnings: true });
  let report: Report;
  let loadsAs: FileKind[];
  if (opts.kind !== undefined) {
    report = check(opts.kind);
    loadsAs = report.errors.length === 0 ? [opts.kind] : [];
    const other = OTHER[opts.kind];
    if (loadsAs.length === 0 && suggestedKind(readAs(opts.kind)) === other && check(other).errors.length === 0) {
      report.errors.unshift({ pointer: '', message: `it is ${KIND_LABEL[other]}, not ${KIND_LABEL[opts.kind]}` });
    }
  } else {
    // The server ignores unknown fields, so the kind the fields suggest is not the only one
    // that may load: {"token", "name", "create_databases"} is an admin token file.
    const suggested = suggestedKind(readAs('permission'));
    loadsAs = (['permission', 'admin'] as const).filter((k) => check(k).errors.length === 0);
    if (suggested !== undefined && loadsAs.includes(OTHER[suggested]) && !loadsAs.includes(suggested)) report = check(OTHER[suggested]);
    else if (suggested !== undefined) report = check(suggested);
    else if (loadsAs.length > 0) report = check(loadsAs[0]!);
    else report = { kind: undefined, errors: [neitherKind(text, readAs)], warnings: [] };
    if (suggested !== undefined && loadsAs.length === 2) loadsAs = [suggested, OTHER[suggested]];
  }
  if (mode !== undefined && (mode & 0o077) !== 0) {
    report.warnings.unshift({
      pointer: '',
      message: `the file mode ${octalMode(mode)} lets group or others read it (the server warns too); run chmod 600 on it`,
    });
  }
  if (
    loadsAs.length === 0 &&
    isApplySpec(
      text,
      readAs('permission').members.map((m) => m.key),
    )
  )
    return specVerdict(opts.file);
  const read = report.kind === undefined ? undefined : readAs(report.kind);
  const tokenCount = report.kind === 'admin' ? 1 : read && read.members.some((m) => m.key === 'tokens') ? read.entries.length : undefined;
  return { file: opts.file, ...report, tokenCount, loadsAs };
}
