/**
 * The apply spec (SPEC 11) as a desired state, and the plan that makes the token files
 * match it. Pure: the spec object, the files' parsed contents and the clock come in; a
 * plan, or problems placed by JSON pointers into the spec, come out. `--dry-run` is this
 * plan printed; apply writes what it says.
 */
import { databaseNameProblem } from './database-name';
import { parseDuration } from './duration';
import { parseInstant } from './expiry';
import { type ParseResult, formatPermission, parsePermission } from './permissions';
import { type Problem, schemaProblems } from './schema';

export type { Problem } from './schema';

/** A relative expiry is resolved only when a token is created; an instant is compared with what a file holds. */
export type DesiredExpiry =
  | { readonly kind: 'none' }
  | { readonly kind: 'duration'; readonly text: string; readonly secs: bigint }
  | { readonly kind: 'instant'; readonly text: string; readonly millis: number };

export interface DesiredToken {
  readonly name: string;
  /** Normalised (section 4), duplicates removed, in the spec's order. */
  readonly permissions: readonly string[];
  readonly expiry: DesiredExpiry;
  /** Where the token is in the spec, for messages. */
  readonly pointer: string;
}

export interface DesiredAdmin {
  readonly file: string;
  readonly name: string;
  readonly expiry: DesiredExpiry;
}

export interface DesiredPermissions {
  readonly file: string;
  readonly createDatabases: readonly string[];
  readonly tokens: readonly DesiredToken[];
}

export interface DesiredState {
  readonly admin?: DesiredAdmin;
  readonly permissions?: DesiredPermissions;
  /** The `outputs` entries as written; the export command checks their options. */
  readonly outputs: readonly Readonly<Record<string, unknown>>[];
}

export type SpecResult = { ok: true; value: DesiredState } | { ok: false; problems: Problem[] };

const ADMIN_NAME = '_admin';

interface RawExpiry {
  expiry?: string;
  expires_at?: string;
}

function duration(text: string, memo: Memo): { secs: bigint } {
  let d = memo.durations.get(text);
  if (!d) {
    try {
      d = parseDuration(text, 'expiry');
    } catch (e) {
      d = e as Error;
    }
    memo.durations.set(text, d);
  }
  if (d instanceof Error) throw d;
  return d;
}

function desiredExpiry(raw: RawExpiry, pointer: string, now: number, problems: Problem[], memo: Memo): DesiredExpiry {
  if (raw.expiry !== undefined && raw.expires_at !== undefined) {
    problems.push({ pointer: `${pointer}/expires_at`, message: 'give expiry or expires_at, not both' });
    return { kind: 'none' };
  }
  if (raw.expiry !== undefined) {
    try {
      const d = duration(raw.expiry, memo);
      if (d.secs === 0n) {
        problems.push({ pointer: `${pointer}/expiry`, message: `${JSON.stringify(raw.expiry)} is shorter than one second, so the token would be born expired; give at least 1s` });
      }
      return { kind: 'duration', text: raw.expiry, secs: d.secs };
    } catch (e) {
      problems.push({ pointer: `${pointer}/expiry`, message: (e as Error).message });
      return { kind: 'none' };
    }
  }
  if (raw.expires_at !== undefined) {
    try {
      const millis = parseInstant(raw.expires_at, 'expires_at');
      if (millis <= now) problems.push({ pointer: `${pointer}/expires_at`, message: `${raw.expires_at} is in the past; give a future instant` });
      return { kind: 'instant', text: raw.expires_at, millis };
    } catch (e) {
      problems.push({ pointer: `${pointer}/expires_at`, message: (e as Error).message });
      return { kind: 'none' };
    }
  }
  return { kind: 'none' };
}

/** Specs repeat the same few permission strings and durations across thousands of tokens. */
interface Memo {
  permissions: Map<string, ReturnType<typeof parsePermission>>;
  durations: Map<string, { secs: bigint } | Error>;
}

function normalisedPermissions(texts: readonly string[], pointer: string, problems: Problem[], memo: Memo): string[] {
  const out: string[] = [];
  texts.forEach((text, i) => {
    let p = memo.permissions.get(text);
    if (!p) memo.permissions.set(text, (p = parsePermission(text)));
    if (!p.ok) problems.push({ pointer: `${pointer}/${i}`, message: `the permission ${JSON.stringify(text)} is invalid: ${p.reason}` });
    else if (p.value.type === '*') problems.push({ pointer: `${pointer}/${i}`, message: 'the "*" resource type is only for the admin token; declare it under admin:' });
    else {
      const canonical = formatPermission(p.value);
      if (!out.includes(canonical)) out.push(canonical);
    }
  });
  return out;
}

interface RawToken extends RawExpiry {
  name: string;
  permissions: string[];
}
interface RawSpec {
  admin?: RawExpiry & { file: string; name?: string };
  permissions?: { file: string; create_databases?: string[]; tokens?: RawToken[] };
  outputs?: Array<Record<string, unknown>>;
}

