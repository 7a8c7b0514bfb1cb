/**
 * The tool run as root where another user can write (SPEC 9 ownership and link rules,
 * issue 16): uid 65534 (nobody) plants links, files and locks in a 1777 directory, root
 * runs the tool. Every attack is refused (exit 1, one line naming the path and the owner)
 * or harmless; nothing outside the directory is touched; no token is readable by nobody.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type CliResult, freshToken, runCli, snapshot, tempDir } from '../helpers';

const NOBODY = 65534;
const IS_ROOT = process.getuid?.() === 0;
const HAS_SETPRIV = spawnSync('setpriv', ['--version']).status === 0;
const skip = !IS_ROOT
  ? 'these attacks need root to run the tool and setpriv to act as nobody (CI runs them as root)'
  : !HAS_SETPRIV
    ? 'setpriv (util-linux) is not installed'
    : false;

/** Runs a shell command as nobody (no supplementary groups). */
function asNobody(script: string): void {
  const r = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'sh', '-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, `as nobody: ${script}: ${r.stderr}`);
}

/** What nobody can read of `path` (undefined when refused). */
function readAsNobody(path: string): string | undefined {
  const r = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'cat', path], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : undefined;
}

interface Scene {
  /** The shared 1777 directory the attacks happen in. */
  shared: string;
  /** A private directory outside it, whose files must never change. */
  victim: string;
  victimFile: string;
  /** A valid permission tokens file root owns, outside the shared directory. */
  source: string;
}

function scene(): Scene {
  const shared = tempDir('otk-shared');
  chmodSync(shared, 0o1777);
  const victim = tempDir('otk-victim');
  chmodSync(victim, 0o755); // nobody can see into it, as an attacker pointing at /etc would
  const victimFile = join(victim, 'passwd');
  writeFileSync(victimFile, 'root:x:0:0::/root:/bin/sh\n', { mode: 0o644 });
  const source = join(tempDir('otk-source'), 'tokens.json');
  writeFileSync(source, `${JSON.stringify({ tokens: [{ token: freshToken(), name: 'telegraf', permissions: ['db:metrics:write'] }] }, null, 2)}\n`, {
    mode: 0o600,
  });
  return { shared, victim, victimFile, source };
}

/** One line on stderr naming the path and uid 65534, exit 1, nothing on stdout. */
function assertRefused(r: CliResult, path: string): void {
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n');
  assert.equal(lines.length, 2, `one line: ${JSON.stringify(r.stderr)}`);
  assert.ok(lines[0]!.includes(path), `names ${path}: ${lines[0]}`);
  assert.match(lines[0]!, /uid 65534/);
}

/** Nobody can read no token: every file root left in the shared directory is closed to it. */
function assertNoTokenReadable(s: Scene): void {
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() || st.isSymbolicLink()) {
        const text = readAsNobody(p);
        if (text !== undefined) assert.doesNotMatch(text, /apiv3_/, `nobody can read a token in ${p}`);
      }
    }
  };
  walk(s.shared);
}

