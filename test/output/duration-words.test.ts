import { test } from 'node:test';
import assert from 'node:assert/strict';

import { parseDuration } from '../../src/domain/duration';
import { durationWords } from '../../src/output/duration-words';

/** The span --expiry TEXT gives, as humantime measures it, plus `drift` ms (a clock read a little later). */
const ms = (text: string, drift = 0): number => Number(parseDuration(text, '--expiry').secs) * 1000 + drift;

const CASES: ReadonlyArray<readonly [string, number, string]> = [
  ['1y', 0, '1 year'],
  ['1y', -5, '1 year'],
  ['1y', -1500, '1 year'],
  ['1y', 1500, '1 year'],
  ['2years', 0, '2 years'],
  ['1y 6months', 0, '1 year, 6 months'],
  ['1M', 0, '1 month'],
  ['1M', -3000, '1 month'],
  ['3months', 0, '3 months'],
  ['12months', 0, '1 year'],
  ['90d', 0, '2 months, 29 days'],
  ['365d', 0, '1 year'],
  ['350d', 0, '11 months, 15 days'],
  ['7d', 0, '7 days'],
  ['7d', -20, '7 days'],
  ['1d 12h', 0, '1 day, 12 hours'],
  ['23h 59m 59s', 0, '1 day'],
  ['90m', 0, '1 hour, 30 minutes'],
  ['1h 1s', 0, '1 hour'],
  ['61s', 0, '1 minute, 1 second'],
  ['45s', 0, '45 seconds'],
  ['1s', 0, '1 second'],
  ['0', 499, '0 seconds'],
  ['0', 500, '1 second'],
  ['0', 0, '0 seconds'],
  ['1y', -31_557_600_000 * 2, '1 year'],
];

for (const [text, drift, words] of CASES) {
  test(`durationWords: ${text}${drift ? ` ${drift > 0 ? '+' : ''}${drift} ms` : ''} reads "${words}"`, () => {
    assert.equal(durationWords(ms(text, drift)), words);
  });
}
