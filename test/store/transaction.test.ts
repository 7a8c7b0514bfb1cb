/**
 * The one transaction over several files: what apply relies on beyond what updateFile's
 * tests (store.test.ts, one path) already cover.
 */
import { chmodSync, existsSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileError } from '../../src/errors';
import { FILE_MODE } from '../../src/store/atomic-write';
import { updateFiles } from '../../src/store/transaction';
import { tempDir } from '../helpers';

const EMPTY = '{\n  "tokens": []\n}\n';
/** The server refuses it: tokens is not an array. */
const REFUSED = '{\n  "tokens": 5\n}\n';

test('mustExist: one missing file refuses the whole transaction before any lock or write', async () => {
  const dir = realpathSync(tempDir('otk-tx'));
  const a = join(dir, 'a.json');
  writeFileSync(a, EMPTY);
  let ran = false;
  const e = await updateFiles({
    paths: [a, join(dir, 'missing.json')],
    lockTimeoutMs: 1_000,
    tokenFiles: true,
    mustExist: true,
    transform: () => {
      ran = true;
      return { texts: [EMPTY, EMPTY], result: null };
    },
  }).then(
    () => assert.fail('resolved'),
    (err: unknown) => err,
  );
  assert.ok(e instanceof FileError && e.code === 'ENOTFILE', String(e));
  assert.equal(ran, false);
  assert.deepEqual(readdirSync(dir), ['a.json']);
});

test('tokenFiles: a text the server would refuse is not written; other files are written as given', async () => {
  const dir = realpathSync(tempDir('otk-tx'));
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  writeFileSync(a, EMPTY);
  const refused = await updateFiles({
    paths: [a, b],
    lockTimeoutMs: 1_000,
    tokenFiles: true,
    transform: () => ({ texts: [REFUSED, EMPTY], result: null }),
  }).then(
    () => assert.fail('resolved'),
    (err: unknown) => err,
  );
  assert.ok(refused instanceof FileError && refused.code === 'EREFUSEDBYSERVER', String(refused));
  assert.equal(readFileSync(a, 'utf8'), EMPTY);
  assert.equal(existsSync(b), false);
  const out = await updateFiles({ paths: [a], lockTimeoutMs: 1_000, tokenFiles: false, transform: () => ({ texts: [REFUSED], result: 1 }) });
  assert.deepEqual(out.written, [true]);
  assert.equal(readFileSync(a, 'utf8'), REFUSED);
});

test('the mode rule per file: a looser mode is tightened and reported, a stricter one kept', async () => {
  const dir = realpathSync(tempDir('otk-tx'));
  const loose = join(dir, 'loose.json');
  const strict = join(dir, 'strict.json');
  writeFileSync(loose, EMPTY);
  writeFileSync(strict, EMPTY);
  chmodSync(loose, 0o644);
  chmodSync(strict, 0o400);
  const out = await updateFiles({ paths: [loose, strict], lockTimeoutMs: 1_000, tokenFiles: true, transform: () => ({ texts: [EMPTY, EMPTY], result: null }) });
  assert.deepEqual(out.modeTightened, [{ from: 0o644, to: FILE_MODE }, undefined]);
  assert.equal(statSync(loose).mode & 0o777, FILE_MODE);
  assert.equal(statSync(strict).mode & 0o777, 0o400);
});