describe('attacks by another uid in a 1777 directory, root running the tool', { skip }, () => {
  test('a symlink planted at an export path (env): refused, the target untouched', () => {
    const s = scene();
    const out = join(s.shared, 'tokens.env');
    asNobody(`ln -s ${s.victimFile} ${out}`);
    const before = snapshot(s.victim);
    const r = runCli(['export', '--file', s.source, '--format', 'env', '--output', out]);
    assertRefused(r, out);
    assert.deepEqual(snapshot(s.victim), before);
    assert.equal(lstatSync(out).isSymbolicLink(), true, 'the link is neither followed nor replaced');
    assertNoTokenReadable(s);
  });

  test("a symlink planted at a files export directory, and a directory of nobody's there: refused", () => {
    const s = scene();
    const linked = join(s.shared, 'secrets');
    asNobody(`ln -s ${s.victim} ${linked}`);
    const before = snapshot(s.victim);
    assertRefused(runCli(['export', '--file', s.source, '--format', 'files', '--output', linked]), linked);
    const owned = join(s.shared, 'secrets2');
    asNobody(`mkdir -m 777 ${owned} && ln -s ${s.victimFile} ${owned}/telegraf`);
    assertRefused(runCli(['export', '--file', s.source, '--format', 'files', '--output', owned]), owned);
    assert.deepEqual(snapshot(s.victim), before);
    assertNoTokenReadable(s);
  });

  test('a files entry planted by nobody in a shared directory used as the export directory: refused', () => {
    const s = scene();
    asNobody(`ln -s ${s.victimFile} ${s.shared}/telegraf`);
    const before = snapshot(s.victim);
    assertRefused(runCli(['export', '--file', s.source, '--format', 'files', '--output', s.shared]), join(s.shared, 'telegraf'));
    assert.deepEqual(snapshot(s.victim), before);
    assertNoTokenReadable(s);
  });

  test('a dangling link at a token file path: refused, nothing created where it points', () => {
    const s = scene();
    const file = join(s.shared, 'tokens.json');
    const target = join(s.victim, 'created.json');
    asNobody(`ln -s ${target} ${file}`);
    assertRefused(runCli(['create', 'token', '--name', 'a', '--permission', 'db:*:read', '--output-file', file]), file);
    assert.equal(existsSync(target), false);
    assertRefused(runCli(['create', 'token', '--admin', '--output-file', file]), file);
    assert.equal(existsSync(target), false);
  });

  test('a token file pre-created by nobody (0600, its own): not appended to, not leaked, unchanged', () => {
    const s = scene();
    const file = join(s.shared, 'tokens.json');
    asNobody(`umask 077 && printf '{"tokens": []}\\n' > ${file}`);
    const r = runCli(['create', 'token', '--name', 'a', '--permission', 'db:*:read', '--output-file', file, '--format', 'json']);
    assertRefused(r, file);
    assert.equal(readFileSync(file, 'utf8'), '{"tokens": []}\n');
    assert.equal(lstatSync(file).uid, NOBODY);
    assertNoTokenReadable(s);
  });

  test('--owner 65534 accepts the file nobody owns (the fix the message gives)', () => {
    const s = scene();
    const file = join(s.shared, 'tokens.json');
    asNobody(`umask 077 && printf '{"tokens": []}\\n' > ${file}`);
    const r = runCli(['create', 'token', '--name', 'a', '--permission', 'db:*:read', '--output-file', file, '--owner', String(NOBODY)]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(lstatSync(file).uid, NOBODY);
  });

  test('apply with admin and permission files pre-created by nobody: refused, neither kept nor changed', () => {
    const s = scene();
    const admin = join(s.shared, 'admin.json');
    const perm = join(s.shared, 'tokens.json');
    const planted = freshToken();
    asNobody(
      `umask 077 && printf '{"token": "${planted}", "name": "_admin"}\\n' > ${admin} && printf '{"tokens": [{"token": "${freshToken()}", "name": "telegraf", "permissions": ["db:metrics:write"]}]}\\n' > ${perm}`,
    );
    const spec = join(tempDir('otk-spec'), 'spec.yaml');
    writeFileSync(spec, `admin:\n  file: ${admin}\npermissions:\n  file: ${perm}\n  tokens:\n    - name: telegraf\n      permissions: ["db:metrics:write"]\n`);
    const before = snapshot(s.shared);
    const r = runCli(['apply', '-f', spec]);
    assertRefused(r, admin);
    assert.deepEqual(snapshot(s.shared), before);
  });

  test("a spec's outputs into links nobody planted: refused, the token files written, the target untouched", () => {
    const s = scene();
    const perm = join(tempDir('otk-private'), 'tokens.json');
    const out = join(s.shared, 'client.env');
    asNobody(`ln -s ${s.victimFile} ${out}`);
    const spec = join(tempDir('otk-spec'), 'spec.yaml');
    writeFileSync(
      spec,
      `permissions:\n  file: ${perm}\n  tokens:\n    - name: telegraf\n      permissions: ["db:metrics:write"]\noutputs:\n  - format: env\n    output: ${out}\n`,
    );
    const before = snapshot(s.victim);
    const r = runCli(['apply', '-f', spec]);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr.split('\n').length, 2);
    assert.match(r.stderr, /client\.env .*uid 65534/);
    assert.deepEqual(snapshot(s.victim), before);
    assert.ok(existsSync(perm));
  });

  test('a link planted at FILE.lock: refused at once, not waited on; a lock directory nobody made: refused', () => {
    const s = scene();
    const file = join(s.shared, 'tokens.json');
    asNobody(`ln -s ${join(s.victim, 'nowhere')} ${file}.lock`);
    const start = Date.now();
    const r = runCli(['create', 'token', '--name', 'a', '--permission', 'db:*:read', '--output-file', file, '--lock-timeout', '10s']);
    assertRefused(r, `${file}.lock`);
    assert.ok(Date.now() - start < 5_000, `took ${Date.now() - start} ms`);
    assert.equal(existsSync(file), false);
    const other = join(s.shared, 'other.json');
    asNobody(`mkdir ${other}.lock`);
    assertRefused(runCli(['create', 'token', '--name', 'a', '--permission', 'db:*:read', '--output-file', other, '--lock-timeout', '10s']), `${other}.lock`);
    assert.equal(existsSync(other), false);
  });

  test("root's own link and nobody's link in nobody's own directory are followed (the owner rules, not a ban on links)", () => {
    const s = scene();
    const real = join(s.shared, 'real.json');
    const mine = join(s.shared, 'mine.json');
    spawnSync('ln', ['-s', 'real.json', mine]);
    const r = runCli(['create', 'token', '--name', 'a', '--permission', 'db:*:read', '--output-file', mine]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(lstatSync(mine).isSymbolicLink(), true);
    assert.equal(lstatSync(real).uid, 0);
    assert.equal(lstatSync(real).mode & 0o777, 0o600);
    const own = join(s.shared, 'own');
    asNobody(`mkdir -m 755 ${own} && ln -s t.json ${own}/link.json`);
    const r2 = runCli(['create', 'token', '--name', 'a', '--permission', 'db:*:read', '--output-file', join(own, 'link.json')]);
    assert.equal(r2.status, 0, r2.stderr);
    assert.equal(lstatSync(join(own, 't.json')).mode & 0o777, 0o600);
    assertNoTokenReadable(s);
  });
});
