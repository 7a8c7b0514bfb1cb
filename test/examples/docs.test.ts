/**
 * Every fenced `sh` block of README.md and docs/ that runs the command runs here, as
 * written, with the built binary on PATH as `influxdb3-offline-tokens`, in an empty
 * directory: the blocks of a page in order in one directory (a page is a walk-through),
 * each block of a generated command page on its own in a directory holding the files its
 * examples name. A block marked `sh skip-test REASON` needs what tests do not have (a
 * server, a cluster, docker) and must say what; a block with `file=NAME` in its info
 * string (```yaml file=tokens.yaml) is written to NAME first, as a reader would save it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { CLI, ROOT, tempDir } from '../helpers';

const BIN = 'influxdb3-offline-tokens';

export interface Block {
  readonly info: string;
  readonly body: string;
  readonly line: number;
}

/** Fenced blocks, indented ones (inside list items) included, with the indent taken off. */
export function blocksOf(markdown: string): Block[] {
  const out: Block[] = [];
  for (const m of markdown.matchAll(/^( *)```(\S[^\n]*)\n([\s\S]*?)^\1```$/gm)) {
    const indent = m[1]!.length;
    const body = m[3]!
      .split('\n')
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join('\n');
    out.push({ info: m[2]!.trim(), body, line: markdown.slice(0, m.index).split('\n').length });
  }
  return out;
}

/** What the harness does with a block: run it, write it as a file, skip it (with its reason), or nothing. */
export function roleOf(block: Block): { run: boolean; file?: string; skip?: string; error?: string } {
  const [lang, ...rest] = block.info.split(/\s+/);
  const file = rest.find((w) => w.startsWith('file='))?.slice(5);
  if (lang !== 'sh') return { run: false, file };
  const at = rest.indexOf('skip-test');
  if (at >= 0) {
    const reason = rest.slice(at + 1).join(' ');
    return reason ? { run: false, skip: reason } : { run: false, error: 'a skip-test block must say why (```sh skip-test needs docker)' };
  }
  // A block that only prepares (cat > spec.yaml, mkdir) runs too: later blocks rely on it.
  return { run: true, file };
}

function markdownFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f));
  return ['README.md', ...docs].sort();
}

function binDir(): string {
  const dir = tempDir('docs-bin');
  symlinkSync(CLI, join(dir, BIN));
  return dir;
}

/** The files the registry's examples name (tokens.json with telegraf, old-ci and test; admin.json; a body; a spec). */
function seed(bin: string): string {
  const dir = tempDir('docs-seed');
  const run = (...args: string[]) => assert.equal(spawnSync(join(bin, BIN), args, { cwd: dir, encoding: 'utf8' }).status, 0, args.join(' '));
  for (const name of ['telegraf', 'old-ci', 'test']) run('create', 'token', '--name', name, '--permission', 'db:metrics:write', '--output-file', 'tokens.json');
  run('create', 'token', '--admin', '--output-file', 'admin.json');
  writeFileSync(
    join(dir, 'body.json'),
    JSON.stringify({ token_name: 'grafana', permissions: [{ resource_type: 'db', resource_identifier: ['metrics'], actions: ['read'] }] }),
  );
  writeFileSync(join(dir, 'tokens.yaml'), 'permissions:\n  file: spec-tokens.json\n  tokens:\n    - { name: app, permissions: ["db:metrics:read"] }\n');
  for (const d of ['.local/share/bash-completion/completions', '.zfunc', '.config/fish/completions']) mkdirSync(join(dir, d), { recursive: true });
  return dir;
}

function runBlock(body: string, cwd: string, bin: string) {
  const env = { PATH: `${bin}:${process.env.PATH}`, HOME: cwd, ADMIN_TOKEN: 'apiv3_' + 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG9mcmVk' };
  return spawnSync('bash', ['-e', '-o', 'pipefail', '-c', body], { cwd, env, encoding: 'utf8', timeout: 60_000 });
}

describe('the commands in README.md and docs/ run as written', () => {
  const bin = binDir();
  const seeded = seed(bin);
  for (const path of markdownFiles()) {
    const blocks = blocksOf(readFileSync(join(ROOT, path), 'utf8'));
    const generated = path.startsWith(join('docs', 'commands'));
    const pageDir = generated ? '' : tempDir('docs-page');
    for (const block of blocks) {
      const role = roleOf(block);
      if (role.error) {
        test(`${path}:${block.line}: ${role.error}`, () => assert.fail(role.error));
        continue;
      }
      if (!role.run && role.file === undefined) continue;
      test(`${path}:${block.line}: ${role.run ? block.body.split('\n')[0] : `writes ${role.file}`}`, () => {
        let cwd = pageDir;
        if (generated) {
          cwd = tempDir('docs-cmd');
          cpSync(seeded, cwd, { recursive: true });
        }
        if (!role.run) {
          mkdirSync(dirname(join(cwd, role.file!)), { recursive: true });
          writeFileSync(join(cwd, role.file!), block.body);
          return;
        }
        const r = runBlock(block.body, cwd, bin);
        assert.equal(r.status, 0, `${relative(ROOT, join(ROOT, path))}:${block.line} exited ${r.status}\n${block.body}\nstderr: ${r.stderr}`);
      });
    }
  }
});

describe('the block harness', () => {
  test('finds indented blocks and their info strings', () => {
    const blocks = blocksOf('1. step\n\n   ```sh skip-test needs docker\n   docker ps\n   ```\n\n```yaml file=a.yaml\nx: 1\n```\n');
    assert.deepEqual(
      blocks.map((b) => [b.info, b.body]),
      [
        ['sh skip-test needs docker', 'docker ps\n'],
        ['yaml file=a.yaml', 'x: 1\n'],
      ],
    );
  });
  test('refuses a skip without a reason, and runs every other sh block', () => {
    assert.ok(roleOf({ info: 'sh skip-test', body: `${BIN} x`, line: 1 }).error);
    assert.deepEqual(roleOf({ info: 'sh', body: `${BIN} --version`, line: 1 }), { run: true, file: undefined });
  });
  test('a failing command fails its block', () => {
    assert.notEqual(runBlock(`${BIN} validate missing.json`, tempDir('docs-fail'), binDir()).status, 0);
  });
});
