/**
 * The document core: every edit on the text, against what serialising the same document
 * gives, with unknown members kept verbatim and in place, and untouched entries kept as
 * slices of the old text. Property tests run random edit sequences against a model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  type AdminDocument,
  type PermissionDocument,
  addDatabases,
  appendEntries,
  documentText,
  emptyDocument,
  findEntry,
  openDocument,
  removeEntries,
  renderDocument,
  replaceEntry,
  setAdminToken,
} from '../../src/domain/document';
import { layoutAt } from '../../src/domain/json-layout';
import { isExpired, successorName } from '../../src/domain/lifecycle';
import { type AdminTokenFile, type PermissionTokensFile, type TokenEntry, newAdminFile, serializeTokenFile } from '../../src/domain/token-file';

const T1 = 'apiv3_WuZ2cmgZEoXT_5jHh5eMBMbDePgSYPvUAnZO9y4PCsrR1RhHtIBh3No2j6oz8Os7yCRqY8IdBMFUYjSboY7oAQ';
const T2 = 'apiv3_vh0yNA3OxUf3b0QFXj9Mo-_Z9YB-RSF0kdeziV1VlApr7iMsyfAahl-krB9fXoHtDUB5XRf2mKrYEmbLUIDWXA';
const T3 = 'apiv3_i1RarRtOlHCQCNIOka7B2tJW4BkCm7wdhIaaA0dHTA5BVlWSPGCLPnpS_eHMj64ICVMklXTOcpT18zqE4uDrnw';

const entry = (token: string, name: string, extra: Record<string, unknown> = {}): TokenEntry => ({ token, name, permissions: ['db:a:read'], ...extra });
const open = (text: string): PermissionDocument => openDocument(text, JSON.parse(text) as PermissionTokensFile);
const openAdmin = (text: string): AdminDocument => openDocument(text, JSON.parse(text) as AdminTokenFile);
const canonical = serializeTokenFile;

/** The text of `doc` after the edit, checked against its own parsed view. */
function textOf(doc: PermissionDocument | AdminDocument): string {
  const text = documentText(doc);
  assert.deepEqual(JSON.parse(text), doc.value, 'the parsed view follows the text');
  return text;
}

// ---- new files are edits of the empty document ----

test('a new permission file: the empty document plus one entry is what serialising gives', () => {
  const e = entry(T1, 'first');
  assert.equal(textOf(appendEntries(emptyDocument('permission'), [e])), canonical({ tokens: [e] }));
  assert.equal(textOf(emptyDocument('permission')), '{\n  "tokens": []\n}\n');
});

test('a new permission file with databases: create_databases first, without repeats', () => {
  const e = entry(T1, 'first');
  const { doc, added } = addDatabases(emptyDocument('permission'), ['b', 'a', 'b', 'c', 'a']);
  assert.deepEqual(added, ['b', 'a', 'c']);
  assert.equal(textOf(appendEntries(doc, [e])), canonical({ create_databases: ['b', 'a', 'c'], tokens: [e] }));
});

test('a new admin file: token, name, expiry_millis in the server order, or no expiry at all', () => {
  assert.equal(textOf(setAdminToken(emptyDocument('admin'), newAdminFile(T1, '_admin', undefined))), canonical({ token: T1, name: '_admin' }));
  assert.equal(textOf(setAdminToken(emptyDocument('admin'), newAdminFile(T1, '_admin', 5))), canonical({ token: T1, name: '_admin', expiry_millis: 5 }));
});

// ---- append ----

test('append to a canonical file adds at the end; the old text is a prefix, kept as one slice', () => {
  const before = canonical({ tokens: [entry(T1, 'first'), entry(T2, 'second')] });
  const doc = appendEntries(open(before), [entry(T3, 'third')]);
  const text = textOf(doc);
  assert.equal(text, canonical({ tokens: [entry(T1, 'first'), entry(T2, 'second'), entry(T3, 'third')] }));
  const pieces = renderDocument(doc);
  assert.ok(pieces.some((p) => p.length > 300 && before.includes(p)), 'the two old entries go out as one slice of the old text');
});

test('append keeps unknown members verbatim and in place, insides not re-indented', () => {
  const before = '{\n  "x-managed-by": "terraform",\n  "tokens": [],\n  "meta": {"a":  [1,\n 2],   "b": {"c":null}},\n  "big": 12345678901234567890\n}\n';
  const text = textOf(appendEntries(open(before), [entry(T1, 'n')]));
  assert.equal(
    text,
    `{\n  "x-managed-by": "terraform",\n  "tokens": [\n    ${layoutAt(entry(T1, 'n'), 2)}\n  ],\n  "meta": {"a":  [1,\n 2],   "b": {"c":null}},\n  "big": 12345678901234567890\n}\n`,
  );
});

