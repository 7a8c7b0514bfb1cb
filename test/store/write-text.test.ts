import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { updateFile } from '../../src/store/store';
import { tempDir } from '../helpers';

// The store encodes large files in 1 Mi-character chunks; a surrogate pair or a
// multi-byte character on a chunk boundary must come out byte-exact.
const CHUNK = 1 << 20;

for (const [label, filler, special] of [
  ['a surrogate pair straddling the boundary', 'a', '😀'],
  ['a 3-byte character at the boundary', 'b', '€'],
  ['a 2-byte character at the boundary', 'c', 'é'],
] as const) {
  for (const shift of [-2, -1, 0, 1]) {
    test(`large text with ${label} (shift ${shift}) is written byte-exact`, async () => {
      const text = `${filler.repeat(CHUNK + shift)}${special}${'z'.repeat(CHUNK)}${special}\n`;
      const file = join(tempDir(), 'big.txt');
      const out = await updateFile({ path: file, lockTimeoutMs: 1000, transform: () => ({ write: true, text, result: null }) });
      assert.equal(out.written, true);
      assert.ok(readFileSync(file).equals(Buffer.from(text, 'utf8')));
    });
  }
}

test('an empty text is written as an empty file', async () => {
  const file = join(tempDir(), 'empty.txt');
  await updateFile({ path: file, lockTimeoutMs: 1000, transform: () => ({ write: true, text: '', result: null }) });
  assert.equal(readFileSync(file).length, 0);
});
