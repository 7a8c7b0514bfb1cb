import { test } from 'node:test';
import assert from 'node:assert/strict';

import { FileError } from '../../src/errors';
import {
  KIND_LABEL,
  appendToken,
  detectKind,
  newAdminFile,
  newTokenEntry,
  replaceAdminToken,
  serializeTokenFile,
  type AdminTokenFile,
  type PermissionTokensFile,
  type TokenEntry,
} from '../../src/domain/token-file';

const T1 = 'apiv3_WuZ2cmgZEoXT_5jHh5eMBMbDePgSYPvUAnZO9y4PCsrR1RhHtIBh3No2j6oz8Os7yCRqY8IdBMFUYjSboY7oAQ';
const T2 = 'apiv3_vh0yNA3OxUf3b0QFXj9Mo-_Z9YB-RSF0kdeziV1VlApr7iMsyfAahl-krB9fXoHtDUB5XRf2mKrYEmbLUIDWXA';
const T3 = 'apiv3_i1RarRtOlHCQCNIOka7B2tJW4BkCm7wdhIaaA0dHTA5BVlWSPGCLPnpS_eHMj64ICVMklXTOcpT18zqE4uDrnw';

/** A deep copy, to prove an input was not mutated. */
const snapshot = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

// ---- detectKind ----

const kinds: ReadonlyArray<{ doc: unknown; expected: 'admin' | 'permission' | undefined }> = [
  { doc: { tokens: [] }, expected: 'permission' },
  { doc: { create_databases: ['a'], tokens: [] }, expected: 'permission' },
  { doc: { tokens: 'not an array' }, expected: 'permission' },
  { doc: { tokens: [], token: T1 }, expected: 'permission' },
  { doc: { token: T1, name: '_admin' }, expected: 'admin' },
  { doc: { token: T1 }, expected: 'admin' },
  { doc: { token: 42, name: 'x' }, expected: 'admin' },
  { doc: {}, expected: undefined },
  { doc: { name: '_admin' }, expected: undefined },
  { doc: { create_databases: ['a'] }, expected: 'permission' },
  { doc: [], expected: undefined },
  { doc: [{ tokens: [] }], expected: undefined },
  { doc: null, expected: undefined },
  { doc: undefined, expected: undefined },
  { doc: 'tokens', expected: undefined },
  { doc: 42, expected: undefined },
  { doc: true, expected: undefined },
];

for (const c of kinds) {
  test(`detectKind(${JSON.stringify(c.doc) ?? 'undefined'}) is ${c.expected ?? 'undefined'}`, () => {
    assert.equal(detectKind(c.doc), c.expected);
  });
}

test('KIND_LABEL names both kinds', () => {
  assert.deepEqual(KIND_LABEL, { admin: 'an admin token file', permission: 'a permission tokens file' });
});

// ---- constructors ----

test('newTokenEntry without expiry: token, name, permissions; expiry_millis absent', () => {
  const e = newTokenEntry(T1, 'ci', undefined, ['db:a:read']);
  assert.deepEqual(Object.keys(e), ['token', 'name', 'permissions']);
  assert.equal('expiry_millis' in e, false);
  assert.deepEqual(e, { token: T1, name: 'ci', permissions: ['db:a:read'] });
  assert.equal(JSON.stringify(e), `{"token":"${T1}","name":"ci","permissions":["db:a:read"]}`);
});

test('newTokenEntry with expiry: token, name, expiry_millis, permissions', () => {
  const e = newTokenEntry(T1, 'ci', 1756400061529, ['db:a:read', 'system:health:read']);
  assert.deepEqual(Object.keys(e), ['token', 'name', 'expiry_millis', 'permissions']);
  assert.equal(e.expiry_millis, 1756400061529);
  assert.deepEqual(e.permissions, ['db:a:read', 'system:health:read']);
});

test('newTokenEntry keeps an expiry of 0 (it is a value, not "no expiry")', () => {
  const e = newTokenEntry(T1, 'ci', 0, ['db:a:read']);
  assert.deepEqual(Object.keys(e), ['token', 'name', 'expiry_millis', 'permissions']);
  assert.equal(e.expiry_millis, 0);
});

