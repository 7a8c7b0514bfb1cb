/**
 * The apply spec (SPEC 11) as a desired state, and the plan that makes the token files
 * match it. Pure: the spec object, the files' parsed contents and the clock come in; a
 * plan, or problems placed by JSON pointers into the spec, come out. `--dry-run` is this
 * plan printed; apply writes what it says.
 */
import { databaseNameProblem } from './database-name';
import { parseDuration } from './duration';
import { type ExpiryTerms, parseInstant, resolveExpiry } from './expiry';
import { isExpired } from './instant';
import { type ParseResult, formatPermission, parsePermission } from './permissions';
import { type PermissionCheck, normalisePermission } from './token-request';
import { type Problem, schemaProblems } from './schema';
import { type ExpiryMillis, expiresWithin, expiryOf, generationName, groupGenerations, highestGenerations, sameExpiry } from './generations';

export type { Problem } from './schema';

/** A relative expiry is resolved only when a token is created; an instant is compared with what a file holds. */
export type DesiredExpiry = { readonly kind: 'none' } | ExpiryTerms;

export interface DesiredToken {
  readonly name: string;
  /** Normalised (section 4), duplicates removed, in the spec's order. */
  readonly permissions: readonly string[];
  readonly expiry: DesiredExpiry;
  /**
   * renew_before (the token's own, or the one on permissions:): the current generation is
   * renewed when it expires within this many milliseconds. Only with a relative expiry.
   */
  readonly renewBeforeMs?: number;
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

/** expiry.ts's rules, checked with the spec: a token born expired, or an expiry that cannot be written exactly, is a problem at its place. */
function expiryProblem(terms: ExpiryTerms, pointer: string, now: number, problems: Problem[]): void {
  const r = resolveExpiry(terms, now);
  if (!r.ok) problems.push({ pointer, message: r.reason });
}

function desiredExpiry(raw: RawExpiry, pointer: string, now: number, problems: Problem[], memo: Memo): DesiredExpiry {
  if (raw.expiry !== undefined && raw.expires_at !== undefined) {
    problems.push({ pointer: `${pointer}/expires_at`, message: 'give expiry or expires_at, not both' });
    return { kind: 'none' };
  }
  if (raw.expiry !== undefined) {
    try {
      const terms = { kind: 'duration', text: raw.expiry, secs: duration(raw.expiry, memo).secs } as const;
      expiryProblem(terms, `${pointer}/expiry`, now, problems);
      return terms;
    } catch (e) {
      problems.push({ pointer: `${pointer}/expiry`, message: (e as Error).message });
      return { kind: 'none' };
    }
  }
  if (raw.expires_at !== undefined) {
    try {
      const terms = { kind: 'instant', text: raw.expires_at, millis: parseInstant(raw.expires_at, 'expires_at') } as const;
      expiryProblem(terms, `${pointer}/expires_at`, now, problems);
      return terms;
    } catch (e) {
      problems.push({ pointer: `${pointer}/expires_at`, message: (e as Error).message });
      return { kind: 'none' };
    }
  }
  return { kind: 'none' };
}

/** Specs repeat the same few permission strings and durations across thousands of tokens. */
interface Memo {
  permissions: Map<string, PermissionCheck>;
  durations: Map<string, { secs: bigint } | Error>;
}

function normalisedPermissions(texts: readonly string[], pointer: string, problems: Problem[], memo: Memo): string[] {
  const out: string[] = [];
  texts.forEach((text, i) => {
    let p = memo.permissions.get(text);
    // The rules of a permission token's permissions are token-request's, written once.
    if (!p) memo.permissions.set(text, (p = normalisePermission(text)));
    if (!p.ok) {
      const fix = p.adminOnly ? '; declare it under admin:' : '';
      problems.push({ pointer: `${pointer}/${i}`, message: `the permission ${JSON.stringify(text)} is invalid: ${p.reason}${fix}` });
    } else if (!out.includes(p.value)) out.push(p.value);
  });
  return out;
}

interface RawToken extends RawExpiry {
  name: string;
  permissions: string[];
  renew_before?: string;
}
interface RawSpec {
  admin?: RawExpiry & { file: string; name?: string };
  permissions?: { file: string; create_databases?: string[]; renew_before?: string; tokens?: RawToken[] };
  outputs?: Array<Record<string, unknown>>;
}

/** A renew_before text as milliseconds, or a problem at its place. */
function renewSpan(text: string, pointer: string, problems: Problem[], memo: Memo): bigint | undefined {
  try {
    const d = duration(text, memo);
    return d.secs * 1000n;
  } catch (e) {
    problems.push({ pointer, message: (e as Error).message.replace(/^expiry: /, '') });
    return undefined;
  }
}

/**
 * The renew_before that applies to a token, checked against its expiry: renewal mints the
 * spec's lifetime from now, so it needs a relative expiry, and a window as long as that
 * lifetime would renew on every run.
 */
function renewBefore(
  t: RawToken,
  expiry: DesiredExpiry,
  pointer: string,
  shared: { ms: bigint | undefined; text: string } | undefined,
  problems: Problem[],
  memo: Memo,
): number | undefined {
  const own = t.renew_before;
  const where = own !== undefined ? `${pointer}/renew_before` : '/permissions/renew_before';
  const ms = own !== undefined ? renewSpan(own, where, problems, memo) : shared?.ms;
  if (ms === undefined) return undefined;
  if (expiry.kind !== 'duration') {
    // The shared value only applies where it can; a token's own renew_before must.
    if (own === undefined) return undefined;
    const why = expiry.kind === 'none' ? 'the token has no expiry' : 'expires_at is a fixed instant, which a renewal would keep';
    problems.push({ pointer: where, message: `renew_before needs a relative expiry (such as expiry: 90d), but ${why}` });
    return undefined;
  }
  if (ms >= expiry.secs * 1000n) {
    const text = own ?? shared!.text;
    problems.push({
      pointer: where,
      message: `renew_before ${JSON.stringify(text)} is not shorter than the expiry ${JSON.stringify(expiry.text)} of ${JSON.stringify(t.name)}, so every run would renew it; give a shorter span`,
    });
    return undefined;
  }
  return Number(ms);
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
    if (admin && p.file === admin.file)
      problems.push({ pointer: '/permissions/file', message: `${JSON.stringify(p.file)} is also the admin token file; the two kinds need two files` });
    const createDatabases: string[] = [];
    (p.create_databases ?? []).forEach((db, i) => {
      const why = databaseNameProblem(db);
      if (why) problems.push({ pointer: `/permissions/create_databases/${i}`, message: `the database name ${JSON.stringify(db)} is invalid: ${why}` });
      else if (!createDatabases.includes(db)) createDatabases.push(db);
    });
    const seen = new Map<string, string>();
    const shared =
      p.renew_before === undefined ? undefined : { ms: renewSpan(p.renew_before, '/permissions/renew_before', problems, memo), text: p.renew_before };
    const tokens = (p.tokens ?? []).map((t, i): DesiredToken => {
      const pointer = `/permissions/tokens/${i}`;
      const first = seen.get(t.name);
      if (first !== undefined)
        problems.push({
          pointer: `${pointer}/name`,
          message: `the name ${JSON.stringify(t.name)} is given twice (first at ${first}); names are unique within a file`,
        });
      else seen.set(t.name, `${pointer}/name`);
      const expiry = desiredExpiry(t, pointer, now, problems, memo);
      const renewBeforeMs = renewBefore(t, expiry, pointer, shared, problems, memo);
      return {
        name: t.name,
        permissions: normalisedPermissions(t.permissions, `${pointer}/permissions`, problems, memo),
        expiry,
        ...(renewBeforeMs !== undefined && { renewBeforeMs }),
        pointer,
      };
    });
    permissions = { file: p.file, createDatabases, tokens };
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { ...(admin && { admin }), ...(permissions && { permissions }), outputs: raw.outputs ?? [] } };
}

