/**
 * `apply`: make the token files match a desired state in one transaction (SPEC 11). The
 * plan is pure (domain/spec.ts); this runs it: both files locked and read together, the
 * plan made from what they hold, the edits made on their documents, every file written
 * or none. Outputs run after, from the files as written.
 */
import { FileError, InvalidInputError } from '../errors';
import {
  type AdminDocument,
  type PermissionDocument,
  type TokenDocument,
  addDatabases,
  adminOf,
  entriesOf,
  appendEntries,
  emptyDocument,
  removeEntries,
  renderDocument,
  setAdminToken,
} from '../domain/document';
import {
  type AdminPlan,
  type DesiredState,
  MINTING,
  type PermissionsPlan,
  type Problem,
  type TokenStep,
  expiredCurrent,
  outputNames,
  planAdmin,
  planPermissions,
} from '../domain/spec';
import { type RandomBytes, mintToken } from '../domain/token';
import { newAdminFile, newTokenEntry } from '../domain/token-file';
import type { FsSeam } from '../store/fs-seam';
import type { ExistingFile, Text } from '../store/store';
import { joinText } from '../store/text';
import { type Owner } from '../store/target';
import { updateFiles } from '../store/transaction';
import { type ExportRequest, type ExportSource, exportTokens, render } from './export';
import { type ExportField, exportRequestOf } from './export-request';
import { editDocument } from './load';
import { outputHolds } from './output-state';

export interface ApplyRequest {
  readonly desired: DesiredState;
  readonly dryRun: boolean;
  readonly prune: boolean;
  readonly replaceDrifted: boolean;
  /** Refuse (ESTALE, nothing written) when a current generation that would be handed out has expired. */
  readonly failIfStale?: boolean;
  readonly lockTimeoutMs: number;
  readonly owner?: Owner | undefined;
}

export interface ApplyResult {
  readonly admin?: AdminPlan;
  readonly permissions?: PermissionsPlan;
  /** Whether any file was (or, with --dry-run, would be) written. */
  readonly changes: boolean;
  readonly written: boolean;
  /** Token files whose looser mode was written back as 0600 (the path as the spec gives it). */
  readonly modeTightened: ReadonlyArray<{ file: string; from: number; to: number }>;
  /** The token files as they are after the run (as they would be, with --dry-run), as outputs see them. */
  readonly sources: readonly ExportSource[];
}

/** Plan problems are the spec's: placed by pointer (the first in `pointer`, all in `problems`), worded above. */
export class SpecProblems extends InvalidInputError {
  constructor(readonly problems: readonly Problem[]) {
    super(
      'the spec',
      ` has ${problems.length} problem${problems.length === 1 ? '' : 's'}, the first at ${problems[0]?.pointer || '/'}: ${problems[0]?.message}`,
      {
        pointer: problems[0]?.pointer,
      },
    );
  }
}

export interface StaleToken {
  readonly file: string;
  readonly name: string;
  /** The spec's name (the same as `name` for a first generation and for the admin token). */
  readonly of: string;
}

/** Expired current generations that a --fail-if-stale run refused to hand out; the command words it. */
export class StaleTokens extends FileError {
  constructor(readonly stale: readonly StaleToken[]) {
    super(
      'ESTALE',
      `${stale.length} token${stale.length === 1 ? ' has' : 's have'} expired (the first: ${JSON.stringify(stale[0]?.name)} in ${stale[0]?.file}); nothing was written.`,
    );
  }
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; problems: Problem[] }): T {
  if (!r.ok) throw new SpecProblems(r.problems);
  return r.value;
}

type Minting = Extract<TokenStep, { action: 'create' | 'replace' | 'renew' }>;
const isMinting = (s: TokenStep): s is Minting => MINTING.has(s.action);

function editPermissions(doc: PermissionDocument, plan: PermissionsPlan, randomBytes: RandomBytes): PermissionDocument {
  // A replaced entry goes out with the removed ones and comes back, new, at the end.
  const gone = new Set(plan.steps.filter((s) => s.action === 'remove' || s.action === 'replace').map((s) => s.name));
  let next = removeEntries(doc, gone);
  next = appendEntries(
    next,
    plan.steps.filter(isMinting).map((s) => newTokenEntry(mintToken(randomBytes), s.name, s.expiryMillis ?? null, s.permissions)),
  );
  return addDatabases(next, plan.databasesAdded).doc;
}

/** The file as outputs see it: the admin token under its name; in the permission file, current generations under the spec's names. */
function source(path: string, doc: TokenDocument, text: Text, plan: PermissionsPlan | undefined): ExportSource {
  const joined = joinText(text);
  if (doc.kind === 'admin') {
    const a = adminOf(doc);
    return { path, kind: 'admin', text: joined, tokens: [{ file: path, name: a.name, token: a.token }] };
  }
  const names = plan ? outputNames(plan) : new Map<string, string | undefined>();
  const tokens = entriesOf(doc).flatMap((t) => {
    const name = names.has(t.name) ? names.get(t.name) : t.name;
    return name === undefined ? [] : [{ file: path, name, token: t.token }];
  });
  return { path, kind: 'permission', text: joined, tokens };
}

