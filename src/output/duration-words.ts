/**
 * A duration in words, the one helper every place that shows one uses (SPEC 6: with
 * humanize-duration). Its default month and year are not humantime's, and its rounding
 * does not carry into the larger unit, so `--expiry 1y` came out as "11 months, 4 weeks".
 * Here the month and the year are humantime's (30.44 and 365.25 days), and the two units
 * shown are chosen first, so a value within half of the smaller unit of a whole number of
 * the larger one reads as that whole number: 1y is "1 year", 1M is "1 month".
 */
import type HumanizeDuration from 'humanize-duration';

/**
 * Loaded on first use: its tables of a hundred languages cost every start-up (66 KB of
 * young heap) and most runs (a create without an expiry, a validate) show no duration.
 */
let humanize: typeof HumanizeDuration | undefined;
function humanizeDuration(...args: Parameters<typeof HumanizeDuration>): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  humanize ??= require('humanize-duration') as typeof HumanizeDuration;
  return humanize(...args);
}

type Unit = 'y' | 'mo' | 'd' | 'h' | 'm' | 's';

/** humantime 2.3.0's lengths, in milliseconds. Weeks are left out: "30 days" reads better than "4 weeks, 2 days". */
const MEASURES: Readonly<Record<Unit, number>> = {
  y: 31_557_600_000,
  mo: 2_630_016_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
};
const UNITS: readonly Unit[] = ['y', 'mo', 'd', 'h', 'm', 's'];

/** "1 year", "2 months, 3 days", "45 seconds": at most two units, the second rounded. */
export function durationWords(ms: number): string {
  const span = Math.abs(ms);
  for (let i = 0; i < UNITS.length; i++) {
    const big = UNITS[i]!;
    const small = UNITS[i + 1];
    const half = small ? MEASURES[small] / 2 : MEASURES[big] / 2;
    if (span < MEASURES[big] - half) continue;
    const whole = Math.floor((span + half) / MEASURES[big]);
    const rest = small ? Math.max(0, Math.round((span - whole * MEASURES[big]) / MEASURES[small])) : 0;
    const units = small ? [big, small] : [big];
    return humanizeDuration(whole * MEASURES[big] + rest * (small ? MEASURES[small] : 0), { units, unitMeasures: MEASURES, round: true });
  }
  // Under half a second: expiries are whole seconds, so this is "0 seconds" (ago).
  return humanizeDuration(span, { units: ['s'], round: true });
}
