/**
 * The one JSON text engine (RFC 8259, as serde_json reads it): offsets, syntax errors with
 * line and column, strings decoded with their surrogates checked, number literals kept as
 * text, values skipped without recursion. The token-file reader (server-reader.ts), the
 * layout code (layout.ts) and the readers of specs and request bodies (parseJson below)
 * all stand on it; nothing else walks JSON text.
 *
 * Why not JSON.parse: it keeps the last of a repeated key, takes lone surrogate escapes,
 * reads 9007199254740993 as ...992 and 1.0 as 1, and its error messages quote the input
 * (which holds secrets). Pure.
 */
import { escapePointerToken } from '../json-pointer';

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const MINUS = 0x2d;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;

/** JSON's four whitespace characters, no others. */
export const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Where the text stops being JSON, and what was expected there. */
export class JsonSyntax {
  constructor(
    readonly offset: number,
    readonly what: string,
  ) {}
}

/** Containers nested deeper than the reader was asked to read (parseJson's maxDepth). */
class JsonTooDeep extends JsonSyntax {}

/** 1-based line and column of an offset (columns count UTF-16 units). */
export function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** "unexpected character at line 3, column 7": never the text itself. */
export function syntaxMessage(text: string, e: JsonSyntax): string {
  const { line, column } = position(text, e.offset);
  return `${e.what} at line ${line}, column ${column}`;
}

export function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

const expected = (text: string, i: number, what: string): JsonSyntax =>
  new JsonSyntax(i, i >= text.length ? `unexpected end of input, expected ${what}` : `expected ${what}`);

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX = /^[0-9a-fA-F]{4}$/;

/**
 * Index just past the string literal at `i` (an opening quote), its escapes checked. A loop,
 * not a regular expression: V8's backtracking stack ran out on a string of 8 M characters.
 */
export function stringEnd(text: string, i: number): number {
  for (let k = i + 1; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === QUOTE) return k + 1;
    if (c < 0x20) throw new JsonSyntax(k, 'a control character in a string');
    if (c !== BACKSLASH) continue;
    const e = text.charCodeAt(k + 1);
    // " \ / b f n r t
    if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) k++;
    else if (e === 0x75 && HEX.test(text.slice(k + 2, k + 6))) k += 5;
    else throw new JsonSyntax(k, 'a bad escape in a string');
  }
  throw new JsonSyntax(text.length, 'unexpected end of input in a string');
}

/** Index just past the number literal at `i`. (serde reads 1.5.2 as 1.5 and fails on what follows; so does the caller.) */
export function numberEnd(text: string, i: number): number {
  NUMBER.lastIndex = i;
  if (!NUMBER.test(text)) throw new JsonSyntax(i, 'a bad number');
  return NUMBER.lastIndex;
}

/** A number literal that serde reads as an integer: no fraction, no exponent, not -0. */
export const isIntegerLiteral = (literal: string): boolean => !/[.eE]/.test(literal) && literal !== '-0';

function literalEnd(text: string, i: number, word: string): number {
  if (!text.startsWith(word, i)) throw expected(text, i, 'a value');
  return i + word.length;
}

/** Index just past the scalar (string, number, true, false, null) at `i`. */
export function scalarEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return stringEnd(text, i);
  if (c === MINUS || isDigit(c)) return numberEnd(text, i);
  if (c === 0x74) return literalEnd(text, i, 'true');
  if (c === 0x66) return literalEnd(text, i, 'false');
  if (c === 0x6e) return literalEnd(text, i, 'null');
  throw expected(text, i, 'a value');
}

/** The key at `i` and its colon: the index of the value after them. */
function keyColonEnd(text: string, i: number): number {
  if (text.charCodeAt(i) !== QUOTE) throw expected(text, i, 'a key in double quotes');
  i = skipSpace(text, stringEnd(text, i));
  if (text.charCodeAt(i) !== COLON) throw expected(text, i, '":" after a key');
  return skipSpace(text, i + 1);
}

/**
 * Index just past the value at `i`, its syntax checked (serde's IgnoredAny: no surrogate
 * checks). Iterative: an unknown field may nest 100,000 deep, and serde skips it.
 */
export function skipValue(text: string, i: number): number {
  const closers: number[] = [];
  for (;;) {
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) !== close) {
        closers.push(close);
        if (c === OPEN_BRACE) i = keyColonEnd(text, i);
        continue;
      }
      i++;
    } else i = scalarEnd(text, i);
    // After a value: close containers until one goes on with a comma.
    for (;;) {
      if (closers.length === 0) return i;
      i = skipSpace(text, i);
      const close = closers[closers.length - 1]!;
      const d = text.charCodeAt(i);
      if (d === COMMA) {
        i = skipSpace(text, i + 1);
        if (close === CLOSE_BRACE) i = keyColonEnd(text, i);
        break;
      }
      if (d !== close) throw expected(text, i, `"," or "${String.fromCharCode(close)}"`);
      closers.pop();
      i++;
    }
  }
}

