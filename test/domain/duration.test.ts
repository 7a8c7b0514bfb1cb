import { test } from 'node:test';
import assert from 'node:assert/strict';

import { parseDuration, type HumanDuration } from '../../src/domain/duration';
import { InvalidInputError } from '../../src/errors';
import oracleCases from '../../fixtures/humantime-2.3.0-cases.json';

const U64_MAX = (1n << 64n) - 1n;
const MSG_OVERFLOW = 'number is too large or cannot be represented without a lack of precision';

/** An accepted input and the exact (secs, nanos) humantime 2.3.0 returns for it. */
interface Ok {
  readonly input: string;
  readonly secs: bigint;
  readonly nanos: number;
}
/** A rejected input; `reason` is a fragment of the reason the message must carry. */
interface Err {
  readonly input: string;
  readonly reason: string;
}
type Case = Ok | Err;

const ok = (input: string, secs: bigint | number, nanos = 0): Ok => ({ input, secs: BigInt(secs), nanos });
const err = (input: string, reason: string): Err => ({ input, reason });

function check(c: Case): void {
  if ('secs' in c) {
    let got: HumanDuration;
    try {
      got = parseDuration(c.input);
    } catch (e) {
      assert.fail(`${JSON.stringify(c.input)} was rejected: ${(e as Error).message}`);
    }
    assert.deepEqual({ secs: got.secs, nanos: got.nanos }, { secs: c.secs, nanos: c.nanos }, JSON.stringify(c.input));
  } else {
    assert.throws(
      () => parseDuration(c.input),
      (e: unknown) => {
        assert.ok(e instanceof InvalidInputError, `${JSON.stringify(c.input)}: not an InvalidInputError`);
        assert.ok(e.message.includes(c.reason), `${JSON.stringify(c.input)}: ${JSON.stringify(e.message)} lacks ${JSON.stringify(c.reason)}`);
        return true;
      },
      `${JSON.stringify(c.input)} was accepted`,
    );
  }
}

function runTable(name: string, cases: readonly Case[]): void {
  test(name, () => {
    for (const c of cases) check(c);
  });
}

// ------------------------------------------------------------------------------------
// 1. The #[test] functions of humantime 2.3.0 src/duration.rs, case for case.

runTable('humantime test_units', [
  ok('17nsec', 0, 17),
  ok('17nanos', 0, 17),
  ok('33ns', 0, 33),
  ok('3usec', 0, 3000),
  ok('78us', 0, 78000),
  ok('163\u00b5s', 0, 163000),
  ok('31msec', 0, 31_000_000),
  ok('31millis', 0, 31_000_000),
  ok('6ms', 0, 6_000_000),
  ok('3000s', 3000),
  ok('300sec', 300),
  ok('300secs', 300),
  ok('50seconds', 50),
  ok('1second', 1),
  ok('100m', 6000),
  ok('12min', 720),
  ok('12mins', 720),
  ok('1minute', 60),
  ok('7minutes', 420),
  ok('2h', 7200),
  ok('7hr', 25200),
  ok('7hrs', 25200),
  ok('1hour', 3600),
  ok('24hours', 86400),
  ok('1day', 86400),
  ok('2days', 172_800),
  ok('365d', 31_536_000),
  ok('1week', 604_800),
  ok('7weeks', 4_233_600),
  ok('104wks', 2 * 31_449_600),
  ok('100wk', 60_480_000),
  ok('52w', 31_449_600),
  ok('1month', 2_630_016),
  ok('3months', 3 * 2_630_016),
  ok('12M', 31_560_192),
  ok('1year', 31_557_600),
  ok('7years', 7 * 31_557_600),
  ok('15yrs', 15 * 31_557_600),
  ok('10yr', 10 * 31_557_600),
  ok('17y', 536_479_200),
]);

runTable('humantime test_fractional_bad_input', [
  err('1.s', 'invalid character at'),
  err('1..s', 'invalid character at'),
  err('.1s', 'expected number at'),
  err('.', 'expected number at'),
  err('0.000123456789s', MSG_OVERFLOW),
]);