test('newAdminFile without expiry: token, name; expiry_millis absent', () => {
  const a = newAdminFile(T1, '_admin', undefined);
  assert.deepEqual(Object.keys(a), ['token', 'name']);
  assert.equal('expiry_millis' in a, false);
  assert.equal(serializeTokenFile(a), `{\n  "token": "${T1}",\n  "name": "_admin"\n}\n`);
});

test('newAdminFile with expiry: token, name, expiry_millis', () => {
  const a = newAdminFile(T1, '_admin', 1756400061529);
  assert.deepEqual(Object.keys(a), ['token', 'name', 'expiry_millis']);
  assert.equal(a.expiry_millis, 1756400061529);
});

// ---- appendToken ----

const entry = (token: string, name: string, extra: Record<string, unknown> = {}): TokenEntry => ({
  token,
  name,
  permissions: ['db:a:read'],
  ...extra,
});

test('appendToken to no file makes {"tokens": [entry]}', () => {
  const e = entry(T1, 'first');
  const out = appendToken(undefined, e, [], false);
  assert.equal(out.added, true);
  assert.equal(out.entry, e);
  assert.deepEqual(out.newDatabases, []);
  assert.deepEqual(out.doc, { tokens: [e] });
  assert.deepEqual(Object.keys(out.doc!), ['tokens']);
});

test('appendToken to no file with databases puts create_databases first, without repeats', () => {
  const e = entry(T1, 'first');
  const out = appendToken(undefined, e, ['b', 'a', 'b', 'c', 'a'], false);
  assert.deepEqual(out.newDatabases, ['b', 'a', 'c']);
  assert.deepEqual(Object.keys(out.doc!), ['create_databases', 'tokens']);
  assert.deepEqual(out.doc, { create_databases: ['b', 'a', 'c'], tokens: [e] });
});

test('appendToken to an existing file adds at the end and does not mutate the input', () => {
  const existing: PermissionTokensFile = { tokens: [entry(T1, 'first'), entry(T2, 'second')] };
  const before = snapshot(existing);
  const e = entry(T3, 'third');
  const out = appendToken(existing, e, [], false);
  assert.equal(out.added, true);
  assert.deepEqual(out.doc!.tokens.map((t) => t.name), ['first', 'second', 'third']);
  assert.equal(out.doc!.tokens[2], e);
  assert.deepEqual(Object.keys(out.doc!), ['tokens']);
  assert.equal('create_databases' in out.doc!, false);
  assert.deepEqual(existing, before);
});

test('appendToken merges create_databases in order, without repeating names already there', () => {
  const existing: PermissionTokensFile = { create_databases: ['a', 'b'], tokens: [entry(T1, 'first')] };
  const before = snapshot(existing);
  const out = appendToken(existing, entry(T2, 'second'), ['c', 'a', 'd', 'c', 'b'], false);
  assert.deepEqual(out.newDatabases, ['c', 'd']);
  assert.deepEqual(out.doc!.create_databases, ['a', 'b', 'c', 'd']);
  assert.deepEqual(Object.keys(out.doc!), ['create_databases', 'tokens']);
  assert.deepEqual(existing, before);
});

test('appendToken with only known databases reports none new and leaves create_databases alone', () => {
  const existing: PermissionTokensFile = { create_databases: ['a', 'b'], tokens: [] };
  const out = appendToken(existing, entry(T1, 'x'), ['b', 'a'], false);
  assert.deepEqual(out.newDatabases, []);
  assert.deepEqual(out.doc!.create_databases, ['a', 'b']);
});

test('appendToken inserts create_databases first when the file lacked it; unknown fields keep their place', () => {
  const existing: PermissionTokensFile = {
    'x-managed-by': 'terraform',
    tokens: [entry(T1, 'first', { description: 'kept' })],
    generated_at: '2025-11-22',
    version: 1,
  };
  const out = appendToken(existing, entry(T2, 'second'), ['sensors'], false, 'tokens.json');
  assert.deepEqual(Object.keys(out.doc!), ['create_databases', 'x-managed-by', 'tokens', 'generated_at', 'version']);
  assert.equal(
    serializeTokenFile(out.doc!),
    [
      '{',
      '  "create_databases": [',
      '    "sensors"',
      '  ],',
      '  "x-managed-by": "terraform",',
      '  "tokens": [',
      '    {',
      `      "token": "${T1}",`,
      '      "name": "first",',
      '      "permissions": [',
      '        "db:a:read"',
      '      ],',
      '      "description": "kept"',
      '    },',
      '    {',
      `      "token": "${T2}",`,
      '      "name": "second",',
      '      "permissions": [',
      '        "db:a:read"',
      '      ]',
      '    }',
      '  ],',
      '  "generated_at": "2025-11-22",',
      '  "version": 1',
      '}',
      '',
    ].join('\n'),
  );
});

