/**
 * `create token` end to end: the real binary is spawned and its stdout, stderr, exit status
 * and the exact bytes and mode of the files it leaves are checked.
 */
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type CliResult, freshToken, readJson, runCli, runCliAsync, snapshot, tempDir, tokensIn } from '../helpers';

// ---------------------------------------------------------------------------------------
// Local helpers

const TOKEN_RE = /^apiv3_[A-Za-z0-9_-]{86}$/;

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

function text(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Two-space JSON with a trailing newline: the format the tool must write. */
function pretty(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Writes a file with an exact mode (whatever the umask). */
function put(path: string, content: string, mode = 0o600): void {
  writeFileSync(path, content);
  chmodSync(path, mode);
}

interface PermDoc {
  create_databases?: string[];
  tokens: { token: string; name: string; expiry_millis?: number; permissions: string[]; [k: string]: unknown }[];
  [k: string]: unknown;
}

/** A valid permission tokens file with one token named "existing". */
function seedPermissionFile(path: string): { text: string; token: string } {
  const token = freshToken();
  const t = pretty({ create_databases: ['mydb'], tokens: [{ token, name: 'existing', permissions: ['db:mydb:read'] }] });
  put(path, t);
  return { text: t, token };
}

function seedAdminFile(path: string, extra: Record<string, unknown> = {}): { text: string; token: string } {
  const token = freshToken();
  const t = pretty({ token, name: '_admin', ...extra });
  put(path, t);
  return { text: t, token };
}

function lines(s: string): string[] {
  return s.split('\n').slice(0, -1);
}

/** A failure: the exit status, nothing on stdout, exactly one line on stderr naming `mentions`. */
function assertFailure(r: CliResult, status: 1 | 2, mentions: (string | RegExp)[]): void {
  const ctx = `stdout=${JSON.stringify(r.stdout)} stderr=${JSON.stringify(r.stderr)}`;
  assert.equal(r.status, status, ctx);
  assert.equal(r.signal, null, ctx);
  assert.equal(r.stdout, '', ctx);
  assert.ok(r.stderr.endsWith('\n'), ctx);
  assert.equal(lines(r.stderr).length, 1, `expected exactly one line on stderr: ${ctx}`);
  assert.match(r.stderr, /^error: /, ctx);
  assert.doesNotMatch(r.stderr, /internal error/, ctx);
  for (const m of mentions) {
    if (typeof m === 'string') assert.ok(r.stderr.includes(m), `stderr should mention ${JSON.stringify(m)}: ${ctx}`);
    else assert.match(r.stderr, m, ctx);
  }
  assert.deepEqual(tokensIn(r.stderr), [], 'no token string on stderr');
}

/** A success in text format: exit 0, first line names the file, no secret anywhere. */
function assertTextSuccess(r: CliResult, file: string, stderr = ''): void {
  const ctx = `stdout=${JSON.stringify(r.stdout)} stderr=${JSON.stringify(r.stderr)}`;
  assert.equal(r.status, 0, ctx);
  assert.equal(lines(r.stdout)[0], `Token saved to: ${file}`, ctx);
  assert.equal(r.stderr, stderr, ctx);
  assert.deepEqual(tokensIn(r.stdout), [], 'no token string in text output');
  assert.deepEqual(tokensIn(r.stderr), [], 'no token string on stderr');
}

function jsonOut(r: CliResult): Record<string, unknown> {
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.endsWith('\n'));
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(typeof out, 'object');
  return out;
}

const perm = (file: string, name: string, ...more: string[]): string[] => [
  'create',
  'token',
  '--permission',
  'db:*:read,write',
  '--name',
  name,
  '--output-file',
  file,
  ...more,
];

/** The notice for `db:` databases that the file's create_databases does not list (SPEC 4). */
const DB_NOTICE = (perm: string, quoted: string, file: string, list: string): string =>
  `${perm} names ${quoted}, not in create_databases of ${file}: the server refuses the token at start unless the database exists by then (add it with --create-databases ${list}).`;
/** The warning for an admin token not named _admin (SPEC 7). */
const ADMIN_NAME_NOTICE = (name: string): string =>
  `the admin token is named ${JSON.stringify(name)}, not "_admin": until a token named _admin exists, the server keeps its unauthenticated admin-token endpoint (POST /api/v3/configure/token/admin) open.`;

// ---------------------------------------------------------------------------------------

describe('create token: notices on success', () => {
  const cases: { title: string; args: string[]; seed?: boolean; stderr: string }[] = [
    {
      title: 'a db: name missing from a new file',
      args: perm('t.json', 'a').map((w) => (w === 'db:*:read,write' ? 'db:x:read' : w)),
      stderr: DB_NOTICE('db:x:read', '"x"', 't.json', 'x'),
    },
    {
      title: 'only the missing names of a list',
      args: ['create', 'token', '--permission', 'db:x,y:read', '--name', 'a', '--create-databases', 'x', '--output-file', 't.json'],
      stderr: DB_NOTICE('db:x,y:read', '"y"', 't.json', 'y'),
    },
    {
      title: 'none when the merged create_databases lists them',
      args: ['create', 'token', '--permission', 'db:x,y:read', '--name', 'a', '--create-databases', 'x', '--create-databases', 'y', '--output-file', 't.json'],
      stderr: '',
    },
    {
      title: 'none when the existing file lists it',
      seed: true,
      args: ['create', 'token', '--permission', 'db:mydb:read', '--name', 'a', '--output-file', 'tokens.json'],
      stderr: '',
    },
    {
      title: 'none for wildcards and system permissions',
      args: ['create', 'token', '--permission', 'db:*:read', '--permission', 'system:*:read', '--name', 'a', '--output-file', 't.json'],
      stderr: '',
    },
    {
      title: 'an admin token named other than _admin',
      args: ['create', 'token', '--admin', '--name', 'ops', '--output-file', 'admin.json'],
      stderr: ADMIN_NAME_NOTICE('ops'),
    },
    { title: 'none for an admin token named _admin', args: ['create', 'token', '--admin', '--name', '_admin', '--output-file', 'admin.json'], stderr: '' },
  ];
  for (const c of cases) {
    test(c.title, () => {
      const dir = tempDir();
      if (c.seed) seedPermissionFile(join(dir, 'tokens.json'));
      const r = runCli(c.args, { cwd: dir });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, c.stderr === '' ? '' : `notice: ${c.stderr}\n`);
    });
  }

  test('no notice when --if-not-exists keeps the token that is there', () => {
    const dir = tempDir();
    seedPermissionFile(join(dir, 'tokens.json'));
    const r = runCli(['create', 'token', '--permission', 'db:other:read', '--name', 'existing', '--if-not-exists', '--output-file', 'tokens.json'], {
      cwd: dir,
    });
    assert.equal(r.status, 0, r.stderr);
    // No database notice; the one line is the warning that the kept token has other permissions.
    assert.doesNotMatch(r.stderr, /^notice:/m);
    assert.match(
      r.stderr,
      /^warning: the token "existing" that --if-not-exists kept in tokens\.json is stale: it has db:mydb:read, which was not asked for, and it lacks db:other:read, which was asked for; [^\n]*\n$/,
    );
  });
});

