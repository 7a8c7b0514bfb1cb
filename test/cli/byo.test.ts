/**
 * Bring-your-own token values (SPEC 14) through the real binary: from an environment
 * variable, a file or standard input; weak values refused; a value already in the file
 * refused; the value never on stderr, and on stdout only when --format json asks for it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type CliResult, freshToken, readJson, runCli, tempDir } from '../helpers';

type Source = 'env' | 'file' | 'stdin';
const SOURCES: readonly Source[] = ['env', 'file', 'stdin'];

/** Runs `create token ... --token-value-from` with `raw` handed over by `source`. */
function withValue(dir: string, source: Source, raw: string, line: string[]): CliResult {
  const from = source === 'env' ? 'env:MY_TOKEN' : source === 'file' ? 'file:secret.txt' : 'stdin';
  if (source === 'file') writeFileSync(join(dir, 'secret.txt'), raw);
  return runCli(['create', 'token', ...line, '--token-value-from', from], {
    cwd: dir,
    env: source === 'env' ? { MY_TOKEN: raw } : {},
    input: source === 'stdin' ? raw : undefined,
  });
}

/** The value, and its random part, appear nowhere in `text`. */
function assertNotEchoed(text: string, value: string): void {
  const body = value.trim().replace(/^apiv3_/, '');
  if (body.length >= 4) assert.ok(!text.includes(body), `echoed: ${text}`);
}

const PERMISSION = ['--permission', 'db:a:read', '--name', 'byo', '--output-file', 't.json'];
const ADMIN = ['--admin', '--output-file', 'admin.json'];

describe('strong values are written as given', () => {
  for (const source of SOURCES) {
    for (const [label, newline] of [
      ['no newline', ''],
      ['a trailing \\n', '\n'],
      ['a trailing \\r\\n', '\r\n'],
    ] as const) {
      test(`from ${source}, ${label}: a permission token; text output never shows it`, () => {
        const dir = tempDir('otk-byo');
        const value = freshToken();
        const r = withValue(dir, source, value + newline, PERMISSION);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /^Token saved to: t.json\n/);
        assertNotEchoed(r.stdout + r.stderr, value);
        const doc = readJson(join(dir, 't.json')) as { tokens: { token: string; name: string }[] };
        assert.deepEqual(
          doc.tokens.map((t) => [t.name, t.token]),
          [['byo', value]],
        );
      });
    }
    test(`from ${source}: an admin token file, printed with --format json only`, () => {
      const dir = tempDir('otk-byo');
      const value = freshToken();
      const r = withValue(dir, source, `${value}\n`, [...ADMIN, '--format', 'json']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { token: string }).token, value);
      assertNotEchoed(r.stderr, value);
      assert.equal(readFileSync(join(dir, 'admin.json'), 'utf8'), `${JSON.stringify({ token: value, name: '_admin' }, null, 2)}\n`);
    });
  }

  test('a 22-character random part (128 bits) is enough; influx v2 and influxctl lines take it too', () => {
    const dir = tempDir('otk-byo');
    const v1 = 'apiv3_Vx3kP9qLm2ZrT8yWc4NbHd';
    const r1 = runCli(['auth', 'create', '--write-bucket', 'b', '--output-file', 't.json', '--token-value-from', 'env:V'], { cwd: dir, env: { V: v1 } });
    assert.equal(r1.status, 0, r1.stderr);
    const v2 = freshToken();
    const r2 = runCli(['token', 'create', '--read-database', 'b', 'reader', '--output-file', 't.json', '--token-value-from', 'env:V'], {
      cwd: dir,
      env: { V: v2 },
    });
    assert.equal(r2.status, 0, r2.stderr);
    const doc = readJson(join(dir, 't.json')) as { tokens: { token: string }[] };
    assert.deepEqual(
      doc.tokens.map((t) => t.token),
      [v1, v2],
    );
  });
});

