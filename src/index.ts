/**
 * The library (SPEC 18): the operations of the CLI as typed functions for Node programs.
 * Requests are plain objects, results are typed, failures are TokenFileError subclasses
 * with a stable `code`. The same guarantees as the CLI (lock, atomic write, the server's
 * reader before every write) because the same actions run underneath.
 *
 * Nothing here writes to stdout or stderr or reads process.argv or process.env: token
 * strings are returned, never logged; the clock and the random source default to
 * Date.now and crypto.randomBytes and can be passed (`env`).
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { type ApplyResult as ActionApplyResult, type OutputResult, applyOutput, applySpec, outputRequestsOf } from './actions/apply';
import { exportRequestOf } from './actions/export-request';
import { createToken as createAction } from './actions/create-token';
import { deleteTokens as deleteAction } from './actions/delete-tokens';
import { type ExportFormat, exportTokens as exportAction } from './actions/export';
import { prune as pruneAction } from './actions/prune';
import { listTokens } from './actions/read-tokens';
import { rotateToken as rotateAction } from './actions/rotate-token';
import { validateTokenFile } from './actions/validate-file';
import { databaseNameProblem } from './domain/database-name';
import { parseDuration } from './domain/duration';
import { type ExpirySpec, parseInstant } from './domain/expiry';
import { desiredState } from './domain/spec';
import type { RandomBytes } from './domain/token';
import type { FileKind } from './domain/token-file';
import { normalisePermission, suppliedTokenValue } from './domain/token-request';
import { InvalidInputError } from './errors';
import { DEFAULT_LOCK_TIMEOUT_MS } from './store/store';

export {
  FileError,
  InterruptedError,
  InvalidInputError,
  IoError,
  LockError,
  TokenFileError,
  UnsafePathError,
  UsageError,
  type ErrorFields,
  type TokenFileErrorCode,
} from './errors';
export type { FileKind } from './domain/token-file';
export type { ExportFormat } from './actions/export';

/** What the library takes from its caller instead of globals; every field has a default. */
export interface LibraryEnv {
  /** Milliseconds since 1970; Date.now by default. */
  readonly now?: () => number;
  /** The random source for new token strings; crypto.randomBytes by default. */
  readonly randomBytes?: (size: number) => Uint8Array;
}

/** A duration in humantime's syntax ('90d', '1y 6M', '12h'), an RFC 3339 instant string, or a Date. */
export type Expiry = string | Date;

/** Options of every writing operation. */
export interface WriteOptions {
  /** How long to wait for other writers of the file; 30 000 by default. */
  readonly lockTimeoutMs?: number;
  /** Who owns the files written (root only); gid -1 keeps the group. */
  readonly owner?: { readonly uid: number; readonly gid: number };
}

/**
 * The caller's clock and random source, held to what they promise: a finite number of
 * milliseconds, and exactly the bytes asked for.
 */
function envOf(env: LibraryEnv | undefined): { now: () => number; randomBytes: RandomBytes } {
  const now = env?.now;
  const random = env?.randomBytes;
  return {
    now:
      now === undefined
        ? Date.now
        : () => {
            const t = now();
            if (typeof t !== 'number' || !Number.isFinite(t))
              throw new InvalidInputError('env.now', ' returned no finite number of milliseconds; return Date.now() or a fixed instant.');
            return t;
          },
    randomBytes:
      random === undefined
        ? (n) => cryptoRandomBytes(n)
        : (n) => {
            const bytes = random(n);
            if (!(bytes instanceof Uint8Array) || bytes.length !== n)
              throw new InvalidInputError('env.randomBytes', ` returned no ${n} bytes; return crypto.randomBytes(size) or a Uint8Array of that size.`);
            return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
          },
  };
}

type FieldType = 'string' | 'boolean' | 'number' | 'strings' | 'expiry' | 'owner' | 'object';

const IS: Record<FieldType, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  strings: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  expiry: (v) => typeof v === 'string' || v instanceof Date,
  owner: (v) => typeof v === 'object' && v !== null && Number.isInteger((v as { uid?: unknown }).uid) && Number.isInteger((v as { gid?: unknown }).gid),
  object: (v) => typeof v === 'object' && v !== null,
};
const WORDS: Record<FieldType, string> = {
  string: 'a string',
  boolean: 'true or false',
  number: 'a finite number',
  strings: 'an array of strings',
  expiry: 'a duration string, an RFC 3339 instant string or a Date',
  owner: 'an object { uid, gid } of integers',
  object: 'an object',
};