/** The spec checked against its schema, then against the rules the schema cannot say. */
export function desiredState(spec: unknown, now: number): SpecResult {
  const schema = schemaProblems('tokenSpec', spec);
  if (schema.length > 0) return { ok: false, problems: schema };
  const raw = spec as RawSpec;
  const problems: Problem[] = [];
  const memo: Memo = { permissions: new Map(), durations: new Map() };
  let admin: DesiredAdmin | undefined;
  if (raw.admin) {
    admin = { file: raw.admin.file, name: raw.admin.name ?? ADMIN_NAME, expiry: desiredExpiry(raw.admin, '/admin', now, problems, memo) };
  }
  let permissions: DesiredPermissions | undefined;
  if (raw.permissions) {
    const p = raw.permissions;
    if (admin && p.file === admin.file) problems.push({ pointer: '/permissions/file', message: `${JSON.stringify(p.file)} is also the admin token file; the two kinds need two files` });
    const createDatabases: string[] = [];
    (p.create_databases ?? []).forEach((db, i) => {
      const why = databaseNameProblem(db);
      if (why) problems.push({ pointer: `/permissions/create_databases/${i}`, message: `the database name ${JSON.stringify(db)} is invalid: ${why}` });
      else if (!createDatabases.includes(db)) createDatabases.push(db);
    });
    const seen = new Map<string, string>();
    const tokens = (p.tokens ?? []).map((t, i): DesiredToken => {
      const pointer = `/permissions/tokens/${i}`;
      const first = seen.get(t.name);
      if (first !== undefined) problems.push({ pointer: `${pointer}/name`, message: `the name ${JSON.stringify(t.name)} is given twice (first at ${first}); names are unique within a file` });
      else seen.set(t.name, `${pointer}/name`);
      return { name: t.name, permissions: normalisedPermissions(t.permissions, `${pointer}/permissions`, problems, memo), expiry: desiredExpiry(t, pointer, now, problems, memo), pointer };
    });
    permissions = { file: p.file, createDatabases, tokens };
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { ...(admin && { admin }), ...(permissions && { permissions }), outputs: raw.outputs ?? [] } };
}

/** A token as a file holds it (the string itself is not needed to plan). */
export interface ExistingToken {
  readonly name: string;
  readonly permissions: readonly string[];
  /** Exact i64 milliseconds; null or absent never expires. */
  readonly expiry?: bigint | null;
}

export interface ExistingPermissionsFile {
  readonly create_databases?: readonly string[] | null;
  readonly tokens: readonly ExistingToken[];
}

export type Difference =
  | { readonly field: 'permissions'; readonly file: readonly string[]; readonly spec: readonly string[] }
  /** `spec` is the instant, null for no expiry, or the duration text when a relative expiry meets a file without one. */
  | { readonly field: 'expiry'; readonly file: bigint | null; readonly spec: number | string | null }
  | { readonly field: 'name'; readonly file: string; readonly spec: string };

export type TokenStep =
  | { readonly action: 'create'; readonly name: string; readonly permissions: readonly string[]; readonly expiryMillis: number | undefined }
  | { readonly action: 'keep'; readonly name: string }
  /** Kept as it is: a server that has the name would not apply the change anyway. */
  | { readonly action: 'drift'; readonly name: string; readonly differences: readonly Difference[] }
  /** --replace-drifted: a new string under the same name, in the same place. */
  | { readonly action: 'replace'; readonly name: string; readonly permissions: readonly string[]; readonly expiryMillis: number | undefined; readonly differences: readonly Difference[] }
  /** --prune: in the file, not in the spec. */
  | { readonly action: 'remove'; readonly name: string }
  /** In the file, not in the spec, and no --prune: left alone. */
  | { readonly action: 'unmanaged'; readonly name: string };

export interface PlanOptions {
  readonly prune: boolean;
  readonly replaceDrifted: boolean;
  readonly now: number;
}

export interface PermissionsPlan {
  readonly file: string;
  readonly exists: boolean;
  /** Declared tokens in the spec's order, then the file's other tokens in the file's order. */
  readonly steps: readonly TokenStep[];
  readonly databasesAdded: readonly string[];
  /** Whether the file is written at all. */
  readonly changes: boolean;
}

export interface AdminPlan {
  readonly file: string;
  readonly exists: boolean;
  readonly step: TokenStep;
  readonly changes: boolean;
}

const CHANGING = new Set<TokenStep['action']>(['create', 'replace', 'remove']);