test('appendToken keeps create_databases where it was when it is not first', () => {
  const existing: PermissionTokensFile = { tokens: [], note: 'n', create_databases: ['a'], tail: true };
  const out = appendToken(existing, entry(T1, 'x'), ['b'], false);
  assert.deepEqual(Object.keys(out.doc!), ['tokens', 'note', 'create_databases', 'tail']);
  assert.deepEqual(out.doc!.create_databases, ['a', 'b']);
});

test('appendToken without new databases keeps the key order of a file with unknown fields', () => {
  const existing: PermissionTokensFile = { a: 1, tokens: [entry(T1, 'first')], z: { nested: [1, 2] } };
  const out = appendToken(existing, entry(T2, 'second'), [], false);
  assert.deepEqual(Object.keys(out.doc!), ['a', 'tokens', 'z']);
  assert.deepEqual(out.doc!.z, { nested: [1, 2] });
});

test('appendToken refuses a name already in the file with ENAMETAKEN, naming the name and the file', () => {
  const existing: PermissionTokensFile = { create_databases: ['a'], tokens: [entry(T1, 'ci'), entry(T2, 'other')] };
  const before = snapshot(existing);
  assert.throws(
    () => appendToken(existing, entry(T3, 'ci'), ['b'], false, '/etc/influxdb3/tokens.json'),
    (e: unknown) => {
      assert.ok(e instanceof FileError);
      assert.equal(e.code, 'ENAMETAKEN');
      assert.ok(e.message.includes('"ci"'), e.message);
      assert.ok(e.message.includes('/etc/influxdb3/tokens.json'), e.message);
      assert.ok(e.message.includes('--if-not-exists'), e.message);
      assert.ok(!e.message.includes('apiv3_'), 'the message carries a token');
      return true;
    },
  );
  assert.deepEqual(existing, before);
});

test('appendToken without a label calls it "the file"', () => {
  assert.throws(
    () => appendToken({ tokens: [entry(T1, 'ci')] }, entry(T2, 'ci'), [], false),
    (e: unknown) => e instanceof FileError && e.code === 'ENAMETAKEN' && e.message.includes('already in the file'),
  );
});

test('appendToken is case-sensitive about names', () => {
  const out = appendToken({ tokens: [entry(T1, 'ci')] }, entry(T2, 'CI'), [], false);
  assert.equal(out.added, true);
  assert.equal(out.doc!.tokens.length, 2);
});

test('appendToken ifNotExists keeps the existing entry and changes nothing when no database is new', () => {
  const kept = entry(T1, 'ci', { description: 'original' });
  const existing: PermissionTokensFile = { create_databases: ['a'], tokens: [kept] };
  const out = appendToken(existing, entry(T2, 'ci'), ['a'], true);
  assert.equal(out.added, false);
  assert.equal(out.entry, kept);
  assert.equal(out.entry.token, T1);
  assert.equal(out.doc, undefined);
  assert.deepEqual(out.newDatabases, []);
});

test('appendToken ifNotExists keeps the existing entry and still merges new databases', () => {
  const kept = entry(T1, 'ci');
  const existing: PermissionTokensFile = { tokens: [entry(T3, 'before'), kept], extra: 'x' };
  const before = snapshot(existing);
  const out = appendToken(existing, entry(T2, 'ci'), ['new1', 'new2', 'new1'], true);
  assert.equal(out.added, false);
  assert.equal(out.entry, kept);
  assert.deepEqual(out.newDatabases, ['new1', 'new2']);
  assert.deepEqual(out.doc, { create_databases: ['new1', 'new2'], tokens: [entry(T3, 'before'), kept], extra: 'x' });
  assert.deepEqual(Object.keys(out.doc!), ['create_databases', 'tokens', 'extra']);
  assert.ok(!JSON.stringify(out.doc).includes(T2), 'the refused token was written');
  assert.deepEqual(existing, before);
});