runTable('humantime test_fractional_units', [
  // nanos
  err('17.5nsec', MSG_OVERFLOW),
  err('5.1nanos', MSG_OVERFLOW),
  err('0.0005ns', MSG_OVERFLOW),
  // micros
  ok('3.1usec', 0, 3100),
  ok('3.1us', 0, 3100),
  ok('3.01us', 0, 3010),
  ok('3.001us', 0, 3001),
  err('3.0001us', MSG_OVERFLOW),
  err('0.0001us', MSG_OVERFLOW),
  err('0.123456us', MSG_OVERFLOW),
  // millis
  ok('31.1msec', 0, 31_100_000),
  ok('31.1millis', 0, 31_100_000),
  ok('31.1ms', 0, 31_100_000),
  ok('31.01ms', 0, 31_010_000),
  ok('31.001ms', 0, 31_001_000),
  ok('31.0001ms', 0, 31_000_100),
  ok('31.00001ms', 0, 31_000_010),
  ok('31.000001ms', 0, 31_000_001),
  err('31.0000001ms', MSG_OVERFLOW),
  // seconds
  ok('300.0sec', 300),
  ok('300.0secs', 300),
  ok('300.0seconds', 300),
  ok('300.0s', 300),
  ok('0.0s', 0),
  ok('0.2s', 0, 200_000_000),
  ok('1.2s', 1, 200_000_000),
  ok('1.02s', 1, 20_000_000),
  ok('1.002s', 1, 2_000_000),
  ok('1.0002s', 1, 200_000),
  ok('1.00002s', 1, 20_000),
  ok('1.000002s', 1, 2_000),
  ok('1.0000002s', 1, 200),
  ok('1.00000002s', 1, 20),
  ok('1.000000002s', 1, 2),
  ok('1.123456789s', 1, 123_456_789),
  err('1.0000000002s', MSG_OVERFLOW),
  err('0.0000000002s', MSG_OVERFLOW),
  // minutes
  ok('100.0m', 6000),
  ok('12.1min', 726),
  ok('12.1mins', 726),
  ok('1.5minute', 90),
  ok('1.5minutes', 90),
  // hours
  ok('2.0h', 7200),
  ok('2.0hr', 7200),
  ok('2.0hrs', 7200),
  ok('2.0hours', 7200),
  ok('2.5h', 9000),
  ok('0.5h', 1800),
  // days
  ok('1.5day', 86400 + 86400 / 2),
  ok('1.5days', 86400 + 86400 / 2),
  ok('1.5d', 86400 + 86400 / 2),
  err('0.00000005d', MSG_OVERFLOW),
]);

runTable('humantime test_fractional_combined', [
  ok('7.120us 3ns', 0, 7123),
  ok('7.123us 4ns', 0, 7127),
  ok('1.234s 789ns', 1, 234_000_789),
  ok('1.234s 0.789us', 1, 234_000_789),
  ok('1.234567s 0.789us', 1, 234_567_789),
  ok('1.234s 1.345ms 1.678us 1ns', 1, 235_346_679),
  ok('1.234s 0.345ms 0.678us 0ns', 1, 234_345_678),
  ok('1.234s0.345ms0.678us0ns', 1, 234_345_678),
]);

runTable('humantime allow_0_with_no_unit', [ok('0', 0)]);

runTable('humantime test_combo', [ok('20 min 17 nsec ', 1200, 17), ok('2h 15m', 8100)]);

runTable('humantime test_overlow', [
  err('100000000000000000000ns', MSG_OVERFLOW),
  err('100000000000000000us', MSG_OVERFLOW),
  err('100000000000000ms', MSG_OVERFLOW),
  err('100000000000000000000s', MSG_OVERFLOW),
  err('10000000000000000000m', MSG_OVERFLOW),
  err('1000000000000000000h', MSG_OVERFLOW),
  err('100000000000000000d', MSG_OVERFLOW),
  err('10000000000000000w', MSG_OVERFLOW),
  err('1000000000000000M', MSG_OVERFLOW),
  err('10000000000000y', MSG_OVERFLOW),
]);

// Our messages keep humantime's reason, except that the list of supported units after
// an unknown one is left to the hint.
runTable('humantime test_nice_error_message', [
  err('123', '(time unit needed, for example 123sec or 123ms)'),
  err('10 months 1', '(time unit needed, for example 1sec or 1ms)'),
  err('10nights', '(unknown time unit "nights")'),
]);

runTable('humantime test_error_cases', [
  err('\0', '(expected number at 0)'),
  err('\r', '(value was empty)'),
  err('1~', '(invalid character at 1)'),
  err('1N\u00e5', '(invalid character at 2)'),
  err('222nsec221nanosmsec7s5msec572s', '(unknown time unit "nanosmsec")'),
]);

