/** The flag-free rules of a token request: tables of inputs and the reasons or results. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type DatabaseGrant,
  normalisePermission,
  parseValueSource,
  permissionsFromGrants,
  requestProblem,
  suppliedTokenValue,
} from '../../src/domain/token-request';
import { tokenWeakness } from '../../src/domain/token';
import { freshToken } from '../helpers';

const g = (database: string, action: DatabaseGrant['action']): DatabaseGrant => ({ database, action });

const MERGES: readonly (readonly [string, DatabaseGrant[], string[]])[] = [
  ['one read', [g('a', 'read')], ['db:a:read']],
  ['write then read: the server order', [g('a', 'write'), g('a', 'read')], ['db:a:read,write']],
  ['databases in first-grant order', [g('b', 'read'), g('a', 'write'), g('b', 'write')], ['db:b:read,write', 'db:a:write']],
  ['repeats collapse', [g('a', 'read'), g('a', 'read')], ['db:a:read']],
  ['wildcard stays apart from names', [g('*', 'read'), g('a', 'write')], ['db:*:read', 'db:a:write']],
  ['every action', [g('a', 'delete'), g('a', 'create'), g('a', 'write'), g('a', 'describe'), g('a', 'read')], ['db:a:create,describe,read,write,delete']],
  ['none', [], []],
];
for (const [label, grants, expected] of MERGES) {
  test(`permissionsFromGrants: ${label}`, () => {
    assert.deepEqual(permissionsFromGrants(grants), { ok: true, value: expected });
  });
}

test('permissionsFromGrants refuses a list or a colon inside one name, and bad names', () => {
  for (const [db, reason] of [
    ['a,b', /contains ","/],
    ['a:b', /contains ":"/],
    ['a b', /invalid/],
    ['', /empty/],
  ] as const) {
    const r = permissionsFromGrants([g(db, 'read')]);
    assert.ok(!r.ok && reason.test(r.reason), JSON.stringify(r));
  }
});

test('normalisePermission: the normal form, and the admin-only * type flagged', () => {
  assert.deepEqual(normalisePermission('db:a,a:write,read'), { ok: true, value: 'db:a:read,write' });
  const star = normalisePermission('*:*:*');
  assert.ok(!star.ok && star.adminOnly === true);
  const bad = normalisePermission('db:a:fly');
  assert.ok(!bad.ok && bad.adminOnly === undefined);
});

const SOURCES: readonly (readonly [string, unknown])[] = [
  ['env:TOKEN', { from: 'env', variable: 'TOKEN' }],
  ['env:_x1', { from: 'env', variable: '_x1' }],
  ['file:/run/secrets/t', { from: 'file', path: '/run/secrets/t' }],
  ['file:a:b', { from: 'file', path: 'a:b' }],
  ['stdin', { from: 'stdin' }],
  ['-', { from: 'stdin' }],
  ['env:', undefined],
  ['env:1A', undefined],
  ['env:A-B', undefined],
  ['file:', undefined],
  ['vault:x', undefined],
  ['', undefined],
  ['STDIN', undefined],
];
for (const [text, expected] of SOURCES) {
  test(`parseValueSource ${JSON.stringify(text)}`, () => {
    const r = parseValueSource(text);
    if (expected === undefined) assert.equal(r.ok, false);
    else assert.deepEqual(r, { ok: true, value: expected });
  });
}

test('parseValueSource never quotes a pasted token, and says why it is refused', () => {
  const t = freshToken();
  const r = parseValueSource(t);
  assert.ok(!r.ok && !r.reason.includes(t.slice(6)) && /never taken from the command line/.test(r.reason));
});

test('suppliedTokenValue drops one trailing newline and applies the very check validate warns with', () => {
  const t = freshToken();
  assert.deepEqual(suppliedTokenValue(`${t}\n`), { ok: true, value: t });
  assert.deepEqual(suppliedTokenValue(`${t}\r\n`), { ok: true, value: t });
  for (const raw of [`${t}\n\n`, `${t} `, 'apiv3_short', `apiv3_${'a'.repeat(40)}`, t.slice(6), `\n${t}`]) {
    const r = suppliedTokenValue(raw);
    assert.deepEqual(r, { ok: false, reason: tokenWeakness(raw.replace(/\r?\n$/, '')) }, JSON.stringify(raw));
  }
  assert.deepEqual(suppliedTokenValue('\n'), { ok: false, reason: 'it is empty' });
});

test('requestProblem: empty name, no permissions', () => {
  const base = { expiry: undefined, value: undefined, createDatabases: [] };
  assert.deepEqual(requestProblem({ kind: 'permission', name: '', permissions: ['db:a:read'], ...base }), { field: 'name', reason: 'the token name is empty' });
  assert.equal(requestProblem({ kind: 'permission', name: 'n', permissions: [], ...base })?.field, 'permissions');
  assert.equal(requestProblem({ kind: 'permission', name: 'n', permissions: ['db:a:read'], ...base }), undefined);
  assert.equal(requestProblem({ kind: 'admin', name: '_admin', expiry: undefined, value: undefined, replace: false }), undefined);
});