describe('create token: a new permission tokens file', () => {
  test('exact bytes, field order, mode 0600, text output without the secret', () => {
    const dir = tempDir();
    const r = runCli(perm('tokens.json', 'app'), { cwd: dir });
    assertTextSuccess(r, 'tokens.json');
    const file = join(dir, 'tokens.json');
    const token = (readJson(file) as PermDoc).tokens[0]!.token;
    assert.match(token, TOKEN_RE);
    assert.equal(
      text(file),
      `{\n  "tokens": [\n    {\n      "token": "${token}",\n      "name": "app",\n      "permissions": [\n        "db:*:read,write"\n      ]\n    }\n  ]\n}\n`,
    );
    assert.equal(modeOf(file), 0o600);
    assert.ok(!r.stdout.includes(token));
    assert.ok(!r.stdout.includes(token.slice(6, 30)));
    assert.deepEqual(readdirSync(dir), ['tokens.json']);
  });

  test('--expiry: expiry_millis is now + whole seconds * 1000, written after name', () => {
    const dir = tempDir();
    const before = Date.now();
    const r = runCli(perm('tokens.json', 'app', '--expiry', '90s 750ms'), { cwd: dir });
    const after = Date.now();
    assertTextSuccess(r, 'tokens.json');
    const file = join(dir, 'tokens.json');
    const doc = readJson(file) as PermDoc;
    const entry = doc.tokens[0]!;
    assert.deepEqual(Object.keys(entry), ['token', 'name', 'expiry_millis', 'permissions']);
    const em = entry.expiry_millis!;
    assert.ok(Number.isInteger(em));
    assert.ok(em >= before + 90_000 && em <= after + 90_000, `${em} not in [${before + 90_000}, ${after + 90_000}]`);
    assert.equal(
      text(file),
      `{\n  "tokens": [\n    {\n      "token": "${entry.token}",\n      "name": "app",\n      "expiry_millis": ${em},\n      "permissions": [\n        "db:*:read,write"\n      ]\n    }\n  ]\n}\n`,
    );
  });

  test('--expiry with fractions and several spans (1.5h 2d)', () => {
    const dir = tempDir();
    const before = Date.now();
    const r = runCli(perm('t.json', 'app', '--expiry', '1.5h 2d', '--format', 'json'), { cwd: dir });
    const after = Date.now();
    const out = jsonOut(r);
    const ms = (1.5 * 3600 + 2 * 86400) * 1000;
    const em = out.expiry_millis as number;
    assert.ok(em >= before + ms && em <= after + ms);
    assert.equal((readJson(join(dir, 't.json')) as PermDoc).tokens[0]!.expiry_millis, em);
  });

  test('--expires-at sets expiry_millis to that instant', () => {
    const dir = tempDir();
    const r = runCli(perm('t.json', 'app', '--expires-at', '2099-06-30T12:00:00Z', '--format', 'json'), { cwd: dir });
    const out = jsonOut(r);
    assert.equal(out.expiry_millis, Date.UTC(2099, 5, 30, 12, 0, 0));
    assert.equal((readJson(join(dir, 't.json')) as PermDoc).tokens[0]!.expiry_millis, Date.UTC(2099, 5, 30, 12, 0, 0));
  });

  test('missing parent directories are created with mode 0700', () => {
    const dir = tempDir();
    const r = runCli(perm('a/b/c/tokens.json', 'app'), { cwd: dir });
    assertTextSuccess(r, 'a/b/c/tokens.json');
    for (const d of ['a', 'a/b', 'a/b/c']) assert.equal(modeOf(join(dir, d)), 0o700, d);
    assert.equal(modeOf(join(dir, 'a/b/c/tokens.json')), 0o600);
    assert.deepEqual(readdirSync(join(dir, 'a/b/c')), ['tokens.json']);
  });

  test('an absolute --output-file is echoed as given', () => {
    const dir = tempDir();
    const file = join(dir, 'abs.json');
    const r = runCli(perm(file, 'app'));
    assertTextSuccess(r, file);
    assert.match((readJson(file) as PermDoc).tokens[0]!.token, TOKEN_RE);
  });

  test('--format json: one object with token, name, expiry_millis null, permissions, output_file', () => {
    const dir = tempDir();
    const r = runCli(perm('tokens.json', 'app', '--format', 'json'), { cwd: dir });
    assert.equal(r.stderr, '');
    const out = jsonOut(r);
    const entry = (readJson(join(dir, 'tokens.json')) as PermDoc).tokens[0]!;
    assert.match(out.token as string, TOKEN_RE);
    assert.equal(out.token, entry.token);
    assert.equal(out.name, 'app');
    assert.equal(out.expiry_millis, null);
    assert.deepEqual(out.permissions, ['db:*:read,write']);
    assert.equal(out.output_file, 'tokens.json');
    // exactly one token string on stdout: the new one
    assert.deepEqual(tokensIn(r.stdout), [entry.token]);
  });

  test('--format json with --expiry gives the same expiry_millis as the file', () => {
    const dir = tempDir();
    const before = Date.now();
    const r = runCli(perm('tokens.json', 'app', '--format', 'json', '--expiry', '7d'), { cwd: dir });
    const after = Date.now();
    const out = jsonOut(r);
    const entry = (readJson(join(dir, 'tokens.json')) as PermDoc).tokens[0]!;
    assert.equal(out.expiry_millis, entry.expiry_millis);
    const em = out.expiry_millis as number;
    assert.ok(em >= before + 7 * 86_400_000 && em <= after + 7 * 86_400_000);
  });

  test('two runs mint different tokens', () => {
    const dir = tempDir();
    const a = jsonOut(runCli(perm('t.json', 'a', '--format', 'json'), { cwd: dir }));
    const b = jsonOut(runCli(perm('t.json', 'b', '--format', 'json'), { cwd: dir }));
    assert.notEqual(a.token, b.token);
    assert.deepEqual(
      (readJson(join(dir, 't.json')) as PermDoc).tokens.map((t) => t.token),
      [a.token, b.token],
    );
  });
});