export async function applySpec(req: ApplyRequest, env: { now: () => number; randomBytes: RandomBytes; seam?: FsSeam }): Promise<ApplyResult> {
  const { admin, permissions } = req.desired;
  const paths = [admin?.file, permissions?.file].filter((p): p is string => p !== undefined);
  const now = env.now();
  const opts = { prune: req.prune, replaceDrifted: req.replaceDrifted, now };
  const outcome = await updateFiles({
    paths,
    lockTimeoutMs: req.lockTimeoutMs,
    tokenFiles: true,
    owner: req.owner,
    readOnly: req.dryRun,
    seam: env.seam,
    transform(existing) {
      const texts: Array<Text | undefined> = [];
      const sources: ExportSource[] = [];
      const stale: StaleToken[] = [];
      let adminPlan: AdminPlan | undefined;
      let permissionsPlan: PermissionsPlan | undefined;
      let k = 0;
      // A dry run makes the same edits (fresh strings included) and writes none of them:
      // the outputs are judged on what the files would hold.
      const keep = (file: ExistingFile | undefined, changes: boolean, doc: TokenDocument, path: string, plan?: PermissionsPlan): void => {
        const text = changes ? renderDocument(doc) : file!.text;
        texts.push(changes && !req.dryRun ? text : undefined);
        sources.push(source(path, doc, text, plan));
      };
      if (admin) {
        const file = existing[k++];
        const doc = file ? (editDocument(file, admin.file, now, 'admin') as AdminDocument) : undefined;
        adminPlan = unwrap(planAdmin(admin, doc && adminOf(doc), opts));
        const step = adminPlan.step;
        stale.push(...expiredCurrent([step]).map((s) => ({ file: admin.file, ...s })));
        const next = isMinting(step)
          ? setAdminToken(doc ?? emptyDocument('admin'), newAdminFile(mintToken(env.randomBytes), step.name, step.expiryMillis ?? null))
          : doc!;
        keep(file, adminPlan.changes, next, admin.file);
      }
      if (permissions) {
        const file = existing[k++];
        const doc = file ? (editDocument(file, permissions.file, now, 'permission') as PermissionDocument) : undefined;
        permissionsPlan = unwrap(planPermissions(permissions, doc && { create_databases: doc.databases ?? null, tokens: entriesOf(doc) }, opts));
        stale.push(...expiredCurrent(permissionsPlan.steps).map((s) => ({ file: permissions.file, ...s })));
        const next = permissionsPlan.changes ? editPermissions(doc ?? emptyDocument('permission'), permissionsPlan, env.randomBytes) : doc!;
        keep(file, permissionsPlan.changes, next, permissions.file, permissionsPlan);
      }
      if (req.failIfStale && stale.length > 0) throw new StaleTokens(stale);
      return { texts, result: { adminPlan, permissionsPlan, sources } };
    },
  });
  const { adminPlan, permissionsPlan, sources } = outcome.result;
  const changes = (adminPlan?.changes ?? false) || (permissionsPlan?.changes ?? false);
  const modeTightened = outcome.modeTightened.flatMap((m, i) => (m ? [{ file: paths[i]!, ...m }] : []));
  return {
    ...(adminPlan && { admin: adminPlan }),
    ...(permissionsPlan && { permissions: permissionsPlan }),
    changes,
    written: outcome.written.some(Boolean),
    modeTightened,
    sources,
  };
}

export interface OutputResult {
  /** Whether the output's bytes differ from what it holds (or it does not exist yet). */
  readonly changes: boolean;
  /** The paths written: none when unchanged or in a dry run. */
  readonly written: readonly string[];
  readonly tokens: number;
}

/** An apply spec's output keys by the export field they set. */
const SPEC_KEY_OF: Record<ExportField, string> = {
  files: 'admin.file or permissions.file',
  format: 'format',
  tokenNames: 'token_names',
  key: 'key',
  secretName: 'secret_name',
  namespace: 'namespace',
  prefix: 'prefix',
  output: 'output',
  owner: 'owner',
};

/**
 * The spec's outputs as export requests over the spec's token files, under export's rules
 * worded with the spec's keys; a problem is SpecProblems at the output's pointer. `owner`
 * (the whole run's) is the owner of an output that names none.
 */
export function outputRequestsOf(
  outputs: readonly Readonly<Record<string, unknown>>[],
  files: readonly string[],
  lockTimeoutMs: number,
  owner?: Owner,
): ExportRequest[] {
  return outputs.map((o, i) => {
    if (o.output === undefined || o.output === '-')
      throw new SpecProblems([{ pointer: `/outputs/${i}/output`, message: 'an output of apply needs output: a file or directory (stdout carries the plan)' }]);
    // The spec's schema has checked these: strings, and an integer owner.
    const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v as string | number));
    try {
      return exportRequestOf(
        {
          files,
          format: str(o.format),
          tokenNames: Array.isArray(o.token_names) ? o.token_names.map(String) : undefined,
          key: str(o.key),
          secretName: str(o.secret_name),
          namespace: str(o.namespace),
          prefix: str(o.prefix),
          output: str(o.output),
          owner: str(o.owner) ?? owner,
          lockTimeoutMs,
        },
        (field) => SPEC_KEY_OF[field],
      );
    } catch (e) {
      if (e instanceof InvalidInputError) throw new SpecProblems([{ pointer: `/outputs/${i}`, message: e.message.replace(/\.$/, '') }]);
      throw e;
    }
  });
}

/**
 * One output of the spec, made from the files as the run left them (or would leave them):
 * rendered, compared with what the output holds, and written only when it differs.
 */
export async function applyOutput(
  req: ExportRequest,
  sources: readonly ExportSource[],
  dryRun: boolean,
  env: { now: () => number; seam?: FsSeam },
): Promise<OutputResult> {
  const byPath = new Map(sources.map((s) => [s.path, s]));
  const rendered = render(
    req,
    req.files.map((f) => byPath.get(f)!),
  );
  const changes = !outputHolds(req.output!, rendered, req.owner);
  if (!changes || dryRun) return { changes, written: [], tokens: rendered.tokens };
  const done = await exportTokens(req, env, rendered);
  return { changes, written: done.written, tokens: done.tokens };
}
