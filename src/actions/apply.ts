/**
 * `apply`: make the token files match a desired state in one transaction (SPEC 11). The
 * plan is pure (domain/spec.ts); this runs it: both files locked and read together, the
 * plan made from what they hold, the edits made on their documents, every file written
 * or none. Outputs run after, from the files as written.
 */
import { InputLimitError, UsageError } from '../errors';
import { DOCUMENT_LIMIT, readStdin } from '../store/stdin';
import {
  type AdminDocument,
  type PermissionDocument,
  addDatabases,
  appendEntries,
  emptyDocument,
  removeEntries,
  renderDocument,
  setAdminToken,
} from '../domain/document';
import { type AdminPlan, type DesiredState, type PermissionsPlan, type Problem, type TokenStep, planAdmin, planPermissions } from '../domain/spec';
import { type RandomBytes, mintToken } from '../domain/token';
import { newAdminFile, newTokenEntry } from '../domain/token-file';
import { isUtf8 } from 'node:buffer';
import { type FsSeam, nodeFs } from '../store/fs-seam';
import { type Text, readFile } from '../store/store';
import { type Owner } from '../store/target';
import { updateFiles } from '../store/transaction';
import { loadDocument } from './load';

export interface ApplyRequest {
  readonly desired: DesiredState;
  readonly dryRun: boolean;
  readonly prune: boolean;
  readonly replaceDrifted: boolean;
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
}

/** Plan problems are the spec's: placed by pointer, worded as a usage error above. */
export class SpecProblems extends UsageError {
  constructor(readonly problems: readonly Problem[]) {
    super(`the spec has ${problems.length} problem${problems.length === 1 ? '' : 's'}, the first at ${problems[0]?.pointer || '/'}: ${problems[0]?.message}`);
  }
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; problems: Problem[] }): T {
  if (!r.ok) throw new SpecProblems(r.problems);
  return r.value;
}

const isChange = (s: TokenStep): s is Extract<TokenStep, { action: 'create' | 'replace' }> => s.action === 'create' || s.action === 'replace';

function editPermissions(doc: PermissionDocument, plan: PermissionsPlan, randomBytes: RandomBytes): PermissionDocument {
  // A replaced entry goes out with the removed ones and comes back, new, at the end.
  const gone = new Set(plan.steps.filter((s) => s.action === 'remove' || s.action === 'replace').map((s) => s.name));
  let next = removeEntries(doc, gone);
  next = appendEntries(
    next,
    plan.steps.filter(isChange).map((s) => newTokenEntry(mintToken(randomBytes), s.name, s.expiryMillis, [...s.permissions])),
  );
  return addDatabases(next, plan.databasesAdded).doc;
}

export async function applySpec(req: ApplyRequest, env: { now: () => number; randomBytes: RandomBytes; seam?: FsSeam }): Promise<ApplyResult> {
  const { admin, permissions } = req.desired;
  const paths = [admin?.file, permissions?.file].filter((p): p is string => p !== undefined);
  const now = env.now();
  const opts = { prune: req.prune, replaceDrifted: req.replaceDrifted, now };
  const outcome = await updateFiles({
    paths,
    lockTimeoutMs: req.lockTimeoutMs,
    owner: req.owner,
    readOnly: req.dryRun,
    seam: env.seam,
    transform(existing) {
      const texts: Array<Text | undefined> = [];
      let adminPlan: AdminPlan | undefined;
      let permissionsPlan: PermissionsPlan | undefined;
      let k = 0;
      if (admin) {
        const file = existing[k++];
        const doc = file ? (loadDocument(file, admin.file, now, 'admin') as AdminDocument) : undefined;
        adminPlan = unwrap(planAdmin(admin, doc?.value, opts));
        const step = adminPlan.step;
        texts.push(!req.dryRun && isChange(step) ? renderDocument(setAdminToken(doc ?? emptyDocument('admin'), newAdminFile(mintToken(env.randomBytes), step.name, step.expiryMillis))) : undefined);
      }
      if (permissions) {
        const file = existing[k++];
        const doc = file ? (loadDocument(file, permissions.file, now, 'permission') as PermissionDocument) : undefined;
        permissionsPlan = unwrap(planPermissions(permissions, doc?.value, opts));
        texts.push(!req.dryRun && permissionsPlan.changes ? renderDocument(editPermissions(doc ?? emptyDocument('permission'), permissionsPlan, env.randomBytes)) : undefined);
      }
      return { texts, result: { adminPlan, permissionsPlan } };
    },
  });
  const { adminPlan, permissionsPlan } = outcome.result;
  const changes = (adminPlan?.changes ?? false) || (permissionsPlan?.changes ?? false);
  const modeTightened = outcome.modeTightened.flatMap((m, i) => (m ? [{ file: paths[i]!, ...m }] : []));
  return { ...(adminPlan && { admin: adminPlan }), ...(permissionsPlan && { permissions: permissionsPlan }), changes, written: outcome.written.some(Boolean), modeTightened };
}

/** The spec's text: a file, or `-` for stdin, at most 16 MiB either way (SPEC 17). */
export function readSpecText(source: string, seam: FsSeam = nodeFs): string {
  if (source !== '-') {
    const { text } = readFile(source, seam);
    if (Buffer.byteLength(text) > DOCUMENT_LIMIT) throw new InputLimitError(`the spec ${source}`, DOCUMENT_LIMIT);
    return text;
  }
  const bytes = readStdin(DOCUMENT_LIMIT, 'the spec on standard input');
  if (!isUtf8(bytes)) throw new UsageError('The spec on stdin is not valid UTF-8 text.');
  return bytes.toString('utf8');
}
