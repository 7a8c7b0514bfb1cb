/**
 * The rules of the lifecycle commands that do not depend on how they were asked for:
 * which tokens are expired, what a successor is called. Pure.
 */
import type { TokenEntry } from './token-file';

/** The server treats a token as expired from its expiry instant on. */
export function isExpired(expiryMillis: number | undefined, now: number): boolean {
  return expiryMillis !== undefined && expiryMillis <= now;
}

/** A rotation successor's numbering: `app` -> `app-2`; `app-2` -> `app-3` (a suffix 2-999 counts on). */
const NUMBERED = /^(.*)-([2-9]|[1-9]\d{1,2})$/;

/** The first free name of NAME-2, NAME-3, ... (counting on from NAME's own -N suffix). */
export function successorName(name: string, taken: (candidate: string) => boolean): string {
  const m = NUMBERED.exec(name);
  const base = m ? m[1]! : name;
  for (let n = m ? Number(m[2]) + 1 : 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken(candidate)) return candidate;
  }
}

/** The entries `prune` removes. */
export function expiredEntries(tokens: readonly TokenEntry[], now: number): TokenEntry[] {
  return tokens.filter((t) => isExpired(t.expiry_millis, now));
}
