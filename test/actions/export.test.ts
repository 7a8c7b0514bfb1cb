/**
 * export end to end in-process (files read and written for real): the reference outputs of
 * fixtures/export, modes, owners, clashes, names that would leave the directory, and
 * failures that write nothing and quote no secret.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exportCommand } from '../../src/commands/export';
import type { FlagValue } from '../../src/commands/types';
import { FileError, IoError } from '../../src/errors';
import { FIXTURES, captureEnv, freshToken, tempDir, tokensIn } from '../helpers';

const REF = join(FIXTURES, 'export');
const ADMIN = join(REF, 'admin-token.json');
const PERM = join(REF, 'permission-tokens.json');

async function run(flags: Record<string, FlagValue>) {
  const env = captureEnv();
  await exportCommand.run({ flags, positionals: {} }, env);
  return env;
}

/** Runs an export that must fail; returns the error after checking it quotes no token. */
async function failing(flags: Record<string, FlagValue>): Promise<Error> {
  const env = captureEnv();
  const e = await exportCommand.run({ flags, positionals: {} }, env).then(
    () => assert.fail('the export should have failed'),
    (err: unknown) => err as Error,
  );
  assert.deepEqual(tokensIn(e.message), []);
  assert.equal(env.stdoutText(), '');
  return e;
}

const mode = (p: string): number => statSync(p).mode & 0o777;
/** The token files of a `files` export, without the layout's own ..data link and timestamped directory. */
const visible = (dir: string): string[] =>
  readdirSync(dir)
    .filter((n) => !n.startsWith('..'))
    .sort();

function permFile(dir: string, names: string[]): { path: string; tokens: string[] } {
  const tokens = names.map(() => freshToken());
  const path = join(dir, 'tokens.json');
  writeFileSync(path, `${JSON.stringify({ tokens: names.map((name, i) => ({ token: tokens[i], name, permissions: ['db:x:read'] })) }, null, 2)}\n`, {
    mode: 0o600,
  });
  return { path, tokens };
}

describe('reference outputs (fixtures/export)', () => {
  // The references hold every token; a client export of both files holds the permission
  // tokens only (SPEC 12), the admin token when named or exported alone.
  const refEnv = readFileSync(join(REF, 'expected.env'), 'utf8');
  const adminLine = (l: string): boolean => l.startsWith('INFLUXDB3_TOKEN__ADMIN=');
  it('env, default prefix, both files: the permission tokens only', async () => {
    const expected = refEnv
      .split('\n')
      .filter((l) => !adminLine(l))
      .join('\n');
    assert.equal((await run({ file: [ADMIN, PERM], format: 'env' })).stdoutText(), expected);
  });
  it('env, the admin file alone, or named: the admin token', async () => {
    const line = `${refEnv.split('\n').find(adminLine)}\n`;
    assert.equal((await run({ file: [ADMIN], format: 'env' })).stdoutText(), line);
    assert.equal((await run({ file: [ADMIN, PERM], format: 'env', 'token-name': ['_admin'] })).stdoutText(), line);
  });
  it('env, --prefix APP_', async () => {
    assert.equal((await run({ file: [PERM], format: 'env', prefix: 'APP_' })).stdoutText(), readFileSync(join(REF, 'expected-prefix-app.env'), 'utf8'));
  });
  it('json: the permission tokens only', async () => {
    const expected = JSON.parse(readFileSync(join(REF, 'expected.json'), 'utf8')) as Record<string, string>;
    delete expected._admin;
    assert.deepEqual(JSON.parse((await run({ file: [ADMIN, PERM], format: 'json' })).stdoutText()), expected);
  });
  it('files: names, contents, 0600 files in a new 0700 directory', async () => {
    const out = join(tempDir(), 'a', 'secrets');
    const env = await run({ file: [ADMIN, PERM], format: 'files', output: out });
    const expected = JSON.parse(readFileSync(join(REF, 'expected-files.json'), 'utf8')) as Record<string, string>;
    delete expected._admin;
    assert.deepEqual(visible(out), Object.keys(expected).sort());
    for (const [name, text] of Object.entries(expected)) {
      assert.equal(readFileSync(join(out, name), 'utf8'), text);
      assert.equal(mode(join(out, name)), 0o600);
    }
    assert.equal(mode(out), 0o700);
    assert.equal(mode(join(out, '..')), 0o700);
    assert.equal(env.stdoutText(), `Exported 6 tokens to 6 files in ${out}\n`);
    assert.equal(env.stderrText(), '');
  });
  it('--token-name and --key pick one token and name its env variable', async () => {
    const env = await run({ file: [PERM], format: 'env', 'token-name': ['telegraf/prod'], key: 'INFLUXDB3_AUTH_TOKEN' });
    const line = readFileSync(join(REF, 'expected.env'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('INFLUXDB3_TOKEN_TELEGRAF_PROD='))!;
    assert.equal(env.stdoutText(), `INFLUXDB3_AUTH_TOKEN=${line.split('=')[1]}\n`);
  });
});

describe('writing', () => {
  it('a Secret to a file: 0600 whatever the umask, replacing what was there, no temp file left', async () => {
    const dir = tempDir();
    const out = join(dir, 'secret.yaml');
    writeFileSync(out, 'old\n', { mode: 0o644 });
    const old = process.umask(0);
    try {
      await run({ file: [ADMIN], format: 'k8s-secret', output: out });
    } finally {
      process.umask(old);
    }
    assert.equal(readFileSync(out, 'utf8'), (await run({ file: [ADMIN], format: 'k8s-secret' })).stdoutText());
    assert.equal(mode(out), 0o600);
    assert.deepEqual(readdirSync(dir), ['secret.yaml']);
  });

  it('--owner 1500 owns the files and the directories it created, not the ones that existed', async () => {
    const dir = tempDir();
    const out = join(dir, 'new', 'secrets');
    const r = exportCommand.run({ flags: { file: [PERM], format: 'files', output: out, owner: '1500:1501' }, positionals: {} }, captureEnv());
    if (process.getuid?.() !== 0) {
      // Only root may give files away: the failure is reported and names the directory.
      await assert.rejects(r, (e: unknown) => e instanceof IoError && /set the owner/.test(e.message));
      return;
    }
    await r;
    for (const p of [join(dir, 'new'), out, ...readdirSync(out).map((f) => join(out, f))]) {
      const st = statSync(p);
      assert.deepEqual([st.uid, st.gid], [1500, 1501], p);
    }
    assert.equal(statSync(dir).uid, process.getuid());
  });

  it('--owner UID alone keeps the group', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('only root can chown');
    const out = join(tempDir(), 'secret.yaml');
    await run({ file: [ADMIN], format: 'k8s-secret', output: out, owner: '1500' });
    const st = statSync(out);
    assert.deepEqual([st.uid, st.gid], [1500, process.getgid!()]);
  });
});

