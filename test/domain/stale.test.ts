import { test } from 'node:test';
import assert from 'node:assert/strict';

import { type KeptToken, type StaleReason, staleReasons } from '../../src/domain/stale';

const NOW = 1_800_000_000_000;

const CASES: ReadonlyArray<readonly [string, KeptToken, readonly string[] | undefined, StaleReason[]]> = [
  ['same permissions, no expiry', { name: 'a', permissions: ['db:x:read'] }, ['db:x:read'], []],
  ['same permissions in another order', { name: 'a', permissions: ['system:health:read', 'db:x:read'] }, ['db:x:read', 'system:health:read'], []],
  ['expires later', { name: 'a', expiry: BigInt(NOW + 1), permissions: ['db:x:read'] }, ['db:x:read'], []],
  ['expires now', { name: 'a', expiry: BigInt(NOW), permissions: ['db:x:read'] }, ['db:x:read'], [{ kind: 'expired', expiry: BigInt(NOW) }]],
  ['expired', { name: 'a', expiry: BigInt(NOW - 5), permissions: ['db:x:read'] }, ['db:x:read'], [{ kind: 'expired', expiry: BigInt(NOW - 5) }]],
  ['one more asked', { name: 'a', permissions: ['db:x:read'] }, ['db:x:read', 'db:y:read'], [{ kind: 'permissions', onlyKept: [], onlyAsked: ['db:y:read'] }]],
  ['one fewer asked', { name: 'a', permissions: ['db:x:read', 'db:y:read'] }, ['db:y:read'], [{ kind: 'permissions', onlyKept: ['db:x:read'], onlyAsked: [] }]],
  [
    'other actions',
    { name: 'a', permissions: ['db:x:read'] },
    ['db:x:read,write'],
    [{ kind: 'permissions', onlyKept: ['db:x:read'], onlyAsked: ['db:x:read,write'] }],
  ],
  [
    'expired and other permissions',
    { name: 'a', expiry: BigInt(1), permissions: ['db:x:read'] },
    ['db:z:read'],
    [
      { kind: 'expired', expiry: BigInt(1) },
      { kind: 'permissions', onlyKept: ['db:x:read'], onlyAsked: ['db:z:read'] },
    ],
  ],
  ['an admin token, not expired', { name: '_admin', expiry: BigInt(NOW + 1000) }, undefined, []],
  ['an admin token, expired', { name: '_admin', expiry: BigInt(NOW - 1000) }, undefined, [{ kind: 'expired', expiry: BigInt(NOW - 1000) }]],
];

for (const [title, kept, asked, reasons] of CASES) {
  test(`staleReasons: ${title}`, () => {
    assert.deepEqual(staleReasons(kept, asked, NOW), reasons);
  });
}
