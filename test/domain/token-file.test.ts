import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  addDatabases,
  adminOf,
  appendEntries,
  documentText,
  emptyDocument,
  entriesOf,
  openDocument,
  setAdminToken,
  type AdminDocument,
  type PermissionDocument,
} from '../../src/domain/document';
import { readTokenFile } from '../../src/domain/server-reader';
import { KIND_LABEL, detectKind, expiryOf, newAdminFile, newTokenEntry, repeatsAName } from '../../src/domain/token-file';

const T1 = 'apiv3_WuZ2cmgZEoXT_5jHh5eMBMbDePgSYPvUAnZO9y4PCsrR1RhHtIBh3No2j6oz8Os7yCRqY8IdBMFUYjSboY7oAQ';

function openPermission(text: string): PermissionDocument {
  const read = readTokenFile(text, 'permission');
  assert.deepEqual(read.errors, []);
  return openDocument(text, read) as PermissionDocument;
}
function openAdmin(text: string): AdminDocument {
  const read = readTokenFile(text, 'admin');
  assert.deepEqual(read.errors, []);
  return openDocument(text, read) as AdminDocument;
}

// ---- detectKind (from the top-level keys) ----

const kinds: ReadonlyArray<{ keys: string[]; expected: 'admin' | 'permission' | undefined }> = [
  { keys: ['tokens'], expected: 'permission' },
  { keys: ['create_databases', 'tokens'], expected: 'permission' },
  { keys: ['tokens', 'token'], expected: 'permission' },
  { keys: ['token', 'tokens'], expected: 'permission' },
  { keys: ['token', 'name'], expected: 'admin' },
  { keys: ['token'], expected: 'admin' },
  { keys: ['name', 'token'], expected: 'admin' },
  // The server ignores unknown fields: token with create_databases loads as an admin file.
  { keys: ['token', 'name', 'create_databases'], expected: 'admin' },
  { keys: ['create_databases', 'token'], expected: 'admin' },
  { keys: [], expected: undefined },
  { keys: ['name'], expected: undefined },
  { keys: ['name', 'expiry_millis', 'permissions'], expected: undefined },
  { keys: ['Tokens', 'TOKEN', 'token '], expected: undefined },
  { keys: ['create_databases'], expected: 'permission' },
  { keys: ['x-managed-by', 'create_databases', 'version'], expected: 'permission' },
  { keys: ['tokens', 'tokens'], expected: 'permission' },
];

for (const c of kinds) {
  test(`detectKind(${JSON.stringify(c.keys)}) is ${c.expected ?? 'undefined'}`, () => {
    assert.equal(detectKind(c.keys), c.expected);
  });
}

test('detectKind over the keys the reader finds in a file', () => {
  const keysOf = (text: string): string[] => readTokenFile(text, 'permission').members.map((m) => m.key);
  assert.equal(detectKind(keysOf('{"tokens": "not an array"}')), 'permission');
  assert.equal(detectKind(keysOf(`{"token": 42, "name": "x"}`)), 'admin');
  assert.equal(detectKind(keysOf('{"\\u0074okens": []}')), 'permission', 'keys are compared decoded');
  assert.equal(detectKind(keysOf('{}')), undefined);
  // Not an object: no keys, so no kind.
  assert.equal(detectKind(keysOf('[]')), undefined);
  assert.equal(detectKind(keysOf('42')), undefined);
  assert.equal(detectKind(keysOf('null')), undefined);
});

test('KIND_LABEL names both kinds', () => {
  assert.deepEqual(KIND_LABEL, { admin: 'an admin token file', permission: 'a permission tokens file' });
});

// ---- constructors ----

test('newTokenEntry without expiry: token, name, no expiry, permissions; written without expiry_millis', () => {
  const e = newTokenEntry(T1, 'ci', null, ['db:a:read']);
  assert.deepEqual(Object.keys(e), ['token', 'name', 'expiry', 'permissions']);
  assert.equal(e.expiry, null);
  assert.deepEqual(e, { token: T1, name: 'ci', expiry: null, permissions: ['db:a:read'] });
  const text = documentText(appendEntries(emptyDocument('permission'), [e]));
  assert.equal(
    text,
    `{\n  "tokens": [\n    {\n      "token": "${T1}",\n      "name": "ci",\n      "permissions": [\n        "db:a:read"\n      ]\n    }\n  ]\n}\n`,
  );
  assert.deepEqual(entriesOf(openPermission(text)), [e]);
});