/** A token as a file holds it (the string itself is not needed to plan); its expiry is read through expiryOf. */
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

/** `of`: the spec's name, on an entry that is a later generation of it (`grafana-2` of `grafana`). */
export type TokenStep =
  /** `recreated`: the file exists but holds no generation of the name (new in the spec, or pruned or deleted there). */
  | {
      readonly action: 'create';
      readonly name: string;
      readonly permissions: readonly string[];
      readonly expiryMillis: ExpiryMillis;
      readonly recreated?: true;
    }
  /** The current generation, as the spec wants it; `expired` when it is past its expiry and nothing renews it. */
  | { readonly action: 'keep'; readonly name: string; readonly of?: string; readonly expired?: true }
  /** Kept as it is: a server that has the name would not apply the change anyway. */
  | { readonly action: 'drift'; readonly name: string; readonly of?: string; readonly differences: readonly Difference[]; readonly expired?: true }
  /** --replace-drifted: a new string under the same name, in the same place. */
  | {
      readonly action: 'replace';
      readonly name: string;
      readonly of?: string;
      readonly permissions: readonly string[];
      readonly expiryMillis: ExpiryMillis;
      readonly differences: readonly Difference[];
    }
  /** renew_before: the next generation, because `previous` (the current one) expires within the window. */
  | {
      readonly action: 'renew';
      readonly name: string;
      readonly of: string;
      readonly previous: string;
      readonly previousExpiryMillis: bigint;
      readonly permissions: readonly string[];
      readonly expiryMillis: ExpiryMillis;
    }
  /** An older generation, kept for the clients that still use it; outputs no longer hand it out. */
  | { readonly action: 'retire'; readonly name: string; readonly of: string; readonly expiryMillis: ExpiryMillis; readonly expired?: true }
  /** --prune: in the file and not in the spec, or an expired older generation. */
  | { readonly action: 'remove'; readonly name: string; readonly of?: string }
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
  /** Declared tokens in the spec's order (each one's generations oldest first), then the file's other tokens in the file's order. */
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