/** Test-only port of humantime's format_duration, for its round-trip tests. */
function formatDuration(secs: bigint, nanos: number): string {
  if (secs === 0n && nanos === 0) return '0s';
  const years = secs / 31_557_600n;
  const ydays = secs % 31_557_600n;
  const months = ydays / 2_630_016n;
  const mdays = ydays % 2_630_016n;
  const days = mdays / 86400n;
  const daySecs = mdays % 86400n;
  const parts: string[] = [];
  const plural = (name: string, v: bigint): void => {
    if (v > 0n) parts.push(`${v}${name}${v > 1n ? 's' : ''}`);
  };
  const item = (name: string, v: bigint | number): void => {
    if (v > 0) parts.push(`${v}${name}`);
  };
  plural('year', years);
  plural('month', months);
  plural('day', days);
  item('h', daySecs / 3600n);
  item('m', (daySecs % 3600n) / 60n);
  item('s', daySecs % 60n);
  item('ms', Math.floor(nanos / 1_000_000));
  item('us', Math.floor(nanos / 1000) % 1000);
  item('ns', nanos % 1000);
  return parts.join(' ');
}

/** Deterministic stand-in for rand::rng() (mulberry32), so failures reproduce. */
function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function roundTrip(secs: bigint, nanos: number): void {
  const text = formatDuration(secs, nanos);
  assert.deepEqual(parseDuration(text), { secs, nanos }, text);
}

test('humantime all_86400_seconds', () => {
  for (let second = 0n; second < 86400n; second++) roundTrip(second, 0);
});

test('humantime random_second', () => {
  const rnd = prng(1);
  for (let i = 0; i < 10000; i++) roundTrip(BigInt(Math.floor(rnd() * 253_370_764_800)), 0);
});

test('humantime random_any', () => {
  const rnd = prng(2);
  for (let i = 0; i < 10000; i++) {
    roundTrip(BigInt(Math.floor(rnd() * 253_370_764_800)), Math.floor(rnd() * 1_000_000_000));
  }
});

// ------------------------------------------------------------------------------------
// 2. Edge cases of our own (each also checked against the compiled crate).

runTable('whitespace inside and around numbers', [
  ok('1 2h', 12 * 3600),
  ok('1 2 3 s', 123),
  ok(' 5s ', 5),
  ok('5 s', 5),
  ok('5    seconds', 5),
  ok('1 . 5 s', 1, 500_000_000),
  ok('1 .5s', 1, 500_000_000),
  ok('1. 5s', 1, 500_000_000),
  ok('1.5 5s', 1, 550_000_000),
  ok('1h  30m', 5400),
  ok('1h\t30m\n', 5400),
  err('1 s 2', '(time unit needed, for example 2sec or 2ms)'),
  err('1 sec ond', '(expected number at 6)'),
  err('m sec', '(expected number at 0)'),
  err('2 hours min', '(expected number at 8)'),
]);

runTable('Unicode whitespace is Rust White_Space, not JavaScript \\s', [
  ok('1\u0085s', 1), // NEL: Rust whitespace, not \s
  ok('\u00851s\u0085', 1),
  ok('1\u000bs', 1), // vertical tab
  ok('1\u000cs', 1),
  ok('1\u00a0s', 1),
  ok('1\u1680s', 1),
  ok('1\u2000s', 1),
  ok('1\u200as', 1),
  ok('1h\u2028 30m', 5400),
  ok('1h\u202930m', 5400),
  ok('1\u202fs', 1),
  ok('1\u205fs', 1),
  ok('\u30001\u3000s\u3000', 1),
  ok('1\u20092s', 12), // thin space inside a number
  err('1\ufeffs', '(invalid character at 1)'), // BOM: \s in JavaScript, not Rust
  err('\ufeff1s', '(expected number at 0)'),
  err('1s\ufeff', '(invalid character at 2)'),
  err('1\u180es', '(invalid character at 1)'), // Mongolian vowel separator: no longer White_Space
  err('1\u200bs', '(invalid character at 1)'), // zero width space
  err('1\u2060s', '(invalid character at 1)'),
  err('1\u001fs', '(invalid character at 1)'), // unit separator: Python's isspace, not Rust's
  err('1\u001cs', '(invalid character at 1)'),
  err('\u0085', '(value was empty)'),
  err('\u2028\u3000', '(value was empty)'),
]);

