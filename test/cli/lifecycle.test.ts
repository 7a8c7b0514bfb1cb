/**
 * The lifecycle commands through the real CLI (SPEC 10): show tokens / list, get token,
 * delete token / revoke, rotate token, prune. Byte-exact files on both kinds (neighbouring
 * entries and unknown fields keep their bytes), every failure path leaves the directory
 * byte-identical with one line on stderr, and no token string is printed except by get token.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type CliResult, freshToken, runCli, runCliAsync, tempDir, tokensIn } from '../helpers';

const DAY = 86_400_000;
const FUTURE = Date.now() + 400 * DAY;
// Half a day off whole days, so that the words (largest two units) hold still while the tests run.
const PAST = Date.now() - 3.5 * DAY;

interface Entry {
  token: string;
  name: string;
  expiry_millis?: number;
  permissions: string[];
  [k: string]: unknown;
}

const pretty = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
const hash9 = (token: string): string => createHash('sha512').update(token).digest('hex').slice(0, 9);

/** A permission tokens file as the tool writes it, with unknown fields at both levels. */
function permissionFile(dir: string): { path: string; text: string; entries: Entry[] } {
  const entries: Entry[] = [
    { token: freshToken(), name: 'telegraf', expiry_millis: FUTURE, permissions: ['db:metrics:write'] },
    { token: freshToken(), name: 'grafana', permissions: ['db:metrics,logs:read', 'system:health:read'], description: 'dashboards' },
    { token: freshToken(), name: 'old-ci', expiry_millis: PAST, permissions: ['db:metrics:read'] },
    { token: freshToken(), name: 'app', permissions: ['db:logs:read,write'] },
  ];
  // An unknown member written compactly: it must come back verbatim, not re-indented.
  const text = pretty({ create_databases: ['metrics', 'logs'], tokens: entries, owner: 'PLACEHOLDER' }).replace(
    '"PLACEHOLDER"',
    '{"team":  ["infra", {"k": 1}]}',
  );
  const path = join(dir, 'tokens.json');
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { path, text, entries };
}

function adminFile(dir: string, extra: Record<string, unknown> = {}): { path: string; text: string; token: string } {
  const token = freshToken();
  const text = pretty({ token, name: '_admin', expiry_millis: FUTURE, ...extra });
  const path = join(dir, 'admin.json');
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { path, text, token };
}

/** The text of one entry as it sits in a canonical file, and the separator before it. */
const entryText = (e: Entry): string => pretty(e).trimEnd().replace(/\n/g, '\n    ');

