/**
 * `export`: token files in, a client-side artefact out (a Secret manifest, env lines, one
 * file per token, a JSON object). The token files are the source of truth and are only
 * read; every key is checked before anything is written, so a clash writes nothing.
 */
import { join } from 'node:path';
import { FileError } from '../errors';
import { clientKinds } from '../domain/client-tokens';
import { type FileKind, KIND_LABEL } from '../domain/token-file';
import { checkFile } from './load';
import { tokenViews } from './read-tokens';
import { renderEnv } from '../output/env';
import { type ExportToken, type Keyed, assignKeys, envKey, safeKey } from '../output/export-names';
import { fileNameProblem, tokenFileContent } from '../output/files';
import { renderJsonExport } from '../output/json-export';
import { renderSecret, secretKeyProblem } from '../output/k8s-secret';
import { envNameProblem } from '../output/env';
import type { FsSeam } from '../store/fs-seam';
import { redactSecrets } from '../output/escape';
import { type Owner, readFile, updateFile } from '../store/store';
import { writeDirectoryAtomic } from '../store/atomic-dir';

export const EXPORT_FORMATS = ['k8s-secret', 'env', 'files', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The keys the official Helm charts' `existingSecret` expects, by file kind. */
export const HELM_KEYS: Record<FileKind, string> = { admin: 'admin-token.json', permission: 'permission-tokens.json' };

export interface ExportRequest {
  readonly files: readonly string[];
  readonly format: ExportFormat;
  /** Only these tokens (in this order); undefined exports every token, or whole files for k8s-secret. */
  readonly tokenNames?: readonly string[] | undefined;
  /** The exact key (env name, file name) of the one token selected; checked by the caller. */
  readonly key?: string | undefined;
  readonly secretName: string;
  readonly namespace?: string | undefined;
  readonly prefix: string;
  /** A file (a directory for `files`); undefined prints to stdout. */
  readonly output?: string | undefined;
  readonly owner?: Owner | undefined;
  readonly lockTimeoutMs: number;
}

export interface ExportResult {
  /** The rendered export, when it goes to stdout. */
  readonly stdout?: string;
  /** The paths written (the files of a `files` export, else the one output file). */
  readonly written: readonly string[];
  /** How many tokens the export holds (every token of the files for a whole-file Secret). */
  readonly tokens: number;
  /** False when every output already held these bytes (nothing was rewritten). */
  readonly changed: boolean;
}

/** A token file an export reads: its kind, its text and the tokens it holds. */
export interface ExportSource {
  readonly path: string;
  readonly kind: FileKind;
  readonly text: string;
  readonly tokens: readonly ExportToken[];
}

/** The loader quotes the offending value, which may be a pasted token string: never in our messages. */
function redacted<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FileError) throw new FileError(e.code, redactSecrets(e.message), { cause: e });
    throw e;
  }
}

/** Read and check a token file as every command does: what the server would not load is not exported. */
function exportSource(path: string, now: number, seam: FsSeam | undefined): ExportSource {
  const existing = readFile(path, seam);
  const loaded = redacted(() => checkFile(existing, path, now, undefined, true));
  const entries = tokenViews(loaded);
  return { path, kind: loaded.kind, text: existing.text, tokens: entries.map((t) => ({ file: path, name: t.name, token: t.token })) };
}

function select(files: readonly ExportSource[], names: readonly string[] | undefined, format: ExportFormat): ExportToken[] {
  const all = files.flatMap((f) => f.tokens);
  if (names === undefined) {
    if (format === 'k8s-secret') return all;
    const kinds = clientKinds(files.map((f) => f.kind));
    return files.flatMap((f) => (kinds.has(f.kind) ? f.tokens : []));
  }
  return names.flatMap((name) => {
    const found = all.filter((t) => t.name === name);
    if (found.length === 0) {
      throw new FileError('ENOTOKEN', `There is no token named ${JSON.stringify(name)} in ${files.map((f) => f.path).join(' or ')}; nothing was written.`);
    }
    return found;
  });
}

function keyed(tokens: readonly ExportToken[], keyOf: (t: ExportToken) => string, problem: (key: string) => string | undefined): Keyed[] {
  const keys = assignKeys(tokens, keyOf);
  if (!keys.ok) throw new FileError('EEXPORTKEY', `Cannot export: ${keys.reason}; nothing was written. Export them separately or rename one.`);
  for (const k of keys.value) {
    const why = problem(k.key);
    if (why)
      throw new FileError(
        'EEXPORTKEY',
        `The token ${JSON.stringify(k.item.name)} (${k.item.file}) cannot be exported as ${JSON.stringify(k.key)}: ${why}; nothing was written.`,
      );
  }
  return keys.value;
}

