/**
 * The rules of the lifecycle commands that do not depend on how they were asked for:
 * which tokens are expired, what a successor is called. Pure.
 */
import { isExpired } from './instant';

/**
 * The first free name of NAME-2, NAME-3, ... Always counted from NAME as given: a name that
 * already ends in -N (server-1, db-2024) is a name, not a generation to count on from.
 */
export function successorName(name: string, taken: (candidate: string) => boolean): string {
  for (let n = 2; ; n++) {
    const candidate = `${name}-${n}`;
    if (!taken(candidate)) return candidate;
  }
}

/** The entries `prune` removes: an expiry at or before now. null (absent) never expires. */
export function expiredEntries<T extends { expiry: bigint | null }>(tokens: readonly T[], now: number): T[] {
  return tokens.filter((t) => isExpired(t.expiry, now));
}