test('newTokenEntry with expiry: token, name, expiry, permissions', () => {
  const e = newTokenEntry(T1, 'ci', 1756400061529n, ['db:a:read', 'system:health:read']);
  assert.deepEqual(Object.keys(e), ['token', 'name', 'expiry', 'permissions']);
  assert.equal(e.expiry, 1756400061529n);
  assert.deepEqual(e.permissions, ['db:a:read', 'system:health:read']);
  const text = documentText(appendEntries(emptyDocument('permission'), [e]));
  assert.ok(text.includes(`"name": "ci",\n      "expiry_millis": 1756400061529,\n      "permissions"`), text);
  assert.deepEqual(entriesOf(openPermission(text)), [e]);
});

test('newTokenEntry copies the permissions list', () => {
  const perms = ['db:a:read'];
  const e = newTokenEntry(T1, 'ci', null, perms);
  perms.push('db:b:write');
  assert.deepEqual(e.permissions, ['db:a:read']);
});

test('newTokenEntry keeps an expiry of 0 (it is a value, not "no expiry")', () => {
  const e = newTokenEntry(T1, 'ci', 0n, ['db:a:read']);
  assert.deepEqual(Object.keys(e), ['token', 'name', 'expiry', 'permissions']);
  assert.equal(e.expiry, 0n);
  const text = documentText(appendEntries(emptyDocument('permission'), [e]));
  assert.ok(text.includes('\n      "expiry_millis": 0,\n'), text);
  assert.equal(entriesOf(openPermission(text))[0]!.expiry, 0n);
});

test('newAdminFile without expiry: token, name, no expiry; written without expiry_millis', () => {
  const a = newAdminFile(T1, '_admin', null);
  assert.deepEqual(Object.keys(a), ['token', 'name', 'expiry']);
  assert.deepEqual(a, { token: T1, name: '_admin', expiry: null });
  const text = documentText(setAdminToken(emptyDocument('admin'), a));
  assert.equal(text, `{\n  "token": "${T1}",\n  "name": "_admin"\n}\n`);
  assert.deepEqual(adminOf(openAdmin(text)), a);
});

test('newAdminFile with expiry: token, name, expiry', () => {
  const a = newAdminFile(T1, '_admin', 1756400061529n);
  assert.deepEqual(Object.keys(a), ['token', 'name', 'expiry']);
  assert.equal(a.expiry, 1756400061529n);
  const text = documentText(setAdminToken(emptyDocument('admin'), a));
  assert.equal(text, `{\n  "token": "${T1}",\n  "name": "_admin",\n  "expiry_millis": 1756400061529\n}\n`);
  assert.deepEqual(adminOf(openAdmin(text)), a);
});

test('expiryOf: milliseconds to an exact bigint, undefined to no expiry', () => {
  assert.equal(expiryOf(undefined), null);
  assert.equal(expiryOf(0), 0n);
  assert.equal(expiryOf(1756400061529), 1756400061529n);
  assert.equal(expiryOf(Number.MAX_SAFE_INTEGER), 9007199254740991n);
  assert.equal(expiryOf(-1), -1n);
});

test('repeatsAName: whether some name is given twice', () => {
  assert.equal(repeatsAName([]), false);
  assert.equal(repeatsAName(['a']), false);
  assert.equal(repeatsAName(['a', 'b', 'c']), false);
  assert.equal(repeatsAName(['a', 'b', 'a']), true);
  assert.equal(repeatsAName(['b', 'a', 'c', 'b']), true);
  assert.equal(repeatsAName(['a', 'A', 'a ']), false);
  const names = ['z', 'y', 'x'];
  repeatsAName(names);
  assert.deepEqual(names, ['z', 'y', 'x'], 'the list is not sorted in place');
});

// ---- how a new file is written ----

test('a new file is two-space JSON with one trailing newline', () => {
  assert.equal(documentText(emptyDocument('permission')), '{\n  "tokens": []\n}\n');
  const e = newTokenEntry(T1, 'n', 1756400061529n, ['db:db1:read,write']);
  const text = documentText(appendEntries(addDatabases(emptyDocument('permission'), ['db1']).doc, [e]));
  assert.equal(
    text,
    `{\n  "create_databases": [\n    "db1"\n  ],\n  "tokens": [\n    {\n      "token": "${T1}",\n      "name": "n",\n      "expiry_millis": 1756400061529,\n      "permissions": [\n        "db:db1:read,write"\n      ]\n    }\n  ]\n}\n`,
  );
  assert.ok(text.endsWith('}\n') && !text.endsWith('\n\n'));
  assert.equal(text, `${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  const doc = openPermission(text);
  assert.deepEqual(entriesOf(doc), [e]);
  assert.deepEqual(doc.databases, ['db1']);
});
