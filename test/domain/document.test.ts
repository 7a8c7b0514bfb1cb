/**
 * The document core: every edit on the text, against what serialising the same document
 * gives, with unknown members kept verbatim and in place, and untouched entries kept as
 * slices of the old text. After each edit the values the server's reader reads back from
 * the new text (entriesOf, adminOf) are the values the edit meant, expiries as exact i64
 * bigints. Property tests run random edit sequences against a model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  type AdminDocument,
  type PermissionDocument,
  addDatabases,
  adminOf,
  appendEntries,
  documentText,
  emptyDocument,
  entriesOf,
  entryAt,
  findEntry,
  openDocument,
  removeEntries,
  renderDocument,
  replaceEntry,
  setAdminToken,
} from '../../src/domain/document';
import { isExpired } from '../../src/domain/instant';
import { expiredEntries, successorName } from '../../src/domain/lifecycle';
import { readTokenFile } from '../../src/domain/server-reader';
import { type AdminValues, type EntryValues, newAdminFile, newTokenEntry } from '../../src/domain/token-file';

const T1 = 'apiv3_WuZ2cmgZEoXT_5jHh5eMBMbDePgSYPvUAnZO9y4PCsrR1RhHtIBh3No2j6oz8Os7yCRqY8IdBMFUYjSboY7oAQ';
const T2 = 'apiv3_vh0yNA3OxUf3b0QFXj9Mo-_Z9YB-RSF0kdeziV1VlApr7iMsyfAahl-krB9fXoHtDUB5XRf2mKrYEmbLUIDWXA';
const T3 = 'apiv3_i1RarRtOlHCQCNIOka7B2tJW4BkCm7wdhIaaA0dHTA5BVlWSPGCLPnpS_eHMj64ICVMklXTOcpT18zqE4uDrnw';
const NEW = `apiv3_${'N'.repeat(86)}`;

const I64_MAX = 9223372036854775807n;
const I64_MIN = -9223372036854775808n;
/** 2^53 + 1: the first integer a double cannot hold (as a Number it reads 9007199254740992). */
const BEYOND_DOUBLE = 9007199254740993n;

/** An entry as a plain object, as JSON.stringify writes it; a bigint expiry is written with its exact digits. */
interface PlainEntry {
  token: string;
  name: string;
  expiry_millis?: number | bigint | null;
  permissions: string[];
  [key: string]: unknown;
}
interface PlainFile {
  create_databases?: string[] | null;
  tokens: PlainEntry[];
  [key: string]: unknown;
}

const entry = (token: string, name: string, extra: Record<string, unknown> = {}): PlainEntry => ({ token, name, permissions: ['db:a:read'], ...extra });
/** An entry with expiry_millis in the server's field order (before permissions). */
const timed = (token: string, name: string, expiry: bigint | number | null): PlainEntry => ({ token, name, expiry_millis: expiry, permissions: ['db:a:read'] });

/** The values the server reads from a plain entry: expiry as an i64 bigint, null when absent or null. */
const valuesOf = (p: PlainEntry): EntryValues => ({
  token: p.token,
  name: p.name,
  expiry: p.expiry_millis === undefined || p.expiry_millis === null ? null : BigInt(p.expiry_millis),
  permissions: p.permissions,
});

