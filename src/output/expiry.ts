/**
 * An expiry as people read it: the ISO 8601 instant and, in words, how far away it is
 * (duration-words.ts, the one wording of a duration). Files repeat expiries (a pipeline's
 * tokens share one), so each distinct value is worded once.
 */
import { instantWords, isExpired } from '../domain/instant';
import { durationWords } from './duration-words';

export interface ExpiryWords {
  /** ISO 8601, or the exact milliseconds in words when the instant has no ISO form (beyond ±8.64e15 ms). */
  iso: string;
  /** "in 3 months, 2 days" or "5 days ago". */
  relative: string;
  expired: boolean;
}

/** What text output shows of an expiry, worded once per distinct value with its words. */
export interface ExpiryText {
  words: ExpiryWords;
  /** relative, prefixed "expired " when it has passed. */
  expires: string;
  /** "ISO (expires)". */
  line: string;
}

const cache = new Map<bigint, ExpiryText>();
let cachedNow: number | undefined;

/** The words and the text of an expiry; 100,000 rows sharing one expiry share these strings. */
export function expiryText(millis: bigint, now: number): ExpiryText {
  if (cachedNow !== now) {
    cache.clear();
    cachedNow = now;
  }
  let text = cache.get(millis);
  if (text === undefined) {
    const iso = instantWords(millis);
    const left = millis - BigInt(now);
    // Words need no more than a float's precision ("in 292 million years").
    const span = durationWords(Number(left));
    const expired = isExpired(millis, now);
    const words = { iso, relative: expired ? `${span} ago` : `in ${span}`, expired };
    const expires = words.expired ? `expired ${words.relative}` : words.relative;
    text = { words, expires, line: `${iso} (${expires})` };
    cache.set(millis, text);
  }
  return text;
}

export function expiryWords(millis: bigint, now: number): ExpiryWords {
  return expiryText(millis, now).words;
}

/** One line for text output: "2030-01-01T00:00:00.000Z (in 4 years, 1 month)", or "never". */
export function expiryLine(millis: bigint | null, now: number): string {
  return millis === null ? 'never' : expiryText(millis, now).line;
}