const WEAK: readonly (readonly [string, string, RegExp])[] = [
  ['without the prefix', freshToken().slice(6), /does not begin with apiv3_/],
  ['too short', 'apiv3_Vx3kP9qLm2ZrT8yWc4Nb', /fewer than the 22 that carry 128 bits/],
  ['repetitive', `apiv3_${'Ab1'.repeat(12)}`, /repeat too much to be random/],
  ['the docs placeholder', 'apiv3_0XXXX-xxxXxXxxxXX_OxxxX...', /outside base64url/],
  ['empty', '', /it is empty/],
  ['two trailing newlines', `${freshToken()}\n\n`, /outside base64url/],
];

describe('weak values are refused, quoted nowhere, and nothing changes', () => {
  for (const [label, raw, reason] of WEAK) {
    for (const source of SOURCES) {
      test(`${label}, from ${source}`, () => {
        const dir = tempDir('otk-byo');
        const seeded = runCli(['create', 'token', '--permission', 'db:a:read', '--name', 'seed', '--output-file', 't.json'], { cwd: dir });
        assert.equal(seeded.status, 0);
        const before = readFileSync(join(dir, 't.json'));
        const r = withValue(dir, source, raw, PERMISSION);
        assert.equal(r.status, 2, r.stderr);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /^error: --token-value-from [^\n]*refused[^\n]*\n$/);
        assert.match(r.stderr, reason);
        assertNotEchoed(r.stderr, raw);
        assert.deepEqual(readFileSync(join(dir, 't.json')), before);
      });
    }
  }

  test('a token on the command line is refused without being shown', () => {
    const dir = tempDir('otk-byo');
    const value = freshToken();
    const r = runCli(['create', 'token', ...ADMIN, '--token-value-from', value], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /never taken from the command line/);
    assertNotEchoed(r.stdout + r.stderr, value);
    assert.equal(existsSync(join(dir, 'admin.json')), false);
  });

  test('an unset variable and a missing file are named, nothing is written', () => {
    const dir = tempDir('otk-byo');
    const unset = runCli(['create', 'token', ...ADMIN, '--token-value-from', 'env:OTK_SURELY_UNSET'], { cwd: dir });
    assert.equal(unset.status, 2);
    assert.match(unset.stderr, /environment variable OTK_SURELY_UNSET is not set/);
    const missing = runCli(['create', 'token', ...ADMIN, '--token-value-from', 'file:nope.txt'], { cwd: dir });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /nope.txt does not exist/);
    assert.equal(existsSync(join(dir, 'admin.json')), false);
  });
});

describe('a value may be in a file once', () => {
  test('the same value under another name: exit 1, the file byte for byte, the value not quoted', () => {
    const dir = tempDir('otk-byo');
    const value = freshToken();
    assert.equal(withValue(dir, 'env', value, PERMISSION).status, 0);
    const before = readFileSync(join(dir, 't.json'));
    const r = withValue(dir, 'stdin', value, ['--permission', 'db:b:read', '--name', 'other', '--output-file', 't.json']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: t.json already holds the supplied token string \(token "byo"\)/);
    assertNotEchoed(r.stdout + r.stderr, value);
    assert.deepEqual(readFileSync(join(dir, 't.json')), before);
  });

  test('--if-not-exists with the same name keeps the token: exit 0, file unchanged', () => {
    const dir = tempDir('otk-byo');
    const value = freshToken();
    assert.equal(withValue(dir, 'env', value, PERMISSION).status, 0);
    const before = readFileSync(join(dir, 't.json'));
    const r = withValue(dir, 'env', value, [...PERMISSION, '--if-not-exists']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readFileSync(join(dir, 't.json')), before);
  });

  test('replacing an admin token with its own string is refused; with another, --force replaces it', () => {
    const dir = tempDir('otk-byo');
    const value = freshToken();
    assert.equal(withValue(dir, 'env', value, ADMIN).status, 0);
    const before = readFileSync(join(dir, 'admin.json'));
    const same = withValue(dir, 'file', value, [...ADMIN, '--force']);
    assert.equal(same.status, 1);
    assert.match(same.stderr, /already holds the supplied token string/);
    assert.deepEqual(readFileSync(join(dir, 'admin.json')), before);
    const next = freshToken();
    const other = withValue(dir, 'file', next, [...ADMIN, '--regenerate']);
    assert.equal(other.status, 0, other.stderr);
    assert.equal((readJson(join(dir, 'admin.json')) as { token: string }).token, next);
  });
});
