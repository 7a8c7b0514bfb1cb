/** export through the real binary: stdout, stderr, exit status and file bytes. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, freshToken, runCli, tempDir, tokensIn } from '../helpers';

const CASE = join(FIXTURES, 'kubectl', 'both-files');

describe('export (CLI)', () => {
  it('prints the Secret kubectl makes, with --output -', () => {
    const r = runCli(
      [
        'export',
        '--file',
        'perm.json',
        '--file',
        'admin.json',
        '--format',
        'k8s-secret',
        '--secret-name',
        'influxdb3-auth',
        '--namespace',
        'influxdb',
        '--output',
        '-',
      ],
      { cwd: CASE },
    );
    assert.deepEqual([r.status, r.stderr], [0, '']);
    assert.equal(r.stdout, readFileSync(join(CASE, 'expected.yaml'), 'utf8'));
  });

  it('writes a file 0600 and says where, without the secret', () => {
    const dir = tempDir();
    const out = join(dir, 'deep', 'tokens.env');
    const r = runCli(['export', '--file', join(FIXTURES, 'export', 'permission-tokens.json'), '--format', 'env', '--output', out]);
    assert.deepEqual([r.status, r.stderr], [0, '']);
    assert.equal(r.stdout, `Exported 6 tokens to ${out}\n`);
    assert.deepEqual(tokensIn(r.stdout), []);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'deep')).mode & 0o777, 0o700);
    assert.equal(readFileSync(out, 'utf8').split('\n').length, 7);
  });

  it('a usage error: exit 2, one line, nothing written', () => {
    const dir = tempDir();
    const r = runCli(['export', '--file', join(FIXTURES, 'export', 'admin-token.json'), '--format', 'env', '--secret-name', 'x', '--output', join(dir, 'o')]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'error: --secret-name only applies to --format k8s-secret, not env; remove it.\n');
    assert.deepEqual(readdirSync(dir), []);
  });

  it('a clash: exit 1, one line naming both tokens, nothing written, no secret', () => {
    const dir = tempDir();
    const file = join(dir, 't.json');
    writeFileSync(
      file,
      JSON.stringify({
        tokens: [
          { token: freshToken(), name: 'a.b', permissions: ['db:x:read'] },
          { token: freshToken(), name: 'a/b', permissions: ['db:x:read'] },
        ],
      }),
    );
    const r = runCli(['export', '--file', file, '--format', 'files', '--output', join(dir, 'out')]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: Cannot export: the tokens "a\.b" \(.*\) and "a\/b" \(.*\) would both be exported as "a_b"; nothing was written\. .*\n$/);
    assert.deepEqual(tokensIn(r.stderr), []);
    assert.equal(existsSync(join(dir, 'out')), false);
  });

  it('a file that would not load: exit 1, the token it holds is not quoted', () => {
    const dir = tempDir();
    const file = join(dir, 't.json');
    const token = freshToken();
    writeFileSync(file, JSON.stringify({ tokens: [{ token, name: 'a', permissions: [`db:${token}.x:read`] }] }));
    const r = runCli(['export', '--file', file, '--format', 'json']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').length, 2);
    assert.ok(!r.stderr.includes(token.slice(6)));
  });
});
