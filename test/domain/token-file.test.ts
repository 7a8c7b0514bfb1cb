import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  KIND_LABEL,
  detectKind,
  newAdminFile,
  newTokenEntry,
  serializeTokenFile,
  type PermissionTokensFile,
} from '../../src/domain/token-file';

const T1 = 'apiv3_WuZ2cmgZEoXT_5jHh5eMBMbDePgSYPvUAnZO9y4PCsrR1RhHtIBh3No2j6oz8Os7yCRqY8IdBMFUYjSboY7oAQ';


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
