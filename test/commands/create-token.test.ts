import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTokenArgs, createTokenRequest, isUsageError } from '../helpers';

type Flags = Record<string, unknown>;

// The command line reader and createTokenRequest are the whole mapping from argv to typed options:
// every usage error is decided there, before any file is touched.

const base: Flags = { outputFile: 't.json', name: 'app', permission: 'db:a:read', lockTimeout: '30s' };

const ok: Array<[string, Flags, Record<string, unknown>]> = [
  ['one permission', {}, { kind: 'permission', permissions: ['db:a:read'], createDatabases: [], lockTimeoutMs: 30_000, ifNotExists: false }],
  [
    'repeated permissions, normalised and de-duplicated',
    { permission: ['db:a,a:write,read', 'db:a:read,write', 'system:health:read'] },
    { permissions: ['db:a:read,write', 'system:health:read'] },
  ],
  ['bare --permission with positional strings', { permission: true, permissions: ['db:b:write'] }, { permissions: ['db:b:write'] }],
  ['create-databases lists, repeated', { createDatabases: ['a,b', 'c'] }, { createDatabases: ['a', 'b', 'c'] }],
  ['lock timeout as a duration', { lockTimeout: '1m 30s' }, { lockTimeoutMs: 90_000 }],
  ['if-not-exists', { ifNotExists: true }, { ifNotExists: true }],
  ['admin defaults its name', { admin: true, name: undefined, permission: undefined }, { kind: 'admin', name: '_admin', force: false }],
  ['admin with --force', { admin: true, permission: undefined, force: true }, { kind: 'admin', name: 'app', force: true }],
];

for (const [label, extra, expected] of ok) {
  test(`createTokenRequest: ${label}`, () => {
    const opts = createTokenRequest(createTokenArgs({ ...base, ...extra })) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(opts[k], v, k);
  });
}

test('createTokenRequest: --expiry becomes a duration spec, --expires-at an instant', () => {
  const d = createTokenRequest(createTokenArgs({ ...base, expiry: '7d' }));
  assert.deepEqual(d.expiry, { kind: 'duration', text: '7d', duration: { secs: 604_800n, nanos: 0 } });
  const i = createTokenRequest(createTokenArgs({ ...base, expiresAt: '2030-01-01T00:00:00Z' }));
  assert.deepEqual(i.expiry, { kind: 'instant', text: '2030-01-01T00:00:00Z', millis: Date.UTC(2030, 0, 1) });
});

const usage: Array<[string, Flags, RegExp]> = [
  ['missing --output-file', { outputFile: undefined }, /--output-file is required/],
  ['--output-file twice', { outputFile: ['a', 'b'] }, /--output-file was given more than once/],
  ['missing --name', { name: undefined }, /--name is required/],
  ['empty --name', { name: '' }, /--name is empty/],
  ['no permission', { permission: undefined }, /at least one permission is required/],
  ['only a bare --permission', { permission: true }, /at least one permission is required/],
  ['bad permission', { permission: 'db:a:fly' }, /--permission "db:a:fly" is invalid: unknown db action "fly"/],
  ['bad positional permission', { permission: true, permissions: ['nope'] }, /--permission "nope" is invalid/],
  ['bad database in --create-databases', { createDatabases: 'ok,bad name' }, /invalid database "bad name"/],
  ['empty item in --create-databases', { createDatabases: 'a,,b' }, /invalid database "": the name is empty/],
  ['bad --expiry', { expiry: '3x' }, /--expiry: "3x" is not a valid duration/],
  ['--expiry and --expires-at', { expiry: '1d', expiresAt: '2030-01-01T00:00:00Z' }, /both set the expiry/],
  ['bad --expires-at', { expiresAt: 'tomorrow' }, /--expires-at "tomorrow" is not an RFC 3339 date-time/],
  ['bad --lock-timeout', { lockTimeout: 'soon' }, /--lock-timeout: "soon" is not a valid duration/],
  ['--force without --admin', { force: true }, /--force only applies to --admin/],
  ['--admin with --permission', { admin: true }, /--admin cannot be combined with --permission/],
  ['--admin with --create-databases', { admin: true, permission: undefined, createDatabases: 'a' }, /--admin cannot be combined with --create-databases/],
  ['--admin with --force and --if-not-exists', { admin: true, permission: undefined, force: true, ifNotExists: true }, /contradict/],
];

for (const [label, extra, message] of usage) {
  test(`createTokenRequest refuses ${label} with a usage error`, () => {
    assert.throws(
      () => createTokenRequest(createTokenArgs({ ...base, ...extra })),
      (e: unknown) => isUsageError(e) && message.test(e.message),
    );
  });
}
