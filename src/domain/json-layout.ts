/**
 * Token-preserving JSON layout. Edits rewrite a file from its own text rather than from
 * JSON.parse's objects: parse → stringify would move integer-like keys ("2024") to the
 * front, round large numbers (12345678901234567890), and rewrite 1.0 or escapes, and the
 * SPEC says nothing in a file is lost or moved. Here every string, number and key keeps
 * its bytes. The members this tool knows get the canonical whitespace of
 * JSON.stringify(value, null, 2) (the server's own pretty printer's); the value of a member
 * it does not know is kept verbatim, insides and all: re-indenting an unknown value nested
 * 10,000 deep would turn 20 KB into 200 MB, and the server skips it anyway.
 *
 * Pure, and only for text JSON.parse has accepted (callers validate first): it does not
 * check the grammar, it only lays it out.
 */

import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, isSpace } from './json-chars';
import { escapePointerToken } from './json-pointer';

const isOpen = (c: number): boolean => c === OPEN_BRACE || c === OPEN_BRACKET;
const isClose = (c: number): boolean => c === CLOSE_BRACE || c === CLOSE_BRACKET;

const indents: string[] = [];
function newlineIndent(depth: number): string {
  let s = indents[depth];
  if (s === undefined) {
    s = `\n${'  '.repeat(depth)}`;
    indents[depth] = s;
  }
  return s;
}

