/**
 * `create token`: mint a token and write it into the output file under the store's lock.
 * The clock and the random source come from the caller, so tests can pin both.
 */
import { FileError } from '../errors';
import { type ExpirySpec, expiryMillis } from '../domain/expiry';
import { parseJsonText } from '../domain/json-text';
import { schemaProblems } from '../domain/schema';
import { type RandomBytes, mintToken } from '../domain/token';
import {
  type AdminTokenFile,
  type FileKind,
  KIND_LABEL,
  type PermissionTokensFile,
  appendToText,
  appendToken,
  detectKind,
  newAdminFile,
  newTokenEntry,
  replaceAdminToken,
  serializeTokenFile,
} from '../domain/token-file';
import type { KeptToken } from '../domain/stale';
import { checkDocument } from '../domain/validate-file';
import { type ExistingFile, updateFile } from '../store/store';
import type { FsSeam } from '../store/fs-seam';

interface CommonOptions {
  outputFile: string;
  name: string;
  expiry: ExpirySpec | undefined;
  lockTimeoutMs: number;
  /** Keep an existing token of that name (or an existing admin file) instead of failing. */
  ifNotExists: boolean;
  /**
   * Sees the token --if-not-exists keeps, under the lock and before anything is written
   * (create_databases may still grow): throwing here leaves the file unchanged.
   */
  onKeep?: (kept: KeptToken) => void;
  /** A token string the user supplied (already checked for strength); minted when absent. */
  tokenValue?: string;
}
export interface PermissionTokenOptions extends CommonOptions {
  kind: 'permission';
  /** Already parsed and normalised. */
  permissions: string[];
  createDatabases: string[];
}
export interface AdminTokenOptions extends CommonOptions {
  kind: 'admin';
  /** Replace an existing admin token file. */
  force: boolean;
}
export type CreateTokenOptions = PermissionTokenOptions | AdminTokenOptions;

export interface CreateEnv {
  now: () => number;
  randomBytes: RandomBytes;
  seam?: FsSeam;
}

export interface CreateTokenResult {
  kind: FileKind;
  /** false when --if-not-exists found a token of that name and left the file alone. */
  created: boolean;
  token: string;
  name: string;
  expiryMillis: number | undefined;
  permissions: string[] | undefined;
  createDatabases: string[] | undefined;
  newDatabases: string[];
  outputFile: string;
  modeTightened: { from: number; to: number } | undefined;
  releaseFailure: string | undefined;
}

type Minted = Omit<CreateTokenResult, 'modeTightened' | 'releaseFailure'>;

/** Parses and fully validates an existing file of the expected kind, or refuses it. */
function loadExisting<K extends FileKind>(existing: ExistingFile, kind: K, path: string, now: number): K extends 'admin' ? AdminTokenFile : PermissionTokensFile {
  const parsed = parseJsonText(existing.text);
  if (!parsed.ok) {
    throw new FileError('EINVALIDFILE', `${path} is not valid JSON (${parsed.reason} at line ${parsed.line}, column ${parsed.column}); fix or move it, then run again. It was left unchanged.`);
  }
  const found = detectKind(parsed.value);
  if (found !== undefined && found !== kind) {
    throw new FileError('EWRONGKIND', `${path} is ${KIND_LABEL[found]}, not ${KIND_LABEL[kind]}; choose another --output-file. It was left unchanged.`);
  }
  const { errors, arrayForm } = checkDocument(parsed.value, now, { warnings: false, text: existing.text, kind });
  if (errors.length > 0) {
    const first = errors[0]!;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    throw new FileError('EINVALIDFILE', `${path} is not a valid ${kind === 'admin' ? 'admin token' : 'permission tokens'} file: at ${first.pointer || '/'} ${first.message}${more}. Run \`influxdb3-offline-tokens validate ${path}\` for every problem. It was left unchanged.`);
  }
  if (arrayForm) {
    // The server reads it, but a file kept as text has no place for a new field or entry.
    throw new FileError('EINVALIDFILE', `${path} writes a token as a JSON array of its fields, which the server reads but this tool does not append to; rewrite it as an object ({"token": …, "name": …}), then run again. It was left unchanged.`);
  }
  return parsed.value as K extends 'admin' ? AdminTokenFile : PermissionTokensFile;
}

export async function createToken(opts: CreateTokenOptions, env: CreateEnv): Promise<CreateTokenResult> {
  const now = env.now();
  const expiry = opts.expiry === undefined ? undefined : expiryMillis(opts.expiry, now);
  const token = opts.tokenValue ?? mintToken(env.randomBytes);
  // The server maps hashes to tokens one to one, so a supplied string may be in a file once.
  const refuseTaken = (holder: string | undefined): void => {
    if (opts.tokenValue !== undefined && holder !== undefined) {
      throw new FileError('ETOKENTAKEN', `${opts.outputFile} already holds the supplied token string (token ${JSON.stringify(holder)}); each token needs its own string. It was left unchanged.`);
    }
  };
  const base = {
    kind: opts.kind,
    name: opts.name,
    outputFile: opts.outputFile,
  };
  const adminResult = (created: boolean, file: AdminTokenFile): Minted => ({
    ...base,
    created,
    token: file.token,
    name: file.name,
    expiryMillis: file.expiry_millis,
    permissions: undefined,
    createDatabases: undefined,
    newDatabases: [],
  });

  const outcome = await updateFile<Minted>({
    path: opts.outputFile,
    lockTimeoutMs: opts.lockTimeoutMs,
    seam: env.seam,
    transform: (existing) => {
      if (opts.kind === 'admin') {
        const fresh = newAdminFile(token, opts.name, expiry);
        let text = serializeTokenFile(fresh);
        if (existing) {
          const current = loadExisting(existing, 'admin', opts.outputFile, now);
          if (opts.ifNotExists) {
            opts.onKeep?.(current);
            return { write: false, result: adminResult(false, current) };
          }
          refuseTaken(current.token === token ? current.name : undefined);
          if (!opts.force) {
            throw new FileError('EADMINEXISTS', `${opts.outputFile} already holds an admin token (named ${JSON.stringify(current.name)}); it was left unchanged. Pass --force to replace it, --if-not-exists to keep it, or choose another --output-file.`);
          }
          text = replaceAdminToken(existing.text, fresh);
        }
        assertSchema('admin', fresh);
        return { write: true, text, result: adminResult(true, fresh) };
      }
      const current = existing ? loadExisting(existing, 'permission', opts.outputFile, now) : undefined;
      if (!(opts.ifNotExists && current?.tokens.some((t) => t.name === opts.name))) {
        refuseTaken(current?.tokens.find((t) => t.token === token)?.name);
      }
      const entry = newTokenEntry(token, opts.name, expiry, opts.permissions);
      // Only the new entry needs checking: the rest of the document was validated above.
      assertSchema('tokenEntry', entry);
      const appended = appendToken(current, entry, opts.createDatabases, opts.ifNotExists, opts.outputFile);
      const kept = appended.entry;
      if (!appended.added) opts.onKeep?.(kept);
      const doc = appended.doc ?? current;
      const result = {
        ...base,
        created: appended.added,
        token: kept.token,
        expiryMillis: kept.expiry_millis,
        permissions: kept.permissions,
        createDatabases: doc?.create_databases,
        newDatabases: appended.newDatabases,
      };
      if (!appended.doc) return { write: false, result };
      const text = existing
        ? appendToText(existing.text, appended.added ? entry : undefined, appended.newDatabases)
        : serializeTokenFile(appended.doc);
      return { write: true, text, result };
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
