/**
 * Duration parsing that accepts exactly what InfluxDB 3 accepts, because the server
 * reads durations with humantime 2.3.0 (`humantime::Duration::from_str`, which is
 * `parse_duration`). This is a line-by-line port of that parser, quirks included:
 * a value we accept but the server would not (or the reverse) would be a silent
 * disagreement about when a token expires. `fixtures/humantime-2.3.0-cases.json`
 * holds the crate's own answers for a few thousand inputs and the tests replay them.
 *
 * Rust works on u64 and UTF-8 byte offsets; here BigInt stands in for u64 (every
 * checked_* becomes an explicit bound check) and offsets are counted in UTF-8 bytes
 * so the error text names the same position the crate would.
 */

import { InvalidInputError } from '../errors';

export interface HumanDuration {
  readonly secs: bigint;
  readonly nanos: number; // 0..999_999_999
}

const U64_MAX = (1n << 64n) - 1n;
const NANOS_PER_SEC = 1_000_000_000n;

type Reason =
  | { readonly kind: 'invalid-character'; readonly offset: number }
  | { readonly kind: 'number-expected'; readonly offset: number }
  | { readonly kind: 'unknown-unit'; readonly unit: string; readonly value: bigint }
  | { readonly kind: 'number-overflow' }
  | { readonly kind: 'empty' }
  // Duration::new(u64::MAX, 1_000_000_000) panics inside the crate (an off-by-one
  // in its carry, humantime issue #66); we cannot panic, so it is a rejection too.
  | { readonly kind: 'carry-overflow' };

/** Carries a rejection out of the parser, the way `?` does in the original. */
class Rejected {
  constructor(readonly reason: Reason) {}
}

const OVERFLOW: Reason = { kind: 'number-overflow' };

function checked(v: bigint): bigint {
  if (v > U64_MAX) throw new Rejected(OVERFLOW);
  return v;
}

/** `OverflowOp::div`: only an exact quotient is accepted, a remainder is "overflow". */
function exactDiv(v: bigint, d: bigint): bigint {
  if (v % d !== 0n) throw new Rejected(OVERFLOW);
  return v / d;
}

/**
 * How one unit turns a span into (seconds, nanoseconds). The integer part of the
 * sub-second units lands in nanoseconds; the fractional part of minutes and shorter
 * lands in nanoseconds, but of hours and longer in whole seconds, so `0.0001h`
 * (0.36 s) is rejected by the crate even though it is representable.
 */
interface UnitSpec {
  readonly intScale: bigint;
  readonly intInNanos: boolean;
  /** null: any fraction is rejected (nanoseconds). */
  readonly fracScale: bigint | null;
  readonly fracInNanos: boolean;
}

const NANOSECOND: UnitSpec = { intScale: 1n, intInNanos: true, fracScale: null, fracInNanos: true };
const MICROSECOND: UnitSpec = { intScale: 1_000n, intInNanos: true, fracScale: 1_000n, fracInNanos: true };
const MILLISECOND: UnitSpec = { intScale: 1_000_000n, intInNanos: true, fracScale: 1_000_000n, fracInNanos: true };
const SECOND: UnitSpec = { intScale: 1n, intInNanos: false, fracScale: 1_000_000_000n, fracInNanos: true };
const MINUTE: UnitSpec = { intScale: 60n, intInNanos: false, fracScale: 60_000_000_000n, fracInNanos: true };
const inSeconds = (secs: bigint): UnitSpec => ({ intScale: secs, intInNanos: false, fracScale: secs, fracInNanos: false });

// Case-sensitive on purpose: `M` is months and `m` minutes, and the crate has no `H`/`D`.
const UNITS: ReadonlyMap<string, UnitSpec> = new Map<string, UnitSpec>([
  ['nanos', NANOSECOND],
  ['nsec', NANOSECOND],
  ['ns', NANOSECOND],
  ['usec', MICROSECOND],
  ['us', MICROSECOND],
  ['\u00b5s', MICROSECOND],
  ['millis', MILLISECOND],
  ['msec', MILLISECOND],
  ['ms', MILLISECOND],
  ['seconds', SECOND],
  ['second', SECOND],
  ['secs', SECOND],
  ['sec', SECOND],
  ['s', SECOND],
  ['minutes', MINUTE],
  ['minute', MINUTE],
  ['min', MINUTE],
  ['mins', MINUTE],
  ['m', MINUTE],
  ...['hours', 'hour', 'hr', 'hrs', 'h'].map((u): [string, UnitSpec] => [u, inSeconds(3_600n)]),
  ...['days', 'day', 'd'].map((u): [string, UnitSpec] => [u, inSeconds(86_400n)]),
  ...['weeks', 'week', 'wk', 'wks', 'w'].map((u): [string, UnitSpec] => [u, inSeconds(604_800n)]),
  ...['months', 'month', 'M'].map((u): [string, UnitSpec] => [u, inSeconds(2_630_016n)]), // 30.44 d
  ...['years', 'year', 'yr', 'yrs', 'y'].map((u): [string, UnitSpec] => [u, inSeconds(31_557_600n)]), // 365.25 d
]);