describe('create token: permissions', () => {
  test('repeated --permission keeps each string, in order', () => {
    const dir = tempDir();
    const r = runCli(
      [
        'create',
        'token',
        '--permission',
        'db:*:read',
        '--permission',
        'system:health,ping:read',
        '--permission',
        'db:a:write',
        '--name',
        'multi',
        '--create-databases',
        'a',
        '--output-file',
        't.json',
      ],
      { cwd: dir },
    );
    assertTextSuccess(r, 't.json');
    assert.deepEqual((readJson(join(dir, 't.json')) as PermDoc).tokens[0]!.permissions, ['db:*:read', 'system:health,ping:read', 'db:a:write']);
  });

  test("the documentation's positional form: a bare --permission followed by the strings", () => {
    const dir = tempDir();
    const r = runCli(['create', 'token', '--output-file', 't.json', '--permission', '--name', 'X', 'db:a,b:read,write'], { cwd: dir });
    assertTextSuccess(r, 't.json', `notice: ${DB_NOTICE('db:a,b:read,write', '"a", "b"', 't.json', 'a,b')}\n`);
    const entry = (readJson(join(dir, 't.json')) as PermDoc).tokens[0]!;
    assert.equal(entry.name, 'X');
    assert.deepEqual(entry.permissions, ['db:a,b:read,write']);
  });

  test('positional form with several strings', () => {
    const dir = tempDir();
    const r = runCli(
      [
        'create',
        'token',
        '--permission',
        '--name',
        'X',
        'db:a,b:read,write',
        'system:health:read',
        '--offline',
        '--create-databases',
        'b,a',
        '--output-file',
        't.json',
      ],
      {
        cwd: dir,
      },
    );
    assertTextSuccess(r, 't.json');
    assert.deepEqual((readJson(join(dir, 't.json')) as PermDoc).tokens[0]!.permissions, ['db:a,b:read,write', 'system:health:read']);
  });

  test("normalisation: duplicates removed, actions in the server's order", () => {
    const dir = tempDir();
    const r = runCli(
      [
        'create',
        'token',
        '--permission',
        'db:a,a:write,read',
        '--permission',
        'db:b:delete,create,read,describe,write,read',
        '--permission',
        'system:ping,health,ping:read',
        '--name',
        'n',
        '--output-file',
        't.json',
        '--format',
        'json',
      ],
      { cwd: dir },
    );
    const out = jsonOut(r);
    const expected = ['db:a:read,write', 'db:b:create,describe,read,write,delete', 'system:ping,health:read'];
    assert.deepEqual((readJson(join(dir, 't.json')) as PermDoc).tokens[0]!.permissions, expected);
    assert.deepEqual(out.permissions, expected);
  });

  test('--offline is accepted silently', () => {
    const dir = tempDir();
    const r = runCli(perm('t.json', 'app', '--offline'), { cwd: dir });
    assertTextSuccess(r, 't.json', '');
  });
});

describe('create token: --create-databases', () => {
  test('repeated comma lists are merged in order without repeats; create_databases comes first', () => {
    const dir = tempDir();
    const r = runCli(perm('t.json', 'app', '--create-databases', 'a,b', '--create-databases', 'b,c,a', '--create-databases', 'd'), { cwd: dir });
    assertTextSuccess(r, 't.json');
    const file = join(dir, 't.json');
    const doc = readJson(file) as PermDoc;
    assert.deepEqual(Object.keys(doc), ['create_databases', 'tokens']);
    assert.deepEqual(doc.create_databases, ['a', 'b', 'c', 'd']);
    assert.equal(text(file), pretty({ create_databases: ['a', 'b', 'c', 'd'], tokens: doc.tokens }));
  });

  test('names already in the file are not repeated; new ones go last', () => {
    const dir = tempDir();
    const file = join(dir, 't.json');
    const { text: original } = seedPermissionFile(file); // create_databases: ["mydb"]
    const r = runCli(perm('t.json', 'app', '--create-databases', 'x,mydb', '--create-databases', 'y/rp'), { cwd: dir });
    assertTextSuccess(r, 't.json');
    const doc = readJson(file) as PermDoc;
    assert.deepEqual(doc.create_databases, ['mydb', 'x', 'y/rp']);
    const orig = JSON.parse(original) as PermDoc;
    assert.equal(text(file), pretty({ create_databases: ['mydb', 'x', 'y/rp'], tokens: [...orig.tokens, doc.tokens[1]] }));
  });

  test('a file without create_databases gets it as its first field; the rest keeps its place', () => {
    const dir = tempDir();
    const file = join(dir, 't.json');
    const token = freshToken();
    put(file, pretty({ tokens: [{ token, name: 'old', permissions: ['db:x:read'] }], note: 'keep me' }));
    const r = runCli(perm('t.json', 'app', '--create-databases', 'x'), { cwd: dir });
    assertTextSuccess(r, 't.json');
    const doc = readJson(file) as PermDoc;
    assert.deepEqual(Object.keys(doc), ['create_databases', 'tokens', 'note']);
    assert.equal(text(file), pretty({ create_databases: ['x'], tokens: [{ token, name: 'old', permissions: ['db:x:read'] }, doc.tokens[1]], note: 'keep me' }));
  });
});

describe('create token: appending', () => {
  test('earlier tokens and unknown fields stay byte-for-byte; only the new entry (and database) is added', () => {
    const dir = tempDir();
    const file = join(dir, 'tokens.json');
    const a = freshToken();
    const b = freshToken();
    const original = `{
  "comment": "managed by ansible",
  "create_databases": [
    "metrics",
    "logs"
  ],
  "tokens": [
    {
      "token": "${a}",
      "name": "telegraf",
      "expiry_millis": 4102444800000,
      "permissions": [
        "db:metrics:write"
      ],
      "owner": "team-\u00e4 \u2603",
      "labels": {
        "env": "prod",
        "tier": null
      }
    },
    {
      "token": "${b}",
      "name": "grafana",
      "permissions": [
        "db:metrics,logs:read"
      ],
      "rotated": false
    }
  ],
  "x-trailer": [
    1,
    2.5,
    {
      "nested": true
    }
  ]
}
`;
    put(file, original);
    const r = runCli(
      [
        'create',
        'token',
        '--permission',
        'db:logs:write',
        '--name',
        'app',
        '--output-file',
        'tokens.json',
        '--create-databases',
        'logs,audit',
        '--format',
        'json',
      ],
      { cwd: dir },
    );
    const out = jsonOut(r);
    assert.equal(r.stderr, '');
    const tok = out.token as string;
    assert.match(tok, TOKEN_RE);
    const step1 = original.replace('    "logs"\n  ],', '    "logs",\n    "audit"\n  ],');
    assert.notEqual(step1, original);
    const expected = step1.replace(
      '      "rotated": false\n    }\n  ],',
      `      "rotated": false\n    },\n    {\n      "token": "${tok}",\n      "name": "app",\n      "permissions": [\n        "db:logs:write"\n      ]\n    }\n  ],`,
    );
    assert.notEqual(expected, step1);
    assert.equal(text(file), expected);
    assert.equal(modeOf(file), 0o600);
    assert.deepEqual(readdirSync(dir), ['tokens.json']);
  });

  test('a compact (non-pretty) file is rewritten pretty with nothing lost; unknown values verbatim (SPEC 8.1)', () => {
    const dir = tempDir();
    const file = join(dir, 't.json');
    const a = freshToken();
    put(file, `{"tokens":[{"token":"${a}","name":"old","permissions":["db:x:read"],"meta":{"k":[1,2]}}],"z":"last"}`);
    const out = jsonOut(runCli(perm('t.json', 'app', '--format', 'json'), { cwd: dir }));
    assert.equal(
      text(file),
      pretty({
        tokens: [
          { token: a, name: 'old', permissions: ['db:x:read'], meta: 'META' },
          { token: out.token, name: 'app', permissions: ['db:*:read,write'] },
        ],
        z: 'last',
      }).replace('"META"', '{"k":[1,2]}'),
    );
  });

  test('an empty tokens list ({"tokens": []}) is appended to', () => {
    const dir = tempDir();
    const file = join(dir, 't.json');
    put(file, '{"tokens": []}\n');
    const out = jsonOut(runCli(perm('t.json', 'app', '--format', 'json'), { cwd: dir }));
    assert.equal(text(file), pretty({ tokens: [{ token: out.token, name: 'app', permissions: ['db:*:read,write'] }] }));
  });

  // SPEC 2.3: unknown fields are "kept as they were, in their place". JSON.parse moves
  // integer-like keys to the front of an object, so they change place on an append.
  test('regression: an unknown field with an integer-like name keeps its place', () => {
    const dir = tempDir();
    const file = join(dir, 't.json');
    const a = freshToken();
    const original = `{\n  "tokens": [\n    {\n      "token": "${a}",\n      "name": "old",\n      "permissions": [\n        "db:x:read"\n      ]\n    }\n  ],\n  "2024": "audit year"\n}\n`;
    put(file, original);
    const out = jsonOut(runCli(perm('t.json', 'app', '--format', 'json'), { cwd: dir }));
    const expected = original.replace(
      '      ]\n    }\n  ],',
      `      ]\n    },\n    {\n      "token": "${out.token as string}",\n      "name": "app",\n      "permissions": [\n        "db:*:read,write"\n      ]\n    }\n  ],`,
    );
    assert.notEqual(expected, original);
    assert.equal(text(file), expected);
  });

  // SPEC 2.3: "Nothing that was in the file is ever lost by an append." A large integer in
  // an unknown field goes through a JS number and loses its low digits.
  test('regression: an unknown integer field beyond 2^53 is kept exactly', () => {
    const dir = tempDir();
    const file = join(dir, 't.json');
    const a = freshToken();
    const original = `{\n  "tokens": [\n    {\n      "token": "${a}",\n      "name": "old",\n      "permissions": [\n        "db:x:read"\n      ],\n      "external_id": 12345678901234567890\n    }\n  ]\n}\n`;
    put(file, original);
    const r = runCli(perm('t.json', 'app'), { cwd: dir });
    assertTextSuccess(r, 't.json');
    assert.ok(text(file).includes('"external_id": 12345678901234567890'), text(file));
  });
});