/**
 * The request as its type says, checked at the library's edge (a JavaScript caller has no
 * compiler to do it): a field of the wrong type is EINVALID naming the field, never a
 * TypeError from deep inside. `name?` marks an optional field.
 */
function checkedRequest<T>(request: T, operation: string, fields: Record<string, FieldType | `${FieldType}?`>): T {
  if (typeof request !== 'object' || request === null) throw new InvalidInputError(operation, "'s request must be an object; see the library's documentation.");
  for (const [field, spec] of Object.entries(fields)) {
    const optional = spec.endsWith('?');
    const type = spec.replace('?', '') as FieldType;
    const value = (request as Record<string, unknown>)[field];
    if (value === undefined && optional) continue;
    if (value === undefined || !IS[type](value)) throw new InvalidInputError(field, ` must be ${WORDS[type]} (${operation}).`);
  }
  return request;
}

const WRITE_FIELDS = { lockTimeoutMs: 'number?', owner: 'owner?' } as const;

const RFC3339_START = /^\d{4}-\d{2}-\d{2}[Tt ]/;

/** A date-time string is an instant; anything else is read as a duration. */
function expirySpec(expiry: Expiry | undefined): ExpirySpec | undefined {
  if (expiry === undefined) return undefined;
  if (expiry instanceof Date) {
    const millis = expiry.getTime();
    if (Number.isNaN(millis)) throw new InvalidInputError('expiry', ' is an invalid Date; give a valid one, or a duration such as 90d.');
    return { kind: 'instant', text: expiry.toISOString(), millis };
  }
  if (RFC3339_START.test(expiry)) return { kind: 'instant', text: expiry, millis: parseInstant(expiry, 'expiry') };
  return { kind: 'duration', text: expiry, duration: parseDuration(expiry, 'expiry') };
}

function permissionsOf(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    const checked = normalisePermission(text);
    if (!checked.ok) {
      const fix = checked.adminOnly
        ? 'only an admin token has full access; create one with admin: true'
        : 'write RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS, for example db:mydb:read,write';
      throw new InvalidInputError('permission', ` ${JSON.stringify(text)} is invalid: ${checked.reason}; ${fix}.`);
    }
    if (!out.includes(checked.value)) out.push(checked.value);
  }
  if (out.length === 0) throw new InvalidInputError('permissions', ' is empty; a permission token needs at least one permission, such as db:mydb:read.');
  return out;
}

function databasesOf(names: readonly string[]): string[] {
  for (const db of names) {
    const problem = databaseNameProblem(db);
    if (problem) throw new InvalidInputError('createDatabases', ` names an invalid database ${JSON.stringify(db)}: ${problem}.`);
  }
  return [...names];
}

function nameOf(name: string | undefined, fallback?: string): string {
  const n = name ?? fallback;
  if (n === undefined || n === '') throw new InvalidInputError('name', ' is empty; give the token a name, unique in the file.');
  return n;
}

export interface CreateTokenRequest extends WriteOptions {
  /** The token file to write (created with its directories when missing). */
  readonly file: string;
  /** Unique in the file; `_admin` by default for an admin token. */
  readonly name?: string;
  /** An admin token file instead of a permission token. */
  readonly admin?: boolean;
  /** Permissions such as 'db:metrics:write' (permission tokens only). */
  readonly permissions?: readonly string[];
  /** Databases the server creates at start (permission tokens only). */
  readonly createDatabases?: readonly string[];
  /** Omitted: the token never expires. */
  readonly expiry?: Expiry;
  /** Keep an existing token of that name (or admin file) instead of failing with ENAMETAKEN / EADMINEXISTS. */
  readonly ifNotExists?: boolean;
  /** With ifNotExists: fail with ESTALE, the file unchanged, when the token kept has expired or has other permissions. */
  readonly failIfStale?: boolean;
  /** Replace an existing admin token file. */
  readonly force?: boolean;
  /** A token string to write instead of a fresh one (apiv3_ and at least 128 random bits). */
  readonly tokenValue?: string;
}

