/**
 * An expiry as people read it: the ISO 8601 instant and, in words, how far away it is
 * (duration-words.ts, the one wording of a duration). Files repeat expiries (a pipeline's
 * tokens share one), so each distinct value is worded once.
 */
import { durationWords } from './duration-words';

export interface ExpiryWords {
  /** ISO 8601, or the raw milliseconds when the instant has no ISO form (beyond ±8.64e15 ms). */
  iso: string;
  /** "in 3 months, 2 days" or "5 days ago". */
  relative: string;
  expired: boolean;
}

const cache = new Map<number, ExpiryWords>();
let cachedNow: number | undefined;

export function expiryWords(millis: number, now: number): ExpiryWords {
  if (cachedNow !== now) {
    cache.clear();
    cachedNow = now;
  }
  let words = cache.get(millis);
  if (words === undefined) {
    const date = new Date(millis);
    const iso = Number.isNaN(date.getTime()) ? `${millis} ms since 1970` : date.toISOString();
    const left = millis - now;
    const span = durationWords(left);
    words = { iso, relative: left > 0 ? `in ${span}` : `${span} ago`, expired: left <= 0 };
    cache.set(millis, words);
  }
  return words;
}

/** One line for text output: "2030-01-01T00:00:00.000Z (in 4 years, 1 month)", or "never". */
export function expiryLine(millis: number | undefined, now: number): string {
  if (millis === undefined) return 'never';
  const w = expiryWords(millis, now);
  return `${w.iso} (${w.expired ? `expired ${w.relative}` : w.relative})`;
}
