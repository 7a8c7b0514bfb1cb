/**
 * Bounded input (SPEC 17, issue 16): standard input is read up to the limit of its use and
 * a stdin that never ends or never sends does not hold the command past a signal; specs
 * are limited in size, nesting depth and YAML aliases. Every refusal is exit 2, one line
 * naming the limit, fast, in little memory, never an internal error.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLI, runCli, tempDir } from '../helpers';

const TIME = '/usr/bin/time';
const HAS_TIME = existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true']).status === 0;

interface Measured {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
  /** Peak resident set in KB (GNU time), when it can be measured. */
  rssKb: number | undefined;
}

/** Runs the CLI with stdin from `stdin` (a path or 'pipe' left open and silent), measuring time and peak RSS; `signalAfterMs` sends SIGTERM. */
function measure(args: string[], stdin: string, opts: { cwd?: string; signalAfterMs?: number } = {}): Promise<Measured> {
  const input = stdin === 'pipe' ? 'pipe' : openSync(stdin, 'r');
  const argv = HAS_TIME ? [TIME, '-f', 'RSS=%M', process.execPath, CLI, ...args] : [process.execPath, CLI, ...args];
  const t0 = Date.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, stdio: [input, 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  // GNU time stays the parent: the signal goes to the CLI itself, its child.
  if (opts.signalAfterMs !== undefined) {
    setTimeout(() => {
      const pids = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.trim();
      process.kill(HAS_TIME && pids ? Number(pids.split('\n')[0]) : child.pid!, 'SIGTERM');
    }, opts.signalAfterMs);
  }
  return new Promise((res) => {
    child.on('close', (status, signal) => {
      const m = /RSS=(\d+)\s*$/.exec(stderr);
      const cleaned = stderr.replace(/(Command (exited with non-zero status \d+|terminated by signal \d+)\n)?RSS=\d+\s*$/, '');
      res({ status, signal, stderr: cleaned, ms: Date.now() - t0, rssKb: m ? Number(m[1]) : undefined });
    });
  });
}

function assertSmall(r: Measured, ctx: string): void {
  if (r.rssKb !== undefined) assert.ok(r.rssKb < 100 * 1024, `${ctx}: peak RSS ${r.rssKb} KB`);
}

/** Exit 2 (GNU time passes the status on), one line naming the limit, no internal error. */
function assertLimit(r: Measured, limit: RegExp, ctx: string): void {
  assert.equal(r.status, 2, `${ctx}: ${r.stderr}`);
  assert.equal(r.stderr.split('\n').length, 2, `${ctx}: one line: ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr, /^error: /);
  assert.match(r.stderr, limit);
}

describe('standard input past its limit: exit 2 naming the limit, within 2 s, under 100 MB', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      '--token-value-from stdin (4 KiB)',
      ['create', 'token', '--name', 'a', '--permission', 'db:*:read', '--token-value-from', 'stdin', '--output-file', 't.json'],
      /larger than 4 KiB/,
    ],
    ['--from-json - (16 MiB)', ['create', 'token', '--from-json', '-', '--output-file', 't.json'], /larger than 16 MiB/],
    ['apply -f - (16 MiB)', ['apply', '-f', '-'], /spec on standard input is larger than 16 MiB/],
  ];
  test('validate - < /dev/zero: a NUL byte is no JSON text, known at the first chunk (exit 1)', async () => {
    const r = await measure(['validate', '-'], '/dev/zero');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /NUL byte at offset 0/);
    assert.ok(r.ms < 2_000, `${r.ms} ms`);
    assertSmall(r, 'validate -');
  });
  test('validate - from a silent stdin: SIGTERM ends it at once', async () => {
    const r = await measure(['validate', '-'], 'pipe', { signalAfterMs: 300 });
    assert.ok(r.signal === 'SIGTERM' || r.status === 143 || /terminated by signal 15/.test(r.stderr), JSON.stringify(r));
    assert.ok(r.ms < 2_300, `${r.ms} ms`);
  });
  for (const [label, args, limit] of cases) {
    test(`${label} < /dev/zero`, async () => {
      const dir = tempDir();
      const r = await measure(args, '/dev/zero', { cwd: dir });
      assertLimit(r, limit, label);
      assert.ok(r.ms < 2_000, `${label}: ${r.ms} ms`);
      assertSmall(r, label);
      assert.deepEqual(readdirSync(dir), []);
    });
    test(`${label} from a stdin that stays open and silent: SIGTERM ends it at once`, async () => {
      const dir = tempDir();
      const r = await measure(args, 'pipe', { cwd: dir, signalAfterMs: 300 });
      assert.ok(
        r.signal === 'SIGTERM' || r.status === 143 || (r.status === 1 && /terminated by signal 15/.test(r.stderr)) || r.status === 128 + 15,
        `${label}: ${JSON.stringify(r)}`,
      );
      assert.ok(r.ms < 2_300, `${label}: ${r.ms} ms`);
      assertSmall(r, label);
      assert.deepEqual(readdirSync(dir), []);
    });
  }
});

describe('spec limits: exit 2 in under a second (beyond start-up), never an internal error', () => {
  const base = 'permissions:\n  file: t.json\n  tokens:\n    - name: a\n      permissions: ["db:x:read"]\n';
  const cases: Array<[string, string, RegExp]> = [
    ['16 MiB + 1 byte', `${base}#${'x'.repeat(16 * 1024 * 1024 - base.length)}\n`, /larger than 16 MiB/],
    ['depth 65 (flow)', `${base}x: ${'['.repeat(64)}${']'.repeat(64)}\n`, /nests deeper than 64 levels/],
    ['depth 65 (block)', `${base}x:\n${Array.from({ length: 64 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}1\n`, /nests deeper than 64 levels/],
    ['depth 65 (JSON)', `{"x": ${'['.repeat(64)}${']'.repeat(64)}}`, /nests deeper than 64 levels/],
    ['4 MB of nested lists', `a: ${'['.repeat(2_000_000)}${']'.repeat(2_000_000)}\n`, /nests deeper than 64 levels/],
    ['an alias', `${base}x: &a [1]\ny: *a\n`, /YAML alias/],
    // 20,000 unknown keys in one YAML mapping: repeated keys are looked for in one pass (the
    // yaml package's own check compared every pair: 6.5 s).
    ['20,000 unknown keys in YAML', `${base}${Array.from({ length: 20_000 }, (_, i) => `      k${i}: 1\n`).join('')}`, /unknown key "k0"/],
    // A misspelt key of 4 MB: no guess at it costs a table of its length (it took 17 s and 2.7 GB).
    [
      'a misspelt key of 4 MB',
      JSON.stringify({ permissions: { file: 't.json', tokens: [{ name: 'a', [`p${'e'.repeat(4_000_000)}`]: 1, permissions: ['db:x:read'] }] } }),
      /unknown key "pe{63}…"/,
    ],
    [
      'an alias bomb',
      `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n`,
      /YAML alias/,
    ],
  ];
  for (const [label, text, limit] of cases) {
    test(label, async () => {
      const dir = tempDir();
      const spec = join(dir, 'spec.yaml');
      writeFileSync(spec, text);
      // Start-up on a loaded 2-core runner is not the spec's to pay: the refusal itself must
      // take under a second on top of what `--version` takes right now.
      const startup = (await measure(['--version'], '/dev/null', { cwd: dir })).ms;
      const r = await measure(['apply', '-f', spec], '/dev/null', { cwd: dir });
      assertLimit(r, limit, label);
      assert.ok(r.ms < startup + 1_000, `${label}: ${r.ms} ms (--version: ${startup} ms)`);
      assert.deepEqual(readdirSync(dir), ['spec.yaml']);
    });
  }

  test('depth 64 is within the limit (the spec is then judged by its schema)', () => {
    const dir = tempDir();
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, `permissions:\n  file: t.json\n  tokens:\n    - name: a\n      permissions: ["db:x:read"]\nx: ${'['.repeat(63)}${']'.repeat(63)}\n`);
    const r = runCli(['apply', '-f', spec], { cwd: dir });
    assert.equal(r.status, 2);
    assert.doesNotMatch(r.stderr, /nests deeper/);
    assert.match(r.stderr, /\/x|unknown|not allowed|additional/i);
  });
});