/** Whole files under the Helm chart keys: one file of each kind at most. */
function wholeFileData(files: readonly ExportSource[]): Array<{ key: string; value: string }> {
  const byKey = new Map<string, ExportSource>();
  for (const f of files) {
    const other = byKey.get(HELM_KEYS[f.kind]);
    if (other) {
      throw new FileError(
        'EEXPORTKEY',
        `${other.path} and ${f.path} are both ${KIND_LABEL[f.kind]}s, and a Secret holds one ${HELM_KEYS[f.kind]}; export them into separate Secrets. Nothing was written.`,
      );
    }
    byKey.set(HELM_KEYS[f.kind], f);
  }
  return files.map((f) => ({ key: HELM_KEYS[f.kind], value: f.text }));
}

export interface Rendered {
  /** The one text of k8s-secret, env and json exports. */
  text?: string;
  /** The files of a `files` export, by file name. */
  files?: Keyed[];
  tokens: number;
}

/** The export's content, written nowhere yet (apply compares it with what an output holds). */
export function render(req: ExportRequest, files: readonly ExportSource[]): Rendered {
  const only = req.key;
  const tokens = select(files, req.tokenNames, req.format);
  switch (req.format) {
    case 'k8s-secret': {
      if (req.tokenNames === undefined) {
        const text = renderSecret({ name: req.secretName, namespace: req.namespace, data: wholeFileData(files) });
        return { text, tokens: files.reduce((n, f) => n + f.tokens.length, 0) };
      }
      const data = keyed(tokens, (t) => only ?? safeKey(t.name), secretKeyProblem).map((k) => ({ key: k.key, value: k.item.token }));
      return { text: renderSecret({ name: req.secretName, namespace: req.namespace, data }), tokens: data.length };
    }
    case 'env': {
      const lines = keyed(tokens, (t) => only ?? envKey(t.name, req.prefix), envNameProblem).map((k) => ({ key: k.key, value: k.item.token }));
      const text = renderEnv(lines);
      if (!text.ok) throw new FileError('EEXPORTKEY', `Cannot export ${text.reason}; nothing was written.`);
      return { text: text.value, tokens: lines.length };
    }
    case 'json': {
      const entries = keyed(
        tokens,
        (t) => only ?? t.name,
        () => undefined,
      ).map((k) => ({ key: k.key, value: k.item.token }));
      return { text: renderJsonExport(entries), tokens: entries.length };
    }
    case 'files': {
      const named = keyed(tokens, (t) => only ?? safeKey(t.name), fileNameProblem);
      return { files: named, tokens: named.length };
    }
  }
}

async function writeOne(path: string, text: string, req: ExportRequest, seam: FsSeam | undefined): Promise<{ target: string; written: boolean }> {
  const outcome = await updateFile({
    tokenFile: false,
    path,
    lockTimeoutMs: req.lockTimeoutMs,
    owner: req.owner,
    seam,
    // An export is derived data: whatever was at the path is replaced, unless it already holds these bytes.
    transform: (existing) => (existing?.text === text ? { write: false, result: undefined } : { write: true, text, result: undefined }),
  });
  return outcome;
}

/** `rendered`: the content made already (by apply, from the files it just wrote); else read from req.files. */
export async function exportTokens(req: ExportRequest, env: { now: () => number; seam?: FsSeam }, rendered?: Rendered): Promise<ExportResult> {
  const out =
    rendered ??
    render(
      req,
      req.files.map((f) => exportSource(f, env.now(), env.seam)),
    );
  if (out.files) {
    const outcome = await writeDirectoryAtomic({
      path: req.output!,
      files: out.files.map((f) => ({ name: f.key, text: tokenFileContent(f.item.token) })),
      lockTimeoutMs: req.lockTimeoutMs,
      owner: req.owner,
      seam: env.seam,
    });
    return { written: out.files.map((f) => join(outcome.dir, f.key)), tokens: out.tokens, changed: outcome.written };
  }
  if (req.output === undefined) return { stdout: out.text!, written: [], tokens: out.tokens, changed: false };
  const one = await writeOne(req.output, out.text!, req, env.seam);
  return { written: [one.target], tokens: out.tokens, changed: one.written };
}
