/** apply in-process, on real files: byte-exact results, idempotence, drift, prune, all-or-nothing. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applySpec } from '../../src/actions/apply';
import { type DesiredState, desiredState } from '../../src/domain/spec';
import { FileError, IoError } from '../../src/errors';
import { nodeFs } from '../../src/store/fs-seam';
import { tempDir } from '../helpers';

const NOW = Date.UTC(2026, 0, 1);
/** Deterministic "random" bytes: token i is 64 bytes of value i. */
function counter() {
  let i = 0;
  return (n: number) => new Uint8Array(n).fill(++i);
}
const tokenOf = (i: number) => `apiv3_${Buffer.alloc(64, i).toString('base64url')}`;

function desired(spec: unknown): DesiredState {
  const r = desiredState(spec, NOW);
  if (!r.ok) assert.fail(JSON.stringify(r.problems));
  return r.value;
}

const run = (d: DesiredState, opts: { prune?: boolean; replaceDrifted?: boolean; dryRun?: boolean } = {}, randomBytes = counter(), seam = nodeFs) =>
  applySpec(
    { desired: d, dryRun: opts.dryRun ?? false, prune: opts.prune ?? false, replaceDrifted: opts.replaceDrifted ?? false, lockTimeoutMs: 5000 },
    { now: () => NOW, randomBytes, seam },
  );

function spec(dir: string, tokens: unknown[], extra: Record<string, unknown> = {}) {
  return desired({ admin: { file: join(dir, 'admin.json') }, permissions: { file: join(dir, 'perm.json'), create_databases: ['metrics'], tokens, ...extra } });
}

describe('apply', () => {
  it('writes new files byte for byte, then a second apply changes no byte', async () => {
    const dir = tempDir();
    const d = spec(dir, [
      { name: 'telegraf', permissions: ['db:metrics:write'], expiry: '1d' },
      { name: 'grafana', permissions: ['db:metrics:read'] },
    ]);
    const first = await run(d);
    assert.deepEqual([first.changes, first.written], [true, true]);
    assert.equal(readFileSync(join(dir, 'admin.json'), 'utf8'), `${JSON.stringify({ token: tokenOf(1), name: '_admin' }, null, 2)}\n`);
    const perm = {
      create_databases: ['metrics'],
      tokens: [
        { token: tokenOf(2), name: 'telegraf', expiry_millis: NOW + 86_400_000, permissions: ['db:metrics:write'] },
        { token: tokenOf(3), name: 'grafana', permissions: ['db:metrics:read'] },
      ],
    };
    assert.equal(readFileSync(join(dir, 'perm.json'), 'utf8'), `${JSON.stringify(perm, null, 2)}\n`);
    const before = [statSync(join(dir, 'admin.json')), statSync(join(dir, 'perm.json'))].map((s) => [s.ino, s.mtimeMs]);
    const second = await run(d);
    assert.deepEqual([second.changes, second.written], [false, false]);
    assert.deepEqual(
      [statSync(join(dir, 'admin.json')), statSync(join(dir, 'perm.json'))].map((s) => [s.ino, s.mtimeMs]),
      before,
    );
    assert.equal(statSync(join(dir, 'perm.json')).mode & 0o777, 0o600);
  });

  it('drift is reported and kept; --replace-drifted mints a new string; --prune removes; databases only grow', async () => {
    const dir = tempDir();
    await run(
      spec(dir, [
        { name: 'a', permissions: ['db:metrics:read'] },
        { name: 'b', permissions: ['db:metrics:read'] },
      ]),
    );
    const text = readFileSync(join(dir, 'perm.json'), 'utf8');
    const changed = spec(dir, [{ name: 'a', permissions: ['db:metrics:write'] }], { create_databases: ['logs'] });
    const report = await run(changed, { dryRun: true });
    assert.deepEqual(
      report.permissions!.steps.map((s) => s.action),
      ['drift', 'unmanaged'],
    );
    assert.equal(readFileSync(join(dir, 'perm.json'), 'utf8'), text, 'a dry run writes nothing');
    await run(changed, { replaceDrifted: true, prune: true }, () => new Uint8Array(64).fill(9));
    const after = JSON.parse(readFileSync(join(dir, 'perm.json'), 'utf8'));
    assert.deepEqual(after, { create_databases: ['metrics', 'logs'], tokens: [{ token: tokenOf(9), name: 'a', permissions: ['db:metrics:write'] }] });
  });

  it('a file that would not load leaves the other one as it was (here: not created)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'perm.json'), '{"tokens": [}\n');
    await assert.rejects(
      run(spec(dir, [{ name: 'a', permissions: ['db:metrics:read'] }])),
      (e: unknown) => e instanceof FileError && /perm\.json is not valid JSON/.test(e.message),
    );
    assert.equal(existsSync(join(dir, 'admin.json')), false);
    assert.equal(readFileSync(join(dir, 'perm.json'), 'utf8'), '{"tokens": [}\n');
  });

  it('a rename that fails after the other file was renamed: that file is put back', async () => {
    const dir = tempDir();
    const d = spec(dir, [{ name: 'a', permissions: ['db:metrics:read'] }]);
    await run(d);
    const admin = readFileSync(join(dir, 'admin.json'), 'utf8');
    const perm = readFileSync(join(dir, 'perm.json'), 'utf8');
    // Both files change (the admin token drifts by name, a new token is declared); the
    // admin file is renamed last (it sorts first, so its rename is the outermost).
    const next = desired({
      admin: { file: join(dir, 'admin.json'), name: 'root' },
      permissions: {
        file: join(dir, 'perm.json'),
        tokens: [
          { name: 'a', permissions: ['db:metrics:read'] },
          { name: 'b', permissions: ['db:metrics:read'] },
        ],
      },
    });
    const failing = {
      ...nodeFs,
      rename: (from: string, to: string) =>
        to.endsWith('admin.json')
          ? (() => {
              throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
            })()
          : nodeFs.rename(from, to),
    };
    await assert.rejects(run(next, { replaceDrifted: true }, counter(), failing), (e: unknown) => e instanceof IoError && /admin\.json/.test(e.message));
    assert.equal(readFileSync(join(dir, 'admin.json'), 'utf8'), admin);
    assert.equal(readFileSync(join(dir, 'perm.json'), 'utf8'), perm);
  });
});
