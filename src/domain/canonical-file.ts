/**
 * The fast way in for the files nearly everyone has: a permission tokens file exactly as
 * this tool (and JSON.stringify(value, null, 2), and the server's own writer) lays it out,
 * with plain strings. One pass of native regular expressions over the text tells whether
 * the file is such a file, and yields what an append needs (names, entry spans, the
 * databases) without building 100,000 objects.
 *
 * The scan only ever accepts: anything else (other spacing or key order, escapes, unknown
 * fields, nulls, long numbers, an empty or repeated name, a BOM) returns undefined and the
 * caller takes the full reader, which gives the same verdict on every file and the reasons.
 * What the grammar below leaves open (the permission strings, the database names) is for
 * the caller to check once per distinct value, on the representatives this returns.
 *
 * Why the grammar is enough for the server's reader (server-reader.ts): every key is one
 * of the struct's fields, given once; every string has no escape and no control character
 * (so it is the same text to serde and to JSON.parse; a lone surrogate cannot be in it
 * because the store refuses bytes that are not UTF-8 before any reader sees the text);
 * expiry_millis is an integer of at most 18 digits without -0 (inside i64); the layout is
 * JSON. Pure.
 */
import type { Span } from './json-layout';
import { repeatsAName } from './token-file';

/** A string without escapes or control characters. */
const CHARS = '[^"\\\\\\x00-\\x1f]';
const HEAD = new RegExp(`\\{\\n  (?:"create_databases": (\\[\\]|\\[\\n    "${CHARS}*"(?:,\\n    "${CHARS}*")*\\n  \\]),\\n  )?"tokens": \\[`, 'y');
/** One entry at depth 2; captures the name and the permission strings as written. */
const ENTRY = new RegExp(
  `\\{\\n      "token": "apiv3_${CHARS}*",\\n      "name": "(${CHARS}+)",(?:\\n      "expiry_millis": (?:0|-?[1-9]\\d{0,17}),)?` +
    `\\n      "permissions": \\[\\n        ("${CHARS}*"(?:,\\n        "${CHARS}*")*)\\n      \\]\\n    \\}`,
  'y',
);
const FIRST_ENTRY = '\n    ';
const SEPARATOR = ',\n    ';
const DATABASE_SEPARATOR = '",\n    "';

export interface CanonicalPermissionFile {
  /** The text of the create_databases value (canonical already), absent when the file has none. */
  readonly databasesText: string | undefined;
  readonly databases: readonly string[] | undefined;
  /** Each entry's place in the text, in file order. */
  readonly spans: readonly Span[];
  readonly names: readonly string[];
  /** The first entry of each distinct list of permissions: what is left to check. */
  readonly representatives: readonly Span[];
}

const splitList = (list: string, separator: string): string[] => list.slice(1, -1).split(separator);

export function scanCanonicalPermissionFile(text: string): CanonicalPermissionFile | undefined {
  HEAD.lastIndex = 0;
  const head = HEAD.exec(text);
  if (head === null) return undefined;
  const databasesText = head[1];
  const databases = databasesText === undefined ? undefined : databasesText === '[]' ? [] : splitList(databasesText.slice(6, -4), DATABASE_SEPARATOR);
  let i = HEAD.lastIndex;
  const spans: Span[] = [];
  const names: string[] = [];
  const representatives: Span[] = [];
  if (text.charCodeAt(i) === 0x5d /* ] */) i++;
  else {
    if (!text.startsWith(FIRST_ENTRY, i)) return undefined;
    i += FIRST_ENTRY.length;
    const seenLists = new Set<string>();
    for (;;) {
      ENTRY.lastIndex = i;
      const m = ENTRY.exec(text);
      if (m === null) return undefined;
      const span = { start: i, end: ENTRY.lastIndex };
      spans.push(span);
      names.push(m[1]!);
      const list = m[2]!;
      if (!seenLists.has(list)) {
        seenLists.add(list);
        representatives.push(span);
      }
      i = span.end;
      if (text.startsWith(SEPARATOR, i)) i += SEPARATOR.length;
      else break;
    }
    if (!text.startsWith('\n  ]', i)) return undefined;
    i += 4;
  }
  if (!text.startsWith('\n}', i)) return undefined;
  i += 2;
  if (i < text.length && !(i === text.length - 1 && text.charCodeAt(i) === 0x0a)) return undefined;
  if (repeatsAName(names)) return undefined;
  return { databasesText, databases, spans, names, representatives };
}