/** JSON.stringify(v, null, 2) plus a newline; bigints (which JSON.stringify refuses) go out as their exact digits. */
const BIG = '@@bigint@@';
const canonical = (v: unknown): string =>
  `${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${BIG}${x}` : x), 2).replace(new RegExp(`"${BIG}(-?\\d+)"`, 'g'), '$1')}\n`;
/** A value as the canonical layout writes it at depth 2 (an entry of the tokens array). */
const layoutAt2 = (v: unknown): string => canonical(v).slice(0, -1).replace(/\n/g, '\n    ');
/** A permission file in the canonical layout around entries given as text (at depth 2). */
const fileOf = (entries: readonly string[], databases?: readonly string[]): string =>
  `{\n  ${databases === undefined ? '' : `"create_databases": ${canonical(databases).slice(0, -1).replace(/\n/g, '\n  ')},\n  `}"tokens": [\n    ${entries.join(',\n    ')}\n  ]\n}\n`;

function open(text: string): PermissionDocument {
  const read = readTokenFile(text, 'permission');
  assert.deepEqual(read.errors, [], 'the text loads as a permission tokens file');
  const doc = openDocument(text, read);
  assert.equal(doc.kind, 'permission');
  return doc as PermissionDocument;
}

function openAdmin(text: string): AdminDocument {
  const read = readTokenFile(text, 'admin');
  assert.deepEqual(read.errors, [], 'the text loads as an admin token file');
  const doc = openDocument(text, read);
  assert.equal(doc.kind, 'admin');
  return doc as AdminDocument;
}

/**
 * The text of `doc` after the edit, checked: the document and the text it writes both read
 * back (with the server's reader) as the entries and databases `meant` holds.
 */
function textOf(doc: PermissionDocument, meant: PlainFile): string {
  const text = documentText(doc);
  const entries = meant.tokens.map(valuesOf);
  const databases = meant.create_databases ?? undefined;
  assert.deepEqual(entriesOf(doc), entries, 'the document reads as the edits meant');
  assert.deepEqual(
    doc.names,
    entries.map((e) => e.name),
  );
  assert.deepEqual(doc.databases, databases);
  const again = open(text);
  assert.deepEqual(entriesOf(again), entries, 'the text reads back as the edits meant');
  assert.deepEqual(again.names, doc.names);
  assert.deepEqual(again.databases, databases);
  return text;
}

/** The text of an admin document, checked: it and its text read back as `meant`. */
function adminTextOf(doc: AdminDocument, meant: AdminValues): string {
  const text = documentText(doc);
  assert.deepEqual(adminOf(doc), meant, 'the document reads as the edit meant');
  assert.deepEqual(adminOf(openAdmin(text)), meant, 'the text reads back as the edit meant');
  return text;
}

test('the helpers: canonical writes bigints with their digits, and the reader reads them back exactly', () => {
  const text = canonical({ tokens: [timed(T1, 'a', I64_MAX)] });
  assert.ok(text.includes('\n      "expiry_millis": 9223372036854775807,\n'), text);
  assert.deepEqual(entriesOf(open(text)), [{ token: T1, name: 'a', expiry: I64_MAX, permissions: ['db:a:read'] }]);
  assert.equal(fileOf([layoutAt2(entry(T1, 'a'))], ['x']), canonical({ create_databases: ['x'], tokens: [entry(T1, 'a')] }));
  assert.throws(() => open('{"tokens": [{"token": "t"}]}'), assert.AssertionError);
});

// ---- new files are edits of the empty document ----

test('a new permission file: the empty document plus one entry is what serialising gives', () => {
  const e = entry(T1, 'first');
  assert.equal(textOf(appendEntries(emptyDocument('permission'), [valuesOf(e)]), { tokens: [e] }), canonical({ tokens: [e] }));
  assert.equal(textOf(emptyDocument('permission'), { tokens: [] }), '{\n  "tokens": []\n}\n');
});

test('a new permission file with databases: create_databases first, without repeats', () => {
  const e = entry(T1, 'first');
  const { doc, added } = addDatabases(emptyDocument('permission'), ['b', 'a', 'b', 'c', 'a']);
  assert.deepEqual(added, ['b', 'a', 'c']);
  const meant = { create_databases: ['b', 'a', 'c'], tokens: [e] };
  assert.equal(textOf(appendEntries(doc, [valuesOf(e)]), meant), canonical(meant));
});

test('a new admin file: token, name, expiry_millis in the server order, or no expiry at all', () => {
  const none = newAdminFile(T1, '_admin', null);
  assert.equal(adminTextOf(setAdminToken(emptyDocument('admin'), none), none), canonical({ token: T1, name: '_admin' }));
  const five = newAdminFile(T1, '_admin', 5n);
  assert.equal(adminTextOf(setAdminToken(emptyDocument('admin'), five), five), canonical({ token: T1, name: '_admin', expiry_millis: 5 }));
});

// ---- append ----

test('append to a canonical file adds at the end; the old text is a prefix, kept as one slice', () => {
  const before = canonical({ tokens: [entry(T1, 'first'), entry(T2, 'second')] });
  const doc = appendEntries(open(before), [valuesOf(entry(T3, 'third'))]);
  const meant = { tokens: [entry(T1, 'first'), entry(T2, 'second'), entry(T3, 'third')] };
  assert.equal(textOf(doc, meant), canonical(meant));
  const { pieces } = renderDocument(doc);
  assert.ok(
    pieces.some((p) => p.length > 300 && before.includes(p)),
    'the two old entries go out as one slice of the old text',
  );
});

test('append keeps unknown members verbatim and in place, insides not re-indented', () => {
  const before = '{\n  "x-managed-by": "terraform",\n  "tokens": [],\n  "meta": {"a":  [1,\n 2],   "b": {"c":null}},\n  "big": 12345678901234567890\n}\n';
  const text = textOf(appendEntries(open(before), [valuesOf(entry(T1, 'n'))]), { tokens: [entry(T1, 'n')] });
  assert.equal(
    text,
    `{\n  "x-managed-by": "terraform",\n  "tokens": [\n    ${layoutAt2(entry(T1, 'n'))}\n  ],\n  "meta": {"a":  [1,\n 2],   "b": {"c":null}},\n  "big": 12345678901234567890\n}\n`,
  );
});

test('an unknown member nested 100,000 deep is kept byte for byte, with no stack overflow', () => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const before = `{"tokens": [{"token": "${T1}", "name": "a", "permissions": ["db:a:read"], "deep": ${deep}}], "more": ${deep}}`;
  const doc = appendEntries(open(before), [valuesOf(entry(T2, 'b'))]);
  const text = documentText(doc);
  assert.ok(text.length < before.length + 1_000, `${text.length} vs ${before.length}`);
  assert.ok(text.includes(`"deep": ${deep}`) && text.includes(`"more": ${deep}`));
  const meant = [valuesOf(entry(T1, 'a')), valuesOf(entry(T2, 'b'))];
  assert.deepEqual(entriesOf(doc), meant);
  assert.deepEqual(entriesOf(open(text)), meant);
});

test('known members of a hand-written entry get the canonical layout; its strings and numbers keep their bytes', () => {
  const before = `{"tokens":[{"token":"${T1}","name":"\\u0061","expiry_millis":1756400061529,"permissions":["db:a:read"],"note":{"k": [1]}}]}`;
  const text = textOf(appendEntries(open(before), [valuesOf(entry(T2, 'b'))]), { tokens: [entry(T1, 'a', { expiry_millis: 1756400061529 }), entry(T2, 'b')] });
  assert.ok(text.includes('      "name": "\\u0061",\n'), text);
  assert.ok(text.includes('      "note": {"k": [1]}\n'), text);
  assert.deepEqual(JSON.parse(text), { tokens: [{ ...entry(T1, 'a', { expiry_millis: 1756400061529 }), note: { k: [1] } }, entry(T2, 'b')] });
});

// ---- databases ----

test('addDatabases merges in order, without repeating names already there; create_databases keeps its place', () => {
  const before = canonical({ tokens: [], note: 'n', create_databases: ['a'], tail: true });
  const { doc, added } = addDatabases(open(before), ['c', 'a', 'd', 'c']);
  assert.deepEqual(added, ['c', 'd']);
  const meant = { tokens: [], note: 'n', create_databases: ['a', 'c', 'd'], tail: true };
  assert.equal(textOf(doc, meant), canonical(meant));
});

test('addDatabases with nothing new returns the same document', () => {
  const doc = open(canonical({ create_databases: ['a', 'b'], tokens: [] }));
  assert.equal(addDatabases(doc, ['b', 'a']).doc, doc);
  assert.deepEqual(addDatabases(doc, ['b', 'a']).added, []);
});

test('addDatabases inserts create_databases first when the file lacked it, and replaces a null one', () => {
  const tokens = [entry(T1, 'first', { description: 'kept' })];
  const before = canonical({ 'x-managed-by': 'terraform', tokens, version: 1 });
  const meant = { create_databases: ['sensors'], 'x-managed-by': 'terraform', tokens, version: 1 };
  assert.equal(textOf(addDatabases(open(before), ['sensors']).doc, meant), canonical(meant));
  const withNull = '{\n  "tokens": [],\n  "create_databases": null\n}\n';
  assert.equal(open(withNull).databases, undefined, 'null reads as absent');
  const replaced = { tokens: [], create_databases: ['a'] };
  assert.equal(textOf(addDatabases(open(withNull), ['a']).doc, replaced), canonical(replaced));
});

// ---- remove ----

test('removeEntries drops the named entries; neighbours keep their bytes', () => {
  const tokens = [entry(T1, 'a', { expiry_millis: 1 }), entry(T2, 'b', { note: 'x' }), entry(T3, 'c')];
  const before = canonical({ create_databases: ['a'], tokens, after: { k: 1 } });
  for (const [names, kept] of [
    [['a'], [tokens[1]!, tokens[2]!]],
    [['b'], [tokens[0]!, tokens[2]!]],
    [['c'], [tokens[0]!, tokens[1]!]],
    [['a', 'c'], [tokens[1]!]],
    [['a', 'b', 'c'], []],
    [['nope'], tokens],
  ] as const) {
    const meant = { create_databases: ['a'], tokens: [...kept], after: { k: 1 } };
    assert.equal(textOf(removeEntries(open(before), new Set(names)), meant), canonical(meant), names.join());
  }
});

test('removeEntries of one entry among 100,000 writes a handful of slices, not 100,000 pieces', () => {
  const tokens = Array.from({ length: 100_000 }, (_, i) => entry(T1, `t${i}`));
  const doc = removeEntries(open(canonical({ tokens })), new Set(['t50000']));
  assert.ok(renderDocument(doc).pieces.length < 10);
  assert.equal(findEntry(doc, 't50000'), -1);
  assert.equal(doc.names.length, 99_999);
  assert.deepEqual(entryAt(doc, 49_999), valuesOf(entry(T1, 't49999')));
  assert.deepEqual(entryAt(doc, 50_000), valuesOf(entry(T1, 't50001')));
  assert.deepEqual(entryAt(doc, 99_998), valuesOf(entry(T1, 't99999')));
  assert.equal(documentText(doc), canonical({ tokens: tokens.filter((t) => t.name !== 't50000') }));
});

// ---- replace ----

test('replaceEntry replaces the token string in place; expiry set, changed or removed; unknown fields stay', () => {
  const tokens = [entry(T1, 'a'), entry(T2, 'b', { note: { deep: [1] } }), entry(T3, 'c', { expiry_millis: 7 })];
  const before = canonical({ tokens });
  const tokenOnly = { tokens: [tokens[0]!, entry(NEW, 'b', { note: { deep: [1] } }), tokens[2]!] };
  assert.equal(textOf(replaceEntry(open(before), 'b', { token: NEW }), tokenOnly), canonical(tokenOnly));
  const keptExpiry = { tokens: [tokens[0]!, tokens[1]!, entry(NEW, 'c', { expiry_millis: 7 })] };
  assert.equal(textOf(replaceEntry(open(before), 'c', { token: NEW }), keptExpiry), canonical(keptExpiry));
  const withExpiry = { tokens: [{ token: NEW, name: 'a', expiry_millis: 9, permissions: ['db:a:read'] }, tokens[1]!, tokens[2]!] };
  assert.equal(textOf(replaceEntry(open(before), 'a', { token: NEW, expiry: 9n }), withExpiry), canonical(withExpiry));
  const changed = { tokens: [tokens[0]!, tokens[1]!, entry(NEW, 'c', { expiry_millis: 8 })] };
  assert.equal(textOf(replaceEntry(open(before), 'c', { token: NEW, expiry: 8n }), changed), canonical(changed));
  const removed = { tokens: [tokens[0]!, tokens[1]!, entry(NEW, 'c')] };
  assert.equal(textOf(replaceEntry(open(before), 'c', { token: NEW, expiry: null }), removed), canonical(removed));
  assert.throws(() => replaceEntry(open(before), 'zz', { token: NEW }), RangeError);
});

// ---- admin ----

test('setAdminToken replaces token and name, keeps unknown fields in place; a new expiry goes after name', () => {
  const cases: Array<[Record<string, unknown>, AdminValues, string[]]> = [
    [
      { token: T1, description: 'bootstrap', name: '_admin', labels: { env: 'prod' } },
      newAdminFile(T2, 'root', null),
      ['token', 'description', 'name', 'labels'],
    ],
    [{ token: T1, name: '_admin', expiry_millis: 1756400061529, description: 'd' }, newAdminFile(T2, '_admin', null), ['token', 'name', 'description']],
    [
      { description: 'd', expiry_millis: 1, token: T1, name: '_admin' },
      newAdminFile(T2, '_admin', 2082758400000n),
      ['description', 'expiry_millis', 'token', 'name'],
    ],
    [
      { description: 'first', token: T1, note: 'between', name: '_admin', last: true },
      newAdminFile(T2, '_admin', 2082758400000n),
      ['description', 'token', 'note', 'name', 'expiry_millis', 'last'],
    ],
  ];
  for (const [before, next, keys] of cases) {
    const text = adminTextOf(setAdminToken(openAdmin(canonical(before)), next), next);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), keys);
    assert.equal(text, canonical(parsed));
    for (const [k, v] of Object.entries(before)) if (!['token', 'name', 'expiry_millis'].includes(k)) assert.deepEqual(parsed[k], v, k);
  }
});

test('setAdminToken keeps a large number and an integer-like key in place', () => {
  const text = '{"token":"apiv3_old","7":"seven","name":"_admin","big":12345678901234567890}';
  assert.deepEqual(adminOf(openAdmin(text)), { token: 'apiv3_old', name: '_admin', expiry: null });
  const next = { token: 'apiv3_new', name: '_admin', expiry: 9n };
  assert.equal(
    adminTextOf(setAdminToken(openAdmin(text), next), next),
    '{\n  "token": "apiv3_new",\n  "7": "seven",\n  "name": "_admin",\n  "expiry_millis": 9,\n  "big": 12345678901234567890\n}\n',
  );
});

// ---- i64 bounds, null and escapes: what the server reads is kept as written ----

test('i64 bounds and an integer beyond a double survive append/remove/replace/addDatabases digit for digit', () => {
  const tokens = [timed(T1, 'max', I64_MAX), timed(T2, 'min', I64_MIN), timed(T3, 'odd', BEYOND_DOUBLE), entry(T1, 'plain')];
  const before = canonical({ tokens });
  const digits = ['"expiry_millis": 9223372036854775807,', '"expiry_millis": -9223372036854775808,', '"expiry_millis": 9007199254740993,'];
  for (const d of digits) assert.ok(before.includes(d), d);
  assert.deepEqual(
    entriesOf(open(before)).map((e) => e.expiry),
    [I64_MAX, I64_MIN, BEYOND_DOUBLE, null],
  );
  const edits: Array<[string, (d: PermissionDocument) => PermissionDocument, PlainFile]> = [
    ['append', (d) => appendEntries(d, [valuesOf(entry(T2, 'new'))]), { tokens: [...tokens, entry(T2, 'new')] }],
    ['remove', (d) => removeEntries(d, new Set(['plain'])), { tokens: tokens.slice(0, 3) }],
    ['remove a bound', (d) => removeEntries(d, new Set(['min'])), { tokens: [tokens[0]!, tokens[2]!, tokens[3]!] }],
    ['replace another', (d) => replaceEntry(d, 'plain', { token: NEW }), { tokens: [...tokens.slice(0, 3), entry(NEW, 'plain')] }],
    [
      'replace the token of each bound, expiry kept',
      (d) => ['max', 'min', 'odd'].reduce((x, n) => replaceEntry(x, n, { token: NEW }), d),
      { tokens: [...tokens.slice(0, 3).map((t) => ({ ...t, token: NEW })), tokens[3]!] },
    ],
    ['addDatabases', (d) => addDatabases(d, ['x']).doc, { create_databases: ['x'], tokens }],
  ];
  for (const [what, edit, meant] of edits) {
    for (const reopen of [false, true]) {
      let doc = edit(open(before));
      if (reopen) doc = open(documentText(doc));
      const text = textOf(doc, meant);
      assert.equal(text, canonical(meant), what);
      for (const t of meant.tokens) {
        if (typeof t.expiry_millis === 'bigint') assert.ok(text.includes(`"expiry_millis": ${t.expiry_millis},`), `${what}: ${t.expiry_millis}`);
      }
    }
  }
  // Every edit in turn, on the document in memory.
  let doc = appendEntries(open(before), [valuesOf(entry(T2, 'new'))]);
  doc = replaceEntry(doc, 'plain', { token: NEW });
  doc = addDatabases(doc, ['x']).doc;
  doc = removeEntries(doc, new Set(['new']));
  const meant = { create_databases: ['x'], tokens: [...tokens.slice(0, 3), entry(NEW, 'plain')] };
  assert.equal(textOf(doc, meant), canonical(meant));
});

test('i64 bounds in a hand-written entry keep their digits when the entry is laid out again', () => {
  const before = `{"tokens":[{"token":"${T1}","name":"max","expiry_millis":9223372036854775807,"permissions":["db:a:read"]},{"token":"${T2}","name":"min","expiry_millis":-9223372036854775808,"permissions":["db:a:read"]},{"token":"${T3}","name":"odd","expiry_millis":9007199254740993,"permissions":["db:a:read"]}]}`;
  const tokens = [timed(T1, 'max', I64_MAX), timed(T2, 'min', I64_MIN), timed(T3, 'odd', BEYOND_DOUBLE)];
  const meant = { tokens: [...tokens, entry(NEW, 'new')] };
  assert.equal(textOf(appendEntries(open(before), [valuesOf(entry(NEW, 'new'))]), meant), canonical(meant));
  const replaced = { tokens: [{ ...tokens[0]!, token: NEW }, tokens[1]!, tokens[2]!] };
  assert.equal(textOf(replaceEntry(open(before), 'max', { token: NEW }), replaced), canonical(replaced));
});

test('replaceEntry, appendEntries and setAdminToken write i64 bounds with their exact digits', () => {
  const before = canonical({ tokens: [entry(T1, 'a')] });
  for (const [expiry, digits] of [
    [I64_MAX, '9223372036854775807'],
    [I64_MIN, '-9223372036854775808'],
    [BEYOND_DOUBLE, '9007199254740993'],
  ] as const) {
    const replaced = { tokens: [{ token: NEW, name: 'a', expiry_millis: expiry, permissions: ['db:a:read'] }] };
    const text = textOf(replaceEntry(open(before), 'a', { token: NEW, expiry }), replaced);
    assert.equal(text, canonical(replaced));
    assert.ok(text.includes(`\n      "expiry_millis": ${digits},\n`), text);
    const appended = { tokens: [entry(T1, 'a'), timed(T2, 'b', expiry)] };
    const text2 = textOf(appendEntries(open(before), [newTokenEntry(T2, 'b', expiry, ['db:a:read'])]), appended);
    assert.ok(text2.includes(`\n      "expiry_millis": ${digits},\n`), text2);
    assert.equal(text2, canonical(appended));
    const admin = newAdminFile(T1, '_admin', expiry);
    assert.equal(
      adminTextOf(setAdminToken(emptyDocument('admin'), admin), admin),
      `{\n  "token": "${T1}",\n  "name": "_admin",\n  "expiry_millis": ${digits}\n}\n`,
    );
  }
});

test('a null expiry in an untouched entry is kept as written (and reads as no expiry)', () => {
  const tokens = [timed(T1, 'nul', null), entry(T2, 'other')];
  const before = canonical({ tokens });
  assert.ok(before.includes('\n      "expiry_millis": null,\n'));
  assert.equal(entryAt(open(before), 0).expiry, null);
  const edits: Array<[string, (d: PermissionDocument) => PermissionDocument, PlainFile]> = [
    ['append', (d) => appendEntries(d, [valuesOf(entry(T3, 'new'))]), { tokens: [...tokens, entry(T3, 'new')] }],
    ['remove', (d) => removeEntries(d, new Set(['other'])), { tokens: [tokens[0]!] }],
    ['replace another', (d) => replaceEntry(d, 'other', { token: NEW }), { tokens: [tokens[0]!, entry(NEW, 'other')] }],
    ['replace its token only', (d) => replaceEntry(d, 'nul', { token: NEW }), { tokens: [{ ...tokens[0]!, token: NEW }, tokens[1]!] }],
    ['addDatabases', (d) => addDatabases(d, ['x']).doc, { create_databases: ['x'], tokens }],
  ];
  for (const [what, edit, meant] of edits) {
    const text = textOf(edit(open(before)), meant);
    assert.equal(text, canonical(meant), what);
    assert.ok(text.includes('\n      "expiry_millis": null,\n'), what);
  }
  // Setting the expiry of that entry replaces the null in its place, or removes it.
  const set = { tokens: [timed(NEW, 'nul', 5), tokens[1]!] };
  assert.equal(textOf(replaceEntry(open(before), 'nul', { token: NEW, expiry: 5n }), set), canonical(set));
  const removed = { tokens: [entry(NEW, 'nul'), tokens[1]!] };
  const text = textOf(replaceEntry(open(before), 'nul', { token: NEW, expiry: null }), removed);
  assert.equal(text, canonical(removed));
  assert.ok(!text.includes('null'), text);
});

test('escaped strings in an untouched entry keep their escapes; entryAt gives the decoded text', () => {
  const escaped =
    '{\n      "token": "apiv3_\\u0041bc",\n      "name": "caf\\u00e9 \\"q\\" \\\\ \\/",\n      "permissions": [\n        "db:\\u0061:read"\n      ]\n    }';
  const decoded: EntryValues = { token: 'apiv3_Abc', name: 'café "q" \\ /', permissions: ['db:a:read'], expiry: null };
  const other = entry(T2, 'other');
  const before = fileOf([escaped, layoutAt2(other)]);
  assert.deepEqual(entryAt(open(before), 0), decoded);
  assert.equal(findEntry(open(before), decoded.name), 0);
  const cases: Array<[string, (d: PermissionDocument) => PermissionDocument, string, EntryValues[], string[] | undefined]> = [
    [
      'append',
      (d) => appendEntries(d, [valuesOf(entry(T3, 'new'))]),
      fileOf([escaped, layoutAt2(other), layoutAt2(entry(T3, 'new'))]),
      [decoded, valuesOf(other), valuesOf(entry(T3, 'new'))],
      undefined,
    ],
    ['remove', (d) => removeEntries(d, new Set(['other'])), fileOf([escaped]), [decoded], undefined],
    [
      'replace another',
      (d) => replaceEntry(d, 'other', { token: NEW }),
      fileOf([escaped, layoutAt2(entry(NEW, 'other'))]),
      [decoded, valuesOf(entry(NEW, 'other'))],
      undefined,
    ],
    ['addDatabases', (d) => addDatabases(d, ['x']).doc, fileOf([escaped, layoutAt2(other)], ['x']), [decoded, valuesOf(other)], ['x']],
    [
      'replace its token only',
      (d) => replaceEntry(d, decoded.name, { token: NEW }),
      fileOf([escaped.replace('"apiv3_\\u0041bc"', `"${NEW}"`), layoutAt2(other)]),
      [{ ...decoded, token: NEW }, valuesOf(other)],
      undefined,
    ],
  ];
  for (const [what, edit, expected, values, databases] of cases) {
    const doc = edit(open(before));
    const text = documentText(doc);
    assert.equal(text, expected, what);
    assert.ok(text.includes('"name": "caf\\u00e9 \\"q\\" \\\\ \\/"') && text.includes('"db:\\u0061:read"'), what);
    for (const d of [doc, open(text)]) {
      assert.deepEqual(entriesOf(d), values, what);
      assert.equal(findEntry(d, decoded.name), 0, what);
      assert.deepEqual(d.databases, databases, what);
    }
  }
  // The decoded name is the one edits go by.
  assert.equal(documentText(removeEntries(open(before), new Set([decoded.name]))), fileOf([layoutAt2(other)]));
});

// ---- the model ----

type Op =
  | { op: 'append'; name: string; expiry: number | undefined; perms: string[] }
  | { op: 'remove'; names: string[] }
  | { op: 'replace'; name: string; expiry: number | undefined | 'keep' }
  | { op: 'databases'; dbs: string[] };

const nameArb = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'quote"d', 'é');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('append' as const),
    name: nameArb,
    expiry: fc.option(fc.integer({ min: 0, max: 2 ** 45 }), { nil: undefined }),
    perms: fc.array(fc.constantFrom('db:a:read', 'db:b:write', 'system:health:read'), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ op: fc.constant('remove' as const), names: fc.array(nameArb, { maxLength: 3 }) }),
  fc.record({
    op: fc.constant('replace' as const),
    name: nameArb,
    expiry: fc.oneof(fc.constant('keep' as const), fc.constant(undefined), fc.integer({ min: 0, max: 2 ** 45 })),
  }),
  fc.record({ op: fc.constant('databases' as const), dbs: fc.array(fc.constantFrom('x', 'y', 'z'), { maxLength: 3 }) }),
);

let counter = 0;
const nextToken = (): string => `apiv3_${String(counter++).padStart(86, 'T')}`;
const bigOrNull = (n: number | undefined): bigint | null => (n === undefined ? null : BigInt(n));

/** The model: plain values, edited as objects, serialised with JSON.stringify. */
function applyModel(model: PlainFile, op: Op, token: string): PlainFile {
  const tokens = model.tokens;
  switch (op.op) {
    case 'append':
      if (tokens.some((t) => t.name === op.name)) return model;
      return {
        ...model,
        tokens: [
          ...tokens,
          op.expiry === undefined ? { token, name: op.name, permissions: op.perms } : { token, name: op.name, expiry_millis: op.expiry, permissions: op.perms },
        ],
      };
    case 'remove':
      return { ...model, tokens: tokens.filter((t) => !op.names.includes(t.name)) };
    case 'replace':
      return {
        ...model,
        tokens: tokens.map((t) => {
          if (t.name !== op.name) return t;
          const { expiry_millis: old, ...rest } = t;
          const expiry = op.expiry === 'keep' ? old : op.expiry;
          const out: Record<string, unknown> = { token, name: t.name };
          if (expiry !== undefined) out.expiry_millis = expiry;
          for (const [k, v] of Object.entries(rest)) if (k !== 'token' && k !== 'name') out[k] = v;
          return out as PlainEntry;
        }),
      };
    case 'databases': {
      const have = model.create_databases ?? [];
      const more = [...new Set(op.dbs)].filter((d) => !have.includes(d));
      if (more.length === 0) return model;
      return 'create_databases' in model ? { ...model, create_databases: [...have, ...more] } : { create_databases: more, ...model };
    }
  }
}

function applyDoc(doc: PermissionDocument, op: Op, token: string): PermissionDocument {
  switch (op.op) {
    case 'append':
      return findEntry(doc, op.name) === -1 ? appendEntries(doc, [newTokenEntry(token, op.name, bigOrNull(op.expiry), op.perms)]) : doc;
    case 'remove':
      return removeEntries(doc, new Set(op.names));
    case 'replace':
      if (findEntry(doc, op.name) === -1) return doc;
      return replaceEntry(doc, op.name, op.expiry === 'keep' ? { token } : { token, expiry: bigOrNull(op.expiry) });
    case 'databases':
      return addDatabases(doc, op.dbs).doc;
  }
}

const startArb = fc.record({
  entries: fc.array(fc.record({ name: fc.constantFrom('a', 'b', 'c', 'seed1', 'seed2'), note: fc.option(fc.constantFrom('n', 'm'), { nil: undefined }) }), {
    maxLength: 5,
  }),
  dbs: fc.option(fc.array(fc.constantFrom('x', 'w'), { maxLength: 2 }), { nil: undefined }),
  tail: fc.boolean(),
});

test('property: any sequence of append/remove/replace/databases gives the text that serialising the model gives', () => {
  fc.assert(
    fc.property(startArb, fc.array(opArb, { maxLength: 12 }), fc.boolean(), (start, ops, reopen) => {
      const seen = new Set<string>();
      const tokens: PlainEntry[] = [];
      for (const e of start.entries) {
        if (seen.has(e.name)) continue;
        seen.add(e.name);
        tokens.push(e.note === undefined ? entry(nextToken(), e.name) : entry(nextToken(), e.name, { note: e.note }));
      }
      let model: PlainFile = start.dbs === undefined ? { tokens } : { create_databases: [...new Set(start.dbs)], tokens };
      if (start.tail) model = { ...model, tail: { keep: [1, 2] } };
      let doc = open(canonical(model));
      for (const op of ops) {
        const token = nextToken();
        model = applyModel(model, op, token);
        doc = applyDoc(doc, op, token);
        // Edits compose on reopened text as well as on the document in memory.
        if (reopen) doc = open(documentText(doc));
      }
      assert.equal(textOf(doc, model), canonical(model));
    }),
    { numRuns: 300 },
  );
});

test('property: on a file with hand-written spacing, entries no edit touched keep their values and unknown members their bytes', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 8 }), (ops) => {
      const start = `{"tokens":[ {"token":"${T1}", "name":"keep", "permissions":["db:a:read"], "odd":{"x" :  1}} ],"after" : [ 1,2 ]}`;
      let model: PlainFile = { tokens: [entry(T1, 'keep', { odd: { x: 1 } })], after: [1, 2] };
      let doc = open(start);
      for (const op of ops) {
        if (op.op === 'replace' && op.name === 'keep') continue;
        const kept: Op = op.op === 'remove' ? { op: 'remove', names: op.names.filter((n) => n !== 'keep') } : op;
        const token = nextToken();
        model = applyModel(model, kept, token);
        doc = applyDoc(doc, kept, token);
      }
      const text = textOf(doc, model);
      assert.ok(text.includes('"odd": {"x" :  1}'), text);
      assert.ok(text.endsWith('"after": [ 1,2 ]\n}\n'), text);
      assert.deepEqual(entryAt(open(text), findEntry(open(text), 'keep')), valuesOf(entry(T1, 'keep')));
    }),
    { numRuns: 200 },
  );
});

// ---- the lifecycle rules ----

test('successorName: the first free NAME-2, NAME-3, ..., counted from the name as given', () => {
  const cases: Array<[string, string[], string]> = [
    ['app', [], 'app-2'],
    ['app', ['app-2'], 'app-3'],
    ['app', ['app-2', 'app-3', 'app-5'], 'app-4'],
    ['seed-6', ['seed-7'], 'seed-6-2'],
    ['db-2024', [], 'db-2024-2'],
  ];
  for (const [name, taken, expected] of cases)
    assert.equal(
      successorName(name, (n) => taken.includes(n)),
      expected,
      `${name} with ${taken.join()}`,
    );
});

test('isExpired: from the expiry instant on; never without one', () => {
  assert.equal(isExpired(null, 5), false);
  assert.equal(isExpired(6n, 5), false);
  assert.equal(isExpired(5n, 5), true);
  assert.equal(isExpired(4n, 5), true);
  assert.equal(isExpired(I64_MAX, Number.MAX_SAFE_INTEGER), false);
  assert.equal(isExpired(I64_MIN, 0), true);
});

test('isExpired and expiredEntries compare exactly, beyond what a double holds', () => {
  const now = 2 ** 53; // 9007199254740992, exact as a Number
  assert.equal(isExpired(BEYOND_DOUBLE, now), false, 'one millisecond after now (as a Number it would equal now)');
  assert.equal(isExpired(BEYOND_DOUBLE - 1n, now), true);
  const list = [
    { name: 'never', expiry: null },
    { name: 'max', expiry: I64_MAX },
    { name: 'min', expiry: I64_MIN },
    { name: 'after', expiry: BEYOND_DOUBLE },
    { name: 'at', expiry: BigInt(now) },
    { name: 'before', expiry: 0n },
  ];
  assert.deepEqual(
    expiredEntries(list, now).map((t) => t.name),
    ['min', 'at', 'before'],
  );
  assert.deepEqual(
    expiredEntries(entriesOf(open(canonical({ tokens: [timed(T1, 'max', I64_MAX), timed(T2, 'min', I64_MIN), entry(T3, 'none')] }))), now).map((t) => t.name),
    ['min'],
  );
});

test('removing 150,000 entries at once (prune, delete, apply --prune) copies the rest without a spread of 150,000 arguments', () => {
  const n = 150_001;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`{"token":"apiv3_x${i}","name":"t${i}","permissions":["db:a:read"]}`);
  const base = `{"tokens":[${lines.join(',')}]}`;
  const doc = open(base);
  const next = removeEntries(doc, new Set(doc.names.filter((_, i) => i > 0)));
  assert.deepEqual(readTokenFile(documentText(next), 'permission').names, ['t0']);
});
