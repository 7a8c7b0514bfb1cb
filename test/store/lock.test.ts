import assert from 'node:assert/strict';
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { IoError } from '../../src/errors';
import { type FsSeam, nodeFs } from '../../src/store/fs-seam';
import { retryDelayMs, updateFile } from '../../src/store/store';
import { tempDir } from '../helpers';

test('the lock directory is 0700 while held, even under umask 000', async () => {
  const file = join(tempDir(), 'tokens.json');
  const old = process.umask(0);
  try {
    let mode = -1;
    await updateFile({
      path: file,
      lockTimeoutMs: 1000,
      transform: () => {
        mode = lstatSync(`${file}.lock`).mode & 0o777;
        return { write: false, result: null };
      },
    });
    assert.equal(mode.toString(8), '700');
  } finally {
    process.umask(old);
  }
});

test('retry delays start small and are capped at 100 ms', () => {
  const low = () => 0;
  const high = () => 0.999999;
  const table: Array<[number, number, number]> = [
    // attempt, shortest, longest
    [0, 1, 4],
    [1, 1, 8],
    [2, 1, 16],
    [3, 1, 32],
    [4, 1, 64],
    [5, 1, 100],
    [50, 1, 100],
  ];
  for (const [attempt, shortest, longest] of table) {
    assert.equal(retryDelayMs(attempt, low), shortest, `attempt ${attempt}, shortest`);
    assert.equal(retryDelayMs(attempt, high), longest, `attempt ${attempt}, longest`);
  }
});

test('a lock directory that vanishes right after it was taken (a paused writer taken over) is waited for, not an error', async () => {
  const dir = tempDir();
  const file = join(dir, 'tokens.json');
  let vanished = 0;
  const seam: FsSeam = {
    ...nodeFs,
    chmod: (p, mode) => {
      if (p === `${file}.lock` && vanished === 0) {
        vanished++;
        throw Object.assign(new Error(`ENOENT: no such file or directory, chmod '${p}'`), { code: 'ENOENT', syscall: 'chmod', path: p });
      }
      nodeFs.chmod(p, mode);
    },
  };
  const out = await updateFile({ path: file, lockTimeoutMs: 5000, seam, transform: () => ({ write: true, text: '{"tokens": []}\n', result: 'done' }) });
  assert.equal(out.result, 'done');
  assert.equal(vanished, 1);
  assert.deepEqual(readdirSync(dir), ['tokens.json']);
});

test('ENOENT from the lock directory mkdir (its parent removed) is an I/O error, not a wait', async () => {
  const dir = tempDir();
  const file = join(dir, 'tokens.json');
  const seam: FsSeam = {
    ...nodeFs,
    lock: () =>
      Promise.reject(
        Object.assign(new Error(`ENOENT: no such file or directory, mkdir '${file}.lock'`), { code: 'ENOENT', syscall: 'mkdir', path: `${file}.lock` }),
      ),
  };
  await assert.rejects(
    updateFile({ path: file, lockTimeoutMs: 5000, seam, transform: () => ({ write: false, result: null }) }),
    (e: unknown) => e instanceof IoError && e.syscallCode === 'ENOENT',
  );
});
