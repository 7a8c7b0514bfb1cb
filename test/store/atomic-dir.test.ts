/**
 * `export --format files` through the atomic-writer layout (SPEC 12, issue 16): links
 * through one `..data` link, a stale token's file gone, an unchanged set not rewritten, and
 * a writer killed at random instants of a large export leaving the old set or the new one.
 */
import assert from 'node:assert/strict';
import { lstatSync, readFileSync, readdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileError } from '../../src/errors';
import { DATA_LINK, writeDirectoryAtomic } from '../../src/store/atomic-dir';
import { freshToken, runCli, startCli, tempDir } from '../helpers';

const files = (names: string[], tag: string) => names.map((name) => ({ name, text: `${tag}-${name}\n` }));
const write = (path: string, set: ReturnType<typeof files>) => writeDirectoryAtomic({ path, files: set, lockTimeoutMs: 2_000 });
const visible = (dir: string): string[] =>
  readdirSync(dir)
    .filter((n) => !n.startsWith('..'))
    .sort();

test('each file is a link through ..data into one timestamped directory (0700, files 0600)', async () => {
  const dir = join(tempDir(), 'out');
  const outcome = await write(dir, files(['a', 'b'], 'v1'));
  assert.equal(outcome.written, true);
  const data = readlinkSync(join(dir, DATA_LINK));
  assert.match(data, /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d{9}\.[0-9a-f]+$/);
  for (const n of ['a', 'b']) {
    assert.equal(readlinkSync(join(dir, n)), `${DATA_LINK}/${n}`);
    assert.equal(readFileSync(join(dir, n), 'utf8'), `v1-${n}\n`);
    assert.equal(statSync(join(dir, n)).mode & 0o777, 0o600);
  }
  assert.equal(statSync(join(dir, data)).mode & 0o777, 0o700);
  assert.deepEqual(readdirSync(dir).sort(), ['..data', data, 'a', 'b'].sort());
});

test('a name that left the set disappears; the old timestamped directory is removed', async () => {
  const dir = join(tempDir(), 'out');
  await write(dir, files(['a', 'b', 'c'], 'v1'));
  const first = readlinkSync(join(dir, DATA_LINK));
  await write(dir, files(['a', 'c', 'd'], 'v2'));
  assert.deepEqual(visible(dir), ['a', 'c', 'd']);
  assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'v2-a\n');
  assert.notEqual(readlinkSync(join(dir, DATA_LINK)), first);
  assert.equal(readdirSync(dir).filter((n) => n.startsWith('..2')).length, 1);
});

test('the same set again is not rewritten (no byte, no new directory)', async () => {
  const dir = join(tempDir(), 'out');
  await write(dir, files(['a'], 'v1'));
  const data = readlinkSync(join(dir, DATA_LINK));
  const again = await write(dir, files(['a'], 'v1'));
  assert.equal(again.written, false);
  assert.equal(readlinkSync(join(dir, DATA_LINK)), data);
});

test('a regular file standing at a name is not silently replaced', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a'), 'mine\n');
  await assert.rejects(write(dir, files(['a'], 'v1')), (e: unknown) => e instanceof FileError && /is already there/.test(e.message));
  assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'mine\n');
});

test('a writer SIGKILLed at random instants of a 3,000-file export leaves the old set or the new one', { timeout: 180_000 }, async () => {
  const dir = tempDir();
  const names = Array.from({ length: 3000 }, (_, i) => `t${i}`);
  const source = (tag: string) => {
    const path = join(dir, `${tag}.json`);
    writeFileSync(path, `${JSON.stringify({ tokens: names.map((name) => ({ token: freshToken(), name, permissions: ['db:x:read'] })) }, null, 2)}\n`, {
      mode: 0o600,
    });
    return { path, tokens: JSON.parse(readFileSync(path, 'utf8')).tokens.map((t: { token: string }) => `${t.token}\n`) as string[] };
  };
  const out = join(dir, 'out');
  const old = source('old');
  const fresh = source('new');
  assert.equal(runCli(['export', '--file', old.path, '--format', 'files', '--output', out]).status, 0);
  let killed = 0;
  for (let round = 0; round < 8; round++) {
    const run = startCli(['export', '--file', fresh.path, '--format', 'files', '--output', out]);
    await new Promise((r) => setTimeout(r, 80 + round * 40));
    if (!run.exited()) {
      run.child.kill('SIGKILL');
      killed++;
    }
    const r = await run.done;
    // Every visible name reads from one set: all old or all new.
    const seen = names.map((n) => readFileSync(join(out, n), 'utf8'));
    const isOld = seen.every((t, i) => t === old.tokens[i]);
    const isNew = seen.every((t, i) => t === fresh.tokens[i]);
    assert.ok(isOld || isNew, `round ${round} (${r.signal ?? r.status}): a mix of old and new files`);
    // Put the old set back for the next round (through the tool: the layout stays valid).
    assert.equal(runCli(['export', '--file', old.path, '--format', 'files', '--output', out]).status, 0);
    assert.equal(lstatSync(join(out, 't0')).isSymbolicLink(), true);
  }
  assert.ok(killed >= 1, 'no round killed the writer before it finished');
});