describe('create token: online-only flags of the server CLI', () => {
  test('-H, --token, --tls-ca, --tls-no-verify together: one notice, the --token value never used or shown', () => {
    const dir = tempDir();
    const secret = freshToken();
    const r = runCli(
      perm('t.json', 'app', '-H', 'http://localhost:8181', '--token', secret, '--tls-ca', '/etc/ssl/ca.pem', '--tls-no-verify', '--format', 'json'),
      { cwd: dir },
    );
    const out = jsonOut(r);
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.match(r.stderr, /^notice: /);
    for (const f of ['--host', '--token', '--tls-ca', '--tls-no-verify']) assert.ok(r.stderr.includes(f), `${f} in ${r.stderr}`);
    assert.ok(!r.stderr.includes(secret));
    assert.ok(!r.stderr.includes(secret.slice(6)));
    assert.ok(!r.stdout.includes(secret));
    assert.notEqual(out.token, secret);
    const entry = (readJson(join(dir, 't.json')) as PermDoc).tokens[0]!;
    assert.equal(entry.token, out.token);
    assert.ok(!text(join(dir, 't.json')).includes(secret));
  });

  const single: [string, string[], RegExp][] = [
    ['-H', ['-H', 'http://db:8181'], /--host|-H/],
    ['--host', ['--host', 'http://db:8181'], /--host/],
    ['--token', ['--token', 'apiv3_ThisIsTheOperatorsOwnAdminTokenValue0123456789'], /--token/],
    ['--tls-ca', ['--tls-ca', '/ca.pem'], /--tls-ca/],
    ['--tls-no-verify', ['--tls-no-verify'], /--tls-no-verify/],
  ];
  for (const [label, flags, re] of single) {
    test(`${label} alone: accepted with exactly one notice line`, () => {
      const dir = tempDir();
      const r = runCli(perm('t.json', 'app', ...flags), { cwd: dir });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(lines(r.stdout)[0], 'Token saved to: t.json');
      assert.equal(lines(r.stderr).length, 1, r.stderr);
      assert.match(r.stderr, /^notice: /);
      assert.match(r.stderr, re);
      assert.deepEqual(tokensIn(r.stderr), []);
      assert.deepEqual(tokensIn(r.stdout), []);
      const entry = (readJson(join(dir, 't.json')) as PermDoc).tokens[0]!;
      assert.match(entry.token, TOKEN_RE);
      if (label === '--token') assert.notEqual(entry.token, flags[1]);
    });
  }
});