const CHANGING = new Set<TokenStep['action']>(['create', 'replace', 'renew', 'remove']);
/** The steps that put a new token string into a file. */
export const MINTING = new Set<TokenStep['action']>(['create', 'replace', 'renew']);

/** expiry_millis for a token created now, or the reason it cannot be written. */
/** The expiry of a token made now: expiry.ts's rules (an instant checked as a spec problem already is taken as it is). */
function resolve(e: DesiredExpiry, now: number): ParseResult<ExpiryMillis> {
  if (e.kind === 'none') return { ok: true, value: undefined };
  if (e.kind === 'instant') return { ok: true, value: BigInt(e.millis) };
  const r = resolveExpiry(e, now);
  return r.ok ? { ok: true, value: BigInt(r.value) } : r;
}

/**
 * The file's permissions in the normalised form where they parse; others compare as written.
 * Thousands of tokens share a few lists: each distinct list is parsed once per plan.
 */
type SetMemo = Map<string, Set<string>>;
function normalisedSet(texts: readonly string[], memo: SetMemo): Set<string> {
  const key = texts.join('\n');
  let set = memo.get(key);
  if (!set) {
    set = new Set(
      texts.map((t) => {
        const p = parsePermission(t);
        return p.ok ? formatPermission(p.value) : t;
      }),
    );
    memo.set(key, set);
  }
  return set;
}

interface Held {
  readonly permissions?: readonly string[];
  /** Exact i64 milliseconds; null or absent never expires. */
  readonly expiry?: bigint | null;
}

