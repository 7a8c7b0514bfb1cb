/**
 * A paused writer must not clobber newer work (issue: "a paused writer"). Writer A is
 * stopped with a real SIGSTOP while it holds the lock, longer than the stale time; writer B
 * takes the lock over and appends; A is resumed with SIGCONT and must notice that its lock
 * was taken over or that the file changed, and fail with exit 1 instead of renaming its
 * stale content over B's file. Repeated, on real processes.
 */
import { type FSWatcher, existsSync, readFileSync, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STALE_MS } from '../../src/store/store';
import { type StartedCli, startCli, tempDir, tokensIn, withoutLockWaits, writeTokenFile } from '../helpers';

interface Doc {
  tokens: { token: string; name: string; permissions: string[] }[];
}

function start(file: string, name: string, extra: string[] = []): StartedCli {
  return startCli(['create', 'token', '--name', name, '--permission', 'db:*:write', '--output-file', file, '--format', 'json', ...extra]);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function readDoc(file: string): Doc {
  const text = readFileSync(file, 'utf8');
  const doc = JSON.parse(text) as Doc;
  assert.equal(text, `${JSON.stringify(doc, null, 2)}\n`, 'the file is whole, in the tool format');
  return doc;
}

/**
 * Starts A and stops it (SIGSTOP) `after` ms after its lock directory appears (polled every
 * millisecond, and on every change the directory watcher reports): with 0, A is stopped
 * while proper-lockfile is still taking the lock; later, inside the read-validate-write
 * section.
 */
async function startAndStopInsideLock(file: string, name: string, after: number): Promise<{ a: StartedCli; caught: boolean }> {
  const lock = `${file}.lock`;
  const a = start(file, name);
  let seen = false;
  let watcher: FSWatcher | undefined;
  const check = (): void => {
    if (!seen && !a.exited() && existsSync(lock)) seen = true;
  };
  try {
    watcher = watch(join(file, '..'), check);
    while (!seen && !a.exited()) {
      check();
      if (!seen) await sleep(1);
    }
  } finally {
    watcher?.close();
  }
  if (!seen) return { a, caught: false };
  if (after > 0) await sleep(after);
  const stopped = !a.exited() && a.child.kill('SIGSTOP');
  if (!stopped) return { a, caught: false };
  // Stopped while holding the lock, or already past its rename (then it is too late: the
  // token is in the file, and this round tells nothing).
  const caught = !readDoc(file).tokens.some((t) => t.name === name);
  return { a, caught };
}

test('a writer paused (SIGSTOP) past the stale time while holding the lock fails on SIGCONT; the newer file is kept', { timeout: 120_000 }, async (t) => {
  const dir = tempDir('otk-paused');
  const file = join(dir, 'tokens.json');
  let size = 50_000;
  writeTokenFile(file, size);
  let rounds = 0;
  let misses = 0;
  let refused = 0;
  let waitedForLock = 0;
  const messages: string[] = [];
  // How long after the lock directory appears A is stopped, round by round.
  const stopAfter = [0, 20, 50, 100];
  while (rounds < stopAfter.length) {
    const before = readDoc(file).tokens.length;
    const nameA = `writer-a-${rounds}-${misses}`;
    const nameB = `writer-b-${rounds}-${misses}`;
    const { a, caught } = await startAndStopInsideLock(file, nameA, stopAfter[rounds]!);
    if (!caught) {
      // A was too fast to be caught inside its locked section: let it finish, then make the
      // file bigger so that the section lasts longer, and try again.
      a.child.kill('SIGCONT');
      const ra = await a.done;
      assert.equal(ra.status, 0, ra.stderr);
      misses++;
      assert.ok(misses <= 4, `could not stop writer A inside its locked section (file of ${size} tokens)`);
      size *= 2;
      writeTokenFile(file, size);
      continue;
    }

    // B waits for A's lock to go stale (STALE_MS), takes it over and appends.
    const b = start(file, nameB, ['--lock-timeout', '30s']);
    const rb = await b.done;
    assert.equal(rb.status, 0, `writer B: ${rb.stderr}`);
    // B waits past the stale time for A's lock, so it may say that it waits; nothing else.
    assert.equal(withoutLockWaits(rb.stderr), '');
    const tokenB = (JSON.parse(rb.stdout) as { token: string }).token;
    assert.ok(!a.exited(), 'A stays stopped while B works');

    // A resumes. Stopped inside its locked section, it holds stale content and must fail;
    // stopped while proper-lockfile was still taking the lock (the 0 ms round can land
    // there), it never owned the lock nor read the file, and waits for it like any writer.
    a.child.kill('SIGCONT');
    const ra = await a.done;
    const ctx = `A: status=${ra.status} signal=${ra.signal} stderr=${JSON.stringify(ra.stderr)}`;
    assert.equal(ra.signal, null, ctx);
    assert.deepEqual(tokensIn(ra.stderr), [], 'no token string on stderr');
    const doc = readDoc(file);
    const names = doc.tokens.map((x) => x.name);
    const tokenOfB = doc.tokens.find((x) => x.name === nameB)?.token;
    assert.equal(tokenOfB, tokenB, "B's token is in the file, unchanged");
    if (ra.status === 0) {
      // Appended after B, not over it.
      assert.deepEqual(names.slice(before), [nameB, nameA], ctx);
      waitedForLock++;
    } else {
      assert.equal(ra.status, 1, ctx);
      assert.equal(ra.stdout, '', ctx);
      assert.equal(ra.stderr.split('\n').length, 2, `one line on stderr: ${ctx}`);
      assert.match(ra.stderr, /^error: /, ctx);
      assert.match(ra.stderr, /lock|changed/i, ctx);
      messages.push(`stopped ${stopAfter[rounds]} ms after the lock appeared: ${ra.stderr.trim()}`);
      // B's work survived, A's did not land.
      assert.deepEqual(names.slice(before), [nameB], ctx);
      refused++;
    }
    assert.deepEqual(readdirSync(dir), ['tokens.json'], 'no temp file and no lock directory left');
    rounds++;
  }
  // The promise under test: a writer paused inside its locked section is refused. Both
  // outcomes above are correct; on a loaded machine more of the early stops land before A
  // owns the lock (it writes its holder record first), so at least half must be refusals.
  assert.ok(refused >= stopAfter.length / 2, `${refused} of ${stopAfter.length} paused writers were refused`);
  t.diagnostic(
    `stale time ${STALE_MS} ms; file of ${size} tokens; ${misses} round(s) retried with a bigger file; ${refused} refused, ${waitedForLock} stopped before owning the lock`,
  );
  for (const m of messages) t.diagnostic(`A said: ${m}`);
});
