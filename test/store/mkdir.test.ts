/**
 * The seam's mkdir -p. Node's own recursive mkdir spins for ever (at full CPU, deaf to
 * SIGTERM) where mkdir(2) answers ENOENT under a parent that exists, as /proc does; the
 * seam walks up once instead and reports the error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { nodeFs } from '../../src/store/fs-seam';
import { CLI, tempDir } from '../helpers';

describe('nodeFs.mkdir', () => {
  test('returns the first directory it made, with the mode asked (before the umask)', () => {
    const dir = tempDir();
    assert.equal(nodeFs.mkdir(join(dir, 'a', 'b', 'c'), 0o700), join(dir, 'a'));
    assert.ok(statSync(join(dir, 'a', 'b', 'c')).isDirectory());
    assert.equal(nodeFs.mkdir(join(dir, 'a', 'b'), 0o700), undefined);
    assert.equal(nodeFs.mkdir(join(dir, 'a', 'b', 'd'), 0o700), join(dir, 'a', 'b', 'd'));
  });

  test('a file in the way is ENOTDIR, for the file itself and for a path under it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'f'), '');
    assert.throws(() => nodeFs.mkdir(join(dir, 'f'), 0o700), { code: 'ENOTDIR' });
    assert.throws(() => nodeFs.mkdir(join(dir, 'f', 'g'), 0o700), { code: 'ENOTDIR' });
  });

  test('mkdir(2) saying ENOENT under an existing parent is thrown, not retried', () => {
    assert.throws(() => nodeFs.mkdir('/proc/otk-nope/deeper', 0o700), { code: 'ENOENT' });
  });

  test('a directory another writer made meanwhile is no error', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a'));
    assert.equal(nodeFs.mkdir(join(dir, 'a', 'b'), 0o700), join(dir, 'a', 'b'));
  });
});

test('create token into /proc/nope/t.json ends at once with one error line, exit 1', () => {
  const r = spawnSync(process.execPath, [CLI, 'create', 'token', '--permission', 'db:*:read', '--name', 'q', '--output-file', '/proc/otk-nope/t.json'], {
    encoding: 'utf8',
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  assert.equal(r.signal, null, 'the command had to be killed');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error: Cannot create the directory \/proc\/otk-nope: ENOENT/);
  assert.equal(r.stderr.split('\n').length, 2);
});
