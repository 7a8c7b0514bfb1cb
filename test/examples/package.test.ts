import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, tempDir } from '../helpers';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function npm(args: string[], cwd: string) {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(r.status, 0, `npm ${args.join(' ')}\n${r.stderr}`);
  return r;
}

/** Module names that the bundle requires at run time (not those inside its string literals). */
function runtimeRequires(bundle: string): string[] {
  return [...bundle.matchAll(/(?<!['"`])\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
}

describe('the published package', () => {
  test('names its repository, issue tracker and home page', () => {
    assert.match(pkg.repository.url, /^git\+https:\/\/github\.com\/influxdb3-offline-tokens\/influxdb3-offline-tokens\.git$/);
    assert.match(pkg.bugs.url, /\/issues$/);
    assert.match(pkg.homepage, /^https:\/\/github\.com\/influxdb3-offline-tokens\//);
  });

  test('is publishable and has no run-time dependencies: the bundle holds every module it loads, yaml included', () => {
    assert.equal(pkg.private, undefined);
    assert.equal(pkg.license, 'MIT');
    assert.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /^MIT License/);
    const requires = runtimeRequires(readFileSync(join(ROOT, 'dist/app.cjs'), 'utf8'));
    assert.ok(requires.length > 0);
    const builtin = new Set(builtinModules);
    const packages = [...new Set(requires.filter((m) => !builtin.has(m.replace(/^node:/, ''))))].sort();
    // Every dependency is one the bundle requires at run time, and every package it requires is a dependency.
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}).sort(), packages, 'dependencies must be exactly the packages dist/app.cjs requires');
    assert.deepEqual(packages, []);
  });

  test('the require scan sees a real call and skips one inside a string', () => {
    assert.deepEqual(runtimeRequires(`var a=require("yaml");x.code='require("ajv/dist/runtime/x")'`), ['yaml']);
  });

  test('npm pack ships exactly the launcher, the bundle, its code cache, the library, the schemas and the docs; the tarball installs offline from an empty cache and runs apply on a YAML spec', () => {
    const dir = tempDir('pack');
    const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT).stdout);
    const files = packed.files.map((f: { path: string }) => f.path).sort();
    assert.deepEqual(
      files,
      [
        'LICENSE',
        'README.md',
        'bin/influxdb3-offline-tokens.cjs',
        'dist/app.cjs',
        'dist/app.cjs.cache',
        'docs/man/influxdb3-offline-tokens.1',
        // The library (SPEC 18): ESM and CommonJS entry points and their types.
        'dist/index.cjs',
        'dist/index.d.ts',
        'dist/index.mjs',
        'package.json',
        // Every schema, so editors can point at the copy installed with the tool.
        ...readdirSync(join(ROOT, 'schemas'))
          .filter((f) => f.endsWith('.schema.json'))
          .map((f) => `schemas/${f}`),
      ].sort(),
    );
    const prefix = join(dir, 'prefix');
    // An empty cache, as in a container build: nothing may be fetched.
    const installed = npm(
      ['install', '-g', '--prefix', prefix, '--offline', '--cache', join(dir, 'empty-cache'), '--no-audit', '--no-fund', join(dir, packed.filename)],
      dir,
    );
    // No install-time script (npm 11 warns about every one) and nothing else to warn about.
    assert.doesNotMatch(installed.stderr, /npm (warn|WARN|ERR)/, installed.stderr);
    assert.deepEqual(
      Object.keys(pkg.scripts).filter((s) => /^(pre|post)?(install|prepare)$/.test(s)),
      [],
    );
    // `man influxdb3-offline-tokens` finds the page from this prefix (npm links it into share/man).
    assert.match(readFileSync(join(prefix, 'share', 'man', 'man1', 'influxdb3-offline-tokens.1'), 'utf8'), /^\.TH INFLUXDB3-OFFLINE-TOKENS 1 /);
    const bin = join(prefix, 'bin', 'influxdb3-offline-tokens');
    const out = join(dir, 'tokens.json');
    const env = { PATH: process.env.PATH, HOME: dir };
    const created = spawnSync(bin, ['create', 'token', '--name', 'app', '--permission', 'db:mydb:read,write', '--output-file', out], {
      encoding: 'utf8',
      env,
      cwd: dir,
    });
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /^Token saved to: /);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const validated = spawnSync(bin, ['validate', out], { encoding: 'utf8', env, cwd: dir });
    assert.equal(validated.status, 0, validated.stderr);
    assert.equal(spawnSync(bin, ['--version'], { encoding: 'utf8', env }).stdout.trim(), pkg.version);
    writeFileSync(
      join(dir, 'spec.yaml'),
      'permissions:\n  file: perm.json\n  create_databases: [metrics]\n  tokens:\n    - name: telegraf\n      permissions: ["db:metrics:write"]\n',
    );
    const applied = spawnSync(bin, ['apply', '-f', join(dir, 'spec.yaml')], { encoding: 'utf8', env, cwd: dir });
    assert.equal(applied.status, 0, applied.stderr);
    assert.equal(spawnSync(bin, ['validate', join(dir, 'perm.json')], { encoding: 'utf8', env }).status, 0);
  });
});
