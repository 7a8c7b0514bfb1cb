/**
 * From a requested expiry (a duration or an instant) to expiry_millis. Pure: `nowMs` is passed in.
 * expiry_millis = now + whole seconds of the duration * 1000; the sub-second part is
 * dropped, as the server CLI does.
 */
import { InvalidInputError } from '../errors';
import type { HumanDuration } from './duration';

export type ExpirySpec =
  | { readonly kind: 'duration'; readonly text: string; readonly duration: HumanDuration }
  | { readonly kind: 'instant'; readonly text: string; readonly millis: number };

/** What the expiry rules need of a requested expiry: the whole seconds of a duration, or the instant. */
export type ExpiryTerms =
  { readonly kind: 'duration'; readonly text: string; readonly secs: bigint } | { readonly kind: 'instant'; readonly text: string; readonly millis: number };

/**
 * The expiry rules, written once for every way of asking (flags, the library, an apply
 * spec): a token is never born expired (an instant at or before now, a duration under one
 * second), and an expiry is refused, never clamped, when its milliseconds would pass
 * Number.MAX_SAFE_INTEGER (they could not be written exactly). The reason is the words
 * after the value's name, without a final period.
 */
export function resolveExpiry(terms: ExpiryTerms, nowMs: number): { ok: true; value: number } | { ok: false; reason: string } {
  if (terms.kind === 'instant') {
    if (terms.millis > nowMs) return { ok: true, value: terms.millis };
    return {
      ok: false,
      reason: `${terms.text} is in the past; give a future instant such as ${new Date(nowMs + 7 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z')}`,
    };
  }
  if (terms.secs === 0n) {
    return { ok: false, reason: `${JSON.stringify(terms.text)} is shorter than one second, so the token would be born expired; give at least 1s` };
  }
  const millis = BigInt(nowMs) + terms.secs * 1000n;
  if (millis > BigInt(Number.MAX_SAFE_INTEGER)) {
    return {
      ok: false,
      reason: `${JSON.stringify(terms.text)} puts the expiry beyond ${Number.MAX_SAFE_INTEGER} ms since 1970, which cannot be written exactly; give a shorter duration, or no expiry for a token that does not expire`,
    };
  }
  return { ok: true, value: Number(millis) };
}

/** resolveExpiry or InvalidInputError on field `expiry`; the CLI names the flag or key the expiry came from. */
export function expiryMillis(spec: ExpirySpec, nowMs: number): number {
  const r = resolveExpiry(spec.kind === 'duration' ? { kind: 'duration', text: spec.text, secs: spec.duration.secs } : spec, nowMs);
  if (!r.ok) throw new InvalidInputError('expiry', ` ${r.reason}.`);
  return r.value;
}

const GREGORIAN_CYCLE_MS = 146_097 * 86_400_000;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/**
 * RFC 3339 date-time, as influxctl's expiry instant takes. The colon of the offset is
 * optional because influxctl's own docs build the value with `date +%z` (+0000).
 */
export function parseInstant(text: string, label: string): number {
  const m = RFC3339.exec(text);
  const bad = (why: string): InvalidInputError =>
    new InvalidInputError(label, ` ${JSON.stringify(text)} is not an RFC 3339 date-time (${why}); write it like 2030-01-01T00:00:00Z.`);
  if (!m) throw bad('expected YYYY-MM-DDTHH:MM:SS with Z or an offset such as +02:00');
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m as unknown as string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  // Date.UTC reads years 0-99 as 1900-1999; 400 Gregorian years later the calendar is
  // the same, so compute there and step back.
  const utc = (mo0: number, dd: number, hh = 0, mm = 0, ss = 0, ms = 0): number => Date.UTC(year + 400, mo0, dd, hh, mm, ss, ms) - GREGORIAN_CYCLE_MS;
  const daysInMonth = new Date(utc(month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) throw bad('no such date');
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) throw bad('no such time of day');
  if (!z && (Number(oh) > 23 || Number(om) > 59)) throw bad('no such offset');
  const offsetMin = z ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  // A leap second (:60) is folded into the next second, as most parsers do.
  return utc(month - 1, day, Number(h), Number(mi), Number(s), ms) - offsetMin * 60_000;
}
