/** apply through the real binary: plan output, usage errors, stdin, concurrency. */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI, runCli, runCliAsync, tempDir, tokensIn } from '../helpers';

const SPEC = `admin:
  file: tokens/admin.json
permissions:
  file: tokens/perm.json
  create_databases: [metrics]
  tokens:
    - name: telegraf
      permissions: ["db:metrics:write"]
      expiry: 90d
outputs:
  - format: files
    output: secrets
`;

describe('apply (CLI)', () => {
  it('applies, prints the plan without secrets, runs outputs; again: no change', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    const r = runCli(['apply', '-f', 'spec.yaml'], { cwd: dir });
    assert.deepEqual([r.status, r.stderr], [0, '']);
    assert.match(r.stdout, /create {5}"telegraf"/);
    assert.deepEqual(tokensIn(r.stdout), []);
    const token = JSON.parse(readFileSync(join(dir, 'tokens/perm.json'), 'utf8')).tokens[0].token;
    assert.equal(readFileSync(join(dir, 'secrets/telegraf'), 'utf8'), `${token}\n`);
    const again = runCli(['apply', '-f', 'spec.yaml', '--format', 'json'], { cwd: dir });
    assert.equal(again.status, 0);
    assert.deepEqual(JSON.parse(again.stdout).changes, false);
  });

  it('a re-run that writes nothing says the files match only when they do: drift and undeclared tokens are named', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    assert.equal(runCli(['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    const same = runCli(['apply', '-f', 'spec.yaml'], { cwd: dir });
    assert.match(same.stdout, /\nNo changes: the files already match the spec; no byte was written\.\n$/);
    assert.equal(runCli(['create', 'token', '--permission', 'db:*:read', '--name', 'extra', '--output-file', 'tokens/perm.json'], { cwd: dir }).status, 0);
    writeFileSync(join(dir, 'spec.yaml'), SPEC.replace('db:metrics:write', 'db:metrics:read,write'));
    const before = readFileSync(join(dir, 'tokens/perm.json'));
    const r = runCli(['apply', '-f', 'spec.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /drift {6}"telegraf"/);
    // The token files are left alone; the files output takes "extra", which create token added.
    assert.match(r.stdout, /\n {2}secrets \(files, \/outputs\/0\): written\nWrote secrets\.\n/);
    assert.match(
      r.stdout,
      /\nThe token files were not written, and do not match the spec: 1 token differing from the spec \(kept as they are; --replace-drifted replaces them\), and 1 token not in the spec \(kept; --prune removes them\)\.\n$/,
    );
    const again = runCli(['apply', '-f', 'spec.yaml'], { cwd: dir });
    assert.match(
      again.stdout,
      /\nNo byte was written, but the files do not match the spec: 1 token differing from the spec \(kept as they are; --replace-drifted replaces them\), and 1 token not in the spec \(kept; --prune removes them\)\.\n$/,
    );
    assert.deepEqual(readFileSync(join(dir, 'tokens/perm.json')), before);
  });

  it('--dry-run makes no directory, takes no lock and writes nothing', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    const r = runCli(['apply', '-f', 'spec.yaml', '--dry-run'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /create {5}"telegraf"/);
    assert.deepEqual(readdirSync(dir), ['spec.yaml']);
  });

  it('--owner owns the token files, the outputs, and every directory the command made', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    const r = runCli(['apply', '-f', 'spec.yaml', '--owner', '1500:1501'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    for (const p of ['tokens', 'tokens/admin.json', 'tokens/perm.json', 'secrets', 'secrets/telegraf']) {
      const st = statSync(join(dir, p));
      assert.deepEqual([st.uid, st.gid], [1500, 1501], p);
    }
  });

  it('a token file with a looser mode is written back as 0600, and apply says so', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    assert.equal(runCli(['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    chmodSync(join(dir, 'tokens/perm.json'), 0o644);
    chmodSync(join(dir, 'tokens/admin.json'), 0o400);
    writeFileSync(
      join(dir, 'spec.yaml'),
      SPEC.replace('      expiry: 90d\n', '      expiry: 90d\n    - name: grafana\n      permissions: ["db:metrics:read"]\n'),
    );
    const r = runCli(['apply', '-f', 'spec.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /^notice: tokens\/perm\.json had mode 0644; it was written back as 0600\.\nwarning: tokens\/perm\.json holds no generation of "grafana"/,
    );
    assert.equal(statSync(join(dir, 'tokens/perm.json')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'tokens/admin.json')).mode & 0o777, 0o400);
  });

  it('reads JSON on stdin', () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, [CLI, 'apply', '-f', '-'], {
      cwd: dir,
      input: JSON.stringify({ permissions: { file: 'p.json', tokens: [] } }),
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(join(dir, 'p.json'), 'utf8'), '{\n  "tokens": []\n}\n');
  });

  const bad: Array<[string, string, RegExp]> = [
    [
      'unknown key, nothing like a known one',
      'permissions:\n  file: p.json\n  colour: []\n',
      /^error: spec\.yaml at \/permissions\/colour: unknown key "colour"; nothing was written\.\n$/,
    ],
    // A misspelt key at each level is named with its place and the key it most likely meant.
    [
      'misspelt top-level key',
      'admin:\n  file: a.json\nouputs: []\n',
      /^error: spec\.yaml at \/ouputs: unknown key "ouputs" \(did you mean "outputs"\?\); nothing was written\.\n$/,
    ],
    [
      'misspelt key of admin',
      'admin:\n  file: a.json\n  expires-at: 2030-01-01T00:00:00Z\n',
      /^error: spec\.yaml at \/admin\/expires-at: unknown key "expires-at" \(did you mean "expires_at"\?\); nothing was written\.\n$/,
    ],
    [
      'misspelt key of permissions',
      'permissions:\n  file: p.json\n  tokenz: []\n',
      /^error: spec\.yaml at \/permissions\/tokenz: unknown key "tokenz" \(did you mean "tokens"\?\); nothing was written\.\n$/,
    ],
    [
      'misspelt key of a token',
      'permissions:\n  file: p.json\n  tokens:\n    - {name: a, permissions: ["db:m:read"]}\n    - {name: b, permisions: ["db:m:read"]}\n',
      /^error: spec\.yaml at \/permissions\/tokens\/1\/permisions: unknown key "permisions" \(did you mean "permissions"\?\) \(and 1 more\); nothing was written\.\n$/,
    ],
    [
      'misspelt key of an output',
      'admin:\n  file: a.json\noutputs:\n  - {format: k8s-secret, output: s.yaml, secretName: x}\n',
      /^error: spec\.yaml at \/outputs\/0\/secretName: unknown key "secretName" \(did you mean "secret_name"\?\); nothing was written\.\n$/,
    ],
    [
      'duplicate key',
      'admin:\n  file: a.json\nadmin:\n  file: b.json\n',
      /^error: spec\.yaml is not valid YAML or JSON: Map keys must be unique at line 3, column 1; nothing was written\.\n$/,
    ],
    [
      'duplicate key in a JSON spec',
      '{"permissions": {"file": "p.json", "tokens": [{"name": "a", "name": "b", "permissions": ["db:m:read"]}]}}',
      /^error: spec\.yaml at \/permissions\/tokens\/0\/name: the key "name" is given a second time; give it once; nothing was written\.\n$/,
    ],
    [
      'bad permission',
      'permissions:\n  file: p.json\n  tokens:\n    - {name: x, permissions: ["db:m:fly"]}\n',
      /at \/permissions\/tokens\/0\/permissions\/0: the permission "db:m:fly" is invalid/,
    ],
    [
      'bad output',
      'admin:\n  file: a.json\noutputs:\n  - {format: env, output: e.env, secret_name: x}\n',
      /at \/outputs\/0: secret_name only applies to format k8s-secret/,
    ],
    [
      'output to stdout',
      'admin:\n  file: a.json\noutputs:\n  - {format: env, output: "-"}\n',
      /at \/outputs\/0\/output: an output of apply needs output: a file or directory/,
    ],
  ];
  it('a misspelt key leaves an existing token file as it was', () => {
    const dir = tempDir();
    const before = '{\n  "tokens": []\n}\n';
    writeFileSync(join(dir, 'p.json'), before, { mode: 0o600 });
    writeFileSync(join(dir, 'spec.yaml'), 'permissions:\n  file: p.json\n  tokens:\n    - {name: a, permissions: ["db:m:read"], expirey: 1d}\n');
    const r = runCli(['apply', '-f', 'spec.yaml'], { cwd: dir });
    assert.deepEqual([r.status, r.stdout], [2, '']);
    assert.match(
      r.stderr,
      /^error: spec\.yaml at \/permissions\/tokens\/0\/expirey: unknown key "expirey" \(did you mean "expiry"\?\); nothing was written\.\n$/,
    );
    assert.equal(readFileSync(join(dir, 'p.json'), 'utf8'), before);
  });

  for (const [what, text, message] of bad) {
    it(`usage error, nothing written: ${what}`, () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'spec.yaml'), text);
      const r = runCli(['apply', '-f', 'spec.yaml'], { cwd: dir });
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      for (const f of ['p.json', 'a.json', 'b.json', 'e.env']) assert.equal(existsSync(join(dir, f)), false);
    });
  }

  it('two applies at once on the same two files: neither deadlocks, nothing is lost', async () => {
    const dir = tempDir();
    const specFor = (name: string) => `permissions:\n  file: z.json\n  tokens:\n    - {name: ${name}, permissions: ["db:m:read"]}\nadmin:\n  file: a.json\n`;
    writeFileSync(join(dir, 's1.yaml'), specFor('one'));
    writeFileSync(join(dir, 's2.yaml'), specFor('two'));
    const results = await Promise.all([runCliAsync(['apply', '-f', 's1.yaml'], { cwd: dir }), runCliAsync(['apply', '-f', 's2.yaml'], { cwd: dir })]);
    for (const r of results) assert.equal(r.status, 0, r.stderr);
    const names = JSON.parse(readFileSync(join(dir, 'z.json'), 'utf8'))
      .tokens.map((t: { name: string }) => t.name)
      .sort();
    assert.deepEqual(names, ['one', 'two']);
  });

  it('holds its first lock while it waits over a second for the second one (the refresh timer touches the first)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), SPEC.replace(/outputs:[\s\S]*/, ''));
    mkdirSync(join(dir, 'tokens'));
    // perm.json's lock is held (by nobody: a fresh directory) for 2.5 s; admin.json's is taken first (sorted paths).
    const lock = join(dir, 'tokens/perm.json.lock');
    mkdirSync(lock, { mode: 0o700 });
    const timer = setTimeout(() => rmdirSync(lock), 2_500);
    const r = await runCliAsync(['apply', '-f', 'spec.yaml'], { cwd: dir });
    clearTimeout(timer);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(tokensIn(readFileSync(join(dir, 'tokens/perm.json'), 'utf8')).length, 1);
    assert.equal(existsSync(join(dir, 'tokens/admin.json.lock')), false);
  });
});