/** Every entry of a directory: mode and bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    out[name] = st.isDirectory() ? 'dir' : `${(st.mode & 0o7777).toString(8)} ${readFileSync(p).toString('base64')}`;
  }
  return out;
}

function ok(r: CliResult): CliResult {
  assert.equal(r.status, 0, `status ${r.status}: ${r.stderr}`);
  return r;
}

function assertFailure(r: CliResult, status: number, mentions: (string | RegExp)[]): void {
  const ctx = JSON.stringify(r);
  assert.equal(r.status, status, ctx);
  assert.equal(r.stdout, '', ctx);
  assert.match(r.stderr, /^error: [^\n]+\n$/, `one error line: ${ctx}`);
  for (const m of mentions) assert.ok(typeof m === 'string' ? r.stderr.includes(m) : m.test(r.stderr), `${String(m)} in ${r.stderr}`);
}

const noSecrets = (r: CliResult): void => {
  assert.deepEqual(tokensIn(r.stdout), [], 'a token string on stdout');
  assert.deepEqual(tokensIn(r.stderr), [], 'a token string on stderr');
};

// ---------------------------------------------------------------------------------------

describe('show tokens', () => {
  test('json: one row per token, the hash is the first 9 hex of SHA-512, never the string; the file is untouched', () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    const before = snapshot(dir);
    const r = ok(runCli(['show', 'tokens', '--file', f.path, '--format', 'json']));
    noSecrets(r);
    assert.equal(r.stderr, '');
    const out = JSON.parse(r.stdout) as { file: string; kind: string; tokens: Array<Record<string, unknown>> };
    assert.equal(out.kind, 'permission');
    assert.deepEqual(
      out.tokens.map((t) => [t.name, t.hash, t.expiry_millis, t.expiry, t.expired, t.permissions]),
      f.entries.map((e) => [
        e.name,
        hash9(e.token),
        e.expiry_millis ?? null,
        e.expiry_millis === undefined ? null : new Date(e.expiry_millis).toISOString(),
        e.expiry_millis === PAST,
        e.permissions,
      ]),
    );
    assert.match(String(out.tokens[0]!.expires), /^in 1 year/);
    assert.equal(out.tokens[1]!.expires, 'never');
    assert.match(String(out.tokens[2]!.expires), /^expired 3 days, 12 hours ago$/);
    assert.deepEqual(snapshot(dir), before);
  });

  test('pretty: a header and one aligned line per token; list FILE and show tokens FILE print the same', () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    const r = ok(runCli(['show', 'tokens', '--file', f.path]));
    noSecrets(r);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1 + f.entries.length);
    assert.match(lines[0]!, /^NAME +HASH +EXPIRY +EXPIRED +PERMISSIONS$/);
    assert.match(lines[2]!, new RegExp(`^grafana +${hash9(f.entries[1]!.token)} +never +no +db:metrics,logs:read system:health:read$`));
    assert.match(lines[3]!, /^old-ci .* \(expired 3 days, 12 hours ago\) +yes +db:metrics:read$/);
    const col = lines[0]!.indexOf('HASH');
    for (const l of lines.slice(1)) assert.match(l.slice(col), /^[0-9a-f]{9} /);
    assert.equal(ok(runCli(['list', f.path])).stdout, r.stdout);
    assert.equal(ok(runCli(['show', 'tokens', f.path])).stdout, r.stdout);
  });

  test('csv (RFC 4180, quoted where needed) and jsonl (one object per line)', () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    const csv = ok(runCli(['list', f.path, '--format', 'csv'])).stdout;
    const rows = csv.split('\r\n');
    assert.equal(rows[0], 'name,hash,expiry_millis,expiry,expires,expired,permissions');
    assert.equal(rows[2], `grafana,${hash9(f.entries[1]!.token)},,,never,false,"db:metrics,logs:read system:health:read"`);
    assert.equal(rows.length, f.entries.length + 2); // header, rows, and the empty string after the last CRLF
    const jsonl = ok(runCli(['list', f.path, '--format', 'jsonl']))
      .stdout.trimEnd()
      .split('\n');
    assert.deepEqual(
      jsonl.map((l) => (JSON.parse(l) as { name: string }).name),
      f.entries.map((e) => e.name),
    );
  });

  test('an admin token file: one row with *:*:*', () => {
    const dir = tempDir();
    const a = adminFile(dir, { description: 'bootstrap' });
    const r = ok(runCli(['show', 'tokens', '--file', a.path, '--format', 'json']));
    noSecrets(r);
    const out = JSON.parse(r.stdout) as { kind: string; tokens: Array<Record<string, unknown>> };
    assert.equal(out.kind, 'admin');
    assert.deepEqual(
      out.tokens.map((t) => [t.name, t.hash, t.permissions]),
      [['_admin', hash9(a.token), ['*:*:*']]],
    );
  });
});

describe('get token', () => {
  test('prints the string and a newline, nothing else; --format json prints the entry with its unknown fields', () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    const before = snapshot(dir);
    const r = ok(runCli(['get', 'token', '--file', f.path, '--token-name', 'grafana']));
    assert.equal(r.stdout, `${f.entries[1]!.token}\n`);
    assert.equal(r.stderr, '');
    const j = ok(runCli(['get', 'token', '--file', f.path, '--token-name', 'grafana', '--format', 'json']));
    assert.deepEqual(JSON.parse(j.stdout), f.entries[1]);
    assert.deepEqual(snapshot(dir), before);
  });

  test('an admin file: its token by its name', () => {
    const dir = tempDir();
    const a = adminFile(dir);
    assert.equal(ok(runCli(['get', 'token', '--file', a.path, '--token-name', '_admin'])).stdout, `${a.token}\n`);
  });
});

describe('delete token', () => {
  test('removes the entries; every other byte of the file is kept, unknown fields verbatim; prints the online step', () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    const r = ok(runCli(['delete', 'token', '--file', f.path, '--token-name', 'grafana', '--token-name', 'app']));
    noSecrets(r);
    const expected = f.text.replace(`,\n    ${entryText(f.entries[1]!)}`, '').replace(`,\n    ${entryText(f.entries[3]!)}`, '');
    assert.notEqual(expected, f.text);
    assert.equal(readFileSync(f.path, 'utf8'), expected);
    assert.equal(statSync(f.path).mode & 0o777, 0o600);
    assert.equal(r.stdout, `Deleted token "grafana" from ${f.path}\nDeleted token "app" from ${f.path}\n`);
    assert.match(r.stderr, /influxdb3 delete token --token-name grafana\n/);
    assert.match(r.stderr, /influxdb3 delete token --token-name app\n/);
  });

  test('aliases revoke and revoke token; the first entry and the last one', () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    ok(runCli(['revoke', '--file', f.path, '--token-name', 'telegraf']));
    ok(runCli(['revoke', 'token', '--file', f.path, '--token-name', 'app', '--format', 'json']));
    const expected = f.text.replace(`${entryText(f.entries[0]!)},\n    `, '').replace(`,\n    ${entryText(f.entries[3]!)}`, '');
    assert.equal(readFileSync(f.path, 'utf8'), expected);
  });

  test('deleting every token leaves {"tokens": []} with the rest of the file', () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    ok(runCli(['delete', 'token', '--file', f.path, ...f.entries.flatMap((e) => ['--token-name', e.name])]));
    assert.equal(
      readFileSync(f.path, 'utf8'),
      '{\n  "create_databases": [\n    "metrics",\n    "logs"\n  ],\n  "tokens": [],\n  "owner": {"team":  ["infra", {"k": 1}]}\n}\n',
    );
  });

  test('--if-exists: an unknown name is exit 0 and the file is not rewritten', () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    const ino = statSync(f.path).ino;
    const r = ok(runCli(['delete', 'token', '--file', f.path, '--token-name', 'nope', '--if-exists', '--format', 'json']));
    assert.deepEqual(JSON.parse(r.stdout), { file: f.path, deleted: [], missing: ['nope'], written: false });
    assert.equal(statSync(f.path).ino, ino);
    assert.equal(readFileSync(f.path, 'utf8'), f.text);
  });

  test('a looser mode is written back as 0600 and said', () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    chmodSync(f.path, 0o644);
    const r = ok(runCli(['delete', 'token', '--file', f.path, '--token-name', 'app']));
    assert.equal(statSync(f.path).mode & 0o777, 0o600);
    assert.match(r.stderr, /had mode 0644; it was written back as 0600/);
  });
});

describe('rotate token', () => {
  test('a successor NAME-2 with a fresh string, the same permissions and expiry, appended; the old entry and all else kept', () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    const r = ok(runCli(['rotate', 'token', '--file', f.path, '--token-name', 'telegraf']));
    noSecrets(r);
    const after = readFileSync(f.path, 'utf8');
    const doc = JSON.parse(after) as { tokens: Entry[] };
    const successor = doc.tokens.at(-1)!;
    assert.equal(successor.name, 'telegraf-2');
    assert.deepEqual(successor, { token: successor.token, name: 'telegraf-2', expiry_millis: FUTURE, permissions: ['db:metrics:write'] });
    assert.ok(!f.entries.some((e) => e.token === successor.token));
    const expected = f.text.replace(`${entryText(f.entries[3]!)}\n  ]`, `${entryText(f.entries[3]!)},\n    ${entryText(successor)}\n  ]`);
    assert.equal(after, expected);
    for (const step of ['restart the server', 'get token --file', 'influxdb3 delete token --token-name telegraf', 'delete token --file'])
      assert.ok(r.stdout.includes(step), `${step}: ${r.stdout}`);
    // Rotating again takes the next free number; a successor's own successor counts from its name.
    ok(runCli(['rotate', 'token', '--file', f.path, '--token-name', 'telegraf']));
    ok(runCli(['rotate', 'token', '--file', f.path, '--token-name', 'telegraf-2']));
    const names = (JSON.parse(readFileSync(f.path, 'utf8')) as { tokens: Entry[] }).tokens.map((t) => t.name);
    assert.deepEqual(names.slice(-3), ['telegraf-2', 'telegraf-3', 'telegraf-2-2']);
  });

  test('--new-name and --expiry; --format json has no token string, only its hash', () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    const r = ok(runCli(['rotate', 'token', '--file', f.path, '--token-name', 'grafana', '--new-name', 'grafana-2026', '--expiry', '30d', '--format', 'json']));
    noSecrets(r);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    const successor = (JSON.parse(readFileSync(f.path, 'utf8')) as { tokens: Entry[] }).tokens.at(-1)!;
    assert.equal(out.name, 'grafana-2026');
    assert.equal(out.hash, hash9(successor.token));
    assert.ok(Math.abs(successor.expiry_millis! - (Date.now() + 30 * DAY)) < 60_000);
    assert.deepEqual(successor.permissions, f.entries[1]!.permissions);
  });

  test('--in-place: only the token string changes, in place; a warning says a running server keeps the old one', () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    const r = ok(runCli(['rotate', 'token', '--file', f.path, '--token-name', 'grafana', '--in-place']));
    noSecrets(r);
    const after = readFileSync(f.path, 'utf8');
    const fresh = (JSON.parse(after) as { tokens: Entry[] }).tokens[1]!.token;
    assert.notEqual(fresh, f.entries[1]!.token);
    assert.equal(after, f.text.replace(f.entries[1]!.token, fresh));
    assert.match(r.stderr, /^warning: a server that already loaded "grafana" keeps the old string/);
  });

  test('an admin file: --in-place replaces the string, unknown fields kept, the online --regenerate printed', () => {
    const dir = tempDir();
    const a = adminFile(dir, { description: 'bootstrap' });
    const r = ok(runCli(['rotate', 'token', '--file', a.path, '--token-name', '_admin', '--in-place']));
    noSecrets(r);
    const after = readFileSync(a.path, 'utf8');
    const fresh = (JSON.parse(after) as { token: string }).token;
    assert.equal(after, a.text.replace(a.token, fresh));
    assert.match(r.stderr, /influxdb3 create token --admin --regenerate/);
  });
});

describe('prune', () => {
  test('removes the expired tokens only; --dry-run lists them and changes nothing', () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    const before = snapshot(dir);
    const dry = ok(runCli(['prune', '--file', f.path, '--dry-run']));
    assert.match(dry.stdout, /^Would remove 1 expired token from .*; 3 kept:\n {2}old-ci {2}.*\(expired 3 days, 12 hours ago\)\n$/);
    assert.deepEqual(snapshot(dir), before);
    const r = ok(runCli(['prune', '--file', f.path, '--format', 'json']));
    noSecrets(r);
    assert.deepEqual(JSON.parse(r.stdout), { file: f.path, dry_run: false, removed: [{ name: 'old-ci', expiry_millis: PAST }], kept: 3, written: true });
    assert.equal(readFileSync(f.path, 'utf8'), f.text.replace(`,\n    ${entryText(f.entries[2]!)}`, ''));
    assert.match(r.stderr, /influxdb3 delete token --token-name old-ci/);
  });
});

// ---------------------------------------------------------------------------------------

describe('every failure leaves the directory byte-identical, with one line on stderr and no secret', () => {
  const cases: Array<{ label: string; args: (p: string, a: string) => string[]; status: number; mentions: (string | RegExp)[] }> = [
    { label: 'show tokens without --file', args: () => ['show', 'tokens'], status: 2, mentions: ['--file'] },
    { label: 'show tokens, missing file', args: (p) => ['show', 'tokens', '--file', `${p}.nope`], status: 1, mentions: ['does not exist'] },
    { label: 'show tokens, bad --format', args: (p) => ['show', 'tokens', '--file', p, '--format', 'yaml'], status: 2, mentions: ['--format'] },
    { label: 'show tokens, --file and FILE', args: (p) => ['show', 'tokens', p, '--file', p], status: 2, mentions: ['twice'] },
    { label: 'get token, unknown name', args: (p) => ['get', 'token', '--file', p, '--token-name', 'nope'], status: 1, mentions: ['"nope"', 'tokens.json'] },
    { label: 'get token without --token-name', args: (p) => ['get', 'token', '--file', p], status: 2, mentions: ['--token-name'] },
    {
      label: 'delete token, unknown name',
      args: (p) => ['delete', 'token', '--file', p, '--token-name', 'app', '--token-name', 'nope'],
      status: 1,
      mentions: ['"nope"'],
    },
    {
      label: 'delete token on an admin file',
      args: (_, a) => ['delete', 'token', '--file', a, '--token-name', '_admin'],
      status: 1,
      mentions: ['admin token file'],
    },
    {
      label: 'delete token, missing file',
      args: (p) => ['delete', 'token', '--file', `${p}.nope`, '--token-name', 'app'],
      status: 1,
      mentions: ['does not exist'],
    },
    {
      label: 'rotate token, a file in a missing directory: no directory, no lock made',
      args: (p) => ['rotate', 'token', '--file', join(p, '..', 'nodir', 't.json'), '--token-name', 'app'],
      status: 1,
      mentions: ['does not exist'],
    },
    { label: 'prune, a missing file', args: (p) => ['prune', '--file', `${p}.nope`], status: 1, mentions: ['does not exist'] },
    {
      label: 'delete token, bad --lock-timeout',
      args: (p) => ['delete', 'token', '--file', p, '--token-name', 'app', '--lock-timeout', 'soon'],
      status: 2,
      mentions: ['--lock-timeout'],
    },
    { label: 'rotate token, unknown name', args: (p) => ['rotate', 'token', '--file', p, '--token-name', 'nope'], status: 1, mentions: ['"nope"'] },
    {
      label: 'rotate token, --new-name taken',
      args: (p) => ['rotate', 'token', '--file', p, '--token-name', 'app', '--new-name', 'grafana'],
      status: 1,
      mentions: ['"grafana"', '--new-name'],
    },
    {
      label: 'rotate token, --in-place and --new-name',
      args: (p) => ['rotate', 'token', '--file', p, '--token-name', 'app', '--in-place', '--new-name', 'x'],
      status: 2,
      mentions: ['--in-place'],
    },
    {
      label: 'rotate token, an expired token without a new expiry',
      args: (p) => ['rotate', 'token', '--file', p, '--token-name', 'old-ci'],
      status: 1,
      mentions: ['--expiry'],
    },
    {
      label: 'rotate token, bad --expiry',
      args: (p) => ['rotate', 'token', '--file', p, '--token-name', 'app', '--expiry', '-1h'],
      status: 2,
      mentions: ['--expiry'],
    },
    {
      label: 'rotate token, admin without --in-place',
      args: (_, a) => ['rotate', 'token', '--file', a, '--token-name', '_admin'],
      status: 1,
      mentions: ['--in-place', '--regenerate'],
    },
    { label: 'prune on an admin file', args: (_, a) => ['prune', '--file', a], status: 1, mentions: ['admin token file'] },
    { label: 'prune, unknown flag', args: (p) => ['prune', '--file', p, '--force'], status: 2, mentions: ['--force'] },
  ];
  for (const c of cases) {
    test(c.label, () => {
      const dir = tempDir();
      const f = permissionFile(dir);
      const a = adminFile(dir);
      const before = snapshot(dir);
      const r = runCli(c.args(f.path, a.path));
      assertFailure(r, c.status, c.mentions);
      noSecrets(r);
      assert.deepEqual(snapshot(dir), before);
    });
  }

  test('an invalid file is refused by every command, naming the problem', () => {
    const dir = tempDir();
    const path = join(dir, 'tokens.json');
    writeFileSync(path, `{"tokens": [{"token": "${freshToken()}", "name": "a", "permissions": ["db:a:fly"]}]}`, { mode: 0o600 });
    const before = snapshot(dir);
    for (const args of [
      ['show', 'tokens', '--file', path],
      ['get', 'token', '--file', path, '--token-name', 'a'],
      ['delete', 'token', '--file', path, '--token-name', 'a'],
      ['rotate', 'token', '--file', path, '--token-name', 'a'],
      ['prune', '--file', path],
    ]) {
      const r = runCli(args);
      assertFailure(r, 1, ['/tokens/0/permissions/0', 'validate']);
      noSecrets(r);
    }
    assert.deepEqual(snapshot(dir), before);
  });

  test('the lock held by a live writer: delete, rotate and prune time out naming the lock, the file untouched', async () => {
    const dir = tempDir();
    const f = permissionFile(dir);
    const lock = `${f.path}.lock`;
    mkdirSync(lock);
    const timer = setInterval(() => utimesSync(lock, new Date(), new Date()), 50);
    try {
      const before = snapshot(dir);
      for (const args of [
        ['delete', 'token', '--file', f.path, '--token-name', 'app'],
        ['rotate', 'token', '--file', f.path, '--token-name', 'app'],
        ['prune', '--file', f.path],
      ]) {
        const r = await runCliAsync([...args, '--lock-timeout', '300ms']);
        assertFailure(r, 1, [lock]);
      }
      assert.deepEqual(snapshot(dir), before);
    } finally {
      clearInterval(timer);
    }
  });
});
