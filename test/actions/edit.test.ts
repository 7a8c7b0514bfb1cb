/**
 * The edit delete, prune and rotate share (actions/edit.ts) and the loaders they call
 * (actions/load.ts): a missing file is refused and never created, an admin file is
 * refused where only a permission tokens file makes sense, and the store's notes come back
 * with the result.
 */
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editTokenFile } from '../../src/actions/edit';
import { existingDocument, permissionDocument } from '../../src/actions/load';
import { renderDocument } from '../../src/domain/document';
import { FileError } from '../../src/errors';
import { tempDir } from '../helpers';

const NOW = Date.UTC(2026, 11, 1);
const ADMIN = `{\n  "token": "apiv3_${'a'.repeat(86)}",\n  "name": "_admin"\n}\n`;
const EMPTY = '{\n  "tokens": []\n}\n';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => assert.fail('resolved'),
    (e: unknown) => e,
  );
}

test('editTokenFile: a missing file is ENOTFILE and nothing is created (no lock directory either)', async () => {
  const dir = tempDir('otk-edit');
  const e = await rejection(editTokenFile(join(dir, 'tokens.json'), 1_000, {}, () => ({ write: true, text: EMPTY, result: {} })));
  assert.ok(e instanceof FileError && e.code === 'ENOTFILE' && e.file === join(dir, 'tokens.json'), String(e));
  assert.deepEqual(readdirSync(dir), []);
});

test('editTokenFile: the result comes back with written and the mode tightened', async () => {
  const dir = tempDir('otk-edit');
  const file = join(dir, 'tokens.json');
  writeFileSync(file, EMPTY);
  chmodSync(file, 0o644);
  const r = await editTokenFile(file, 1_000, {}, (existing) => ({
    write: true,
    text: renderDocument(existingDocument(existing, file, NOW)),
    result: { n: 1 },
  }));
  assert.deepEqual(r, { n: 1, written: true, modeTightened: { from: 0o644, to: 0o600 }, releaseFailure: undefined });
  const kept = await editTokenFile(file, 1_000, {}, () => ({ write: false, result: { n: 2 } }));
  assert.deepEqual(kept, { n: 2, written: false, modeTightened: undefined, releaseFailure: undefined });
});

test('permissionDocument refuses an admin file with why the verb does not apply; existingDocument takes it', () => {
  const existing = { text: ADMIN, mode: 0o600 };
  assert.equal(existingDocument(existing, 'admin.json', NOW).kind, 'admin');
  for (const [verb, why] of [
    ['delete', /cannot be deleted/],
    ['prune', /prune removes tokens from permission tokens files/],
  ] as const) {
    assert.throws(
      () => permissionDocument(existing, 'admin.json', NOW, verb),
      (e: unknown) => e instanceof FileError && e.code === 'EWRONGKIND' && why.test(e.message),
    );
  }
  assert.throws(
    () => existingDocument(undefined, 'gone.json', NOW),
    (e: unknown) => e instanceof FileError && e.code === 'ENOTFILE',
  );
});