/** Index just past the string token that starts at `i` (an opening quote). */
function skipString(text: string, i: number): number {
  let j = text.indexOf('"', i + 1);
  for (;;) {
    if (j === -1) return text.length;
    let backslashes = 0;
    for (let k = j - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return j + 1;
    j = text.indexOf('"', j + 1);
  }
}

/** Index just past the number or literal (true, false, null) that starts at `i`. */
function skipScalar(text: string, i: number): number {
  let j = i;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (isSpace(c) || c === COMMA || c === COLON || isClose(c) || isOpen(c) || c === QUOTE) break;
  }
  return j;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * The value starting at `start` laid out as it would be at nesting `depth`, and the index
 * just past it. Canonical input comes back as a slice of the original text, not a copy.
 */
export function layoutValue(text: string, start: number, depth: number): { text: string; end: number } {
  const first = text.charCodeAt(start);
  if (!isOpen(first)) {
    const end = first === QUOTE ? skipString(text, start) : skipScalar(text, start);
    return { text: text.slice(start, end), end };
  }
  const pieces: string[] = [];
  let copiedTo = start; // text[start, copiedTo) is already in pieces
  let level = depth;
  let i = start;
  for (;;) {
    const c = text.charCodeAt(i);
    let tokenEnd: number;
    if (c === QUOTE) tokenEnd = skipString(text, i);
    else if (isOpen(c) || isClose(c) || c === COMMA || c === COLON) tokenEnd = i + 1;
    else tokenEnd = skipScalar(text, i);
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
    if (next >= text.length) {
      i = next; // unbalanced input: callers only pass text JSON.parse accepted
      break;
    }
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

/** A string without escapes: every string this tool (or the server) writes in an entry. */
const PLAIN_STRING = '"[^"\\\\\\n]*"';
/** One token entry exactly as the canonical layout writes it at depth 2. */
const CANONICAL_ENTRY = new RegExp(
  `\\{\\n      "token": ${PLAIN_STRING},\\n      "name": ${PLAIN_STRING},(?:\\n      "expiry_millis": -?\\d+,)?` +
    `\\n      "permissions": \\[\\n        ${PLAIN_STRING}(?:,\\n        ${PLAIN_STRING})*\\n      \\]\\n    \\}`,
  'y',
);

/**
 * Index just past the value that starts at `start`, found without recursion: an unknown
 * field may nest deeper than any stack (serde skips 100,000 levels; so must we).
 */
export function skipValue(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return skipString(text, start);
  if (!isOpen(first)) return skipScalar(text, start);
  let level = 0;
  for (let i = start; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = skipString(text, i);
      continue;
    }
    if (isOpen(c)) level++;
    else if (isClose(c) && --level === 0) return i + 1;
    i++;
  }
  return text.length;
}

export interface Member {
  /** The key as written, quotes and escapes included. */
  readonly rawKey: string;
  readonly key: string;
  /** The value as it goes in the file at this member's depth. */
  readonly value: string;
}

/**
 * The members of the object at `start`, in file order, duplicates and all: a member whose
 * key is in `known` laid out canonically for nesting `depth + 1`, any other kept verbatim.
 * `special` lays out chosen known members itself (the tokens array's fast path).
 */
export function objectMembers<V = string>(
  text: string,
  start: number,
  depth: number,
  known: ReadonlySet<string>,
  special?: (key: string, valueStart: number) => { value: V; end: number } | undefined,
): { members: Array<{ rawKey: string; key: string; value: string | V }>; end: number } {
  const members: Array<{ rawKey: string; key: string; value: string | V }> = [];
  let i = skipSpace(text, start + 1);
  while (i < text.length && text.charCodeAt(i) === QUOTE) {
    const keyEnd = skipString(text, i);
    const rawKey = text.slice(i, keyEnd);
    const key = rawKey.includes('\\') ? (JSON.parse(rawKey) as string) : rawKey.slice(1, -1);
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1); // past the colon
    let value: string | V;
    let end: number;
    const own = known.has(key) ? special?.(key, valueStart) : undefined;
    if (own) ({ value, end } = own);
    else if (known.has(key)) ({ text: value, end } = layoutValue(text, valueStart, depth + 1));
    else {
      end = skipValue(text, valueStart);
      value = text.slice(valueStart, end);
    }
    members.push({ rawKey, key, value });
    i = skipSpace(text, end);
    if (text.charCodeAt(i) === COMMA) i = skipSpace(text, i + 1);
  }
  return { members, end: i + 1 };
}

/** An object from its members, laid out at nesting `depth` (its first line not indented). */
export function renderObject(members: ReadonlyArray<{ rawKey: string; value: string }>, depth: number): string {
  if (members.length === 0) return '{}';
  const inner = newlineIndent(depth + 1);
  let out = '{';
  members.forEach((m, i) => {
    out += `${i === 0 ? '' : ','}${inner}${m.rawKey}: ${m.value}`;
  });
  return `${out}${newlineIndent(depth)}}`;
}

/** Where one canonical token entry lies in the text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The entry separator of a canonical tokens array. */
export const ENTRY_SEPARATOR = ',\n    ';

/**
 * The entries of the tokens array at `start`, each either a Span of the text (already
 * canonical: recognised by one regex at native speed, where the token walk takes twice as
 * long on 100,000 entries) or its members, laid out with `known` members canonical.
 */
export function tokenEntries(text: string, start: number, known: ReadonlySet<string>): { entries: Array<Span | Member[]>; end: number } {
  const entries: Array<Span | Member[]> = [];
  let i = skipSpace(text, start + 1);
  while (i < text.length && text.charCodeAt(i) === OPEN_BRACE) {
    CANONICAL_ENTRY.lastIndex = i;
    if (CANONICAL_ENTRY.test(text)) {
      entries.push({ start: i, end: CANONICAL_ENTRY.lastIndex });
      i = CANONICAL_ENTRY.lastIndex;
    } else {
      const object = objectMembers(text, i, 2, known);
      entries.push(object.members as Member[]);
      i = object.end;
    }
    i = skipSpace(text, i);
    if (text.charCodeAt(i) === COMMA) i = skipSpace(text, i + 1);
  }
  return { entries, end: i + 1 };
}

/** `value` as JSON laid out at nesting `depth` (its first line is not indented). */
export function layoutAt(value: unknown, depth: number): string {
  const json = JSON.stringify(value, null, 2);
  return depth === 0 ? json : json.replace(/\n/g, newlineIndent(depth));
}

/**
 * Appends items (already laid out at depth + 1) to an array laid out at `depth`, as the
 * canonical layout of the longer array would have them.
 */
export function appendToArray(array: string, items: readonly string[], depth: number): string {
  if (items.length === 0) return array;
  const inner = newlineIndent(depth + 1);
  const close = `${newlineIndent(depth)}]`;
  if (array === '[]') return `[${inner}${items.join(`,${inner}`)}${close}`;
  return `${array.slice(0, array.length - close.length)},${inner}${items.join(`,${inner}`)}${close}`;
}

/** Token files are shallow; below this the walk skips values instead of recursing. */
const MAX_WALK_DEPTH = 32;

/**
 * JSON pointers of the number literals written with a fraction or an exponent (1.0,
 * 4.1e12). JSON.parse reads them as integers, but the server's serde parser refuses a
 * float where it wants an integer, so `validate` and appends must see the text.
 */
export function nonIntegerLiterals(text: string): string[] {
  const found: string[] = [];
  let i = 0;
  const value = (pointer: string, depth: number): void => {
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (isOpen(c) && depth >= MAX_WALK_DEPTH) {
      i = layoutValue(text, i, 0).end;
      return;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
      i = skipSpace(text, i + 1);
      for (let index = 0; text.charCodeAt(i) !== close && i < text.length; index++) {
        let key: string | number = index;
        if (c === OPEN_BRACE) {
          const keyEnd = skipString(text, i);
          key = JSON.parse(text.slice(i, keyEnd)) as string;
          i = skipSpace(text, keyEnd) + 1; // past the colon
        }
        value(`${pointer}/${escapePointerToken(key)}`, depth + 1);
        i = skipSpace(text, i);
        if (text.charCodeAt(i) === COMMA) i = skipSpace(text, i + 1);
      }
      i++;
      return;
    }
    const end = c === QUOTE ? skipString(text, i) : skipScalar(text, i);
    const isNumber = c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39);
    if (isNumber && /[.eE]/.test(text.slice(i, end))) found.push(pointer);
    i = end;
  };
  value('', 0);
  return found;
}
