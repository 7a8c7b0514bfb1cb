/**
 * Token-preserving layout: a value re-indented as JSON.stringify(value, null, 2) (the
 * server's own pretty printer) would, without re-encoding a single token. parse ->
 * stringify would move integer-like keys to the front, round 12345678901234567890 and
 * rewrite 1.0 or escapes; here every string, number and key keeps its bytes. Only for text
 * the reader has accepted: it lays out, it does not check. Pure.
 */
import { CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, scalarEnd, skipSpace, stringEnd } from './scan';

const isOpen = (c: number): boolean => c === OPEN_BRACE || c === OPEN_BRACKET;
const isClose = (c: number): boolean => c === CLOSE_BRACE || c === CLOSE_BRACKET;

const indents: string[] = [];
export function newlineIndent(depth: number): string {
  let s = indents[depth];
  if (s === undefined) {
    s = `\n${'  '.repeat(depth)}`;
    indents[depth] = s;
  }
  return s;
}

/**
 * The value starting at `start` laid out as it would be at nesting `depth`, and the index
 * just past it. Canonical input comes back as a slice of the original text, not a copy.
 */
export function layoutValue(text: string, start: number, depth: number): { text: string; end: number } {
  const first = text.charCodeAt(start);
  if (!isOpen(first)) {
    const end = scalarEnd(text, start);
    return { text: text.slice(start, end), end };
  }
  const pieces: string[] = [];
  let copiedTo = start; // text[start, copiedTo) is already in pieces
  let level = depth;
  let i = start;
  for (;;) {
    const c = text.charCodeAt(i);
    let tokenEnd: number;
    if (c === QUOTE) tokenEnd = stringEnd(text, i);
    else if (isOpen(c) || isClose(c) || c === COMMA || c === COLON) tokenEnd = i + 1;
    else tokenEnd = scalarEnd(text, i);
    if (isOpen(c)) level++;
    else if (isClose(c)) {
      level--;
      if (level === depth) {
        i = tokenEnd;
        break;
      }
    }
    // The whitespace up to the next token, and what the canonical layout has there.
    const next = skipSpace(text, tokenEnd);
    const n = text.charCodeAt(next);
    let want: string;
    if (isOpen(c)) want = isClose(n) ? '' : newlineIndent(level);
    else if (isClose(n)) want = newlineIndent(level - 1);
    else if (c === COMMA) want = newlineIndent(level);
    else if (c === COLON) want = ' ';
    else want = '';
    // startsWith, not slice: a million whitespace runs must not become a million strings.
    if (next - tokenEnd !== want.length || (want.length > 0 && !text.startsWith(want, tokenEnd))) {
      pieces.push(text.slice(copiedTo, tokenEnd), want);
      copiedTo = next;
    }
    i = next;
  }
  if (pieces.length === 0) return { text: text.slice(start, i), end: i };
  pieces.push(text.slice(copiedTo, i));
  return { text: pieces.join(''), end: i };
}

/** An object from its members (raw key text and laid-out value), at nesting `depth`, its first line not indented. */
export function renderObject(members: ReadonlyArray<{ rawKey: string; value: string }>, depth: number): string {
  if (members.length === 0) return '{}';
  const inner = newlineIndent(depth + 1);
  let out = '{';
  members.forEach((m, i) => {
    out += `${i === 0 ? '' : ','}${inner}${m.rawKey}: ${m.value}`;
  });
  return `${out}${newlineIndent(depth)}}`;
}

/** A list of strings as JSON laid out at nesting `depth` (its first line not indented). */
export function layoutStrings(values: readonly string[], depth: number): string {
  if (values.length === 0) return '[]';
  const inner = newlineIndent(depth + 1);
  return `[${inner}${values.map((v) => JSON.stringify(v)).join(`,${inner}`)}${newlineIndent(depth)}]`;
}

/** Appends items (already laid out at depth + 1) to an array laid out at `depth`, as the canonical layout of the longer array has them. */
export function appendToArray(array: string, items: readonly string[], depth: number): string {
  if (items.length === 0) return array;
  const inner = newlineIndent(depth + 1);
  const close = `${newlineIndent(depth)}]`;
  if (array === '[]') return `[${inner}${items.join(`,${inner}`)}${close}`;
  return `${array.slice(0, array.length - close.length)},${inner}${items.join(`,${inner}`)}${close}`;
}