function differences(want: { permissions?: readonly string[]; expiry: DesiredExpiry }, have: Held, memo: SetMemo = new Map()): Difference[] {
  const out: Difference[] = [];
  if (want.permissions && have.permissions) {
    const a = normalisedSet(want.permissions, memo);
    const b = normalisedSet(have.permissions, memo);
    if (a.size !== b.size || [...a].some((p) => !b.has(p))) out.push({ field: 'permissions', file: [...have.permissions], spec: [...want.permissions] });
  }
  const fileExpiry = expiryOf(have);
  const e = want.expiry;
  // A relative expiry is resolved only at creation: it never counts as drift by itself.
  if (e.kind === 'none' && fileExpiry !== undefined) out.push({ field: 'expiry', file: fileExpiry, spec: null });
  else if (e.kind === 'duration' && fileExpiry === undefined) out.push({ field: 'expiry', file: null, spec: e.text });
  else if (e.kind === 'instant' && !sameExpiry(fileExpiry, e.millis)) out.push({ field: 'expiry', file: fileExpiry ?? null, spec: e.millis });
  return out;
}

type StepResult = ParseResult<TokenStep>;
type Want = { readonly permissions: readonly string[]; readonly expiry: DesiredExpiry };

/** The step of a declared token's current generation `have` (named `name`), or of its creation. */
function declaredStep(name: string, of: string | undefined, want: Want, have: Held | undefined, diffs: Difference[], opts: PlanOptions): StepResult {
  const generation = of === undefined ? {} : { of };
  if (!have || (diffs.length > 0 && opts.replaceDrifted)) {
    const ms = resolve(want.expiry, opts.now);
    if (!ms.ok) return ms;
    const base = { name, permissions: want.permissions, expiryMillis: ms.value };
    return { ok: true, value: have ? { action: 'replace', ...base, ...generation, differences: diffs } : { action: 'create', ...base } };
  }
  const expired = isExpired(expiryOf(have), opts.now) ? { expired: true as const } : {};
  return {
    ok: true,
    value: diffs.length > 0 ? { action: 'drift', name, ...generation, differences: diffs, ...expired } : { action: 'keep', name, ...generation, ...expired },
  };
}

/** An older generation: kept while it works (clients may still use it), removed by --prune once expired. */
function olderStep(name: string, of: string, held: Held, opts: PlanOptions): TokenStep {
  const expiryMillis = expiryOf(held);
  const expired = isExpired(expiryMillis, opts.now);
  if (expired && opts.prune) return { action: 'remove', name, of };
  return { action: 'retire', name, of, expiryMillis, ...(expired && { expired: true as const }) };
}

export type PlanResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

const expiryPointer = (pointer: string, e: DesiredExpiry): string => `${pointer}/${e.kind === 'duration' ? 'expiry' : 'expires_at'}`;

/** The steps of one declared token over its generations in the file. */
function tokenSteps(
  t: DesiredToken,
  generations: ReadonlyArray<{ n: bigint; entry: ExistingToken }>,
  highest: () => ReadonlyMap<string, bigint>,
  existing: boolean,
  opts: PlanOptions,
  memo: SetMemo,
): ParseResult<TokenStep[]> {
  const current = generations[generations.length - 1];
  if (!current) {
    const r = declaredStep(t.name, undefined, t, undefined, [], opts);
    if (!r.ok) return r;
    return { ok: true, value: [existing ? { ...(r.value as Extract<TokenStep, { action: 'create' }>), recreated: true } : r.value] };
  }
  const steps = generations.slice(0, -1).map((g) => olderStep(g.entry.name, t.name, g.entry, opts));
  const of = current.n === 1n ? undefined : t.name;
  const currentExpiry = expiryOf(current.entry);
  if (t.renewBeforeMs !== undefined && currentExpiry !== undefined && expiresWithin(currentExpiry, opts.now, BigInt(t.renewBeforeMs))) {
    const ms = resolve(t.expiry, opts.now);
    if (!ms.ok) return ms;
    steps.push(olderStep(current.entry.name, t.name, current.entry, opts));
    const name = generationName(t.name, (highest().get(t.name) ?? 1n) + 1n);
    steps.push({
      action: 'renew',
      name,
      of: t.name,
      previous: current.entry.name,
      previousExpiryMillis: currentExpiry,
      permissions: t.permissions,
      expiryMillis: ms.value,
    });
    return { ok: true, value: steps };
  }
  const r = declaredStep(current.entry.name, of, t, current.entry, differences(t, current.entry, memo), opts);
  if (!r.ok) return r;
  steps.push(r.value);
  return { ok: true, value: steps };
}