describe('the admin token reaches a client only when named (SPEC 12)', () => {
  const ADMIN_TOKEN = (JSON.parse(readFileSync(ADMIN, 'utf8')) as { token: string }).token;
  for (const format of ['env', 'json'] as const) {
    it(`${format} of both files holds the permission tokens only`, async () => {
      const out = (await run({ file: [ADMIN, PERM], format })).stdoutText();
      assert.equal(out.includes(ADMIN_TOKEN), false);
      assert.equal(tokensIn(out).length, 6);
    });
    it(`${format} of the admin file alone, or with --token-name _admin, holds it`, async () => {
      assert.deepEqual(tokensIn((await run({ file: [ADMIN], format })).stdoutText()), [ADMIN_TOKEN]);
      assert.deepEqual(tokensIn((await run({ file: [ADMIN, PERM], format, 'token-name': ['_admin'] })).stdoutText()), [ADMIN_TOKEN]);
    });
  }
  it("k8s-secret without --token-name stays the server's Secret: both whole files", async () => {
    const out = (await run({ file: [ADMIN, PERM], format: 'k8s-secret' })).stdoutText();
    assert.match(out, /admin-token\.json: /);
    assert.match(out, /permission-tokens\.json: /);
  });
});

describe('failures write nothing and quote no secret', () => {
  it('two tokens mapping to one file name: an error naming both', async () => {
    const dir = tempDir();
    const { path } = permFile(dir, ['a.b', 'ok', 'a/b']);
    const out = join(dir, 'out');
    const e = await failing({ file: [path], format: 'files', output: out });
    assert.ok(e instanceof FileError && e.code === 'EEXPORTKEY');
    assert.match(e.message, /"a\.b" \(.*tokens\.json\) and "a\/b" \(.*tokens\.json\) would both be exported as "a_b"/);
    assert.equal(existsSync(out), false);
  });

  it('two names mapping to one env name', async () => {
    const { path } = permFile(tempDir(), ['my-app', 'my.app']);
    const e = await failing({ file: [path], format: 'env' });
    assert.match(e.message, /would both be exported as "INFLUXDB3_TOKEN_MY_APP"/);
  });

  it('the same name in two files, as json', async () => {
    const dir = tempDir();
    const admin = join(dir, 'admin.json');
    writeFileSync(admin, JSON.stringify({ token: freshToken(), name: 'x' }));
    const { path } = permFile(dir, ['x']);
    const e = await failing({ file: [admin, path], format: 'json', 'token-name': ['x'] });
    assert.match(e.message, /"x" \(.*admin\.json\) and "x" \(.*tokens\.json\)/);
  });

  it('two permission tokens files in one Secret without --token-name', async () => {
    const dir = tempDir();
    const a = permFile(dir, ['a']).path;
    const b = join(dir, 'b.json');
    writeFileSync(b, readFileSync(a));
    const e = await failing({ file: [a, b], format: 'k8s-secret' });
    assert.match(e.message, /are both a permission tokens files, and a Secret holds one permission-tokens\.json/);
  });

  it('names that look like paths stay inside DIR', async () => {
    const dir = tempDir();
    const { path, tokens } = permFile(dir, ['../escape', '/etc/passwd-x', '..', '.']);
    const out = join(dir, 'out');
    await run({ file: [path], format: 'files', output: out });
    assert.deepEqual(visible(out), ['_', '__', '___escape', '_etc_passwd-x']);
    assert.deepEqual(readdirSync(dir).sort(), ['out', 'tokens.json']);
    assert.equal(readFileSync(join(out, '___escape'), 'utf8'), `${tokens[0]}\n`);
  });

  it('an unknown --token-name', async () => {
    const { path } = permFile(tempDir(), ['a']);
    const e = await failing({ file: [path], format: 'json', 'token-name': ['nope'] });
    assert.ok(e instanceof FileError && e.code === 'ENOTOKEN');
    assert.match(e.message, /no token named "nope" in .*tokens\.json/);
  });

  it('a file the server would not load, holding tokens', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ tokens: [{ token: freshToken(), name: 'a', permissions: [`db:${freshToken()}.x:read`] }] }));
    const out = join(dir, 'out.env');
    const e = await failing({ file: [bad], format: 'env', output: out });
    assert.ok(e instanceof FileError && e.code === 'EINVALIDFILE');
    assert.match(e.message, /bad\.json is not a valid permission tokens file: at \/tokens\/0\/permissions\/0/);
    assert.equal(existsSync(out), false);
  });

  it('a file that is not JSON', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, `{"token": "${freshToken()}",`);
    const e = await failing({ file: [bad], format: 'json' });
    assert.match(e.message, /bad\.json is not valid JSON/);
  });

  it('an output path under a regular file', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'f'), '');
    const e = await failing({ file: [ADMIN], format: 'files', output: join(dir, 'f', 'x') });
    assert.ok(e instanceof FileError && e.code === 'ENOTFILE');
  });
});

