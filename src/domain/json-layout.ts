/**
 * Token-preserving JSON layout. Appends rewrite a file from its own text rather than from
 * JSON.parse's objects: parse → stringify would move integer-like keys ("2024") to the
 * front, round large numbers (12345678901234567890), and rewrite 1.0 or escapes, and the
 * SPEC says nothing in a file is lost or moved. Here every string, number and key keeps
 * its bytes; only the whitespace between tokens is made canonical — the layout of
 * JSON.stringify(value, null, 2), which is also the server's own pretty printer's.
 *
 * Pure, and only for text JSON.parse has accepted (callers validate first): it does not
 * check the grammar, it only lays it out.
 */

import { escapePointerToken } from './json-pointer';

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isSpace = (c: number): boolean => c === SPACE || c === LF || c === CR || c === TAB;
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
 * The tokens array, laid out at depth 1. Files this tool wrote are already canonical, and
 * a regex checks an entry at native speed where the token walk of layoutValue takes twice
 * as long on 100,000 entries; anything else (unknown fields, other spacing) takes the walk.
 */
function layoutTokens(text: string, start: number): { text: string; end: number } {
  let i = start + 1;
  if (text.charCodeAt(start) === OPEN_BRACKET && text.startsWith('\n    {', i)) {
    i += 5;
    for (;;) {
      CANONICAL_ENTRY.lastIndex = i;
      if (!CANONICAL_ENTRY.test(text)) break;
      i = CANONICAL_ENTRY.lastIndex;
      if (text.startsWith(',\n    {', i)) i += 6;
      else if (text.startsWith('\n  ]', i)) return { text: text.slice(start, i + 4), end: i + 4 };
      else break;
    }
  }
  return layoutValue(text, start, 1);
}

export interface Member {
  /** The key as written, quotes and escapes included. */
  readonly rawKey: string;
  readonly key: string;
  /** The value laid out at depth 1, as a member of the top-level object. */
  readonly value: string;
}

/** The members of a top-level object, in file order, duplicates and all. */
export function topLevelMembers(text: string): Member[] {
  const members: Member[] = [];
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) throw new TypeError('topLevelMembers needs a JSON object');
  i = skipSpace(text, i + 1);
  while (i < text.length && text.charCodeAt(i) === QUOTE) {
    const keyEnd = skipString(text, i);
    const rawKey = text.slice(i, keyEnd);
    i = skipSpace(text, keyEnd) + 1; // past the colon
    const key = JSON.parse(rawKey) as string;
    const start = skipSpace(text, i);
    const value = key === 'tokens' ? layoutTokens(text, start) : layoutValue(text, start, 1);
    members.push({ rawKey, key, value: value.text });
    i = skipSpace(text, value.end);
    if (text.charCodeAt(i) === COMMA) i = skipSpace(text, i + 1);
  }
  return members;
}

/**
 * A whole document from its top-level members (what serializeTokenFile would write), as
 * pieces to write one after another: joining them would copy a large file once more.
 */
export function renderMembers(members: ReadonlyArray<{ rawKey: string; value: string }>): string[] {
  if (members.length === 0) return ['{}\n'];
  const pieces = ['{\n'];
  members.forEach((m, i) => pieces.push(`${i === 0 ? '' : ',\n'}  ${m.rawKey}: `, m.value));
  pieces.push('\n}\n');
  return pieces;
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