export function planPermissions(want: DesiredPermissions, existing: ExistingPermissionsFile | undefined, opts: PlanOptions): PlanResult<PermissionsPlan> {
  const declared = new Set(want.tokens.map((t) => t.name));
  const { byName, others } = groupGenerations(declared, existing?.tokens ?? []);
  // Only a renewal needs the highest generation of each name, in the file and in the spec
  // (a declared x-2 is taken even before it is in the file): counted once, on first use.
  let counted: Map<string, bigint> | undefined;
  const highest = (): ReadonlyMap<string, bigint> => (counted ??= highestGenerations([...declared, ...(existing?.tokens ?? []).map((t) => t.name)]));
  const problems: Problem[] = [];
  const steps: TokenStep[] = [];
  const memo: SetMemo = new Map();
  for (const t of want.tokens) {
    const r = tokenSteps(t, byName.get(t.name) ?? [], highest, existing !== undefined, opts, memo);
    if (r.ok) steps.push(...r.value);
    else problems.push({ pointer: expiryPointer(t.pointer, t.expiry), message: r.reason });
  }
  for (const t of others) steps.push({ action: opts.prune ? 'remove' : 'unmanaged', name: t.name });
  if (problems.length > 0) return { ok: false, problems };
  const known = new Set(existing?.create_databases ?? []);
  const databasesAdded = want.createDatabases.filter((d) => !known.has(d));
  const changes = !existing || databasesAdded.length > 0 || steps.some((s) => CHANGING.has(s.action));
  return { ok: true, value: { file: want.file, exists: existing !== undefined, steps, databasesAdded, changes } };
}

export function planAdmin(want: DesiredAdmin, existing: { name: string; expiry?: bigint | null } | undefined, opts: PlanOptions): PlanResult<AdminPlan> {
  const diffs: Difference[] = existing ? differences({ expiry: want.expiry }, existing) : [];
  if (existing && existing.name !== want.name) diffs.unshift({ field: 'name', file: existing.name, spec: want.name });
  const r = declaredStep(want.name, undefined, { permissions: ['*:*:*'], expiry: want.expiry }, existing, diffs, opts);
  if (!r.ok) return { ok: false, problems: [{ pointer: expiryPointer('/admin', want.expiry), message: r.reason }] };
  return { ok: true, value: { file: want.file, exists: existing !== undefined, step: r.value, changes: CHANGING.has(r.value.action) } };
}

/**
 * What outputs hand out from the permission tokens file once the plan is applied: each
 * declared token's current generation under the spec's name, no older generation, and the
 * file's other tokens under their own names. Keyed by the entry's name in the file.
 */
export function outputNames(plan: PermissionsPlan): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const s of plan.steps) {
    if (s.action === 'retire') out.set(s.name, undefined);
    else if (s.action !== 'remove' && 'of' in s && s.of !== undefined) out.set(s.name, s.of);
  }
  return out;
}

/** The current generations that have expired and are handed out as they are (nothing renews them). */
export function expiredCurrent(steps: readonly TokenStep[]): Array<{ name: string; of: string }> {
  return steps.flatMap((s) => ((s.action === 'keep' || s.action === 'drift') && s.expired ? [{ name: s.name, of: s.of ?? s.name }] : []));
}