/**
 * The text of a string literal (quotes included, grammar already checked), or undefined
 * when it holds a lone or reversed surrogate escape, which serde refuses in a Rust String.
 */
export function decodeString(literal: string): string | undefined {
  const s = unescapeString(literal);
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(k + 1);
      if (next >= 0xdc00 && next <= 0xdfff) k++;
      else return undefined;
    } else if (c >= 0xdc00 && c <= 0xdfff) return undefined;
  }
  return s;
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** The characters of a string literal whose grammar stringEnd has checked, escapes decoded (surrogates as written). */
export function unescapeString(literal: string): string {
  if (literal.indexOf('\\') === -1) return literal.slice(1, -1);
  return literal
    .slice(1, -1)
    .replace(/\\(?:u([0-9a-fA-F]{4})|(.))/g, (_, hex: string | undefined, c: string) => (hex ? String.fromCharCode(parseInt(hex, 16)) : SIMPLE_ESCAPES[c]!));
}

export type ParsedJson =
  | {
      ok: true;
      value: unknown;
      /** The first key given twice in one object (compared decoded, as serde compares fields), with its pointer. */
      duplicate: { key: string; pointer: string } | undefined;
      /** Pointers of the numbers written with a fraction, an exponent or as -0 (floats to serde). */
      nonIntegers: string[];
    }
  | { ok: false; line: number; column: number; reason: string; /** Nested deeper than maxDepth. */ tooDeep: boolean };

/**
 * A whole JSON document as plain values, for specs and request bodies: numbers as JS
 * numbers (with the literals serde would read as floats listed), a repeated key reported
 * (JSON.parse would keep the last silently), nesting limited to `maxDepth`. The error says
 * where, never what: the text may hold a secret.
 */
export function parseJson(text: string, maxDepth = 1000): ParsedJson {
  let duplicate: { key: string; pointer: string } | undefined;
  const nonIntegers: string[] = [];
  // The keys and indexes down to the value being read; a pointer is made only when one is reported.
  const path: Array<string | number> = [];
  const pointer = (): string => path.map((k) => `/${typeof k === 'number' ? k : escapePointerToken(k)}`).join('');
  let i = 0;
  const value = (depth: number): unknown => {
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth >= maxDepth) throw new JsonTooDeep(i, `nesting deeper than ${maxDepth} levels`);
      const isObject = c === OPEN_BRACE;
      const close = isObject ? CLOSE_BRACE : CLOSE_BRACKET;
      const out: Record<string, unknown> | unknown[] = isObject ? {} : [];
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) === close) {
        i++;
        return out;
      }
      for (let index = 0; ; index++) {
        if (isObject) {
          if (text.charCodeAt(i) !== QUOTE) throw expected(text, i, 'a key in double quotes');
          const end = stringEnd(text, i);
          const key = unescapeString(text.slice(i, end));
          i = skipSpace(text, end);
          if (text.charCodeAt(i) !== COLON) throw expected(text, i, '":" after a key');
          i++;
          path.push(key);
          if (duplicate === undefined && Object.prototype.hasOwnProperty.call(out, key)) duplicate = { key, pointer: pointer() };
          const v = value(depth + 1);
          // A key "__proto__" is data, not the prototype (the one key an assignment would not store).
          if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
          else (out as Record<string, unknown>)[key] = v;
        } else {
          path.push(index);
          (out as unknown[]).push(value(depth + 1));
        }
        path.pop();
        i = skipSpace(text, i);
        const d = text.charCodeAt(i);
        if (d === COMMA) i = skipSpace(text, i + 1);
        else if (d === close) {
          i++;
          return out;
        } else throw expected(text, i, `"," or "${String.fromCharCode(close)}"`);
      }
    }
    const start = i;
    i = scalarEnd(text, i);
    if (c === QUOTE) return unescapeString(text.slice(start, i));
    if (c === 0x74) return true;
    if (c === 0x66) return false;
    if (c === 0x6e) return null;
    const literal = text.slice(start, i);
    if (!isIntegerLiteral(literal)) nonIntegers.push(pointer());
    return Number(literal);
  };
  try {
    const v = value(0);
    i = skipSpace(text, i);
    if (i < text.length) throw new JsonSyntax(i, 'unexpected text after the JSON value');
    return { ok: true, value: v, duplicate, nonIntegers };
  } catch (e) {
    if (!(e instanceof JsonSyntax)) throw e;
    return { ok: false, ...position(text, e.offset), reason: e.what, tooDeep: e instanceof JsonTooDeep };
  }
}
