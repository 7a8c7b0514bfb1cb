/**
 * `create token`: a request in, a result out. Mints a token and writes it into the output
 * file under the store's lock, or keeps the one there (ifNotExists) and says whether it is
 * stale. The clock and the random source come from the caller, so tests can pin both;
 * nothing here reads argv, the environment or stdin, or prints.
 */
import { FileError } from '../errors';
import { addDatabases, adminOf, appendEntries, emptyDocument, entriesOf, entryAt, findEntry, renderDocument, setAdminToken } from '../domain/document';
import { type ExpirySpec, expiryMillis } from '../domain/expiry';
import { schemaProblems } from '../domain/schema';
import { mintToken } from '../domain/token';
import { type AdminValues, type FileKind, expiryOf, newAdminFile, newTokenEntry } from '../domain/token-file';
import { type KeptToken, type StaleReason, staleReasons } from '../domain/stale';
import { type Owner, updateFile } from '../store/store';
import type { ActionEnv } from './env';
import { editDocument } from './load';

interface CommonRequest {
  outputFile: string;
  name: string;
  expiry: ExpirySpec | undefined;
  lockTimeoutMs: number;
  /** Keep an existing token of that name (or an existing admin file) instead of failing. */
  ifNotExists: boolean;
  /**
   * With ifNotExists: a kept token that is stale (expired, or other permissions than asked)
   * is StaleTokenError and the file is left unchanged, instead of the result's `stale`.
   */
  failIfStale: boolean;
  /** Who owns the file written and the directories created for it (root only). */
  owner?: Owner | undefined;
  /** A token string the caller supplied (already checked for strength); minted when absent. */
  tokenValue?: string;
}
export interface PermissionTokenRequest extends CommonRequest {
  kind: 'permission';
  /** Already parsed and normalised. */
  permissions: string[];
  createDatabases: string[];
}
export interface AdminTokenRequest extends CommonRequest {
  kind: 'admin';
  /** Replace an existing admin token file. */
  force: boolean;
}
export type CreateTokenRequest = PermissionTokenRequest | AdminTokenRequest;

export interface CreateTokenResult {
  kind: FileKind;
  /** false when ifNotExists found a token of that name and kept it. */
  created: boolean;
  /** Why the kept token no longer answers the request (empty when created, or when it still does). */
  stale: readonly StaleReason[];
  token: string;
  name: string;
  /** Exact i64 milliseconds; null never expires. */
  expiry: bigint | null;
  permissions: readonly string[] | undefined;
  createDatabases: string[] | undefined;
  newDatabases: string[];
  outputFile: string;
  modeTightened: { from: number; to: number } | undefined;
  releaseFailure: string | undefined;
}

type Minted = Omit<CreateTokenResult, 'modeTightened' | 'releaseFailure'>;

/** The token ifNotExists would keep is stale and failIfStale was asked: the file was left unchanged. */
export class StaleTokenError extends FileError {
  constructor(
    file: string,
    tokenName: string,
    readonly reasons: readonly StaleReason[],
  ) {
    const why = reasons.map((r) => (r.kind === 'expired' ? 'it has expired' : 'it has other permissions than asked for')).join(', and ');
    super('ESTALE', `the token ${JSON.stringify(tokenName)} that would be kept in ${file} is stale (${why}); ${file} was left unchanged.`, { file, tokenName });
  }
}