describe('env names the shell or the loader acts on are refused (SPEC 12)', () => {
  for (const name of ['path', 'ld-preload', 'bash_env', 'ENV', 'IFS', 'PS4', 'node-options', 'DYLD_INSERT_LIBRARIES']) {
    it(`--prefix "" and a token named ${JSON.stringify(name)}: nothing written`, async () => {
      const dir = tempDir();
      const { path } = permFile(dir, [name]);
      const out = join(dir, 'out.env');
      const e = await failing({ file: [path], format: 'env', prefix: '', output: out });
      assert.ok(e instanceof FileError && e.code === 'EEXPORTKEY', e.message);
      assert.match(e.message, /acts on/);
      assert.equal(existsSync(out), false);
    });
  }
  it('--key LD_PRELOAD and --prefix LD_ are usage errors', async () => {
    const { path } = permFile(tempDir(), ['a']);
    await assert.rejects(run({ file: [path], format: 'env', 'token-name': ['a'], key: 'LD_PRELOAD' }), /--key "LD_PRELOAD" is not valid: .*acts on/);
    await assert.rejects(run({ file: [path], format: 'env', prefix: 'LD_' }), /--prefix "LD_" is not valid/);
  });
});

describe('an export whose bytes would not change is not rewritten (apply re-runs say so truly)', () => {
  it('env to a file, twice: the same inode and mtime', async () => {
    const dir = tempDir();
    const { path } = permFile(dir, ['a']);
    const out = join(dir, 'out.env');
    await run({ file: [path], format: 'env', output: out });
    const first = statSync(out);
    await new Promise((r) => setTimeout(r, 20));
    await run({ file: [path], format: 'env', output: out });
    const second = statSync(out);
    assert.deepEqual([second.ino, second.mtimeMs], [first.ino, first.mtimeMs]);
  });
});
