/**
 * Output that cannot be turned against its reader (SPEC 16, issue 16): token names and
 * paths that carry terminal escapes (ANSI, OSC 52), CR, line breaks, bidi overrides and
 * shell syntax go through every human-facing output of the real CLI. Nothing reaches the
 * terminal raw, and every command line printed for the user parses (`sh -n`) and, run,
 * passes exactly the words meant.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type CliResult, freshToken, runCli, tempDir } from '../helpers';

const HOSTILE: ReadonlyArray<[string, string]> = [
  ['ANSI colour', '\x1b[31mred\x1b[0m'],
  ['OSC 52 clipboard', 'a\x1b]52;c;ZWNobyBwd25lZA==\x07b'],
  ['carriage return', 'good\rEVIL'],
  ['line break faking a row', 'x\nerror: fake'],
  ['bidi override', 'abc\u202etxt.exe'],
  ['bidi isolate', 'a\u2066b\u2069'],
  ['C1 CSI and DEL', 'a\x9b31m\x7fb'],
  ['shell syntax', 'x; touch /tmp/p #'],
  ['quotes and substitutions', `it's "$(touch /tmp/p)" \`id\``],
];

const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

function assertNothingRaw(r: CliResult, ctx: string): void {
  assert.doesNotMatch(r.stdout, RAW, `${ctx}: stdout ${JSON.stringify(r.stdout)}`);
  assert.doesNotMatch(r.stderr, RAW, `${ctx}: stderr ${JSON.stringify(r.stderr)}`);
}

/**
 * Each printed command (from its program name to the end of the line, or to the `)` that
 * closes the plan's parenthesis) must parse, and run with its program replaced by a
 * printer, must give exactly `expected` as its words.
 */
function assertCommand(text: string, program: string, expected: readonly string[], ctx: string): void {
  const at = text.indexOf(`${program} `);
  assert.ok(at >= 0, `${ctx}: no "${program}" command in ${JSON.stringify(text)}`);
  let line = text.slice(at).split('\n')[0]!;
  if (line.endsWith(')')) line = line.slice(0, -1);
  const syntax = spawnSync('sh', ['-n', '-c', line]);
  assert.equal(syntax.status, 0, `${ctx}: sh -n refused ${JSON.stringify(line)}: ${String(syntax.stderr)}`);
  const script = `printargs() { for a in "$@"; do printf '%s\\0' "$a"; done; }; ${line.replace(program, 'printargs')}`;
  const run = spawnSync('sh', ['-c', script], { encoding: 'buffer' });
  assert.equal(run.status, 0, `${ctx}: ${run.stderr.toString()}`);
  const words = run.stdout.toString('utf8').split('\0').slice(0, -1);
  // A word made by printf at run time comes back byte for byte (a line break at its very end aside).
  assert.deepEqual(words.slice(-expected.length), expected, `${ctx}: ${JSON.stringify(line)}`);
}

function permissionFile(dir: string, names: readonly string[], expired = false): string {
  const path = join(dir, 'tokens.json');
  const tokens = names.map((name) => ({ token: freshToken(), name, ...(expired && { expiry_millis: 1_000 }), permissions: ['db:metrics:read'] }));
  writeFileSync(path, `${JSON.stringify({ create_databases: ['metrics'], tokens }, null, 2)}\n`, { mode: 0o600 });
  return path;
}

/** The command line printed on the line of `text` that mentions `name`'s escaped form, for each name. */
function lineFor(text: string, needle: string): string {
  const line = text.split('\n').find((l) => l.includes(needle));
  assert.ok(line !== undefined, `no line with ${JSON.stringify(needle)} in ${JSON.stringify(text)}`);
  return line;
}