/** expiry_millis for a token created now, or the reason it cannot be written. */
function resolveExpiry(e: DesiredExpiry, now: number): ParseResult<number | undefined> {
  if (e.kind === 'none') return { ok: true, value: undefined };
  if (e.kind === 'instant') return { ok: true, value: e.millis };
  const millis = BigInt(now) + e.secs * 1000n;
  if (millis > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { ok: false, reason: `${JSON.stringify(e.text)} puts the expiry beyond ${Number.MAX_SAFE_INTEGER} ms since 1970, which cannot be written exactly; give a shorter duration` };
  }
  return { ok: true, value: Number(millis) };
}

/** The file's permissions in the normalised form where they parse; others compare as written. */
function normalisedSet(texts: readonly string[]): Set<string> {
  return new Set(
    texts.map((t) => {
      const p = parsePermission(t);
      return p.ok ? formatPermission(p.value) : t;
    }),
  );
}

function differences(want: { permissions?: readonly string[]; expiry: DesiredExpiry }, have: { permissions?: readonly string[]; expiry?: bigint | null }): Difference[] {
  const out: Difference[] = [];
  if (want.permissions && have.permissions) {
    const a = normalisedSet(want.permissions);
    const b = normalisedSet(have.permissions);
    if (a.size !== b.size || [...a].some((p) => !b.has(p))) out.push({ field: 'permissions', file: [...have.permissions], spec: [...want.permissions] });
  }
  const fileExpiry = have.expiry ?? null;
  const e = want.expiry;
  // A relative expiry is resolved only at creation: it never counts as drift by itself.
  if (e.kind === 'none' && fileExpiry !== null) out.push({ field: 'expiry', file: fileExpiry, spec: null });
  else if (e.kind === 'duration' && fileExpiry === null) out.push({ field: 'expiry', file: null, spec: e.text });
  else if (e.kind === 'instant' && fileExpiry !== BigInt(e.millis)) out.push({ field: 'expiry', file: fileExpiry, spec: e.millis });
  return out;
}

type StepResult = ParseResult<TokenStep>;

function declaredStep(name: string, want: { permissions: readonly string[]; expiry: DesiredExpiry }, have: { permissions?: readonly string[]; expiry?: bigint | null } | undefined, diffs: Difference[], opts: PlanOptions): StepResult {
  const expiry = (): ParseResult<number | undefined> => resolveExpiry(want.expiry, opts.now);
  if (!have || (diffs.length > 0 && opts.replaceDrifted)) {
    const ms = expiry();
    if (!ms.ok) return ms;
    const base = { name, permissions: want.permissions, expiryMillis: ms.value };
    return { ok: true, value: have ? { action: 'replace', ...base, differences: diffs } : { action: 'create', ...base } };
  }
  return { ok: true, value: diffs.length > 0 ? { action: 'drift', name, differences: diffs } : { action: 'keep', name } };
}

export type PlanResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export function planPermissions(want: DesiredPermissions, existing: ExistingPermissionsFile | undefined, opts: PlanOptions): PlanResult<PermissionsPlan> {
  const have = new Map((existing?.tokens ?? []).map((t) => [t.name, t]));
  const problems: Problem[] = [];
  const steps: TokenStep[] = [];
  for (const t of want.tokens) {
    const h = have.get(t.name);
    const r = declaredStep(t.name, t, h, h ? differences(t, h) : [], opts);
    if (r.ok) steps.push(r.value);
    else problems.push({ pointer: `${t.pointer}/${t.expiry.kind === 'duration' ? 'expiry' : 'expires_at'}`, message: r.reason });
  }
  const declared = new Set(want.tokens.map((t) => t.name));
  for (const t of existing?.tokens ?? []) {
    if (!declared.has(t.name)) steps.push({ action: opts.prune ? 'remove' : 'unmanaged', name: t.name });
  }
  if (problems.length > 0) return { ok: false, problems };
  const known = new Set(existing?.create_databases ?? []);
  const databasesAdded = want.createDatabases.filter((d) => !known.has(d));
  const changes = !existing || databasesAdded.length > 0 || steps.some((s) => CHANGING.has(s.action));
  return { ok: true, value: { file: want.file, exists: existing !== undefined, steps, databasesAdded, changes } };
}

export function planAdmin(want: DesiredAdmin, existing: { name: string; expiry?: bigint | null } | undefined, opts: PlanOptions): PlanResult<AdminPlan> {
  const diffs: Difference[] = existing ? differences({ expiry: want.expiry }, existing) : [];
  if (existing && existing.name !== want.name) diffs.unshift({ field: 'name', file: existing.name, spec: want.name });
  const r = declaredStep(want.name, { permissions: ['*:*:*'], expiry: want.expiry }, existing, diffs, opts);
  if (!r.ok) return { ok: false, problems: [{ pointer: `/admin/${want.expiry.kind === 'duration' ? 'expiry' : 'expires_at'}`, message: r.reason }] };
  return { ok: true, value: { file: want.file, exists: existing !== undefined, step: r.value, changes: CHANGING.has(r.value.action) } };
}
