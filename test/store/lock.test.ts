import assert from 'node:assert/strict';
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
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
