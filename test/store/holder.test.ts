/**
 * The lock records its holder (SPEC 9, issue 16): a holder that died on this machine is
 * taken over at once, a pid reused by another process too (its start time differs), while
 * a holder on another machine keeps the stale window; the lock directory is 0700 from its
 * mkdir, and a link at FILE.lock is refused, not waited on.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileError, LockError } from '../../src/errors';
import { HOLDER_FILE, holderRecord, startTimeOf } from '../../src/store/holder';
import { updateFile } from '../../src/store/store';
import { ROOT, startCli, tempDir, writeTokenFile } from '../helpers';

const HOLD = join(ROOT, 'scripts', 'hold-lock.cjs');

/** A lock directory (fresh mtime) whose record says `record`. */
function plantLock(file: string, record: string): void {
  mkdirSync(`${file}.lock`, { mode: 0o700 });
  writeFileSync(join(`${file}.lock`, HOLDER_FILE), record);
}

const append = (file: string, lockTimeoutMs: number) =>
  updateFile({ path: file, lockTimeoutMs, transform: (existing) => ({ write: true, text: existing?.text ?? '{"tokens": []}\n', result: Date.now() }) });

test('a writer SIGKILLed inside its locked section: the next writer takes the lock over at once', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const file = join(dir, 'tokens.json');
  writeTokenFile(file, 3);
  const args = (name: string) => ['create', 'token', '--name', name, '--permission', 'db:*:read', '--output-file', file];
  const victim = startCli(args('victim'), { nodeArgs: ['--require', HOLD] });
  while (!victim.stderr().includes('OTK-HOLDING') && !victim.exited()) await new Promise((r) => setTimeout(r, 10));
  assert.ok(existsSync(`${file}.lock`), `the victim holds the lock: ${victim.stderr()}`);
  victim.child.kill('SIGKILL');
  await victim.done;
  const start = Date.now();
  const next = await startCli([...args('next'), '--lock-timeout', '20s']).done;
  const took = Date.now() - start;
  assert.equal(next.status, 0, next.stderr);
  // The stale window is 5 s; a second would already print the waiting notice.
  assert.equal(next.stderr, '', 'no wait for the lock');
  assert.ok(took < 3_000, `took ${took} ms`);
  assert.ok(readFileSync(file, 'utf8').includes('"next"'));
});

test('a pid reused by another process (another start time) is not the holder: taken over', async () => {
  const file = join(tempDir(), 'tokens.json');
  const sleeper = spawn('sleep', ['30']);
  try {
    await new Promise((r) => setTimeout(r, 50));
    plantLock(file, holderRecord(sleeper.pid!, 'not-its-start-time'));
    const t0 = Date.now();
    await append(file, 2_000);
    assert.ok(Date.now() - t0 < 1_000);
  } finally {
    sleeper.kill();
  }
});

test('a live holder (same pid, same start time) is waited for', async () => {
  const file = join(tempDir(), 'tokens.json');
  const sleeper = spawn('sleep', ['30']);
  try {
    await new Promise((r) => setTimeout(r, 50));
    plantLock(file, holderRecord(sleeper.pid!, startTimeOf(sleeper.pid!)!));
    await assert.rejects(append(file, 400), (e: unknown) => e instanceof LockError && e.code === 'ELOCKTIMEOUT');
  } finally {
    sleeper.kill();
  }
});

test('a holder on another machine keeps the stale window, even with a pid that is free here', async () => {
  const file = join(tempDir(), 'tokens.json');
  plantLock(file, `${JSON.stringify({ machine: 'elsewhere 00000000-0000 pid:[1]', pid: 4_000_000, start: '1' })}\n`);
  await assert.rejects(append(file, 400), (e: unknown) => e instanceof LockError && e.code === 'ELOCKTIMEOUT');
});

test('a dead holder found while waiting (not on the first attempt) is taken over well before the stale window', { timeout: 30_000 }, async () => {
  const file = join(tempDir(), 'tokens.json');
  const sleeper = spawn('sleep', ['30']);
  await new Promise((r) => setTimeout(r, 50));
  plantLock(file, holderRecord(sleeper.pid!, startTimeOf(sleeper.pid!)!));
  const t0 = Date.now();
  const took = append(file, 10_000).then(() => Date.now() - t0);
  setTimeout(() => sleeper.kill('SIGKILL'), 300);
  const ms = await took;
  assert.ok(ms < 1_500, `took ${ms} ms (stale window 5 s)`);
});

test('a link at FILE.lock is refused at once with a clear message, not waited on', async () => {
  const dir = tempDir();
  const file = join(dir, 'tokens.json');
  symlinkSync(join(dir, 'nowhere'), `${file}.lock`);
  const t0 = Date.now();
  await assert.rejects(
    append(file, 10_000),
    (e: unknown) => e instanceof FileError && /tokens\.json\.lock is a symbolic link, not a lock directory/.test(e.message),
  );
  assert.ok(Date.now() - t0 < 1_000);
  assert.equal(existsSync(file), false);
});