runTable('decimals: exact or rejected', [
  ok('1.5h', 5400),
  ok('0.5h', 1800),
  ok('0.01h', 36),
  err('0.001h', MSG_OVERFLOW), // 3.6 s: hours and longer need whole seconds
  err('0.0001h', MSG_OVERFLOW), // 0.36 s is representable, but not in whole seconds
  ok('1.25d', 108_000),
  err('0.00001d', MSG_OVERFLOW),
  ok('1.5w', 907_200),
  ok('0.1w', 60_480),
  ok('1.5M', 3_945_024),
  err('1.1M', MSG_OVERFLOW),
  ok('0.5y', 15_778_800),
  ok('0.1y', 3_155_760),
  err('0.001y', MSG_OVERFLOW),
  ok('1.5m', 90),
  ok('0.000000001m', 0, 60),
  ok('0.0000000001m', 0, 6),
  err('1.1234567890m', MSG_OVERFLOW), // exact in ns, but numerator * 6e10 overflows u64
  ok('1.123456789m', 67, 407_407_340),
  ok('0.123456789s', 0, 123_456_789),
  err('0.1234567891s', MSG_OVERFLOW),
  ok('1.10000000000s', 1, 100_000_000), // 11 digits: numerator 1e10 * 1e9 still fits
  err('1.100000000000s', MSG_OVERFLOW), // 12 digits: numerator * 1e9 overflows
  ok('1.0000000000000000000s', 1), // 19 zeros: denominator 1e19 fits
  err('1.00000000000000000000s', MSG_OVERFLOW), // 20 digits: denominator overflows
  err('1.0ns', MSG_OVERFLOW), // any fraction of ns, even .0
  err('0.0ns', MSG_OVERFLOW),
  ok('0.5us', 0, 500),
  ok('0.001us', 0, 1),
  err('0.0001us', MSG_OVERFLOW),
  ok('0.000001ms', 0, 1),
  ok('00.5s', 0, 500_000_000),
  ok('0.50s', 0, 500_000_000),
  ok('0.5s 0.5s', 1),
  ok('0.6s 0.6s', 1, 200_000_000),
  ok('999999999ns 1ns', 1),
  ok('500ms 0.5s', 1),
]);

runTable('micro sign and Greek mu', [
  ok('1\u00b5s', 0, 1000),
  ok('2 \u00b5s', 0, 2000),
  ok('1.5\u00b5s', 0, 1500),
  err('1\u03bcs', '(invalid character at 1)'), // U+03BC is not accepted
  err('1\u039cs', '(invalid character at 1)'),
  err('1\u00b5', '(unknown time unit "\u00b5")'),
  err('1\u00b5S', '(unknown time unit "\u00b5S")'),
  err('1\u00b5sec', '(unknown time unit "\u00b5sec")'),
  err('\u00b5s', '(expected number at 0)'),
  err('1s\u00b5', '(unknown time unit "s\u00b5")'),
]);

runTable('units are case-sensitive', [
  ok('1m', 60),
  ok('1M', 2_630_016),
  err('1H', '(unknown time unit "H")'),
  err('1D', '(unknown time unit "D")'),
  err('1S', '(unknown time unit "S")'),
  err('1W', '(unknown time unit "W")'),
  err('1Y', '(unknown time unit "Y")'),
  err('1MS', '(unknown time unit "MS")'),
  err('1Min', '(unknown time unit "Min")'),
  err('1Hours', '(unknown time unit "Hours")'),
  err('1mo', '(unknown time unit "mo")'),
  err('1mon', '(unknown time unit "mon")'),
  err('1yrss', '(unknown time unit "yrss")'),
  err('1micros', '(unknown time unit "micros")'),
]);

