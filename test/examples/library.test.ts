/**
 * SPEC 18's promise to a consumer: the packed tarball installs offline into an empty project,
 * a strict TypeScript program using every export compiles against its .d.ts, and runs as ESM
 * and as CommonJS: tokens created, read, rotated, applied and exported, the files loaded by
 * the server's reader (validateFile), and a failure caught by its `code`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempDir } from '../helpers';

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Every export, used; `lib` is the module as imported (ESM) or required (CommonJS). */
const PROGRAM = (importLine: string) => `${importLine}
import type { CreateTokenResult, ExportFormat, FileKind, TokenFileErrorCode, LibraryEnv, ErrorFields } from 'influxdb3-offline-tokens';

const dir = process.argv[2]!;
const perms = dir + '/tokens.json';
const admin = dir + '/admin.json';
const env: LibraryEnv = { now: () => Date.UTC(2030, 0, 1) };

async function main(): Promise<void> {
  const created: CreateTokenResult = await lib.createToken({ file: perms, name: 'telegraf', permissions: ['db:metrics:write'], expiry: '90d', createDatabases: ['metrics'] }, env);
  if (!created.token.startsWith('apiv3_') || created.expiry !== BigInt(Date.UTC(2030, 0, 1) + 90 * 86_400_000)) throw new Error('create');
  await lib.createToken({ file: admin, admin: true, expiry: new Date(Date.UTC(2031, 0, 1)) }, env);
  const read = lib.readTokenFile(perms, env);
  const kind: FileKind = read.kind;
  if (kind !== 'permission' || read.tokens[0]!.token !== created.token) throw new Error('read');
  const rotated = await lib.rotateToken({ file: perms, name: 'telegraf' }, env);
  if (rotated.name !== 'telegraf-2' || rotated.token === created.token) throw new Error('rotate');
  const applied = await lib.apply({ spec: { permissions: { file: perms, tokens: [{ name: 'grafana', permissions: ['db:metrics:read'] }] }, outputs: [{ format: 'env', output: dir + '/out/tokens.env', token_names: ['grafana'] }] } }, env);
  if (!applied.written || applied.outputs.length !== 1) throw new Error('apply');
  const format: ExportFormat = 'json';
  const exported = await lib.exportTokens({ files: [perms], format, tokenNames: ['grafana'] }, env);
  if (!exported.text?.includes('apiv3_')) throw new Error('export');
  const deleted = await lib.deleteTokens({ file: perms, names: ['telegraf'] }, env);
  if (deleted.deleted[0] !== 'telegraf') throw new Error('delete');
  const pruned = await lib.prune({ file: perms, dryRun: true }, env);
  if (pruned.kept !== 2) throw new Error('prune');
  for (const f of [perms, admin]) {
    const v = lib.validateFile({ file: f });
    if (!v.valid) throw new Error('validate ' + f + ': ' + JSON.stringify(v.errors));
  }
  let code: TokenFileErrorCode | undefined;
  try {
    await lib.createToken({ file: perms, name: 'grafana', permissions: ['db:metrics:read'] }, env);
  } catch (e) {
    if (e instanceof lib.TokenFileError && e instanceof lib.FileError) {
      code = e.code;
      const where: ErrorFields = { file: e.file, tokenName: e.tokenName };
      if (where.file !== perms || where.tokenName !== 'grafana' || /--/.test(e.message)) throw new Error('fields ' + e.message);
    }
  }
  if (code !== 'ENAMETAKEN') throw new Error('code ' + code);
  try {
    await lib.createToken({ file: perms, name: 'x', permissions: ['db:metrics:read'], expiry: 'soon' }, env);
  } catch (e) {
    if (!(e instanceof lib.InvalidInputError) || e.code !== 'EINVALID' || e.field !== 'expiry') throw e;
  }
  const classes = [lib.UsageError, lib.LockError, lib.IoError, lib.InterruptedError, lib.UnsafePathError];
  if (!classes.every((c) => c.prototype instanceof lib.TokenFileError)) throw new Error('classes');
  process.stdout.write('ok ' + String(code) + '\\n');
}
void main();
`;

test('the packed library installs offline, type-checks strictly and runs as ESM and as CommonJS', { timeout: 180_000 }, () => {
  const dir = tempDir('library');
  const [packed] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT)) as Array<{ filename: string }>;
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  // An empty cache: the package has no run-time dependencies, so nothing may be fetched.
  run('npm', ['install', '--offline', '--cache', join(dir, 'empty-cache'), '--no-audit', '--no-fund', join(dir, packed!.filename)], app);
  writeFileSync(join(app, 'esm.mts'), PROGRAM("import * as lib from 'influxdb3-offline-tokens';"));
  writeFileSync(join(app, 'cjs.cts'), PROGRAM("import lib = require('influxdb3-offline-tokens');"));
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const flags = [
    '--strict',
    '--noUncheckedIndexedAccess',
    '--exactOptionalPropertyTypes',
    '--module',
    'node16',
    '--moduleResolution',
    'node16',
    '--target',
    'es2022',
    '--types',
    'node',
    '--typeRoots',
    join(ROOT, 'node_modules/@types'),
    '--skipLibCheck',
    'false',
  ];
  run(process.execPath, [tsc, '--noEmit', ...flags, 'esm.mts', 'cjs.cts'], app);
  run(process.execPath, [tsc, ...flags, '--outDir', 'out', 'esm.mts', 'cjs.cts'], app);
  for (const program of ['out/esm.mjs', 'out/cjs.cjs']) {
    const work = join(dir, program.replace(/\W/g, '_'));
    mkdirSync(work);
    assert.equal(run(process.execPath, [program, work], app), 'ok ENAMETAKEN\n', program);
  }
});
