import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { HumanDuration } from '../../src/domain/duration';
import { type ExpirySpec, type ExpiryTerms, expiryMillis, parseInstant, resolveExpiry } from '../../src/domain/expiry';
import { desiredState } from '../../src/domain/spec';
import { InvalidInputError } from '../../src/errors';
import { worded } from '../../src/commands/words';

const NOW = 1_700_000_000_123; // 2023-11-14T22:13:20.123Z, deliberately not a whole second
const JAN_2030 = 1_893_456_000_000; // 2030-01-01T00:00:00Z

const duration = (text: string, secs: bigint, nanos = 0): ExpirySpec => ({
  kind: 'duration',
  text,
  duration: { secs, nanos } satisfies HumanDuration,
});
const instant = (text: string, millis: number): ExpirySpec => ({ kind: 'instant', text, millis });

function usageError(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InvalidInputError, `not an InvalidInputError: ${String(e)}`);
    assert.equal(e.code, 'EINVALID');
    for (const f of fragments) assert.ok(e.message.includes(f), `${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    return true;
  });
}

// ---- durations ----

const durations: ReadonlyArray<{ text: string; secs: bigint; nanos: number; expected: number }> = [
  { text: '1s', secs: 1n, nanos: 0, expected: NOW + 1000 },
  { text: '1h', secs: 3600n, nanos: 0, expected: NOW + 3_600_000 },
  { text: '7d', secs: 7n * 86400n, nanos: 0, expected: NOW + 604_800_000 },
  { text: '1y', secs: 31_557_600n, nanos: 0, expected: NOW + 31_557_600_000 },
  { text: '1M', secs: 2_630_016n, nanos: 0, expected: NOW + 2_630_016_000 },
  // the sub-second part is dropped, never rounded
  { text: '1.5s', secs: 1n, nanos: 500_000_000, expected: NOW + 1000 },
  { text: '1s 999ms', secs: 1n, nanos: 999_000_000, expected: NOW + 1000 },
  { text: '2s 999999999ns', secs: 2n, nanos: 999_999_999, expected: NOW + 2000 },
  { text: '90m 1ns', secs: 5400n, nanos: 1, expected: NOW + 5_400_000 },
];

for (const c of durations) {
  test(`expiryMillis: now + ${c.text} (${c.secs}s ${c.nanos}ns) = now + ${c.expected - NOW} ms`, () => {
    assert.equal(expiryMillis(duration(c.text, c.secs, c.nanos), NOW), c.expected);
  });
}

for (const [text, nanos] of [
  ['0', 0],
  ['0s', 0],
  ['500ms', 500_000_000],
  ['999999999ns', 999_999_999],
  ['1ns', 1],
] as const) {
  test(`expiryMillis refuses ${text}: under one second, the token would be born expired`, () => {
    usageError(() => expiryMillis(duration(text, 0n, nanos), NOW), 'expiry ', JSON.stringify(text), 'shorter than one second', '1s');
  });
}

test('expiryMillis: the largest result that is still a safe integer is accepted; one second more is refused', () => {
  const maxSecs = (BigInt(Number.MAX_SAFE_INTEGER) - BigInt(NOW)) / 1000n;
  const got = expiryMillis(duration('big', maxSecs), NOW);
  assert.equal(got, NOW + Number(maxSecs) * 1000);
  assert.ok(Number.isSafeInteger(got));
  usageError(
    () => expiryMillis(duration('bigger', maxSecs + 1n), NOW),
    'expiry "bigger"',
    String(Number.MAX_SAFE_INTEGER),
    'no expiry for a token that does not expire',
  );
});

test('expiryMillis refuses the largest humantime durations (u64 seconds) with a usage error', () => {
  usageError(() => expiryMillis(duration('584942417355y', (1n << 64n) - 1n, 999_999_999), NOW), 'cannot be written exactly');
  usageError(() => expiryMillis(duration('300000y', 300_000n * 31_557_600n), NOW), 'cannot be written exactly');
});

test('expiryMillis names no flag: the command layer words the field with the spelling the user typed', () => {
  const spec: ExpirySpec = { kind: 'duration', text: '0s', duration: { secs: 0n, nanos: 0 } };
  usageError(() => expiryMillis(spec, NOW), 'expiry "0s"');
  assert.throws(
    () => {
      try {
        expiryMillis(spec, NOW);
      } catch (e) {
        throw worded(e, { expiry: 'expiry_secs of body.json' });
      }
    },
    { code: 'EINVALID', message: /^expiry_secs of body\.json "0s" is shorter than one second/ },
  );
});

// ---- instants ----

test('expiryMillis of a future instant is that instant', () => {
  assert.equal(expiryMillis(instant('2030-01-01T00:00:00Z', JAN_2030), NOW), JAN_2030);
  assert.equal(expiryMillis(instant('x', NOW + 1), NOW), NOW + 1);
});

test('expiryMillis refuses an instant in the past, or exactly now', () => {
  usageError(
    () => expiryMillis(instant('2020-01-01T00:00:00Z', Date.UTC(2020, 0, 1)), NOW),
    'expiry 2020-01-01T00:00:00Z is in the past',
    'give a future instant such as 2023-11-21T22:13:20Z',
  );
  usageError(() => expiryMillis(instant('now', NOW), NOW), 'is in the past');
  usageError(() => expiryMillis(instant('just before', NOW - 1), NOW), 'is in the past');
});

// ---- parseInstant (RFC 3339) ----

const instants: ReadonlyArray<{ text: string; expected: number }> = [
  { text: '2030-01-01T00:00:00Z', expected: JAN_2030 },
  { text: '2030-01-01T00:00:00z', expected: JAN_2030 },
  { text: '2030-01-01t00:00:00Z', expected: JAN_2030 },
  { text: '2030-01-01 00:00:00Z', expected: JAN_2030 },
  { text: '2030-01-01T00:00:00+00:00', expected: JAN_2030 },
  { text: '2030-01-01T00:00:00-00:00', expected: JAN_2030 },
  { text: '2030-01-01T00:00:00+0000', expected: JAN_2030 },
  { text: '2030-01-01T02:00:00+02:00', expected: JAN_2030 },
  { text: '2030-01-01T02:00:00+0200', expected: JAN_2030 },
  { text: '2029-12-31T19:00:00-05:00', expected: JAN_2030 },
  { text: '2029-12-31T19:00:00-0500', expected: JAN_2030 },
  { text: '2030-01-01T05:30:00+05:30', expected: JAN_2030 },
  { text: '2029-12-31T14:15:00-09:45', expected: JAN_2030 },
  { text: '2030-01-01T23:59:59+23:59', expected: JAN_2030 + 60_000 - 1000 },
  // fractions: milliseconds kept, anything finer truncated
  { text: '2030-01-01T00:00:00.5Z', expected: JAN_2030 + 500 },
  { text: '2030-01-01T00:00:00.05Z', expected: JAN_2030 + 50 },
  { text: '2030-01-01T00:00:00.123Z', expected: JAN_2030 + 123 },
  { text: '2030-01-01T00:00:00.123456789Z', expected: JAN_2030 + 123 },
  { text: '2030-01-01T00:00:00.9999Z', expected: JAN_2030 + 999 },
  { text: '2030-01-01T00:00:00.000Z', expected: JAN_2030 },
  { text: '2030-01-01T02:00:00.250+02:00', expected: JAN_2030 + 250 },
  // calendar
  { text: '2028-02-29T00:00:00Z', expected: Date.UTC(2028, 1, 29) },
  { text: '2000-02-29T12:00:00Z', expected: 951_825_600_000 },
  { text: '2030-12-31T23:59:59Z', expected: 1_924_991_999_000 },
  { text: '2025-08-28T16:54:21.529Z', expected: 1_756_400_061_529 },
  // a leap second is folded into the next second
  { text: '2030-06-30T23:59:60Z', expected: Date.UTC(2030, 6, 1) },
  // years before 100 are real years, not 19xx
  { text: '0050-01-01T00:00:00Z', expected: -60_589_296_000_000 },
];

for (const c of instants) {
  test(`parseInstant(${JSON.stringify(c.text)}) = ${c.expected}`, () => {
    assert.equal(parseInstant(c.text, '--expires-at'), c.expected);
  });
}

const badInstants: ReadonlyArray<{ text: string; why: string }> = [
  // no such date
  { text: '2030-02-29T00:00:00Z', why: 'no such date' },
  { text: '2030-02-30T00:00:00Z', why: 'no such date' },
  { text: '2100-02-29T00:00:00Z', why: 'no such date' },
  { text: '2030-04-31T00:00:00Z', why: 'no such date' },
  { text: '2030-13-01T00:00:00Z', why: 'no such date' },
  { text: '2030-00-10T00:00:00Z', why: 'no such date' },
  { text: '2030-01-00T00:00:00Z', why: 'no such date' },
  { text: '2030-01-32T00:00:00Z', why: 'no such date' },
  // no such time
  { text: '2030-01-01T24:00:00Z', why: 'no such time of day' },
  { text: '2030-01-01T23:60:00Z', why: 'no such time of day' },
  { text: '2030-01-01T23:59:61Z', why: 'no such time of day' },
  { text: '2030-01-01T99:00:00Z', why: 'no such time of day' },
  // no such offset
  { text: '2030-01-01T00:00:00+24:00', why: 'no such offset' },
  { text: '2030-01-01T00:00:00+05:60', why: 'no such offset' },
  { text: '2030-01-01T00:00:00-9900', why: 'no such offset' },
  // not the format
  { text: '', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '2030-01-01', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '2030-01-01T00:00:00', why: 'with Z or an offset' },
  { text: '2030-01-01T00:00Z', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '2030-1-1T00:00:00Z', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '30-01-01T00:00:00Z', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '+2030-01-01T00:00:00Z', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '2030-01-01T00:00:00.Z', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '2030-01-01T00:00:00,5Z', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '2030-01-01T00:00:00+2', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '2030-01-01T00:00:00+02', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '2030-01-01T00:00:00+02:00:00', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '2030-01-01T00:00:00ZZ', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '2030-01-01T00:00:00 Z', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: ' 2030-01-01T00:00:00Z', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '2030-01-01T00:00:00Z ', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '2030-01-01T00:00:00UTC', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '1893456000000', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: 'tomorrow', why: 'expected YYYY-MM-DDTHH:MM:SS' },
  { text: '\u0662\u0660\u0663\u0660-01-01T00:00:00Z', why: 'expected YYYY-MM-DDTHH:MM:SS' }, // Arabic-Indic digits
];

for (const c of badInstants) {
  test(`parseInstant refuses ${JSON.stringify(c.text)} (${c.why})`, () => {
    usageError(
      () => parseInstant(c.text, '--expires-at'),
      `--expires-at ${JSON.stringify(c.text)} is not an RFC 3339 date-time (`,
      c.why,
      'write it like 2030-01-01T00:00:00Z',
    );
  });
}

test('an instant parsed in the past is then refused by expiryMillis', () => {
  const text = '2020-06-01T00:00:00+02:00';
  const millis = parseInstant(text, '--expires-at');
  assert.equal(millis, Date.UTC(2020, 4, 31, 22));
  usageError(() => expiryMillis(instant(text, millis), NOW), 'is in the past');
});

test('resolveExpiry is the one rule: the flags (expiryMillis) and a spec (desiredState) refuse with the same reason', () => {
  const cases: Array<[ExpiryTerms, string]> = [
    [{ kind: 'duration', text: '0s', secs: 0n }, 'expiry'],
    [{ kind: 'duration', text: '300000y', secs: 300_000n * 31_557_600n }, 'expiry'],
    [{ kind: 'instant', text: '2020-01-01T00:00:00Z', millis: Date.UTC(2020, 0, 1) }, 'expires_at'],
  ];
  for (const [terms, key] of cases) {
    const r = resolveExpiry(terms, NOW);
    assert.ok(!r.ok);
    const spec: ExpirySpec = terms.kind === 'duration' ? { kind: 'duration', text: terms.text, duration: { secs: terms.secs, nanos: 0 } } : terms;
    assert.throws(
      () => expiryMillis(spec, NOW),
      (e: unknown) => e instanceof InvalidInputError && e.rest === ` ${r.reason}.`,
    );
    const checked = desiredState({ admin: { file: 'a.json', [key]: terms.text } }, NOW);
    assert.ok(!checked.ok);
    assert.deepEqual(
      checked.problems.map((p) => [p.pointer, p.message]),
      [[`/admin/${key}`, r.reason]],
    );
  }
});
