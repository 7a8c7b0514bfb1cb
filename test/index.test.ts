/**
 * The library's edge: what a JavaScript caller (no compiler to check the types) passes
 * wrong is EINVALID naming the field, never a TypeError or RangeError from inside, and no
 * file is touched.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TokenFileError, apply, createToken, deleteTokens, exportTokens, prune, readTokenFile, rotateToken, validateFile } from '../src/index';
import { tempDir } from './helpers';

const invalid = (field: RegExp) => (e: unknown) => e instanceof TokenFileError && e.code === 'EINVALID' && field.test(e.message) && !/apiv3_/.test(e.message);

test('requests of the wrong shape are refused with EINVALID naming the field, nothing written', async () => {
  const dir = tempDir();
  const file = join(dir, 't.json');
  const cases: Array<[() => unknown, RegExp]> = [
    [() => createToken(undefined as never), /^createToken's request must be an object/],
    [() => createToken(null as never), /^createToken's request/],
    [() => createToken({ file: 42 } as never), /^file must be a string/],
    [() => createToken({ file, name: 'a', permissions: [1] } as never), /^permissions must be an array of strings/],
    [() => createToken({ file, name: 'a', permissions: [{}] } as never), /^permissions must be an array of strings/],
    [() => createToken({ file, name: 'a', permissions: ['db:a:read'], expiry: 5 } as never), /^expiry must be a duration string/],
    [() => createToken({ file, name: 'a', permissions: ['db:a:read'], tokenValue: 123 } as never), /^tokenValue must be a string/],
    [() => createToken({ file, name: {}, permissions: ['db:a:read'] } as never), /^name must be a string/],
    [() => createToken({ file, name: 'a', permissions: ['db:a:read'], createDatabases: 'x' } as never), /^createDatabases must be an array of strings/],
    [() => createToken({ file, admin: true, permissions: ['db:a:read'] }), /^permissions and createDatabases belong to permission tokens/],
    [() => createToken({ file, name: 'a', permissions: ['db:a:read'], lockTimeoutMs: Number.NaN }), /^lockTimeoutMs must be a finite number/],
    [() => createToken({ file, name: 'a', permissions: ['db:a:read'] }, { randomBytes: () => new Uint8Array(3) }), /^env\.randomBytes returned no 64 bytes/],
    [() => createToken({ file, name: 'a', permissions: ['db:a:read'] }, { now: () => Number.NaN }), /^env\.now returned no finite number/],
    [() => readTokenFile(null as never), /^file must be a string/],
    [() => validateFile({} as never), /^file must be a string/],
    [() => validateFile({ file, kind: 'root' } as never), /^kind must be 'admin' or 'permission'/],
    [() => deleteTokens({ file, names: 'a' } as never), /^names must be an array of strings/],
    [() => rotateToken({ file } as never), /^name must be a string/],
    [() => prune({} as never), /^file must be a string/],
    [() => apply({ spec: 'x' } as never), /^spec must be an object/],
    [() => exportTokens({ files: [file], format: 'json', secretName: 5 } as never), /^secretName must be a string/],
  ];
  for (const [call, field] of cases) {
    await assert.rejects(async () => call(), invalid(field), String(field));
  }
  assert.deepEqual(readdirSync(dir), []);
});

test('a well-formed request still works with a caller-supplied random source of Uint8Arrays', async () => {
  const file = join(tempDir(), 't.json');
  const r = await createToken({ file, name: 'a', permissions: ['db:a:read'] }, { randomBytes: (n) => new Uint8Array(n).map((_, i) => (i * 37 + 11) % 256) });
  assert.equal(r.created, true);
  assert.match(r.token, /^apiv3_[A-Za-z0-9_-]{86}$/);
  assert.equal(validateFile({ file }).valid, true);
});
