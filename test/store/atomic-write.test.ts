/** writeFileAtomic on its own (exports reuse it): exact mode, replaces whole, and a failure leaves the old file and no temp. */
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IoError, LockError } from '../../src/errors';
import { type FsSeam, nodeFs } from '../../src/store/fs-seam';
import { writeFileAtomic } from '../../src/store/atomic-write';
import { tempDir } from '../helpers';

test('creates the file with exactly the mode asked for, from pieces', () => {
  const dir = tempDir();
  const target = join(dir, 'out.json');
  const old = process.umask(0o077);
  try {
    writeFileAtomic(target, ['{', '"a": 1', '}\n'], { mode: 0o640 });
  } finally {
    process.umask(old);
  }
  assert.equal(readFileSync(target, 'utf8'), '{"a": 1}\n');
  assert.equal(statSync(target).mode & 0o777, 0o640);
  assert.deepEqual(readdirSync(dir), ['out.json']);
});

test('replaces an existing file (a new inode, default mode 0600)', () => {
  const dir = tempDir();
  const target = join(dir, 'out.json');
  writeFileSync(target, 'old');
  chmodSync(target, 0o644);
  const ino = statSync(target).ino;
  writeFileAtomic(target, 'new');
  assert.equal(readFileSync(target, 'utf8'), 'new');
  assert.notEqual(statSync(target).ino, ino);
  assert.equal(statSync(target).mode & 0o777, 0o600);
});

for (const step of ['write', 'fsync', 'rename'] as const) {
  test(`${step} failing: the old file is kept, no temp file is left, the original error is reported`, () => {
    const dir = tempDir();
    const target = join(dir, 'out.json');
    writeFileSync(target, 'old');
    const err = Object.assign(new Error(`EIO: injected, ${step}`), { code: 'EIO' });
    const seam: FsSeam = {
      ...nodeFs,
      [step]: () => {
        throw err;
      },
    };
    assert.throws(
      () => writeFileAtomic(target, 'new', { seam, label: 'out.json' }),
      (e: unknown) => e instanceof IoError && e.cause === err && e.message.includes('out.json'),
    );
    assert.equal(readFileSync(target, 'utf8'), 'old');
    assert.deepEqual(readdirSync(dir), ['out.json']);
  });
}

test('beforeRename throwing cancels the write and is reported as it is', () => {
  const dir = tempDir();
  const target = join(dir, 'out.json');
  writeFileSync(target, 'old');
  const stop = new LockError('ECOMPROMISED', 'the lock was lost');
  assert.throws(
    () =>
      writeFileAtomic(target, 'new', {
        beforeRename: () => {
          throw stop;
        },
      }),
    (e: unknown) => e === stop,
  );
  assert.equal(readFileSync(target, 'utf8'), 'old');
  assert.deepEqual(readdirSync(dir), ['out.json']);
});
