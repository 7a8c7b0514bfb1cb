/**
 * The create action's answer for a kept token (request -> result, no callback): whether it
 * is stale comes back in the result, and failIfStale refuses it with the file unchanged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type CreateTokenRequest, StaleTokenError, createToken } from '../../src/actions/create-token';
import { tempDir } from '../helpers';

const NOW = Date.UTC(2026, 11, 1);
const env = { now: () => NOW, randomBytes: (n: number) => new Uint8Array(n).fill(7) };

function request(outputFile: string, permissions: string[], more: Partial<CreateTokenRequest> = {}): CreateTokenRequest {
  const base = { outputFile, name: 'app', expiry: undefined, lockTimeoutMs: 1_000, ifNotExists: true, failIfStale: false };
  return { kind: 'permission', ...base, permissions, createDatabases: [], ...more } as CreateTokenRequest;
}

test('a kept token with other permissions: stale in the result, or StaleTokenError with failIfStale; the file unchanged either way', async () => {
  const file = join(tempDir('otk-create'), 'tokens.json');
  const first = await createToken(request(file, ['db:a:read']), env);
  assert.deepEqual([first.created, first.stale], [true, []]);
  const before = readFileSync(file, 'utf8');

  const same = await createToken(request(file, ['db:a:read']), env);
  assert.deepEqual([same.created, same.stale], [false, []]);

  const kept = await createToken(request(file, ['db:a:write']), env);
  assert.equal(kept.created, false);
  assert.deepEqual(kept.stale, [{ kind: 'permissions', onlyKept: ['db:a:read'], onlyAsked: ['db:a:write'] }]);

  await assert.rejects(createToken(request(file, ['db:a:write'], { failIfStale: true }), env), (e: unknown) => {
    assert.ok(e instanceof StaleTokenError && e.code === 'ESTALE' && e.tokenName === 'app' && e.file === file);
    assert.doesNotMatch(e.message, /--/);
    return true;
  });
  assert.equal(readFileSync(file, 'utf8'), before);
});

test('a kept admin token that has expired is stale; one that has not is not', async () => {
  const file = join(tempDir('otk-create'), 'admin.json');
  const admin = (more: Partial<CreateTokenRequest>): CreateTokenRequest =>
    ({
      kind: 'admin',
      outputFile: file,
      name: '_admin',
      expiry: undefined,
      lockTimeoutMs: 1_000,
      ifNotExists: true,
      failIfStale: false,
      force: false,
      ...more,
    }) as CreateTokenRequest;
  await createToken(admin({ expiry: { kind: 'duration', text: '1s', duration: { secs: 1n, nanos: 0 } } }), env);
  assert.deepEqual((await createToken(admin({}), env)).stale, []);
  const later = { ...env, now: () => NOW + 1_000 };
  assert.deepEqual((await createToken(admin({}), later)).stale, [{ kind: 'expired', expiry: BigInt(NOW + 1_000) }]);
});
