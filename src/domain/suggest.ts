/**
 * "Did you mean": the one guess at what a mistyped name meant, for flags, commands and spec
 * keys alike. Pure; the caller words the suggestion.
 */

/** `renewBefore`, `renew-before`, `RENEW_BEFORE` and `renew_before` are one name. */
const folded = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/-/g, '_');

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours. */
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate `typed` most likely meant, or undefined when none is close: the same name
 * spelt with another case or separator; the one candidate it begins (at least two
 * characters typed); else the one nearest within one edit (two for names of more than five
 * characters). A tie between two candidates suggests nothing.
 */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const f = folded(typed);
  const same = candidates.find((c) => folded(c) === f);
  if (same !== undefined) return same;
  const extended = candidates.filter((c) => typed.length >= 2 && folded(c).startsWith(f));
  if (extended.length > 0) return extended[0];
  const limit = f.length > 5 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = limit + 1;
  let tied = false;
  for (const c of candidates) {
    const g = folded(c);
    // The distance is at least the difference in length: a key of megabytes meets no table.
    if (Math.abs(g.length - f.length) > limit) continue;
    const d = distance(f, g);
    if (d < bestDistance) [best, bestDistance, tied] = [c, d, false];
    else if (d === bestDistance) tied = true;
  }
  return tied ? undefined : best;
}