describe('hostile names through every human-facing output', () => {
  // Per name: the commands that print one name (create's "Load it with" with the name in
  // the path too, rotate's steps). Then all names at once through the commands that print
  // one line per name (show, delete, prune, apply --prune, validate, export).
  for (const [label, name] of HOSTILE) {
    test(`${label}: create (text) and rotate`, () => {
      const dir = tempDir('otk-hostile');
      const sub = join(dir, name.replace(/\//g, '_'));
      mkdirSync(sub);
      const file = join(sub, 'tokens.json');
      const created = runCli(['create', 'token', '--name', name, '--permission', 'db:metrics:read', '--create-databases', 'metrics', '--output-file', file]);
      assert.equal(created.status, 0, created.stderr);
      assertNothingRaw(created, 'create');
      assertCommand(created.stdout, 'influxdb3', ['serve', '--permission-tokens-file', file], 'create: Load it with');

      const rotated = runCli(['rotate', 'token', '--file', file, '--token-name', name]);
      assert.equal(rotated.status, 0, rotated.stderr);
      assertNothingRaw(rotated, 'rotate');
      assertCommand(rotated.stdout, 'influxdb3 delete', ['token', '--token-name', name], 'rotate: online delete');
      assertCommand(
        lineFor(rotated.stdout, 'get token'),
        'influxdb3-offline-tokens',
        ['get', 'token', '--file', file, '--token-name', `${name}-2`],
        'rotate: get token',
      );
    });
  }

  test('every name at once: show, get (missing), delete, prune, apply --prune, validate, export', () => {
    const names = HOSTILE.map(([, n]) => n);
    const dir = join(tempDir('otk-hostile'), names.join('').replace(/\//g, '_'));
    mkdirSync(dir);
    const file = permissionFile(dir, names);

    const shown = runCli(['show', 'tokens', '--file', file]);
    assert.equal(shown.status, 0, shown.stderr);
    assertNothingRaw(shown, 'show tokens');
    assert.equal(shown.stdout.split('\n').length, names.length + 2, `one header, one row each: ${JSON.stringify(shown.stdout)}`);

    const missing = runCli(['get', 'token', '--file', file, '--token-name', names.join('')]);
    assert.equal(missing.status, 1);
    assertNothingRaw(missing, 'get token (missing)');
    assert.equal(missing.stderr.split('\n').length, 2, 'one line');

    const validated = runCli(['validate', file]);
    assertNothingRaw(validated, 'validate');

    const out = join(dir, 'out');
    const exported = runCli(['export', '--file', file, '--format', 'files', '--output', out]);
    assert.equal(exported.status, 0, exported.stderr);
    assertNothingRaw(exported, 'export');
    assert.ok(existsSync(out));

    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ permissions: { file, create_databases: ['metrics'], tokens: [] } }));
    const plan = runCli(['apply', '-f', spec, '--prune', '--dry-run']);
    assert.equal(plan.status, 0, plan.stderr);
    assertNothingRaw(plan, 'apply --prune --dry-run');
    const removes = plan.stdout.split('\n').filter((l) => l.includes('influxdb3 delete'));
    assert.equal(removes.length, names.length);
    names.forEach((n, i) => assertCommand(removes[i]!, 'influxdb3 delete', ['token', '--token-name', n], `apply --prune: ${JSON.stringify(n)}`));

    const deleted = runCli(['delete', 'token', '--file', file, ...names.flatMap((n) => ['--token-name', n])]);
    assert.equal(deleted.status, 0, deleted.stderr);
    assertNothingRaw(deleted, 'delete');
    const deletes = deleted.stderr.split('\n').filter((l) => l.includes('influxdb3 delete'));
    names.forEach((n, i) => assertCommand(deletes[i]!, 'influxdb3 delete', ['token', '--token-name', n], `delete: ${JSON.stringify(n)}`));

    const old = permissionFile(tempDir('otk-hostile'), names, true);
    const pruned = runCli(['prune', '--file', old]);
    assert.equal(pruned.status, 0, pruned.stderr);
    assertNothingRaw(pruned, 'prune');
    const prunes = pruned.stderr.split('\n').filter((l) => l.includes('influxdb3 delete'));
    names.forEach((n, i) => assertCommand(prunes[i]!, 'influxdb3 delete', ['token', '--token-name', n], `prune: ${JSON.stringify(n)}`));
  });

  test('show tokens --format csv: formula cells neutralised, RFC 4180 quoting, nothing else changed', () => {
    const file = permissionFile(tempDir('otk-hostile'), ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', '\tx', 'a,"b"', 'plain']);
    const r = runCli(['show', 'tokens', '--file', file, '--format', 'csv']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\r\n');
    const cells = [`"'=HYPERLINK(""http://x"")"`, "'+1", "'-2", "'@SUM(A1)", "'\tx", '"a,""b"""', 'plain'];
    for (const cell of cells)
      assert.ok(
        lines.some((l) => l.startsWith(`${cell},`)),
        `${cell} in ${JSON.stringify(r.stdout)}`,
      );
  });
});
