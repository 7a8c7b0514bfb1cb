/**
 * Generations (SPEC 11.1): a token named NAME in a spec owns the file's entries NAME,
 * NAME-2, NAME-3, ... (the names `rotate token` and `renew_before` give), the highest
 * number being the current one. Pure; the one place that reads an entry's expiry and
 * compares expiries for apply, so the type of `expiry_millis` is handled here alone.
 */
/** Milliseconds since 1970, exact (the server's i64), or undefined for a token that never expires. */
export type ExpiryMillis = bigint | undefined;

/**
 * The expiry of an entry as the server reads it: `null` and absent both mean never.
 * Every expiry apply looks at comes through here, exact: a bigint from the reader, or an
 * integer this tool computed.
 */
export function expiryOf(entry: { readonly expiry?: bigint | number | null }): ExpiryMillis {
  const v = entry.expiry;
  if (v === undefined || v === null) return undefined;
  return BigInt(v);
}

/** Whether a token expires within `spanMs` of now (an expired one does too). */
export function expiresWithin(expiry: ExpiryMillis, now: number, spanMs: bigint): boolean {
  return expiry !== undefined && expiry - BigInt(now) <= spanMs;
}

export function sameExpiry(a: ExpiryMillis, b: number | bigint | undefined): boolean {
  return a === (b === undefined ? undefined : BigInt(b));
}

/** A generation number as written after the last `-`: 2 or more, no leading zero. */
const SUFFIX = /^(.+)-([1-9][0-9]*)$/;

/** The base and number of a name that looks like a generation (`grafana-3` -> grafana, 3); numbers stay exact as bigint. */
export function splitGeneration(name: string): { base: string; n: bigint } | undefined {
  const m = SUFFIX.exec(name);
  if (!m) return undefined;
  const n = BigInt(m[2]!);
  return n >= 2n ? { base: m[1]!, n } : undefined;
}

/** The name of generation n of `base` (1 is the base name itself). */
export function generationName(base: string, n: bigint): string {
  return n === 1n ? base : `${base}-${n}`;
}

export interface Generation<T> {
  readonly n: bigint;
  readonly entry: T;
}

/**
 * The generations of each declared name among `entries`, oldest first. An entry belongs to
 * a declared name when it is that name, or that name followed by `-N` (N >= 2) and is not
 * itself declared: a spec with `x` and `x-2` has two tokens. Entries that belong to no
 * declared name are returned apart, in file order.
 */
export function groupGenerations<T extends { readonly name: string }>(
  declared: ReadonlySet<string>,
  entries: readonly T[],
): { byName: Map<string, Generation<T>[]>; others: T[] } {
  const byName = new Map<string, Generation<T>[]>();
  const others: T[] = [];
  const add = (base: string, g: Generation<T>): void => {
    const list = byName.get(base);
    if (list) list.push(g);
    else byName.set(base, [g]);
  };
  for (const entry of entries) {
    if (declared.has(entry.name)) {
      add(entry.name, { n: 1n, entry });
      continue;
    }
    const split = splitGeneration(entry.name);
    if (split && declared.has(split.base)) add(split.base, { n: split.n, entry });
    else others.push(entry);
  }
  for (const list of byName.values()) list.sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
  return { byName, others };
}

/** The highest-numbered NAME-N among `names` (N >= 2), if any. */
export function currentGeneration(base: string, names: readonly string[]): string | undefined {
  let best: { name: string; n: bigint } | undefined;
  for (const name of names) {
    const split = splitGeneration(name);
    if (split && split.base === base && (!best || split.n > best.n)) best = { name, n: split.n };
  }
  return best?.name;
}

/**
 * The highest generation number of every base among `names`, in one pass: what renewing
 * thousands of tokens at once needs (a scan of the file per token would be quadratic).
 */
export function highestGenerations(names: Iterable<string>): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const name of names) {
    const split = splitGeneration(name);
    if (split && split.n > (out.get(split.base) ?? 1n)) out.set(split.base, split.n);
  }
  return out;
}

/**
 * The name `rotate token` and `renew_before` give the successor of `base`: one above the
 * highest generation in the file, so a gap left by a deleted generation is never refilled
 * (a lower number would not be the current generation).
 */
export function nextGenerationName(base: string, names: readonly string[]): string {
  const current = currentGeneration(base, names);
  return generationName(base, (current === undefined ? 1n : splitGeneration(current)!.n) + 1n);
}
