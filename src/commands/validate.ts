/** `validate FILE...`: one check per file, a verdict per file, exit 1 when any would not load. */
import { type ValidateResult, unreadable, validateTokenFile } from '../actions/validate-file';
import { isUtf8 } from 'node:buffer';
import { MAX_FILE_BYTES } from '../store/store';
import { FileError, UsageError, isToolError } from '../errors';
import { type FileKind, KIND_LABEL } from '../domain/token-file';
import type { Problem } from '../domain/validate-file';
import type { RunEnv } from '../main';
import { given, text, words } from './args';
import { emitAs } from './output';
import { escapeText, redactSecrets, shCommand } from '../output/escape';
import { BIN } from './argv';
import type { CommandBody, ParsedArgs } from './types';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
/** The file name that stands for standard input. */
const STDIN = '-';

/** `validate -`: standard input as the text to check, refused at the first NUL byte (no JSON text holds one). */
function stdinContent(env: Pick<RunEnv, 'stdin'>): { text: string; mode: undefined } {
  const bytes = env.stdin(MAX_FILE_BYTES, 'the file on standard input', (chunk, offset) => {
    const nul = chunk.indexOf(0);
    return nul === -1
      ? undefined
      : new FileError('EINVALIDFILE', `standard input holds a NUL byte at offset ${offset + nul}, which no JSON text holds, so it is not a tokens file.`);
  });
  if (!isUtf8(bytes)) throw new FileError('EINVALIDFILE', 'standard input is not valid UTF-8 text, so it is not a tokens file.');
  // A pipe's mode says nothing about the file the server will read.
  return { text: bytes.toString('utf8'), mode: undefined };
}

const shown = (file: string): string => (file === STDIN ? '<stdin>' : escapeText(file));
const SERVE_FLAG: Record<FileKind, string> = { admin: '--admin-token-file', permission: '--permission-tokens-file' };

function filesOf(args: ParsedArgs): readonly string[] {
  const files = words(args, 'files');
  if (files.length === 0)
    throw new UsageError('validate needs the FILE to check, as in: influxdb3-offline-tokens validate tokens.json (or - for standard input).');
  // A pasted token taken for a file name would be echoed back on stdout, where nothing is redacted.
  if (files.some((f) => /^apiv3_[A-Za-z0-9_-]+$/.test(f)))
    throw new UsageError('validate was given a token string where a FILE is expected; give the path of the file that holds it.');
  if (files.filter((f) => f === STDIN).length > 1) throw new UsageError('validate was given - (standard input) more than once; give it once.');
  return files;
}

interface Verdict {
  result: ValidateResult;
  valid: boolean;
}

function jsonLine({ result: r, valid }: Verdict): string {
  // Problems quote the offending value, which may be a pasted token: the report never does.
  const safe = (ps: readonly Problem[]): Problem[] => ps.map((p) => ({ ...p, message: redactSecrets(p.message) }));
  return `${JSON.stringify({ file: r.file, kind: r.kind ?? null, loads_as: r.loadsAs, valid, tokens: r.tokenCount ?? null, errors: safe(r.errors), warnings: safe(r.warnings) })}\n`;
}

function okLine(r: ValidateResult): string {
  const label = (kind: FileKind): string => {
    const count = kind === 'permission' && r.tokenCount !== undefined ? ` with ${plural(r.tokenCount, 'token')}` : '';
    return `${KIND_LABEL[kind]}${count}`;
  };
  const warned = r.warnings.length > 0 ? `, ${plural(r.warnings.length, 'warning')}` : '';
  if (r.loadsAs.length > 1) {
    const either = r.loadsAs.map((k) => `${label(k)} (${SERVE_FLAG[k]})`).join(' or as ');
    return `${shown(r.file)}: OK, loads as ${either}; pass --kind to check it as the one you use${warned}\n`;
  }
  return `${shown(r.file)}: OK, ${label(r.kind!)} that the server would load${warned}\n`;
}