export interface CreateTokenResult {
  readonly file: string;
  readonly kind: FileKind;
  /** false when ifNotExists kept an existing token. */
  readonly created: boolean;
  /** true when the token ifNotExists kept has expired or has other permissions than asked for (a server that has it keeps it). */
  readonly stale: boolean;
  /** The token string: a secret, returned to the caller and never logged. */
  readonly token: string;
  readonly name: string;
  /** Exact i64 milliseconds; null never expires. */
  readonly expiry: bigint | null;
  readonly permissions: readonly string[] | undefined;
  readonly createDatabases: readonly string[] | undefined;
}

export async function createToken(request: CreateTokenRequest, env?: LibraryEnv): Promise<CreateTokenResult> {
  checkedRequest(request, 'createToken', {
    file: 'string',
    name: 'string?',
    admin: 'boolean?',
    permissions: 'strings?',
    createDatabases: 'strings?',
    expiry: 'expiry?',
    ifNotExists: 'boolean?',
    failIfStale: 'boolean?',
    force: 'boolean?',
    tokenValue: 'string?',
    ...WRITE_FIELDS,
  });
  if (request.admin && (request.permissions !== undefined || request.createDatabases !== undefined))
    throw new InvalidInputError(
      'permissions',
      ' and createDatabases belong to permission tokens; an admin token (admin: true) has full access and takes neither.',
    );
  const e = envOf(env);
  let tokenValue: string | undefined;
  if (request.tokenValue !== undefined) {
    const checked = suppliedTokenValue(request.tokenValue);
    // The value is never quoted back: it is a secret.
    if (!checked.ok) throw new InvalidInputError('tokenValue', ` is refused: ${checked.reason}.`);
    tokenValue = checked.value;
  }
  const common = {
    outputFile: request.file,
    expiry: expirySpec(request.expiry),
    lockTimeoutMs: request.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    ifNotExists: request.ifNotExists ?? false,
    failIfStale: request.failIfStale ?? false,
    owner: request.owner,
    ...(tokenValue !== undefined && { tokenValue }),
  };
  const r = request.admin
    ? await createAction({ kind: 'admin', ...common, name: nameOf(request.name, '_admin'), force: request.force ?? false }, e)
    : await createAction(
        {
          kind: 'permission',
          ...common,
          name: nameOf(request.name),
          permissions: permissionsOf(request.permissions ?? []),
          createDatabases: databasesOf(request.createDatabases ?? []),
        },
        e,
      );
  return {
    file: r.outputFile,
    kind: r.kind,
    created: r.created,
    stale: r.stale.length > 0,
    token: r.token,
    name: r.name,
    expiry: r.expiry,
    permissions: r.permissions,
    createDatabases: r.createDatabases,
  };
}

export interface TokenInfo {
  readonly name: string;
  /** The token string: a secret. */
  readonly token: string;
  /** Exact i64 milliseconds, as the server reads them; null never expires. */
  readonly expiry: bigint | null;
  /** undefined for the admin token (it has every permission). */
  readonly permissions: readonly string[] | undefined;
}

export interface TokenFileContents {
  readonly file: string;
  readonly kind: FileKind;
  readonly tokens: readonly TokenInfo[];
}

/** Reads a token file as the server reads it (exact values), refusing one the server would not load (EINVALIDFILE). */
export function readTokenFile(file: string, env?: LibraryEnv): TokenFileContents {
  checkedRequest({ file }, 'readTokenFile', { file: 'string' });
  const read = listTokens(file, { now: envOf(env).now });
  return { file, kind: read.kind, tokens: read.tokens.map((t) => ({ name: t.name, token: t.token, expiry: t.expiry, permissions: t.permissions })) };
}

export interface ValidateRequest {
  readonly file: string;
  /** Check it as the file given to the server's admin or permission tokens option; either by default. */
  readonly kind?: FileKind;
}

export interface ValidationProblem {
  /** A JSON pointer into the file ('' for the whole file). */
  readonly pointer: string;
  readonly message: string;
}