runTable('overflow near 2^64 seconds', [
  ok(`${U64_MAX}s`, U64_MAX),
  err(`${U64_MAX + 1n}s`, MSG_OVERFLOW),
  ok(`${U64_MAX}s 999999999ns`, U64_MAX, 999_999_999),
  ok(`${U64_MAX}s 1ns`, U64_MAX, 1),
  err(`${U64_MAX}s 1s`, MSG_OVERFLOW),
  ok(`${U64_MAX - 1n}s 1000000000ns`, U64_MAX),
  ok(`${U64_MAX - 1n}s 0.5s 0.5s`, U64_MAX),
  // The crate panics on these four (Duration::new carry, humantime issue #66); we reject.
  err(`${U64_MAX}s 1000000000ns`, '(number is too large)'),
  err(`${U64_MAX}s 999999999ns 1ns`, '(number is too large)'),
  err(`${U64_MAX}s 0.5s 0.5s`, '(number is too large)'),
  err(`${U64_MAX}s 999999999ns 0.000000001s`, '(number is too large)'),
  ok(`${U64_MAX}ns`, 18_446_744_073n, 709_551_615),
  err(`${U64_MAX + 1n}ns`, MSG_OVERFLOW),
  err(`1ns ${U64_MAX}ns`, MSG_OVERFLOW), // nanosecond accumulator is u64 too
  ok(`${U64_MAX / 1000n}us`, U64_MAX / 1_000_000_000n, Number(((U64_MAX / 1000n) * 1000n) % 1_000_000_000n)),
  err(`${U64_MAX / 1000n + 1n}us`, MSG_OVERFLOW),
  ok('307445734561825860m', 18_446_744_073_709_551_600n),
  err('307445734561825861m', MSG_OVERFLOW),
  ok('307445734561825860m 15s', U64_MAX),
  err('307445734561825860m 16s', MSG_OVERFLOW),
  ok('584542046090y', 584_542_046_090n * 31_557_600n),
  err('584542046091y', MSG_OVERFLOW),
  ok(`${U64_MAX}.5s`, U64_MAX, 500_000_000),
]);

runTable('huge digit strings and leading zeros', [
  err(`${'9'.repeat(30)}s`, MSG_OVERFLOW),
  err(`${'1'.repeat(1000)}h`, MSG_OVERFLOW),
  ok(`${'0'.repeat(100)}1s`, 1),
  ok(`${'0'.repeat(1000)}s`, 0),
  ok('007s', 7),
  ok('0007 h', 7 * 3600),
  err(`${'0'.repeat(1000)}`, '(time unit needed, for example 0sec or 0ms)'),
  err(`1.${'0'.repeat(18)}1s`, MSG_OVERFLOW), // 1e-19 s
]);

runTable('zero, empty and malformed numbers', [
  ok('0', 0),
  err('00', '(time unit needed, for example 0sec or 0ms)'), // 2.2.0 accepted this, 2.3.0 does not
  err(' 0', '(time unit needed, for example 0sec or 0ms)'),
  err('0 ', '(time unit needed, for example 0sec or 0ms)'),
  ok('0s', 0),
  ok('00s', 0),
  ok('0.0s', 0),
  err('0.0', '(time unit needed, for example 0sec or 0ms)'),
  err('', '(value was empty)'),
  err(' ', '(value was empty)'),
  err('\t\n\r', '(value was empty)'),
  err('.5s', '(expected number at 0)'),
  err('5.s', '(invalid character at 1)'),
  err('1.', '(invalid character at 1)'),
  err('1.  s', '(invalid character at 4)'),
  err('1..5s', '(invalid character at 1)'),
  err('1.5.5s', '(invalid character at 3)'),
  err('.', '(expected number at 0)'),
  err('+1s', '(expected number at 0)'),
  err('-1s', '(expected number at 0)'),
  err('1e3s', '(unknown time unit "e")'),
  err('1E3s', '(unknown time unit "E")'),
  err('1_000s', '(invalid character at 1)'),
  err('1,5s', '(invalid character at 1)'),
  err('0x10s', '(unknown time unit "x")'),
  err('inf', '(expected number at 0)'),
  err('\uff11s', '(expected number at 0)'), // fullwidth digit
  err('\u0663s', '(expected number at 0)'), // Arabic-Indic digit
  err('1\uff53', '(invalid character at 1)'), // fullwidth s
]);

runTable('trailing garbage and separators', [
  err('1s!', '(invalid character at 2)'),
  err('1s x', '(expected number at 3)'),
  err('1s  x', '(expected number at 3)'),
  err('1s 2', '(time unit needed, for example 2sec or 2ms)'),
  err('1h30', '(time unit needed, for example 30sec or 30ms)'),
  err('1h,30m', '(invalid character at 2)'),
  err('1h+30m', '(invalid character at 2)'),
  err('1h-30m', '(invalid character at 2)'),
  err('1h 30m.', '(invalid character at 6)'),
  err('1:30', '(invalid character at 1)'),
  err('1s\u{1f600}', '(invalid character at 2)'),
  err('1\u00e9s', '(invalid character at 1)'),
  err('\u00e9 1s', '(expected number at 0)'),
  err('1 s\u00e9c', '(invalid character at 3)'),
  err('1\u79d2', '(invalid character at 1)'),
  err('1s\u0301', '(invalid character at 2)'),
  err('\u{1f600}1s 1\u00e5', '(expected number at 0)'),
  err('1s \u{1f600}', '(expected number at 3)'),
  err('1\u00b5s\u{1f600}', '(invalid character at 4)'), // byte offsets: micro sign is 2 bytes
  err('\u3000\u30001x', '(unknown time unit "x")'),
]);

