import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';

import { devRandomIsGetrandom, fromDevRandom, randomBytes, randomSource } from '../../src/store/random';
import { tempDir } from '../helpers';

const kernels: [string, string, boolean][] = [
  ['linux', '5.6.0', true],
  ['linux', '5.5.19', false],
  ['linux', '5.10.0-28-amd64', true],
  ['linux', '6.18.44-fc-v657', true],
  ['linux', '10.0.1', true],
  ['linux', '4.18.0-553.el8_10.x86_64', false],
  ['linux', '3.10.0-1160.el7.x86_64', false],
  ['linux', 'unknown', false],
  ['darwin', '23.4.0', false],
  ['win32', '10.0.22631', false],
];
for (const [platform, kernel, dev] of kernels) {
  test(`${platform} ${kernel}: ${dev ? '/dev/random (getrandom semantics)' : 'node:crypto'}`, () => {
    assert.equal(devRandomIsGetrandom(platform, kernel), dev);
  });
}

test('this system uses the source its kernel allows', () => {
  assert.equal(randomSource(), devRandomIsGetrandom(process.platform, release()) ? '/dev/random' : 'node:crypto');
});

test('random bytes: the size asked for, never repeated, every byte value about equally often', () => {
  for (const n of [0, 1, 6, 64, 4096]) assert.equal(randomBytes(n).length, n);
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) seen.add(randomBytes(16).toString('hex'));
  assert.equal(seen.size, 2000);
  // 256 KiB: each of the 256 values is expected 1,024 times; 700 and 1,350 are beyond 10 sigma.
  const counts = new Array<number>(256).fill(0);
  for (const b of randomBytes(256 * 1024)) counts[b]!++;
  assert.ok(Math.min(...counts) > 700 && Math.max(...counts) < 1350, `byte counts ${Math.min(...counts)}..${Math.max(...counts)}`);
});

test('only the kernel device itself is read: a file or another device at the path is refused (node:crypto then)', () => {
  const fake = join(tempDir(), 'random');
  writeFileSync(fake, Buffer.alloc(4096));
  assert.equal(fromDevRandom(64, fake), undefined);
  assert.equal(fromDevRandom(64, join(tempDir(), 'missing')), undefined);
  if (process.platform === 'linux') {
    assert.equal(fromDevRandom(64, '/dev/urandom'), undefined);
    assert.equal(fromDevRandom(64, '/dev/zero'), undefined);
    if (randomSource() === '/dev/random') assert.equal(fromDevRandom(64)?.length, 64);
  }
});