describe('create token --admin', () => {
  test('default name _admin, exact file { token, name }, no expiry_millis key, mode 0600', () => {
    const dir = tempDir();
    const r = runCli(['create', 'token', '--admin', '--output-file', 'admin.json'], { cwd: dir });
    assertTextSuccess(r, 'admin.json');
    const file = join(dir, 'admin.json');
    const doc = readJson(file) as { token: string };
    assert.match(doc.token, TOKEN_RE);
    assert.equal(text(file), `{\n  "token": "${doc.token}",\n  "name": "_admin"\n}\n`);
    assert.equal(modeOf(file), 0o600);
    assert.ok(!r.stdout.includes(doc.token));
  });

  test('--name and --expiry: { token, name, expiry_millis }', () => {
    const dir = tempDir();
    const before = Date.now();
    const r = runCli(['create', 'token', '--admin', '--name', 'root', '--expiry', '1y', '--output-file', 'admin.json', '--offline'], { cwd: dir });
    const after = Date.now();
    assertTextSuccess(r, 'admin.json', `notice: ${ADMIN_NAME_NOTICE('root')}\n`);
    const file = join(dir, 'admin.json');
    const doc = readJson(file) as { token: string; expiry_millis: number };
    const y = 31_557_600_000;
    assert.ok(doc.expiry_millis >= before + y && doc.expiry_millis <= after + y);
    assert.equal(text(file), `{\n  "token": "${doc.token}",\n  "name": "root",\n  "expiry_millis": ${doc.expiry_millis}\n}\n`);
  });

  test('--format json: token, name, expiry_millis null, no permissions, output_file', () => {
    const dir = tempDir();
    const r = runCli(['create', 'token', '--admin', '--output-file', 'admin.json', '--format', 'json'], { cwd: dir });
    const out = jsonOut(r);
    assert.equal(r.stderr, '');
    const doc = readJson(join(dir, 'admin.json')) as { token: string };
    assert.equal(out.token, doc.token);
    assert.equal(out.name, '_admin');
    assert.equal(out.expiry_millis, null);
    assert.ok(!('permissions' in out));
    assert.equal(out.output_file, 'admin.json');
  });

  test('an existing admin file is refused without --force, and left byte-identical', () => {
    const dir = tempDir();
    seedAdminFile(join(dir, 'admin.json'), { description: 'bootstrap' });
    const before = snapshot(dir);
    const r = runCli(['create', 'token', '--admin', '--output-file', 'admin.json'], { cwd: dir });
    assertFailure(r, 1, ['admin.json', '--force']);
    assert.deepEqual(snapshot(dir), before);
  });

  test('--force replaces the token and keeps unknown fields in place', () => {
    const dir = tempDir();
    const file = join(dir, 'admin.json');
    const { text: original, token: old } = seedAdminFile(file, { description: 'bootstrap admin for CI', owner: { team: 'ops' } });
    const r = runCli(['create', 'token', '--admin', '--force', '--output-file', 'admin.json', '--format', 'json'], { cwd: dir });
    const out = jsonOut(r);
    assert.notEqual(out.token, old);
    assert.match(out.token as string, TOKEN_RE);
    assert.equal(text(file), original.replace(old, out.token as string));
    assert.equal(
      text(file),
      `{\n  "token": "${out.token as string}",\n  "name": "_admin",\n  "description": "bootstrap admin for CI",\n  "owner": {\n    "team": "ops"\n  }\n}\n`,
    );
    assert.equal(modeOf(file), 0o600);
  });

  test('--force --expiry on a file without expiry puts expiry_millis after name', () => {
    const dir = tempDir();
    const file = join(dir, 'admin.json');
    seedAdminFile(file, { description: 'd' });
    const out = jsonOut(runCli(['create', 'token', '--admin', '--force', '--expiry', '30d', '--output-file', 'admin.json', '--format', 'json'], { cwd: dir }));
    assert.equal(
      text(file),
      `{\n  "token": "${out.token as string}",\n  "name": "_admin",\n  "expiry_millis": ${out.expiry_millis as number},\n  "description": "d"\n}\n`,
    );
  });

  test('--if-not-exists keeps an existing admin file (exit 0) and reports its token in JSON', () => {
    const dir = tempDir();
    const { token } = seedAdminFile(join(dir, 'admin.json'));
    const before = snapshot(dir);
    const r = runCli(['create', 'token', '--admin', '--if-not-exists', '--output-file', 'admin.json', '--format', 'json'], { cwd: dir });
    const out = jsonOut(r);
    assert.equal(out.token, token);
    assert.deepEqual(snapshot(dir), before);
    const t = runCli(['create', 'token', '--admin', '--if-not-exists', '--output-file', 'admin.json'], { cwd: dir });
    assert.equal(t.status, 0, t.stderr);
    assert.deepEqual(tokensIn(t.stdout), []);
    assert.deepEqual(snapshot(dir), before);
  });

  for (const [label, extra] of [
    ['--permission', ['--permission', 'db:a:read']],
    ['--create-databases', ['--create-databases', 'a']],
  ] as const) {
    test(`--admin with ${label} is a usage error`, () => {
      const dir = tempDir();
      seedAdminFile(join(dir, 'admin.json'));
      const before = snapshot(dir);
      const r = runCli(['create', 'token', '--admin', ...extra, '--output-file', 'admin.json'], { cwd: dir });
      assertFailure(r, 2, ['--admin', label]);
      assert.deepEqual(snapshot(dir), before);
      const r2 = runCli(['create', 'token', '--admin', ...extra, '--output-file', 'new.json'], { cwd: dir });
      assertFailure(r2, 2, ['--admin', label]);
      assert.deepEqual(snapshot(dir), before);
    });
  }
});

describe('create token --if-not-exists on a permission tokens file', () => {
  test('an existing name is kept, exit 0, file unchanged, JSON gives the existing token', () => {
    const dir = tempDir();
    const { token } = seedPermissionFile(join(dir, 't.json'));
    const before = snapshot(dir);
    const r = runCli(
      ['create', 'token', '--permission', 'db:other:write', '--name', 'existing', '--if-not-exists', '--output-file', 't.json', '--format', 'json'],
      { cwd: dir },
    );
    const out = jsonOut(r);
    assert.equal(out.token, token);
    assert.equal(out.name, 'existing');
    assert.deepEqual(out.permissions, ['db:mydb:read']);
    assert.deepEqual(snapshot(dir), before);
  });

  test('text output: exit 0, no secret, file unchanged', () => {
    const dir = tempDir();
    seedPermissionFile(join(dir, 't.json'));
    const before = snapshot(dir);
    const r = runCli(['create', 'token', '--permission', 'db:mydb:read', '--name', 'existing', '--if-not-exists', '--output-file', 't.json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(tokensIn(r.stdout), []);
    assert.deepEqual(snapshot(dir), before);
  });

  test('a new name is appended as usual', () => {
    const dir = tempDir();
    seedPermissionFile(join(dir, 't.json'));
    const out = jsonOut(runCli(perm('t.json', 'fresh', '--if-not-exists', '--format', 'json'), { cwd: dir }));
    const doc = readJson(join(dir, 't.json')) as PermDoc;
    assert.deepEqual(
      doc.tokens.map((t) => t.name),
      ['existing', 'fresh'],
    );
    assert.equal(doc.tokens[1]!.token, out.token);
  });
});

describe('create token: symbolic links', () => {
  test('output path is a symlink: the target is updated, the link stays a link', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    const target = join(dir, 'real', 'tokens.json');
    const { text: original } = seedPermissionFile(target);
    symlinkSync('real/tokens.json', join(dir, 'link.json'));
    const r = runCli(perm('link.json', 'app', '--format', 'json'), { cwd: dir });
    const out = jsonOut(r);
    const link = lstatSync(join(dir, 'link.json'));
    assert.ok(link.isSymbolicLink());
    assert.equal(readlinkSync(join(dir, 'link.json')), 'real/tokens.json');
    const orig = JSON.parse(original) as PermDoc;
    assert.equal(text(target), pretty({ ...orig, tokens: [...orig.tokens, { token: out.token, name: 'app', permissions: ['db:*:read,write'] }] }));
    assert.equal(modeOf(target), 0o600);
    assert.deepEqual(readdirSync(dir).sort(), ['link.json', 'real']);
    assert.deepEqual(readdirSync(join(dir, 'real')), ['tokens.json']);
  });

  test('a chain of two links is followed to the file', () => {
    const dir = tempDir();
    const target = join(dir, 'tokens.json');
    seedPermissionFile(target);
    symlinkSync('tokens.json', join(dir, 'l1'));
    symlinkSync(join(dir, 'l1'), join(dir, 'l2'));
    const r = runCli(perm('l2', 'app'), { cwd: dir });
    assertTextSuccess(r, 'l2');
    assert.deepEqual(
      (readJson(target) as PermDoc).tokens.map((t) => t.name),
      ['existing', 'app'],
    );
    assert.ok(lstatSync(join(dir, 'l1')).isSymbolicLink());
    assert.ok(lstatSync(join(dir, 'l2')).isSymbolicLink());
  });

  test('a dangling symlink: its target is created, the link stays', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync('real/new.json', join(dir, 'link.json'));
    const r = runCli(perm('link.json', 'app', '--format', 'json'), { cwd: dir });
    const out = jsonOut(r);
    assert.ok(lstatSync(join(dir, 'link.json')).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, 'link.json')), 'real/new.json');
    const target = join(dir, 'real', 'new.json');
    assert.equal(text(target), pretty({ tokens: [{ token: out.token, name: 'app', permissions: ['db:*:read,write'] }] }));
    assert.equal(modeOf(target), 0o600);
  });

  test('an admin file behind a symlink, --force: the target is replaced, the link stays', () => {
    const dir = tempDir();
    const target = join(dir, 'admin-real.json');
    seedAdminFile(target);
    symlinkSync('admin-real.json', join(dir, 'admin.json'));
    const out = jsonOut(runCli(['create', 'token', '--admin', '--force', '--output-file', 'admin.json', '--format', 'json'], { cwd: dir }));
    assert.ok(lstatSync(join(dir, 'admin.json')).isSymbolicLink());
    assert.equal(text(target), pretty({ token: out.token, name: '_admin' }));
  });
});

