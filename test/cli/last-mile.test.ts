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

test('--quiet drops the notices of create token, not its output', () => {
  const file = join(tempDir(), 't.json');
  const args = ['create', 'token', '--permission', 'db:nodb:read', '--name', 'app', '--host', 'http://x', '--output-file', file, '--format', 'json'];
  const loud = runCli(args);
  assert.equal(loud.status, 0, loud.stderr);
  assert.match(loud.stderr, /^notice: --host ignored/m);
  const quiet = runCli([...args.slice(0, 5), 'app2', ...args.slice(6), '-q']);
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.equal(quiet.stderr, '');
  assert.equal((JSON.parse(quiet.stdout) as { name: string }).name, 'app2');
});

test('--quiet never hides an error', () => {
  const file = join(tempDir(), 't.json');
  const r = runCli(['create', 'token', '--quiet', '--permission', 'db:a:read', '--name', '', '--output-file', file]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^error: --name is empty/);
});

test("--quiet keeps validate's report", () => {
  const file = join(tempDir(), 't.json');
  assert.equal(runCli(['create', 'token', '-q', '--permission', 'db:nodb:read', '--name', 'app', '--output-file', file]).status, 0);
  const loud = runCli(['validate', file]);
  const quiet = runCli(['validate', '--quiet', file]);
  assert.equal(quiet.status, loud.status);
  assert.equal(quiet.stdout, loud.stdout);
  assert.equal(quiet.stderr, loud.stderr);
  assert.notEqual(quiet.stderr, '');
});