export interface ValidateResult {
  readonly file: string;
  /** Whether the server loads it. */
  readonly valid: boolean;
  /** Every kind the file loads as: [] when it does not load. */
  readonly loadsAs: readonly FileKind[];
  readonly errors: readonly ValidationProblem[];
  readonly warnings: readonly ValidationProblem[];
  readonly tokenCount: number | undefined;
}

/** The server's verdict on a file, with every problem; throws only when it cannot be read at all. */
export function validateFile(request: ValidateRequest, env?: LibraryEnv): ValidateResult {
  checkedRequest(request, 'validateFile', { file: 'string', kind: 'string?' });
  if (request.kind !== undefined && request.kind !== 'admin' && request.kind !== 'permission')
    throw new InvalidInputError('kind', ` must be 'admin' or 'permission' (validateFile), or left out to check both.`);
  const r = validateTokenFile({ file: request.file, ...(request.kind && { kind: request.kind }) }, { now: envOf(env).now });
  return { file: r.file, valid: r.loadsAs.length > 0, loadsAs: r.loadsAs, errors: r.errors, warnings: r.warnings, tokenCount: r.tokenCount };
}

export interface DeleteTokensRequest extends WriteOptions {
  readonly file: string;
  readonly names: readonly string[];
  /** Names not in the file are not an error (ENOTOKEN otherwise). */
  readonly ifExists?: boolean;
}

export interface DeleteTokensResult {
  readonly file: string;
  readonly deleted: readonly string[];
  readonly missing: readonly string[];
}

export async function deleteTokens(request: DeleteTokensRequest, env?: LibraryEnv): Promise<DeleteTokensResult> {
  checkedRequest(request, 'deleteTokens', { file: 'string', names: 'strings', ifExists: 'boolean?', ...WRITE_FIELDS });
  const r = await deleteAction(
    { file: request.file, names: request.names, ifExists: request.ifExists ?? false, lockTimeoutMs: request.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS },
    envOf(env),
  );
  return { file: r.file, deleted: r.deleted, missing: r.missing };
}

export interface RotateTokenRequest extends WriteOptions {
  readonly file: string;
  readonly name: string;
  /** The successor's name; NAME-2, NAME-3, ... by default. */
  readonly newName?: string;
  /** The successor's expiry; the old token's by default. */
  readonly expiry?: Expiry;
  /** A fresh string under the same name (for a file no server has started with; the only form for an admin file). */
  readonly inPlace?: boolean;
}

export interface RotateTokenResult {
  readonly file: string;
  readonly kind: FileKind;
  readonly oldName: string;
  readonly name: string;
  /** The new token string: a secret. */
  readonly token: string;
  readonly expiry: bigint | null;
  readonly permissions: readonly string[] | undefined;
}

export async function rotateToken(request: RotateTokenRequest, env?: LibraryEnv): Promise<RotateTokenResult> {
  checkedRequest(request, 'rotateToken', { file: 'string', name: 'string', newName: 'string?', expiry: 'expiry?', inPlace: 'boolean?', ...WRITE_FIELDS });
  const r = await rotateAction(
    {
      file: request.file,
      name: nameOf(request.name),
      newName: request.newName,
      expiry: expirySpec(request.expiry),
      inPlace: request.inPlace ?? false,
      lockTimeoutMs: request.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    },
    envOf(env),
  );
  return { file: r.file, kind: r.kind, oldName: r.oldName, name: r.name, token: r.token, expiry: r.expiry, permissions: r.permissions };
}

export interface PruneRequest extends WriteOptions {
  readonly file: string;
  /** Say what would be removed; change nothing. */
  readonly dryRun?: boolean;
}

export interface PruneResult {
  readonly file: string;
  readonly removed: ReadonlyArray<{ readonly name: string; readonly expiry: bigint }>;
  readonly kept: number;
}

/** Removes the expired tokens of a permission tokens file. */
export async function prune(request: PruneRequest, env?: LibraryEnv): Promise<PruneResult> {
  checkedRequest(request, 'prune', { file: 'string', dryRun: 'boolean?', ...WRITE_FIELDS });
  const r = await pruneAction(
    { file: request.file, dryRun: request.dryRun ?? false, lockTimeoutMs: request.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS },
    envOf(env),
  );
  return { file: r.file, removed: r.removed, kept: r.kept };
}