test('an unknown member nested 100,000 deep is kept byte for byte, with no stack overflow', () => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const before = `{"tokens": [{"token": "${T1}", "name": "a", "permissions": ["db:a:read"], "deep": ${deep}}], "more": ${deep}}`;
  const text = documentText(appendEntries(open(before), [entry(T2, 'b')]));
  assert.ok(text.length < before.length + 1_000, `${text.length} vs ${before.length}`);
  assert.ok(text.includes(`"deep": ${deep}`) && text.includes(`"more": ${deep}`));
});

test('known members of a hand-written entry get the canonical layout; its strings and numbers keep their bytes', () => {
  const before = `{"tokens":[{"token":"${T1}","name":"\\u0061","expiry_millis":1756400061529,"permissions":["db:a:read"],"note":{"k": [1]}}]}`;
  const text = documentText(appendEntries(open(before), [entry(T2, 'b')]));
  assert.ok(text.includes('      "name": "\\u0061",\n'), text);
  assert.ok(text.includes('      "note": {"k": [1]}\n'), text);
  assert.deepEqual(JSON.parse(text), { tokens: [{ ...entry(T1, 'a', { expiry_millis: 1756400061529 }), note: { k: [1] } }, entry(T2, 'b')] });
});

// ---- databases ----

test('addDatabases merges in order, without repeating names already there; create_databases keeps its place', () => {
  const before = canonical({ tokens: [], note: 'n', create_databases: ['a'], tail: true });
  const { doc, added } = addDatabases(open(before), ['c', 'a', 'd', 'c']);
  assert.deepEqual(added, ['c', 'd']);
  assert.equal(textOf(doc), canonical({ tokens: [], note: 'n', create_databases: ['a', 'c', 'd'], tail: true }));
});

test('addDatabases with nothing new returns the same document', () => {
  const doc = open(canonical({ create_databases: ['a', 'b'], tokens: [] }));
  assert.equal(addDatabases(doc, ['b', 'a']).doc, doc);
});

test('addDatabases inserts create_databases first when the file lacked it, and replaces a null one', () => {
  const before = canonical({ 'x-managed-by': 'terraform', tokens: [entry(T1, 'first', { description: 'kept' })], version: 1 });
  assert.equal(
    textOf(addDatabases(open(before), ['sensors']).doc),
    canonical({ create_databases: ['sensors'], 'x-managed-by': 'terraform', tokens: [entry(T1, 'first', { description: 'kept' })], version: 1 }),
  );
  const withNull = '{\n  "tokens": [],\n  "create_databases": null\n}\n';
  assert.equal(documentText(addDatabases(open(withNull), ['a']).doc), canonical({ tokens: [], create_databases: ['a'] }));
});

// ---- remove ----

test('removeEntries drops the named entries; neighbours keep their bytes', () => {
  const tokens = [entry(T1, 'a', { expiry_millis: 1 }), entry(T2, 'b', { note: 'x' }), entry(T3, 'c')];
  const before = canonical({ create_databases: ['a'], tokens, after: { k: 1 } });
  for (const [names, kept] of [
    [['a'], [tokens[1], tokens[2]]],
    [['b'], [tokens[0], tokens[2]]],
    [['c'], [tokens[0], tokens[1]]],
    [['a', 'c'], [tokens[1]]],
    [['a', 'b', 'c'], []],
    [['nope'], tokens],
  ] as const) {
    assert.equal(textOf(removeEntries(open(before), new Set(names))), canonical({ create_databases: ['a'], tokens: [...kept], after: { k: 1 } }), names.join());
  }
});

test('removeEntries of one entry among 100,000 writes a handful of slices, not 100,000 pieces', () => {
  const tokens = Array.from({ length: 100_000 }, (_, i) => entry(T1, `t${i}`));
  const doc = removeEntries(open(canonical({ tokens })), new Set(['t50000']));
  assert.ok(renderDocument(doc).length < 10);
  assert.equal(findEntry(doc, 't50000'), -1);
  assert.equal(doc.value.tokens.length, 99_999);
});

// ---- replace ----

