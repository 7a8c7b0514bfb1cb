/** The CLI's last mile through the real binary: durations in words, --quiet, stale kept tokens, completion. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { runCli, startCli, tempDir } from '../helpers';

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

/** A permission tokens file whose token "app" has db:a:read and expires at `expiry`. */
function fileWithApp(expiry: number): string {
  const file = join(tempDir(), 't.json');
  const doc = { tokens: [{ token: `apiv3_${'A'.repeat(86)}`, name: 'app', expiry_millis: expiry, permissions: ['db:a:read'] }], create_databases: ['a'] };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

const HOUR = 3_600_000;
const STALE: ReadonlyArray<{ title: string; expiry: number; permission: string; says: RegExp | undefined }> = [
  { title: 'a fresh token with the same permissions', expiry: Date.now() + HOUR, permission: 'db:a:read', says: undefined },
  { title: 'an expired token', expiry: Date.now() - 3 * 24 * HOUR, permission: 'db:a:read', says: /it expired 3 days ago \(\d{4}-/ },
  {
    title: 'other permissions',
    expiry: Date.now() + HOUR,
    permission: 'db:a:read,write',
    says: /it has db:a:read, which was not asked for, and it lacks db:a:read,write, which was asked for/,
  },
];

for (const { title, expiry, permission, says } of STALE) {
  test(`--if-not-exists keeping ${title}: ${says ? 'one warning, exit 0' : 'silent'}; with --fail-if-stale ${says ? 'exit 1, file unchanged' : 'the same'}`, () => {
    const file = fileWithApp(expiry);
    const before = readFileSync(file, 'utf8');
    const args = ['create', 'token', '--if-not-exists', '--name', 'app', '--permission', permission, '--create-databases', 'b', '--output-file', file];
    const strict = runCli([...args, '--fail-if-stale']);
    if (says) {
      assert.equal(strict.status, 1);
      assert.match(strict.stderr, /^error: the token "app" that --if-not-exists would keep in \S+ is stale: /);
      assert.match(strict.stderr, says);
      assert.match(strict.stderr, /left unchanged \(--fail-if-stale\)/);
      assert.equal(strict.stderr.split('\n').length, 2);
      assert.equal(strict.stdout, '');
      assert.equal(readFileSync(file, 'utf8'), before);
    } else assert.equal(strict.status, 0, strict.stderr);

    const warned = runCli(args);
    assert.equal(warned.status, 0, warned.stderr);
    assert.doesNotMatch(warned.stderr, /apiv3_/);
    if (says) {
      assert.match(warned.stderr, /^warning: the token "app" that --if-not-exists kept in \S+ is stale: /m);
      assert.match(warned.stderr, says);
      assert.equal(runCli([...args, '--quiet']).stderr, '');
    } else assert.equal(warned.stderr, '');
    // Kept as it was; only the database asked for was added.
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { ...(JSON.parse(before) as object), create_databases: ['a', 'b'] });
  });
}

test('--fail-if-stale without --if-not-exists is a usage error', () => {
  const file = join(tempDir(), 't.json');
  const r = runCli(['create', 'token', '--fail-if-stale', '--name', 'app', '--permission', 'db:a:read', '--output-file', file]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^error: --fail-if-stale only applies to the token --if-not-exists keeps/);
  assert.equal(existsSync(file), false);
});

/** Another writer's lock, fresh (so not stale), freed after `ms`. */
function holdLock(file: string, ms: number): Promise<void> {
  mkdirSync(`${file}.lock`);
  return new Promise((resolve) => setTimeout(() => resolve(rmSync(`${file}.lock`, { recursive: true })), ms));
}

const WAITS: ReadonlyArray<{ title: string; holdMs: number; flags: string[]; notice: boolean }> = [
  { title: 'a wait past a second: one notice', holdMs: 1_800, flags: [], notice: true },
  { title: 'a wait past a second with --quiet: none', holdMs: 1_800, flags: ['--quiet'], notice: false },
  { title: 'a short wait: none', holdMs: 300, flags: [], notice: false },
];

for (const { title, holdMs, flags, notice } of WAITS) {
  test(`waiting for the lock, ${title}`, { timeout: 30_000 }, async () => {
    const dir = tempDir();
    const file = join(dir, 't.json');
    const freed = holdLock(file, holdMs);
    const started = startCli(['create', 'token', '--admin', '--lock-timeout', '20s', '--output-file', file, ...flags]);
    const [r] = await Promise.all([started.done, freed]);
    assert.equal(r.status, 0, r.stderr);
    const lock = `${realpathSync(dir)}/t.json.lock`;
    assert.equal(r.stderr, notice ? `notice: waiting for the lock ${lock} held by another writer (up to --lock-timeout)...\n` : '');
    assert.match(r.stdout, /^Token saved to: /);
  });
}

test('a lock that is never freed: the notice, then the timeout error', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = join(dir, 't.json');
  mkdirSync(`${file}.lock`);
  const r = await startCli(['create', 'token', '--admin', '--lock-timeout', '1500ms', '--output-file', file]).done;
  assert.equal(r.status, 1);
  const lines = r.stderr.split('\n');
  assert.match(lines[0]!, /^notice: waiting for the lock \S+t\.json\.lock held by another writer/);
  assert.match(lines[1]!, /^error: Timed out after 1500 ms waiting for the lock/);
  assert.equal(lines.length, 3);
});