test('appendToken ifNotExists with a free name adds as usual', () => {
  const out = appendToken({ tokens: [entry(T1, 'a')] }, entry(T2, 'b'), [], true);
  assert.equal(out.added, true);
  assert.deepEqual(out.doc!.tokens.map((t) => t.name), ['a', 'b']);
});

// ---- replaceAdminToken (works on the file's text) ----

const replaceIn = (existing: AdminTokenFile, replacement: AdminTokenFile): AdminTokenFile =>
  JSON.parse(replaceAdminToken(serializeTokenFile(existing), replacement)) as AdminTokenFile;

test('replaceAdminToken replaces token and name and keeps unknown fields in place', () => {
  const existing: AdminTokenFile = { token: T1, description: 'bootstrap', name: '_admin', labels: { env: 'prod' } };
  const before = snapshot(existing);
  const out = replaceIn(existing, newAdminFile(T2, 'root', undefined));
  assert.deepEqual(Object.keys(out), ['token', 'description', 'name', 'labels']);
  assert.deepEqual(out, { token: T2, description: 'bootstrap', name: 'root', labels: { env: 'prod' } });
  assert.deepEqual(existing, before);
});

test('replaceAdminToken drops the old expiry when the new token does not expire', () => {
  const existing: AdminTokenFile = { token: T1, name: '_admin', expiry_millis: 1756400061529, description: 'd' };
  const out = replaceIn(existing, newAdminFile(T2, '_admin', undefined));
  assert.equal('expiry_millis' in out, false);
  assert.deepEqual(Object.keys(out), ['token', 'name', 'description']);
});

test('replaceAdminToken updates an existing expiry in its place', () => {
  const existing: AdminTokenFile = { description: 'd', expiry_millis: 1, token: T1, name: '_admin' };
  const out = replaceIn(existing, newAdminFile(T2, '_admin', 2082758400000));
  assert.deepEqual(Object.keys(out), ['description', 'expiry_millis', 'token', 'name']);
  assert.equal(out.expiry_millis, 2082758400000);
});

test('replaceAdminToken puts a new expiry after name, as the server writes it', () => {
  const existing: AdminTokenFile = { token: T1, name: '_admin', description: 'd' };
  const text = replaceAdminToken(serializeTokenFile(existing), newAdminFile(T2, '_admin', 2082758400000));
  assert.equal(
    text,
    `{\n  "token": "${T2}",\n  "name": "_admin",\n  "expiry_millis": 2082758400000,\n  "description": "d"\n}\n`,
  );
});

test('replaceAdminToken adding an expiry does not move unknown fields that came before name', () => {
  // SPEC 2.3: unknown fields keep their place. Only expiry_millis is new, after name.
  const existing: AdminTokenFile = { description: 'first', token: T1, note: 'between', name: '_admin', last: true };
  const out = replaceIn(existing, newAdminFile(T2, '_admin', 2082758400000));
  assert.deepEqual(Object.keys(out), ['description', 'token', 'note', 'name', 'expiry_millis', 'last']);
});

// ---- serializeTokenFile ----

test('serializeTokenFile is two-space JSON with one trailing newline', () => {
  assert.equal(serializeTokenFile({ tokens: [] }), '{\n  "tokens": []\n}\n');
  const doc: PermissionTokensFile = {
    create_databases: ['db1'],
    tokens: [newTokenEntry(T1, 'n', 1756400061529, ['db:db1:read,write'])],
  };
  assert.equal(
    serializeTokenFile(doc),
    `{\n  "create_databases": [\n    "db1"\n  ],\n  "tokens": [\n    {\n      "token": "${T1}",\n      "name": "n",\n      "expiry_millis": 1756400061529,\n      "permissions": [\n        "db:db1:read,write"\n      ]\n    }\n  ]\n}\n`,
  );
  const text = serializeTokenFile(doc);
  assert.ok(text.endsWith('}\n') && !text.endsWith('\n\n'));
  assert.deepEqual(JSON.parse(text), doc);
});