/** The command that checks an apply spec given to validate. */
const applyDryRun = (file: string): string => `\`${shCommand([BIN, 'apply', '--dry-run', '-f', file])}\``;

function problemLines({ result: r }: Verdict): string {
  const at = (pointer: string): string => (pointer === '' ? '' : ` at ${pointer}`);
  if (r.applySpec) return `${shown(r.file)}: error: it is an apply spec, not a token file; check it with ${applyDryRun(r.file)}\n`;
  return [
    ...r.errors.map((p) => `${shown(r.file)}: error${at(p.pointer)}: ${p.message}\n`),
    ...r.warnings.map((p) => `${shown(r.file)}: warning${at(p.pointer)}: ${p.message}\n`),
  ].join('');
}

function failure(verdicts: readonly Verdict[]): FileError {
  const bad = verdicts.filter((v) => !v.valid);
  if (verdicts.length > 1) {
    return new FileError('EINVALIDFILE', `${bad.length} of ${verdicts.length} files would not pass: ${bad.map((v) => shown(v.result.file)).join(', ')}.`);
  }
  const r = bad[0]!.result;
  if (r.applySpec) return new FileError('EINVALIDFILE', `${shown(r.file)} is an apply spec, not a token file: check it with ${applyDryRun(r.file)}.`);
  const n = r.errors.length;
  return new FileError(
    'EINVALIDFILE',
    n > 0
      ? `${shown(r.file)} would not be loaded by the server: ${plural(n, 'problem')}${r.errors[0]!.pointer ? `, the first at ${r.errors[0]!.pointer}` : ''}.`
      : `${shown(r.file)} has ${plural(r.warnings.length, 'warning')} and --strict was given.`,
  );
}

async function run(args: ParsedArgs, env: RunEnv): Promise<void> {
  const files = filesOf(args);
  const kind = text(args, 'kind') as FileKind | undefined;
  const strict = given(args, 'strict');
  const json = text(args, 'format') === 'json';
  const verdicts = files.map((file): Verdict => {
    let result: ValidateResult;
    try {
      result = validateTokenFile({ file, kind, ...(file === STDIN && { content: stdinContent(env) }) }, env);
    } catch (e) {
      // One file that cannot be read is the whole answer; among several, it is that file's verdict.
      if (files.length === 1 || !isToolError(e)) throw e;
      result = unreadable(file, e.message);
    }
    return { result, valid: result.errors.length === 0 && !(strict && result.warnings.length > 0) };
  });
  let out = '';
  for (const v of verdicts) {
    if (json) out += jsonLine(v);
    else {
      // A spec given alone gets one line, the final error's.
      if (!(files.length === 1 && v.result.applySpec)) env.io.stderr(problemLines(v));
      if (v.valid) out += okLine(v.result);
    }
  }
  if (out !== '') await emitAs(env, !json, out, `the report on ${files.length === 1 ? shown(files[0]!) : `${files.length} files`} is ready`);
  if (verdicts.some((v) => !v.valid)) throw failure(verdicts);
}

const command: CommandBody = {
  describe: 'Tell whether `influxdb3 serve` would load token files, and report every problem',
  positionals: [{ name: 'files', describe: 'Admin token files or permission tokens files; - reads standard input', variadic: true }],
  flags: {
    kind: {
      type: 'string',
      choices: ['admin', 'permission'],
      describe: 'Check as the file given to --admin-token-file (admin) or --permission-tokens-file (permission)',
    },
    strict: { type: 'boolean', describe: 'Fail (exit 1) on warnings too' },
    format: {
      type: 'string',
      choices: ['text', 'json'],
      defaultDescription: 'text',
      describe: 'Report as text (stderr, OK lines on stdout) or JSON (one object per file and line, on stdout)',
    },
  },
  examples: [
    ['validate tokens.json', 'would the server load it?'],
    ['validate --kind admin admin.json', 'as the file given to --admin-token-file'],
    ['validate - < tokens.json', 'from standard input'],
  ],
  run,
};
export default command;