export interface ApplyRequest extends WriteOptions {
  /** The spec (SPEC 11) as a value: what YAML.parse or JSON.parse of a spec file returns. Paths in it are taken as given. */
  readonly spec: unknown;
  readonly dryRun?: boolean;
  readonly prune?: boolean;
  readonly replaceDrifted?: boolean;
  /** Fail (ESTALE, nothing written) rather than hand out an expired current generation. */
  readonly failIfStale?: boolean;
}

export interface ApplyResult {
  /** Whether any file was (or, dry, would be) changed. */
  readonly changes: boolean;
  readonly written: boolean;
  /** The plan's steps per file: what was created, kept, renewed, removed. */
  readonly admin: ActionApplyResult['admin'];
  readonly permissions: ActionApplyResult['permissions'];
  /** One per output of the spec, in its order. */
  readonly outputs: readonly OutputResult[];
}

/** Makes the token files (and the spec's outputs) match the spec, in one transaction. Spec problems: EINVALID with `pointer`. */
export async function apply(request: ApplyRequest, env?: LibraryEnv): Promise<ApplyResult> {
  checkedRequest(request, 'apply', {
    spec: 'object',
    dryRun: 'boolean?',
    prune: 'boolean?',
    replaceDrifted: 'boolean?',
    failIfStale: 'boolean?',
    ...WRITE_FIELDS,
  });
  const e = envOf(env);
  const checked = desiredState(request.spec, e.now());
  if (!checked.ok) {
    const first = checked.problems[0]!;
    throw new InvalidInputError('the spec', ` at ${first.pointer || '/'}: ${first.message}.`, { pointer: first.pointer });
  }
  const desired = checked.value;
  const files = [desired.admin?.file, desired.permissions?.file].filter((p): p is string => p !== undefined);
  const owner = request.owner;
  const lockTimeoutMs = request.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const outputs = outputRequestsOf(desired.outputs, files, lockTimeoutMs, owner);
  const dryRun = request.dryRun ?? false;
  const result = await applySpec(
    {
      desired,
      dryRun,
      prune: request.prune ?? false,
      replaceDrifted: request.replaceDrifted ?? false,
      failIfStale: request.failIfStale ?? false,
      lockTimeoutMs,
      owner,
    },
    e,
  );
  const done: OutputResult[] = [];
  for (const o of outputs) done.push(await applyOutput(o, result.sources, dryRun, e));
  return { changes: result.changes, written: result.written, admin: result.admin, permissions: result.permissions, outputs: done };
}

export interface ExportTokensRequest extends WriteOptions {
  /** One token file, or an admin and a permission tokens file. */
  readonly files: readonly string[];
  readonly format: ExportFormat;
  /** Only these tokens; every token by default (whole files for k8s-secret). */
  readonly tokenNames?: readonly string[];
  readonly secretName?: string;
  readonly namespace?: string;
  /** The env names' prefix; INFLUXDB3_TOKEN_ by default. */
  readonly prefix?: string;
  /** A file (a directory for `files`); omitted: the text is returned. */
  readonly output?: string;
}

export interface ExportTokensResult {
  /** The export's text (it holds token strings) when no output was given. */
  readonly text: string | undefined;
  readonly written: readonly string[];
  readonly tokens: number;
}

export async function exportTokens(request: ExportTokensRequest, env?: LibraryEnv): Promise<ExportTokensResult> {
  checkedRequest(request, 'exportTokens', {
    files: 'strings',
    format: 'string',
    tokenNames: 'strings?',
    secretName: 'string?',
    namespace: 'string?',
    prefix: 'string?',
    output: 'string?',
    ...WRITE_FIELDS,
  });
  // export's rules, as the CLI and apply's outputs have them, named by the request's fields.
  const req = exportRequestOf(
    {
      files: request.files,
      format: request.format,
      tokenNames: request.tokenNames,
      key: undefined,
      secretName: request.secretName,
      namespace: request.namespace,
      prefix: request.prefix,
      output: request.output,
      owner: request.owner,
      lockTimeoutMs: request.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    },
    (field) => field,
  );
  const r = await exportAction(req, { now: envOf(env).now });
  return { text: r.stdout, written: r.written, tokens: r.tokens };
}
