/** create token's words: the result on stdout, the stale warning, the action's refusals reworded for the line. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CreateTokenResult, StaleTokenError } from '../../src/actions/create-token';
import { render, reword, staleWarning } from '../../src/commands/create-token-words';
import { FileError } from '../../src/errors';

const result: CreateTokenResult = {
  kind: 'permission',
  created: true,
  token: 'apiv3_secret-token-value-that-must-not-be-printed-in-text',
  name: 'app',
  expiry: BigInt(1_000_000 + 7 * 86_400_000),
  permissions: ['db:a:read,write'],
  createDatabases: ['a'],
  newDatabases: ['a'],
  outputFile: 'out/t.json',
  stale: [],
  modeTightened: undefined,
  releaseFailure: undefined,
};

test('render text: first line names the file, no secret, expiry in words', () => {
  const text = render(result, 'text', 1_000_000);
  assert.equal(text.split('\n')[0], 'Token saved to: out/t.json');
  assert.ok(!text.includes(result.token));
  assert.match(text, /^Expires: 1970-01-08T00:16:40\.000Z \(in 7 days\)$/m);
  assert.match(text, /^Databases to create: a \(added\)$/m);
  assert.match(text, /^Load it with: influxdb3 serve --permission-tokens-file out\/t\.json$/m);
});

test('render json: the documented fields, expiry_millis null without expiry, no permissions for admin', () => {
  assert.deepEqual(JSON.parse(render(result, 'json', 0)), {
    token: result.token,
    name: 'app',
    expiry_millis: Number(result.expiry),
    permissions: ['db:a:read,write'],
    output_file: 'out/t.json',
    kind: 'permission',
    created: true,
    create_databases: ['a'],
  });
  const admin = JSON.parse(render({ ...result, kind: 'admin', expiry: null, permissions: undefined }, 'json', 0));
  assert.equal(admin.expiry_millis, null);
  assert.equal('permissions' in admin, false);
  assert.equal('create_databases' in admin, false);
});

test('staleWarning: none for a fresh token; the reasons and both fixes for a stale one', () => {
  assert.equal(staleWarning(result, 0), undefined);
  const kept = { ...result, created: false, stale: [{ kind: 'permissions', onlyKept: ['db:a:write'], onlyAsked: [] }] as const };
  assert.equal(
    staleWarning(kept, 0),
    'the token "app" that --if-not-exists kept in out/t.json is stale: it has db:a:write, which was not asked for; a server that already has this name keeps it as it is. Replace it with `rotate token`, or delete it and run again, or pass --fail-if-stale to make this an error.',
  );
});

test("reword: the action's StaleTokenError names the flags this line used, keeps its code, fields and cause", () => {
  const e = new StaleTokenError('t.json', 'app', [{ kind: 'expired', expiry: 0n }]);
  assert.doesNotMatch(e.message, /--/);
  const w = reword(e, {}, 86_400_000);
  assert.ok(w instanceof FileError && w.code === 'ESTALE' && w.cause === e && w.file === 't.json' && w.tokenName === 'app');
  assert.equal(
    w.message,
    'the token "app" that --if-not-exists would keep in t.json is stale: it expired 1 day ago (1970-01-01T00:00:00.000Z). t.json was left unchanged (--fail-if-stale); replace it with `rotate token`, or delete it and run again.',
  );
});