test('replaceEntry replaces the token string in place; expiry set, changed or removed; unknown fields stay', () => {
  const before = canonical({ tokens: [entry(T1, 'a'), entry(T2, 'b', { note: { deep: [1] } }), entry(T3, 'c', { expiry_millis: 7 })] });
  const NEW = `apiv3_${'N'.repeat(86)}`;
  assert.equal(textOf(replaceEntry(open(before), 'b', { token: NEW })), canonical({ tokens: [entry(T1, 'a'), entry(NEW, 'b', { note: { deep: [1] } }), entry(T3, 'c', { expiry_millis: 7 })] }));
  const withExpiry = textOf(replaceEntry(open(before), 'a', { token: NEW, expiry_millis: 9 }));
  assert.equal(withExpiry, canonical({ tokens: [{ token: NEW, name: 'a', expiry_millis: 9, permissions: ['db:a:read'] }, entry(T2, 'b', { note: { deep: [1] } }), entry(T3, 'c', { expiry_millis: 7 })] }));
  const removed = textOf(replaceEntry(open(before), 'c', { token: NEW, expiry_millis: undefined }));
  assert.equal(removed, canonical({ tokens: [entry(T1, 'a'), entry(T2, 'b', { note: { deep: [1] } }), entry(NEW, 'c')] }));
  assert.throws(() => replaceEntry(open(before), 'zz', { token: NEW }), RangeError);
});

// ---- admin ----

test('setAdminToken replaces token and name, keeps unknown fields in place; a new expiry goes after name', () => {
  const cases: Array<[AdminTokenFile, AdminTokenFile, string[]]> = [
    [{ token: T1, description: 'bootstrap', name: '_admin', labels: { env: 'prod' } }, newAdminFile(T2, 'root', undefined), ['token', 'description', 'name', 'labels']],
    [{ token: T1, name: '_admin', expiry_millis: 1756400061529, description: 'd' }, newAdminFile(T2, '_admin', undefined), ['token', 'name', 'description']],
    [{ description: 'd', expiry_millis: 1, token: T1, name: '_admin' }, newAdminFile(T2, '_admin', 2082758400000), ['description', 'expiry_millis', 'token', 'name']],
    [{ description: 'first', token: T1, note: 'between', name: '_admin', last: true }, newAdminFile(T2, '_admin', 2082758400000), ['description', 'token', 'note', 'name', 'expiry_millis', 'last']],
  ];
  for (const [before, next, keys] of cases) {
    const text = textOf(setAdminToken(openAdmin(canonical(before)), next));
    assert.deepEqual(Object.keys(JSON.parse(text) as object), keys);
    assert.equal(text, canonical(JSON.parse(text)));
  }
});

test('setAdminToken keeps a large number and an integer-like key in place', () => {
  const text = '{"token":"apiv3_old","7":"seven","name":"_admin","big":12345678901234567890}';
  assert.equal(
    documentText(setAdminToken(openAdmin(text), { token: 'apiv3_new', name: '_admin', expiry_millis: 9 })),
    '{\n  "token": "apiv3_new",\n  "7": "seven",\n  "name": "_admin",\n  "expiry_millis": 9,\n  "big": 12345678901234567890\n}\n',
  );
});

// ---- the model ----

type Op =
  | { op: 'append'; name: string; expiry: number | undefined; perms: string[] }
  | { op: 'remove'; names: string[] }
  | { op: 'replace'; name: string; expiry: number | undefined | 'keep' }
  | { op: 'databases'; dbs: string[] };

const nameArb = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'quote"d', 'é');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('append' as const), name: nameArb, expiry: fc.option(fc.integer({ min: 0, max: 2 ** 45 }), { nil: undefined }), perms: fc.array(fc.constantFrom('db:a:read', 'db:b:write', 'system:health:read'), { minLength: 1, maxLength: 3 }) }),
  fc.record({ op: fc.constant('remove' as const), names: fc.array(nameArb, { maxLength: 3 }) }),
  fc.record({ op: fc.constant('replace' as const), name: nameArb, expiry: fc.oneof(fc.constant('keep' as const), fc.constant(undefined), fc.integer({ min: 0, max: 2 ** 45 })) }),
  fc.record({ op: fc.constant('databases' as const), dbs: fc.array(fc.constantFrom('x', 'y', 'z'), { maxLength: 3 }) }),
);

let counter = 0;
const nextToken = (): string => `apiv3_${String(counter++).padStart(86, 'T')}`;

