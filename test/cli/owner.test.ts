/**
 * `create token --owner UID[:GID]` (SPEC 12): the file and the directories the command
 * creates belong to that user, so an init container running as root leaves files the
 * server (uid 1500 in the official image) can read. chown needs root, which these tests
 * (like CI here) run as.
 */
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli, tempDir } from '../helpers';

const create = (file: string, ...more: string[]): string[] => ['create', 'token', '--permission', 'db:*:read', '--name', 'app', '--output-file', file, ...more];
describe('create token --owner', () => {
  test('owns the new file and the directories it created, not the one that existed', () => {
    const dir = tempDir();
    const file = join(dir, 'a', 'b', 'tokens.json');
    const r = runCli(create(file, '--owner', '1500:1501'));
    assert.equal(r.status, 0, r.stderr);
    for (const p of [file, join(dir, 'a', 'b'), join(dir, 'a')]) {
      const st = lstatSync(p);
      assert.deepEqual([st.uid, st.gid], [1500, 1501], p);
    }
    assert.equal(lstatSync(dir).uid, 0);
    assert.equal(lstatSync(file).mode & 0o777, 0o600);
  });

  test('UID alone keeps the group, as chown does; an append sets the owner too', () => {
    const dir = tempDir();
    const file = join(dir, 'tokens.json');
    assert.equal(runCli(create(file)).status, 0);
    const r = runCli(['create', 'token', '--permission', 'db:*:read', '--name', 'two', '--output-file', file, '--owner', '1500']);
    assert.equal(r.status, 0, r.stderr);
    const st = lstatSync(file);
    assert.deepEqual([st.uid, st.gid], [1500, process.getgid!()]);
  });
});

describe('create token --owner refuses what is not UID[:GID]', () => {
  for (const bad of ['influxdb', '1500:', ':1500', '-1', '1500:1500:1', '99999999999']) {
    test(JSON.stringify(bad), () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'sub'));
      const r = runCli(create(join(dir, 'sub', 'tokens.json'), '--owner', bad));
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^error: --owner "[^"]*" is not UID or UID:GID; give numeric ids/);
      assert.equal(r.stderr.split('\n').length, 2);
      assert.deepEqual(readdirSync(join(dir, 'sub')), []);
      assert.equal(existsSync(join(dir, 'sub', 'tokens.json.lock')), false);
    });
  }
});
