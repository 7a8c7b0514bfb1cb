import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { encodeChunks } from '../../src/store/encode';

const CHUNK = 1 << 20;

function encoded(pieces: readonly string[]): { bytes: Buffer; calls: number; counts: number[] } {
  const parts: Buffer[] = [];
  const counts: number[] = [];
  encodeChunks(pieces, (b, n) => {
    parts.push(Buffer.from(b));
    counts.push(n);
  });
  return { bytes: Buffer.concat(parts), calls: parts.length, counts };
}

test('pieces come out as the UTF-8 of their concatenation, the count of characters encoded growing to the whole', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 30 }), (pieces) => {
      const { bytes, counts } = encoded(pieces);
      const whole = pieces.join('');
      assert.ok(bytes.equals(Buffer.from(whole, 'utf8')));
      if (whole.length > 0) assert.equal(counts.at(-1), whole.length);
    }),
  );
});

test('small pieces share one chunk (a small file is one write); big ones are cut at 1 Mi characters, never inside a pair', () => {
  assert.equal(encoded(['{\n  ', '"tokens": ', '[]', '\n}\n']).calls, 1);
  const big = `${'a'.repeat(CHUNK - 1)}😀${'b'.repeat(CHUNK)}`;
  const { bytes, calls, counts } = encoded(['x', big, 'y']);
  assert.ok(bytes.equals(Buffer.from(`x${big}y`, 'utf8')));
  assert.ok(calls >= 2);
  for (const n of counts.slice(0, -1)) assert.ok(!/[\ud800-\udbff]$/.test(`x${big}y`.slice(0, n)), `a chunk ends inside a pair at ${n}`);
});

test('nothing to encode, nothing emitted', () => {
  assert.equal(encoded([]).calls, 0);
  assert.equal(encoded(['', '']).calls, 0);
});

test('a surrogate pair split between two pieces is encoded whole (what the check reads is what is written)', () => {
  const pieces = ['{"tokens": [], "x": "\ud83d', '\ude00"}'];
  assert.ok(encoded(pieces).bytes.equals(Buffer.from(pieces.join(''), 'utf8')));
});