export async function createToken(req: CreateTokenRequest, env: ActionEnv): Promise<CreateTokenResult> {
  const now = env.now();
  const expiry = expiryOf(req.expiry === undefined ? undefined : expiryMillis(req.expiry, now));
  const token = req.tokenValue ?? mintToken(env.randomBytes);
  // The server maps hashes to tokens one to one, so a supplied string may be in a file once.
  const refuseTaken = (holder: string | undefined): void => {
    if (req.tokenValue !== undefined && holder !== undefined) {
      throw new FileError(
        'ETOKENTAKEN',
        `${req.outputFile} already holds the supplied token string (token ${JSON.stringify(holder)}); each token needs its own string. It was left unchanged.`,
      );
    }
  };
  const base = {
    kind: req.kind,
    name: req.name,
    outputFile: req.outputFile,
  };
  // The server skips a name it already has, so a kept token that no longer answers the
  // request leaves clients failing without a word: the caller is told, or it is refused.
  const staleOf = (kept: KeptToken): readonly StaleReason[] => {
    const reasons = staleReasons(kept, req.kind === 'permission' ? req.permissions : undefined, now);
    if (reasons.length > 0 && req.failIfStale) throw new StaleTokenError(req.outputFile, kept.name, reasons);
    return reasons;
  };
  const adminResult = (created: boolean, file: AdminValues, stale: readonly StaleReason[] = []): Minted => ({
    ...base,
    created,
    stale,
    token: file.token,
    name: file.name,
    expiry: file.expiry,
    permissions: undefined,
    createDatabases: undefined,
    newDatabases: [],
  });

  const outcome = await updateFile<Minted>({
    path: req.outputFile,
    tokenFile: true,
    lockTimeoutMs: req.lockTimeoutMs,
    owner: req.owner,
    seam: env.seam,
    transform: (existing) => {
      if (req.kind === 'admin') {
        const fresh = newAdminFile(token, req.name, expiry);
        assertSchema('admin', { token: fresh.token, name: fresh.name });
        if (existing) {
          const doc = editDocument(existing, req.outputFile, now, 'admin');
          const current = adminOf(doc);
          if (req.ifNotExists) return { write: false, result: adminResult(false, current, staleOf(current)) };
          refuseTaken(current.token === token ? current.name : undefined);
          if (!req.force) {
            // The fixes are options (replace it, keep it, another file): the caller words them.
            throw new FileError(
              'EADMINEXISTS',
              `${req.outputFile} already holds an admin token (named ${JSON.stringify(current.name)}); it was left unchanged.`,
              {
                file: req.outputFile,
                tokenName: current.name,
              },
            );
          }
          return { write: true, text: renderDocument(setAdminToken(doc, fresh)), result: adminResult(true, fresh) };
        }
        return { write: true, text: renderDocument(setAdminToken(emptyDocument('admin'), fresh)), result: adminResult(true, fresh) };
      }
      const entry = newTokenEntry(token, req.name, expiry, req.permissions);
      // Only the new entry needs checking: the rest of the document was validated on load.
      assertSchema('tokenEntry', { token: entry.token, name: entry.name, permissions: entry.permissions });
      let doc = existing ? editDocument(existing, req.outputFile, now, 'permission') : emptyDocument('permission');
      const taken = findEntry(doc, req.name);
      // Only a supplied string can already be in the file (and only then are entries read).
      if (req.tokenValue !== undefined && !(req.ifNotExists && taken !== -1)) refuseTaken(entriesOf(doc).find((t) => t.token === token)?.name);
      if (taken !== -1 && !req.ifNotExists) {
        throw new FileError('ENAMETAKEN', `a token named ${JSON.stringify(req.name)} is already in ${req.outputFile}, which was left unchanged.`, {
          file: req.outputFile,
          tokenName: req.name,
        });
      }
      // New databases are merged even when the token is kept, so a pipeline that adds a
      // database to its list gets it on the next run.
      const merged = addDatabases(doc, req.createDatabases);
      doc = merged.doc;
      if (taken === -1) doc = appendEntries(doc, [entry]);
      const kept = taken === -1 ? entry : entryAt(doc, taken);
      const result = {
        ...base,
        created: taken === -1,
        stale: taken === -1 ? [] : staleOf(kept),
        token: kept.token,
        expiry: kept.expiry,
        permissions: kept.permissions,
        createDatabases: doc.databases && [...doc.databases],
        newDatabases: merged.added,
      };
      if (taken !== -1 && merged.added.length === 0) return { write: false, result };
      return { write: true, text: renderDocument(doc), result };
    },
  });
  return { ...outcome.result, modeTightened: outcome.modeTightened, releaseFailure: outcome.releaseFailure };
}

/** What this tool writes must pass its own schema; a failure here is a bug, not bad input. */
function assertSchema(name: 'admin' | 'tokenEntry', data: unknown): void {
  const problems = schemaProblems(name, data);
  if (problems.length > 0) {
    throw new Error(`internal error: the ${name} about to be written fails the schema at ${problems[0]!.pointer}: ${problems[0]!.message}`);
  }
}