/** The model: plain values, edited as objects, serialised with JSON.stringify. */
function applyModel(model: PermissionTokensFile, op: Op, token: string): PermissionTokensFile {
  const tokens = model.tokens;
  switch (op.op) {
    case 'append':
      if (tokens.some((t) => t.name === op.name)) return model;
      return { ...model, tokens: [...tokens, op.expiry === undefined ? { token, name: op.name, permissions: op.perms } : { token, name: op.name, expiry_millis: op.expiry, permissions: op.perms }] };
    case 'remove':
      return { ...model, tokens: tokens.filter((t) => !op.names.includes(t.name)) };
    case 'replace':
      return {
        ...model,
        tokens: tokens.map((t) => {
          if (t.name !== op.name) return t;
          const { expiry_millis: old, ...rest } = t;
          const expiry = op.expiry === 'keep' ? old : op.expiry;
          const out = { token, name: t.name } as TokenEntry;
          if (expiry !== undefined) out.expiry_millis = expiry;
          for (const [k, v] of Object.entries(rest)) if (k !== 'token' && k !== 'name') out[k] = v;
          return out as TokenEntry;
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
      return findEntry(doc, op.name) === -1 ? appendEntries(doc, [op.expiry === undefined ? { token, name: op.name, permissions: op.perms } : { token, name: op.name, expiry_millis: op.expiry, permissions: op.perms }]) : doc;
    case 'remove':
      return removeEntries(doc, new Set(op.names));
    case 'replace':
      if (findEntry(doc, op.name) === -1) return doc;
      return replaceEntry(doc, op.name, op.expiry === 'keep' ? { token } : { token, expiry_millis: op.expiry });
    case 'databases':
      return addDatabases(doc, op.dbs).doc;
  }
}

const startArb = fc.record({
  entries: fc.array(fc.record({ name: fc.constantFrom('a', 'b', 'c', 'seed1', 'seed2'), note: fc.option(fc.constantFrom('n', 'm'), { nil: undefined }) }), { maxLength: 5 }),
  dbs: fc.option(fc.array(fc.constantFrom('x', 'w'), { maxLength: 2 }), { nil: undefined }),
  tail: fc.boolean(),
});

test('property: any sequence of append/remove/replace/databases gives the text that serialising the model gives', () => {
  fc.assert(
    fc.property(startArb, fc.array(opArb, { maxLength: 12 }), fc.boolean(), (start, ops, reopen) => {
      const seen = new Set<string>();
      const tokens: TokenEntry[] = [];
      for (const e of start.entries) {
        if (seen.has(e.name)) continue;
        seen.add(e.name);
        tokens.push(e.note === undefined ? entry(nextToken(), e.name) : entry(nextToken(), e.name, { note: e.note }));
      }
      let model: PermissionTokensFile = start.dbs === undefined ? { tokens } : { create_databases: [...new Set(start.dbs)], tokens };
      if (start.tail) model = { ...model, tail: { keep: [1, 2] } };
      let doc = open(canonical(model));
      for (const op of ops) {
        const token = nextToken();
        model = applyModel(model, op, token);
        doc = applyDoc(doc, op, token);
        // Edits compose on reopened text as well as on the document in memory.
        if (reopen) doc = open(documentText(doc));
      }
      assert.equal(documentText(doc), canonical(model));
      assert.deepEqual(doc.value, model);
    }),
    { numRuns: 300 },
  );
});

test('property: on a file with hand-written spacing, entries no edit touched keep their parsed value and unknown members their bytes', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 8 }), (ops) => {
      const start = `{"tokens":[ {"token":"${T1}", "name":"keep", "permissions":["db:a:read"], "odd":{"x" :  1}} ],"after" : [ 1,2 ]}`;
      let doc = open(start);
      for (const op of ops) if (!(op.op === 'remove' || op.op === 'replace') || !('name' in op && op.name === 'keep')) doc = applyDoc(doc, op.op === 'remove' ? { op: 'remove', names: op.names.filter((n) => n !== 'keep') } : op, nextToken());
      const text = documentText(doc);
      assert.ok(text.includes('"odd": {"x" :  1}'), text);
      assert.ok(text.endsWith('"after": [ 1,2 ]\n}\n'), text);
      assert.deepEqual(JSON.parse(text), doc.value);
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
  for (const [name, taken, expected] of cases) assert.equal(successorName(name, (n) => taken.includes(n)), expected, `${name} with ${taken.join()}`);
});

test('isExpired: from the expiry instant on; never without one', () => {
  assert.equal(isExpired(undefined, 5), false);
  assert.equal(isExpired(6, 5), false);
  assert.equal(isExpired(5, 5), true);
  assert.equal(isExpired(4, 5), true);
});
