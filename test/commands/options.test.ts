import { test } from 'node:test';
import assert from 'node:assert/strict';

import { lockTimeoutOf, quietIo } from '../../src/commands/options';
import { InvalidInputError } from '../../src/errors';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../src/store/store';
import { createTokenArgs } from '../helpers';

const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['a notice', 'notice: --host ignored\n', ''],
  ['a warning', 'warning: the kept token "app" has expired\n', ''],
  ['an error line', 'error: --name is empty\n', 'error: --name is empty\n'],
  ["validate's report line", 't.json: warning at /0: expired\n', 't.json: warning at /0: expired\n'],
  ['a notice among report lines', 'a.json: error: x\nnotice: y\nb.json: warning: z\n', 'a.json: error: x\nb.json: warning: z\n'],
  ['a word that only contains notice', 'see notice: here\n', 'see notice: here\n'],
  ['text without a newline', 'notice: waiting', ''],
];

for (const [title, written, shown] of CASES) {
  test(`quietIo: ${title}`, () => {
    const seen: string[] = [];
    quietIo({ stderr: (t: string) => void seen.push(t) }).stderr(written);
    assert.equal(seen.join(''), shown);
    // Nothing at all is written when every line was dropped.
    if (shown === '') assert.deepEqual(seen, []);
  });
}

test('lockTimeoutOf: the store default when not given; a duration past MAX_SAFE_INTEGER ms is refused, not clamped', () => {
  assert.equal(lockTimeoutOf(createTokenArgs({ outputFile: 't.json', permission: 'db:a:read', name: 'a' })), DEFAULT_LOCK_TIMEOUT_MS);
  assert.equal(lockTimeoutOf(createTokenArgs({ outputFile: 't.json', permission: 'db:a:read', name: 'a', lockTimeout: '2m' })), 120_000);
  // The last whole second under MAX_SAFE_INTEGER ms is taken; one more is refused.
  assert.equal(
    lockTimeoutOf(createTokenArgs({ outputFile: 't.json', permission: 'db:a:read', name: 'a', lockTimeout: '9007199254740s' })),
    9_007_199_254_740_000,
  );
  assert.throws(
    () => lockTimeoutOf(createTokenArgs({ outputFile: 't.json', permission: 'db:a:read', name: 'a', lockTimeout: '9007199254741s' })),
    (e: unknown) => e instanceof InvalidInputError && e.field === '--lock-timeout' && /cannot be held exactly/.test(e.message),
  );
});