runTable('sums of spans', [
  ok('1h30m', 5400),
  ok('1h 1h', 7200),
  ok('1s1s1s', 3),
  ok('1d 2h 3m 4s 5ms 6us 7ns', 93_784, 5_006_007),
  ok('1y1M1w1d1h1m1s', 31_557_600 + 2_630_016 + 604_800 + 86_400 + 3_600 + 60 + 1),
  ok('1.5h 30m', 7200),
  ok('1h 0.5h 0.25h', 6300),
  ok('2years 3months 4weeks 5days', 2 * 31_557_600 + 3 * 2_630_016 + 4 * 604_800 + 5 * 86_400),
]);

// ------------------------------------------------------------------------------------
// 3. The message: one line, label, quoted input, reason, hint.

test('message names the label, the input, the reason and a hint', () => {
  assert.throws(() => parseDuration('3x', '--expiry'), {
    name: 'InvalidInputError',
    code: 'EINVALID',
    message: '--expiry: "3x" is not a valid duration (unknown time unit "x"). Write a number and a unit, for example 7d, 12h or 1y.',
  });
  assert.throws(() => parseDuration(''), {
    message: 'duration: "" is not a valid duration (value was empty). Write a number and a unit, for example 7d, 12h or 1y.',
  });
  assert.throws(
    () => parseDuration('1.1M', '--expiry'),
    (e: unknown) => {
      assert.ok(e instanceof InvalidInputError);
      assert.match(
        e.message,
        /^--expiry: "1\.1M" is not a valid duration \(number is too large or cannot be represented without a lack of precision \(values below 1ns are not supported\)\)\. Use a smaller value/,
      );
      return true;
    },
  );
});

test('message stays on one line and shows invisible characters', () => {
  for (const input of ['1h\n2x', '1\r\nx', '\u2028x', '1h\u2029x', '\u0085x', 'x\u0000', '\ufeff1s', '1\u202es', '"\\x']) {
    assert.throws(
      () => parseDuration(input, '--expiry'),
      (e: unknown) => {
        assert.ok(e instanceof InvalidInputError);
        assert.doesNotMatch(e.message, /[\n\r\u0085\u2028\u2029\ufeff\u202e\u0000]/, JSON.stringify(input));
        assert.ok(e.message.startsWith('--expiry: "'), e.message);
        return true;
      },
    );
  }
  assert.throws(() => parseDuration('\ufeff1s'), { message: /"\\ufeff1s"/ });
  assert.throws(() => parseDuration('1h\u2028x'), { message: /"1h\\u2028x"/ });
  assert.throws(() => parseDuration('a"b\\c'), { message: /"a\\"b\\\\c"/ });
});

test('a result is plain data: bigint seconds, integer nanoseconds below 1e9', () => {
  const d = parseDuration('1.5s');
  assert.equal(typeof d.secs, 'bigint');
  assert.equal(typeof d.nanos, 'number');
  assert.deepEqual(d, { secs: 1n, nanos: 500_000_000 });
});

// ------------------------------------------------------------------------------------
// 4. Differential oracle: answers of the compiled humantime 2.3.0 crate
//    (scripts/humantime-oracle/ regenerates them).

interface OracleCase {
  readonly input: string;
  readonly secs: string | null;
  readonly nanos: number | null;
}

test('agrees with humantime 2.3.0 on every oracle case', () => {
  const cases: readonly OracleCase[] = oracleCases;
  assert.ok(cases.length > 5000, `only ${cases.length} oracle cases`);
  const mismatches: string[] = [];
  for (const c of cases) {
    let got: { secs: string | null; nanos: number | null };
    try {
      const d = parseDuration(c.input);
      got = { secs: String(d.secs), nanos: d.nanos };
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      got = { secs: null, nanos: null };
    }
    if (got.secs !== c.secs || got.nanos !== c.nanos) {
      mismatches.push(`${JSON.stringify(c.input)}: crate ${c.secs}/${c.nanos}, ours ${got.secs}/${got.nanos}`);
    }
  }
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} mismatches`);
});