describe('create token: file modes', () => {
  test('an existing 0644 file is written back 0600 with one notice naming the mode', () => {
    const dir = tempDir();
    const file = join(dir, 't.json');
    seedPermissionFile(file);
    chmodSync(file, 0o644);
    const r = runCli(perm('t.json', 'app'), { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(lines(r.stdout)[0], 'Token saved to: t.json');
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.ok(r.stderr.includes('0644'), r.stderr);
    assert.ok(r.stderr.includes('t.json'), r.stderr);
    assert.ok(r.stderr.includes('0600'), r.stderr);
    assert.equal(modeOf(file), 0o600);
    assert.deepEqual(
      (readJson(file) as PermDoc).tokens.map((t) => t.name),
      ['existing', 'app'],
    );
  });

  test('an existing admin file with mode 0640 is written back 0600 by --force, with a notice', () => {
    const dir = tempDir();
    const file = join(dir, 'admin.json');
    seedAdminFile(file);
    chmodSync(file, 0o640);
    const r = runCli(['create', 'token', '--admin', '--force', '--output-file', 'admin.json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.ok(r.stderr.includes('0640'), r.stderr);
    assert.equal(modeOf(file), 0o600);
  });

  test('an existing 0400 file keeps 0400, no notice', () => {
    const dir = tempDir();
    const file = join(dir, 't.json');
    seedPermissionFile(file);
    chmodSync(file, 0o400);
    const r = runCli(perm('t.json', 'app'), { cwd: dir });
    assertTextSuccess(r, 't.json', '');
    assert.equal(modeOf(file), 0o400);
    assert.deepEqual(
      (readJson(file) as PermDoc).tokens.map((t) => t.name),
      ['existing', 'app'],
    );
  });

  test('an existing 0600 file keeps 0600, no notice', () => {
    const dir = tempDir();
    const file = join(dir, 't.json');
    seedPermissionFile(file);
    const r = runCli(perm('t.json', 'app'), { cwd: dir });
    assertTextSuccess(r, 't.json', '');
    assert.equal(modeOf(file), 0o600);
  });
});

// ---------------------------------------------------------------------------------------
// Failures: exit status, one line on stderr naming the problem, nothing changed.

interface FailCase {
  title: string;
  args: string[];
  status: 1 | 2;
  mentions: (string | RegExp)[];
  /** Prepares the temp dir (a valid tokens.json with one token is always there first). */
  setup?: (dir: string) => void;
}

const base = (...more: string[]): string[] => ['create', 'token', '--name', 'app', '--output-file', 'tokens.json', ...more];
const withPerm = (...more: string[]): string[] => base('--permission', 'db:mydb:read', ...more);

const failCases: FailCase[] = [
  { title: 'unknown flag', args: withPerm('--bogus'), status: 2, mentions: ['bogus'] },
  { title: 'unknown flag with a value', args: withPerm('--databse', 'x'), status: 2, mentions: ['databse'] },
  { title: 'missing --output-file', args: ['create', 'token', '--permission', 'db:a:read', '--name', 'app'], status: 2, mentions: ['--output-file'] },
  { title: '--admin without --output-file', args: ['create', 'token', '--admin'], status: 2, mentions: ['--output-file'] },
  { title: 'missing --name', args: ['create', 'token', '--permission', 'db:a:read', '--output-file', 'tokens.json'], status: 2, mentions: ['--name'] },
  {
    title: 'empty --name',
    args: ['create', 'token', '--permission', 'db:a:read', '--name', '', '--output-file', 'tokens.json'],
    status: 2,
    mentions: ['--name'],
  },
  { title: 'no permission', args: base(), status: 2, mentions: [/permission/] },
  { title: 'bare --permission and no positional', args: base('--permission'), status: 2, mentions: [/permission/] },
  { title: 'missing subcommand', args: ['create'], status: 2, mentions: [/token/] },
  { title: 'unknown command', args: ['delete', 'token'], status: 2, mentions: [/delete/i] },
  { title: '--format yaml', args: withPerm('--format', 'yaml'), status: 2, mentions: ['yaml'] },
  {
    title: '--expiry and --expires-at together',
    args: withPerm('--expiry', '1d', '--expires-at', '2099-01-01T00:00:00Z'),
    status: 2,
    mentions: ['--expiry', '--expires-at'],
  },
  { title: '--force without --admin', args: withPerm('--force'), status: 2, mentions: ['--force'] },
  {
    title: '--admin --force --if-not-exists',
    args: ['create', 'token', '--admin', '--force', '--if-not-exists', '--output-file', 'admin.json'],
    status: 2,
    mentions: ['--force', '--if-not-exists'],
  },
  { title: 'bad --lock-timeout', args: withPerm('--lock-timeout', 'soon'), status: 2, mentions: ['--lock-timeout'] },
];

const badPermissions: [string, RegExp][] = [
  ['db:a', /3/],
  ['db:a:read:x', /3/],
  ['', /permission/],
  ['db::read', /empty/],
  ['db:a:', /empty/],
  [':a:read', /empty/],
  ['foo:a:read', /"foo"/],
  ['db:a:fly', /"fly"/],
  ['db:a:read,,write', /empty/],
  ['db:*,a:read', /mixed wildcard \(\*\) and resource name/],
  ['db:a:*', /"\*"/],
  ['system:disk:read', /"disk"/],
  ['system:health:write', /"write"/],
  ['system:health,*:read', /mixed wildcard/],
  ['*:*:read', /\*:\*/],
  ['*:a:*', /\*:\*/],
  ['db:a,,b:read', /empty/],
  ['db:-a:read', /"-a"/],
  ['db:a b:read', /"a b"/],
  ['DB:a:read', /"DB"/],
  ['db:a:READ', /"READ"/],
];
for (const [p, why] of badPermissions) {
  const mentions = p === '' ? [why] : [`--permission ${JSON.stringify(p)}`, why];
  failCases.push({ title: `bad permission ${JSON.stringify(p)}`, args: base('--permission', p), status: 2, mentions });
}
failCases.push({
  title: 'bad permission in the positional form',
  args: base('--permission', 'db:a:read', 'db:x:fly'),
  status: 2,
  mentions: ['db:x:fly', /"fly"/],
});
failCases.push({
  title: 'one bad among good permissions',
  args: base('--permission', 'db:a:read', '--permission', 'sys:health:read'),
  status: 2,
  mentions: ['sys:health:read'],
});

for (const e of ['3x', '', '1.1M', '1', 'h', '1e3s', '1.5ns', '1h-', '1,5h', '+1s', '1S', 'one day', '1.5.1s', '2 weeks later']) {
  failCases.push({ title: `bad --expiry ${JSON.stringify(e)}`, args: withPerm(`--expiry=${e}`), status: 2, mentions: ['--expiry', JSON.stringify(e)] });
}
failCases.push({ title: 'bad --expiry "-1s"', args: withPerm('--expiry=-1s'), status: 2, mentions: ['--expiry', '"-1s"'] });
for (const e of ['500ms', '0', '999ms', '999999999ns', '0s 0m']) {
  failCases.push({ title: `sub-second --expiry ${JSON.stringify(e)}`, args: withPerm('--expiry', e), status: 2, mentions: ['--expiry', /second/] });
}
failCases.push({
  title: 'sub-second --expiry for --admin',
  args: ['create', 'token', '--admin', '--expiry', '10ms', '--output-file', 'admin.json'],
  status: 2,
  mentions: ['--expiry'],
});
for (const e of ['300000y', '99999999999999999999999s', '600000000000y', '18446744073709551615s 1s', '1000000000000000w']) {
  failCases.push({ title: `overflowing --expiry ${JSON.stringify(e)}`, args: withPerm('--expiry', e), status: 2, mentions: ['--expiry'] });
}
for (const at of ['2000-01-01T00:00:00Z', '1970-01-01T00:00:00+00:00']) {
  failCases.push({ title: `--expires-at in the past ${at}`, args: withPerm('--expires-at', at), status: 2, mentions: ['--expires-at', 'past'] });
}
for (const at of ['notadate', '2030-02-30T00:00:00Z', '2030-01-01', '2030-01-01T25:00:00Z']) {
  failCases.push({ title: `bad --expires-at ${at}`, args: withPerm('--expires-at', at), status: 2, mentions: ['--expires-at'] });
}
for (const [list, db] of [
  ['a,b c', 'b c'],
  ['a,,b', ''],
  ['-x', '-x'],
  ['_x', '_x'],
  ['caf\u00e9', 'caf\u00e9'],
  ['a/b/c', 'a/b/c'],
  ['a/', 'a/'],
  ['a.b', 'a.b'],
  ['x'.repeat(512), 'x'.repeat(512)],
]) {
  failCases.push({
    title: `bad database name in --create-databases ${JSON.stringify(list!.slice(0, 20))}`,
    args: withPerm('--create-databases', 'ok', `--create-databases=${list!}`),
    status: 2,
    mentions: ['--create-databases', JSON.stringify(db)],
  });
}

// File-level failures (exit 1).
const secretA = freshToken();
const secretB = freshToken();
failCases.push(
  {
    title: 'existing file is not JSON (trailing comma)',
    setup: (dir) =>
      put(
        join(dir, 'tokens.json'),
        `{\n  "tokens": [\n    {\n      "token": "${secretA}",\n      "name": "a",\n      "permissions": ["db:a:read"],\n    }\n  ]\n}\n`,
      ),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json', /JSON/, 'line 7, column 5'],
  },
  {
    title: 'existing file is not JSON (missing comma right after a token)',
    setup: (dir) => put(join(dir, 'tokens.json'), `{"tokens": [{"token": "${secretA}" "name": "a", "permissions": ["db:a:read"]}]}`),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json', /JSON/, `line 1, column ${`{"tokens": [{"token": "${secretA}" `.length + 1}`],
  },
  {
    title: 'existing file is not JSON (unterminated token string)',
    setup: (dir) => put(join(dir, 'tokens.json'), `{"tokens": [{"token": "${secretA}`),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json', /JSON/],
  },
  {
    title: 'existing file is not JSON (unquoted key after a token, on line 2)',
    setup: (dir) => put(join(dir, 'tokens.json'), `{"tokens": [{"token": "${secretA}",\n name: "a"}]}`),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json', 'line 2, column 2'],
  },
  {
    title: 'existing admin file is not JSON',
    setup: (dir) => put(join(dir, 'admin.json'), `{"token": "${secretB}", "name": _admin}`),
    args: ['create', 'token', '--admin', '--force', '--output-file', 'admin.json'],
    status: 1,
    mentions: ['admin.json', /JSON/, `line 1, column ${`{"token": "${secretB}", "name": `.length + 1}`],
  },
  {
    title: 'existing file is empty',
    setup: (dir) => put(join(dir, 'tokens.json'), ''),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json', /JSON/],
  },
  {
    title: 'existing file is not UTF-8',
    setup: (dir) => {
      writeFileSync(join(dir, 'tokens.json'), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
      chmodSync(join(dir, 'tokens.json'), 0o600);
    },
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json'],
  },
  {
    title: 'existing file fails the schema (empty permissions)',
    setup: (dir) => put(join(dir, 'tokens.json'), pretty({ tokens: [{ token: secretA, name: 'a', permissions: [] }] })),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json', '/tokens/0/permissions'],
  },
  {
    title: 'existing file fails the schema (entry without name)',
    setup: (dir) => put(join(dir, 'tokens.json'), pretty({ tokens: [{ token: secretA, permissions: ['db:a:read'] }] })),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json', '/tokens/0/name'],
  },
  {
    title: 'existing file fails the schema (tokens not an array)',
    setup: (dir) => put(join(dir, 'tokens.json'), pretty({ tokens: { a: 1 } })),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json', '/tokens'],
  },
  {
    title: 'existing file fails the schema (float expiry_millis)',
    setup: (dir) => put(join(dir, 'tokens.json'), pretty({ tokens: [{ token: secretA, name: 'a', expiry_millis: 1.5, permissions: ['db:a:read'] }] })),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json', '/tokens/0/expiry_millis'],
  },
  {
    title: 'existing file has a bad permission string',
    setup: (dir) => put(join(dir, 'tokens.json'), pretty({ tokens: [{ token: secretA, name: 'a', permissions: ['db:a:fly'] }] })),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json', '/tokens/0/permissions/0'],
  },
  {
    title: 'existing file has duplicate names',
    setup: (dir) =>
      put(
        join(dir, 'tokens.json'),
        pretty({
          tokens: [
            { token: secretA, name: 'a', permissions: ['db:a:read'] },
            { token: secretB, name: 'a', permissions: ['db:a:read'] },
          ],
        }),
      ),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json', '/tokens/1/name'],
  },
  {
    title: 'existing file has a bad database name',
    setup: (dir) => put(join(dir, 'tokens.json'), pretty({ create_databases: ['ok', 'no way'], tokens: [] })),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json', '/create_databases/1'],
  },
  {
    title: 'existing file is the JSON literal null',
    setup: (dir) => put(join(dir, 'tokens.json'), 'null\n'),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json'],
  },
  {
    title: 'existing file is a JSON array',
    setup: (dir) => put(join(dir, 'tokens.json'), '[]\n'),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json'],
  },
  {
    title: 'existing file is an admin token file (permission token requested)',
    setup: (dir) => seedAdminFile(join(dir, 'tokens.json')),
    args: withPerm(),
    status: 1,
    mentions: ['tokens.json', /admin/],
  },
  {
    title: 'existing file is a permission tokens file (--admin requested)',
    setup: (dir) => seedPermissionFile(join(dir, 'admin.json')),
    args: ['create', 'token', '--admin', '--output-file', 'admin.json'],
    status: 1,
    mentions: ['admin.json', /permission tokens file/],
  },
  {
    title: 'existing file is a permission tokens file (--admin --force requested)',
    setup: (dir) => seedPermissionFile(join(dir, 'admin.json')),
    args: ['create', 'token', '--admin', '--force', '--output-file', 'admin.json'],
    status: 1,
    mentions: ['admin.json', /permission tokens file/],
  },
  {
    title: 'existing admin file without --force',
    setup: (dir) => seedAdminFile(join(dir, 'admin.json')),
    args: ['create', 'token', '--admin', '--name', 'other', '--output-file', 'admin.json'],
    status: 1,
    mentions: ['admin.json', '--force'],
  },
  {
    title: 'existing admin file that is invalid (no name) with --force',
    setup: (dir) => put(join(dir, 'admin.json'), pretty({ token: secretB })),
    args: ['create', 'token', '--admin', '--force', '--output-file', 'admin.json'],
    status: 1,
    mentions: ['admin.json', '/name'],
  },
  {
    title: 'duplicate name',
    args: ['create', 'token', '--permission', 'db:mydb:write', '--name', 'existing', '--output-file', 'tokens.json'],
    status: 1,
    mentions: ['"existing"', 'tokens.json'],
  },
  {
    title: 'output path is a directory',
    setup: (dir) => mkdirSync(join(dir, 'somedir')),
    args: ['create', 'token', '--permission', 'db:a:read', '--name', 'app', '--output-file', 'somedir'],
    status: 1,
    mentions: ['somedir', /directory/],
  },
  {
    title: 'output path is a directory (--admin)',
    setup: (dir) => mkdirSync(join(dir, 'somedir')),
    args: ['create', 'token', '--admin', '--output-file', 'somedir'],
    status: 1,
    mentions: ['somedir', /directory/],
  },
  {
    title: 'a component of the output path is a file',
    args: ['create', 'token', '--permission', 'db:a:read', '--name', 'app', '--output-file', 'tokens.json/inner.json'],
    status: 1,
    mentions: ['tokens.json'],
  },
);

describe('create token: every failure leaves every file as it was', () => {
  for (const c of failCases) {
    test(`${c.title} -> exit ${c.status}`, () => {
      const dir = tempDir();
      const { token } = seedPermissionFile(join(dir, 'tokens.json'));
      c.setup?.(dir); // may replace tokens.json
      const before = snapshot(dir);
      const secrets = [token, secretA, secretB];
      const r = runCli(c.args, { cwd: dir });
      assertFailure(r, c.status, c.mentions);
      for (const s of secrets) {
        assert.ok(!r.stderr.includes(s), 'a token string leaked to stderr');
        assert.ok(!r.stderr.includes(s.slice(6, 26)), 'part of a token string leaked to stderr');
      }
      assert.deepEqual(snapshot(dir), before);
    });
  }

  /** Runs the CLI in `dir` while a live writer holds `dir/lockName` (refreshed every 50 ms). */
  async function runWhileLocked(dir: string, lockName: string, args: string[]): Promise<{ r: CliResult; before: ReturnType<typeof snapshot> }> {
    const lock = join(dir, lockName);
    mkdirSync(lock);
    const touch = (): void => {
      const t = new Date();
      utimesSync(lock, t, t);
    };
    touch();
    const before = snapshot(dir);
    const timer = setInterval(touch, 50);
    try {
      return { r: await runCliAsync(args, { cwd: dir }), before };
    } finally {
      clearInterval(timer);
    }
  }

  test('lock held by a live process: exit 1 after --lock-timeout, naming the lock path', async () => {
    const dir = tempDir();
    seedPermissionFile(join(dir, 'tokens.json'));
    const { r, before } = await runWhileLocked(dir, 'tokens.json.lock', withPerm('--lock-timeout', '300ms'));
    assertFailure(r, 1, [join(realpathSync(dir), 'tokens.json.lock')]);
    assert.deepEqual(snapshot(dir), before);
  });

  test('lock held by a live process on a file that does not exist yet: nothing is created', async () => {
    const dir = tempDir();
    const { r, before } = await runWhileLocked(dir, 'new.json.lock', ['create', 'token', '--admin', '--output-file', 'new.json', '--lock-timeout', '300ms']);
    assertFailure(r, 1, [join(realpathSync(dir), 'new.json.lock')]);
    assert.deepEqual(snapshot(dir), before);
  });

  test('a bad permission for a file in a missing directory does not create the directory', () => {
    const dir = tempDir();
    const r = runCli(['create', 'token', '--permission', 'db:a:fly', '--name', 'a', '--output-file', 'new/dir/t.json'], { cwd: dir });
    assertFailure(r, 2, ['db:a:fly']);
    assert.deepEqual(readdirSync(dir), []);
  });
});

// SPEC 6: only a result above Number.MAX_SAFE_INTEGER is refused. 280000 years from now is
// about 8.84e15 ms, below it, so the token must be written and the command must succeed.
// Today the file IS written, then the text summary calls toISOString on a date beyond
// +-8.64e15 ms and the command exits 1 with "internal error: Invalid time value".
test('regression: --expiry 280000y (below MAX_SAFE_INTEGER ms) succeeds in text format', () => {
  const dir = tempDir();
  const before = Date.now();
  const r = runCli(perm('t.json', 'app', '--expiry', '280000y'), { cwd: dir });
  const after = Date.now();
  assertTextSuccess(r, 't.json');
  const em = (readJson(join(dir, 't.json')) as PermDoc).tokens[0]!.expiry_millis!;
  const span = 280_000 * 31_557_600_000;
  assert.ok(em >= before + span && em <= after + span);
});

test('--expiry 280000y in json format succeeds with the exact expiry_millis', () => {
  const dir = tempDir();
  const before = Date.now();
  const out = jsonOut(runCli(perm('t.json', 'app', '--expiry', '280000y', '--format', 'json'), { cwd: dir }));
  const after = Date.now();
  const span = 280_000 * 31_557_600_000;
  const em = out.expiry_millis as number;
  assert.ok(em >= before + span && em <= after + span);
  assert.ok(em <= Number.MAX_SAFE_INTEGER);
});

describe('help', () => {
  test('--help exits 0 and prints usage on stdout', () => {
    const r = runCli(['--help']);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /influxdb3-offline-tokens/);
    assert.match(r.stdout, /create/);
    assert.match(r.stdout, /validate/);
  });

  test('create token --help lists the flags', () => {
    const dir = tempDir();
    const r = runCli(['create', 'token', '--help'], { cwd: dir });
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    for (const f of ['--permission', '--name', '--expiry', '--output-file', '--admin', '--create-databases', '--format', '--offline']) {
      assert.ok(r.stdout.includes(f), f);
    }
    assert.deepEqual(readdirSync(dir), []);
  });
});
