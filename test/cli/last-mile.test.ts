/** The CLI's last mile through the real binary: durations in words, --quiet, stale kept tokens, completion. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { runCli, tempDir } from '../helpers';

const EXPIRIES: ReadonlyArray<readonly [string, string]> = [
  ['1y', '(in 1 year)'],
  ['1M', '(in 1 month)'],
  ['7d', '(in 7 days)'],
  ['1y 6months', '(in 1 year, 6 months)'],
];

for (const [expiry, words] of EXPIRIES) {
  test(`create token --expiry ${expiry} says ${words}`, () => {
    const file = join(tempDir(), 't.json');
    const r = runCli(['create', 'token', '--admin', '--expiry', expiry, '--output-file', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Expires: \\S+ ${words.replace(/[()]/g, '\\$&')}$`, 'm'));
  });
}