/** Every unit spelling, grouped by the span it stands for (in seconds), shortest first: what help lists. */
export function durationUnits(): { spellings: string[]; seconds: number }[] {
  const groups = new Map<number, string[]>();
  for (const [spelling, spec] of UNITS) {
    const seconds = spec.intInNanos ? Number(spec.intScale) / 1e9 : Number(spec.intScale);
    groups.set(seconds, [...(groups.get(seconds) ?? []), spelling]);
  }
  return [...groups].map(([seconds, spellings]) => ({ spellings, seconds }));
}

const DOT = 0x2e;
const MICRO_SIGN = 0xb5; // U+00B5 only; U+03BC GREEK SMALL LETTER MU is an invalid character

function isDigit(cp: number): boolean {
  return cp >= 0x30 && cp <= 0x39;
}

/** Letters that may form a unit: ASCII letters and the micro sign, nothing else. */
function isUnitLetter(cp: number): boolean {
  return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || cp === MICRO_SIGN;
}

/**
 * Rust's `char::is_whitespace` (the Unicode White_Space property). Not JavaScript's
 * `\s`: that one adds U+FEFF and lacks U+0085, and either difference would change
 * which inputs are accepted.
 */
export function isRustWhitespace(cp: number): boolean {
  if (cp <= 0x7f) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d);
  return (
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

function utf8Length(cp: number): number {
  // A lone surrogate cannot reach Rust at all; count it as its 3-byte WTF-8 form.
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

interface Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/**
 * State of the crate's `Parser`: `pos` plays `Chars`, and positions held in locals
 * (`off`, `start`) are indexes into `cps`; `byteOffsets` turns them into the crate's
 * byte offsets when an error is reported.
 */
class Parser {
  private readonly cps: number[];
  private readonly byteOffsets: number[];
  private readonly utf16Offsets: number[]; // so a unit is sliced from `src`, not rebuilt
  private pos = 0;
  private secs = 0n;
  private nanos = 0n;

  constructor(private readonly src: string) {
    this.cps = [];
    this.byteOffsets = [0];
    this.utf16Offsets = [0];
    let bytes = 0;
    for (const ch of src) {
      const cp = ch.codePointAt(0) as number;
      this.cps.push(cp);
      bytes += utf8Length(cp);
      this.byteOffsets.push(bytes);
      this.utf16Offsets.push((this.utf16Offsets[this.utf16Offsets.length - 1] as number) + ch.length);
    }
  }

  private invalidCharacter(at: number): Rejected {
    return new Rejected({ kind: 'invalid-character', offset: this.byteOffsets[at] as number });
  }

  private next(): number | undefined {
    return this.pos < this.cps.length ? this.cps[this.pos++] : undefined;
  }

  parse(): HumanDuration {
    const first = this.parseFirstChar();
    if (first === null) throw new Rejected({ kind: 'empty' });
    let n = first; // integer part
    outer: for (;;) {
      let frac: Fraction | null = null;
      let off = this.pos;
      for (let c = this.next(); c !== undefined; c = this.next()) {
        if (isDigit(c)) {
          n = checked(n * 10n + BigInt(c - 0x30));
        } else if (isRustWhitespace(c)) {
          // whitespace inside a number is skipped: "1 2h" is twelve hours
        } else if (isUnitLetter(c)) {
          break;
        } else if (c === DOT) {
          const parsed = this.parseFractionalPart(off);
          frac = parsed.fraction;
          off = parsed.off;
          break;
        } else {
          throw this.invalidCharacter(off);
        }
        off = this.pos;
      }
      // The letter that ended the number is already consumed; `start` still points at it.
      const start = off;
      off = this.pos;
      for (let c = this.next(); c !== undefined; c = this.next()) {
        if (isDigit(c)) {
          this.parseUnit(n, frac, start, off);
          n = BigInt(c - 0x30);
          continue outer;
        } else if (isRustWhitespace(c)) {
          break;
        } else if (isUnitLetter(c)) {
          // part of the unit
        } else {
          throw this.invalidCharacter(off);
        }
        off = this.pos;
      }
      this.parseUnit(n, frac, start, off);
      const next = this.parseFirstChar();
      if (next === null) return { secs: this.secs, nanos: Number(this.nanos) };
      n = next;
    }
  }

  private parseFirstChar(): bigint | null {
    const off = this.pos;
    for (let c = this.next(); c !== undefined; c = this.next()) {
      if (isDigit(c)) return BigInt(c - 0x30);
      if (isRustWhitespace(c)) continue;
      // The crate reports where the search started, not where the bad character is.
      throw new Rejected({ kind: 'number-expected', offset: this.byteOffsets[off] as number });
    }
    return null;
  }

  private parseFractionalPart(startOff: number): { fraction: Fraction; off: number } {
    let off = startOff;
    let numerator = 0n;
    let denominator = 1n;
    let zeros = true;
    for (let c = this.next(); c !== undefined; c = this.next()) {
      if (c === 0x30) {
        denominator = checked(denominator * 10n);
        if (!zeros) numerator = checked(numerator * 10n);
      } else if (c >= 0x31 && c <= 0x39) {
        zeros = false;
        denominator = checked(denominator * 10n);
        numerator = checked(numerator * 10n + BigInt(c - 0x30));
      } else if (isRustWhitespace(c)) {
        // skipped, as in the integer part
      } else if (isUnitLetter(c)) {
        break;
      } else {
        throw this.invalidCharacter(off);
      }
      off = this.pos;
    }
    // A separator without digits ("1.", "1.s") is an invalid character, not zero.
    if (denominator === 1n) throw this.invalidCharacter(off);
    return { fraction: { numerator, denominator }, off };
  }

  private parseUnit(n: bigint, frac: Fraction | null, start: number, end: number): void {
    const unitText = this.src.slice(this.utf16Offsets[start], this.utf16Offsets[end]);
    const unit = UNITS.get(unitText);
    if (unit === undefined) throw new Rejected({ kind: 'unknown-unit', unit: unitText, value: n });

    const whole = checked(n * unit.intScale);
    this.addCurrent(unit.intInNanos ? 0n : whole, unit.intInNanos ? whole : 0n);

    if (frac !== null) {
      if (unit.fracScale === null) throw new Rejected(OVERFLOW);
      const part = exactDiv(checked(frac.numerator * unit.fracScale), frac.denominator);
      this.addCurrent(unit.fracInNanos ? 0n : part, unit.fracInNanos ? part : 0n);
    }
  }

  /** `add_current` followed by `Duration::new`, whose normalisation we must redo. */
  private addCurrent(secIn: bigint, nsecIn: bigint): void {
    let sec = secIn;
    let nsec = checked(this.nanos + nsecIn);
    // `>` rather than `>=` is the crate's: exactly 1e9 is left for Duration::new.
    if (nsec > NANOS_PER_SEC) {
      sec = checked(sec + nsec / NANOS_PER_SEC);
      nsec %= NANOS_PER_SEC;
    }
    sec = checked(this.secs + sec);
    if (nsec >= NANOS_PER_SEC) {
      sec += nsec / NANOS_PER_SEC;
      if (sec > U64_MAX) throw new Rejected({ kind: 'carry-overflow' });
      nsec %= NANOS_PER_SEC;
    }
    this.secs = sec;
    this.nanos = nsec;
  }
}

const DEFAULT_HINT = 'Write a number and a unit, for example 7d, 12h or 1y.';
const OVERFLOW_HINT = 'Use a smaller value; a fraction must come out to whole nanoseconds (whole seconds for h, d, w, M and y).';

function describe(reason: Reason): { text: string; hint: string } {
  switch (reason.kind) {
    case 'invalid-character':
      return { text: `invalid character at ${reason.offset}`, hint: DEFAULT_HINT };
    case 'number-expected':
      return { text: `expected number at ${reason.offset}`, hint: DEFAULT_HINT };
    case 'unknown-unit':
      return reason.unit === ''
        ? { text: `time unit needed, for example ${reason.value}sec or ${reason.value}ms`, hint: DEFAULT_HINT }
        : { text: `unknown time unit ${JSON.stringify(reason.unit)}`, hint: DEFAULT_HINT };
    case 'number-overflow':
      return {
        text: 'number is too large or cannot be represented without a lack of precision (values below 1ns are not supported)',
        hint: OVERFLOW_HINT,
      };
    case 'carry-overflow':
      return { text: 'number is too large', hint: OVERFLOW_HINT };
    case 'empty':
      return { text: 'value was empty', hint: DEFAULT_HINT };
  }
}

/**
 * Quotes the input for a one-line message: JSON.stringify escapes C0 controls, but
 * NEL and the Unicode line/paragraph separators would still break the line, and
 * invisible format characters (BOM, bidi controls) are exactly what a user needs to
 * see when told their input has an invalid character.
 */
function quote(input: string): string {
  return JSON.stringify(input).replace(/[\u0080-\u009f\u2028\u2029\p{Cf}]/gu, (ch) => {
    let out = '';
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

/** Parses like humantime 2.3.0 `Duration::from_str`. Throws InvalidInputError (field `label`) on any rejected input. */
export function parseDuration(input: string, label = 'duration'): HumanDuration {
  try {
    // Only the exact string "0" is exempt from needing a unit: "00" and " 0" are not.
    if (input === '0') return { secs: 0n, nanos: 0 };
    return new Parser(input).parse();
  } catch (e) {
    if (!(e instanceof Rejected)) throw e;
    const { text, hint } = describe(e.reason);
    throw new InvalidInputError(label, `: ${quote(input)} is not a valid duration (${text}). ${hint}`);
  }
}
