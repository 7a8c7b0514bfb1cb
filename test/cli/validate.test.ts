/**
 * `validate FILE` end to end: the real binary on files written in a temp dir. Exit 0 when
 * the server would load the file, 1 when not; every problem on stderr at its JSON pointer;
 * warnings do not change the exit status unless --strict.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type CliResult, freshToken, runCli, tempDir, tokensIn } from '../helpers';

function pretty(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Writes FILE in a new temp dir with an exact mode; returns the dir. */
function fileIn(name: string, content: string, mode = 0o600): string {
  const dir = tempDir();
  writeFileSync(join(dir, name), content);
  chmodSync(join(dir, name), mode);
  return dir;
}

function lines(s: string): string[] {
  return s.split('\n').slice(0, -1);
}

function validate(dir: string, ...args: string[]): CliResult {
  return runCli(['validate', ...args], { cwd: dir });
}

const FUTURE = Date.UTC(2099, 0, 1);

interface Report {
  file: string;
  kind: string | null;
  valid: boolean;
  errors: { pointer: string; message: string }[];
  warnings: { pointer: string; message: string }[];
}

/** Exit 0, one OK line on stdout naming the file, and exactly `warnings` on stderr. */
function assertLoads(r: CliResult, file: string, warningPointers: string[] = []): void {
  const ctx = `stdout=${JSON.stringify(r.stdout)} stderr=${JSON.stringify(r.stderr)}`;
  assert.equal(r.status, 0, ctx);
  assert.equal(lines(r.stdout).length, 1, ctx);
  assert.ok(r.stdout.startsWith(`${file}: OK`), ctx);
  const got = lines(r.stderr);
  assert.equal(got.length, warningPointers.length, ctx);
  for (const p of warningPointers) {
    const head = p === '' ? `${file}: warning: ` : `${file}: warning at ${p}: `;
    assert.ok(
      got.some((l) => l.startsWith(head)),
      `missing ${head} in ${ctx}`,
    );
  }
  if (warningPointers.length > 0) assert.match(r.stdout, new RegExp(`${warningPointers.length} warning`));
  assert.deepEqual(tokensIn(r.stdout + r.stderr), []);
}

/** Exit 1, nothing on stdout, one `FILE: error at P: ...` line per pointer, then one summary line. */
function assertRefused(r: CliResult, file: string, errorPointers: string[]): void {
  const ctx = `stdout=${JSON.stringify(r.stdout)} stderr=${JSON.stringify(r.stderr)}`;
  assert.equal(r.status, 1, ctx);
  assert.equal(r.stdout, '', ctx);
  const errs = lines(r.stderr).filter((l) => l.startsWith(`${file}: error`));
  const pointers = errs.map((l) => {
    const m = /^.*?: error(?: at (\S*))?: /.exec(l);
    assert.ok(m, l);
    return m[1] ?? '';
  });
  assert.deepEqual([...pointers].sort(), [...errorPointers].sort(), ctx);
  const last = lines(r.stderr).at(-1)!;
  assert.match(last, /^error: /, ctx);
  assert.ok(last.includes(file), ctx);
  for (const l of lines(r.stderr)) assert.match(l, new RegExp(`^(${file.replace(/[.]/g, '\\.')}: (error|warning)|error: )`), l);
  assert.deepEqual(tokensIn(r.stdout + r.stderr), []);
}

describe('validate: files the server would load', () => {
  test('a permission tokens file -> exit 0, OK on stdout, nothing on stderr', () => {
    const doc = {
      create_databases: ['db1', 'db2', 'db3/rp'],
      tokens: [
        { token: freshToken(), name: 'a', expiry_millis: FUTURE, permissions: ['db:db1,db2:read,write', 'system:health:read'] },
        { token: freshToken(), name: 'b', permissions: ['db:db3/rp:read', 'db:*:read', 'system:*:read'] },
      ],
    };
    const dir = fileIn('perm.json', pretty(doc));
    const r = validate(dir, 'perm.json');
    assertLoads(r, 'perm.json');
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /permission tokens file/);
  });

  test('an admin token file -> exit 0', () => {
    const dir = fileIn('admin.json', pretty({ token: freshToken(), name: '_admin' }));
    const r = validate(dir, 'admin.json');
    assertLoads(r, 'admin.json');
    assert.match(r.stdout, /admin token file/);
  });

  test('an admin token file with expiry and unknown fields -> exit 0', () => {
    const dir = fileIn('admin.json', pretty({ token: freshToken(), name: 'root', expiry_millis: FUTURE, description: 'd', x: { y: [1] } }));
    assertLoads(validate(dir, 'admin.json'), 'admin.json');
  });

  test('{"tokens": []} and unknown fields everywhere -> exit 0', () => {
    const dir = fileIn('empty.json', '{"tokens": []}');
    assertLoads(validate(dir, 'empty.json'), 'empty.json');
    const dir2 = fileIn('u.json', pretty({ v: 2, tokens: [{ token: freshToken(), name: 'a', permissions: ['db:*:read'], note: 'n' }], z: null }));
    assertLoads(validate(dir2, 'u.json'), 'u.json');
  });

  test('--strict on a clean file -> exit 0', () => {
    const dir = fileIn('admin.json', pretty({ token: freshToken(), name: '_admin' }));
    assertLoads(validate(dir, '--strict', 'admin.json'), 'admin.json');
  });

  test('a file written by create token validates, also through a symlink and an absolute path', () => {
    const dir = tempDir();
    const c = runCli(['create', 'token', '--permission', 'db:a:read', '--name', 'x', '--create-databases', 'a', '--output-file', 'real.json'], { cwd: dir });
    assert.equal(c.status, 0, c.stderr);
    const a = runCli(['create', 'token', '--admin', '--expiry', '1d', '--output-file', 'admin.json'], { cwd: dir });
    assert.equal(a.status, 0, a.stderr);
    symlinkSync('real.json', join(dir, 'link.json'));
    assertLoads(validate(dir, 'real.json', '--strict'), 'real.json');
    assertLoads(validate(dir, 'link.json', '--strict'), 'link.json');
    assertLoads(validate(dir, 'admin.json', '--strict'), 'admin.json');
    const abs = join(dir, 'real.json');
    assertLoads(runCli(['validate', abs]), abs);
  });

  test('--format json on a valid file: a JSON report on stdout, exit 0', () => {
    const dir = fileIn('perm.json', pretty({ create_databases: ['a'], tokens: [{ token: freshToken(), name: 'a', permissions: ['db:a:read'] }] }));
    const r = validate(dir, 'perm.json', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const rep = JSON.parse(r.stdout) as Report;
    assert.equal(rep.file, 'perm.json');
    assert.equal(rep.kind, 'permission');
    assert.equal(rep.valid, true);
    assert.deepEqual(rep.errors, []);
    assert.deepEqual(rep.warnings, []);
    assert.deepEqual(tokensIn(r.stdout), []);
  });
});

describe('validate: files the server would refuse', () => {
  const t1 = freshToken();
  const t2 = freshToken();
  const invalidPermissionFile = `{
  "create_databases": ["ok", "bad name", 7],
  "tokens": [
    {"name": "a", "permissions": ["db:ok:read"]},
    {"token": "${t1}", "name": "b", "permissions": ["db:ok:fly"]},
    {"token": "${t2}", "name": "b", "permissions": ["db:ok:read"]},
    {"token": "secret-without-prefix", "name": "c", "permissions": ["db:ok:read"]},
    {"token": "${freshToken()}", "name": "d", "expiry_millis": 1.5, "permissions": ["db:ok:read"]},
    {"token": "${freshToken()}", "name": "e", "expiry_millis": "soon", "permissions": []},
    {"token": "${freshToken()}", "name": "", "permissions": ["a:b"]},
    "str"
  ]
}
`;
  const expectedPermissionPointers = [
    '/create_databases/1',
    '/create_databases/2',
    '/tokens/0/token',
    '/tokens/1/permissions/0',
    '/tokens/2/name',
    '/tokens/3/token',
    '/tokens/4/expiry_millis',
    '/tokens/5/expiry_millis',
    '/tokens/5/permissions',
    '/tokens/6/permissions/0',
    '/tokens/7',
  ];

  test('every problem of a permission tokens file at its JSON pointer, exit 1', () => {
    const dir = fileIn('inv.json', invalidPermissionFile);
    const r = validate(dir, 'inv.json');
    assertRefused(r, 'inv.json', expectedPermissionPointers);
    assert.ok(!r.stderr.includes('secret-without-prefix'));
    assert.match(r.stderr, /inv\.json: error at \/tokens\/1\/permissions\/0: .*"fly"/);
    assert.match(r.stderr, /inv\.json: error at \/create_databases\/1: .*"bad name"/);
    assert.match(r.stderr, /inv\.json: error at \/tokens\/2\/name: .*"b"/);
  });

  test('--format json on an invalid file: JSON report with every pointer, exit 1', () => {
    const dir = fileIn('inv.json', invalidPermissionFile);
    const r = validate(dir, 'inv.json', '--format', 'json');
    assert.equal(r.status, 1);
    const rep = JSON.parse(r.stdout) as Report;
    assert.equal(rep.valid, false);
    assert.equal(rep.kind, 'permission');
    assert.deepEqual(rep.errors.map((e) => e.pointer).sort(), [...expectedPermissionPointers].sort());
    assert.deepEqual(tokensIn(r.stdout + r.stderr), []);
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.ok(r.stderr.includes('inv.json'));
  });

  const singles: [string, string, string[]][] = [
    ['admin without name', pretty({ token: freshToken() }), ['/name']],
    ['admin with a bad token and expiry', '{"token": 5, "expiry_millis": "x"}', ['/name', '/token', '/expiry_millis']],
    ['admin token without prefix', pretty({ token: 'abc', name: '_admin' }), ['/token']],
    ['admin with float expiry', pretty({ token: freshToken(), name: 'a', expiry_millis: 1.25 }), ['/expiry_millis']],
    ['tokens is an object', '{"tokens": {}}', ['/tokens']],
    ['create_databases is a string', pretty({ create_databases: 'db1', tokens: [] }), ['/create_databases']],
    ['permissions is a string', pretty({ tokens: [{ token: freshToken(), name: 'a', permissions: 'db:a:read' }] }), ['/tokens/0/permissions']],
    ['mixed wildcard', pretty({ tokens: [{ token: freshToken(), name: 'a', permissions: ['db:ok:read', 'db:*,a:read'] }] }), ['/tokens/0/permissions/1']],
    ['bad system resource', pretty({ tokens: [{ token: freshToken(), name: 'a', permissions: ['system:disk:read'] }] }), ['/tokens/0/permissions/0']],
    ['bad db name in a permission', pretty({ tokens: [{ token: freshToken(), name: 'a', permissions: ['db:a/b/c:read'] }] }), ['/tokens/0/permissions/0']],
    ['empty object', '{}', ['']],
    ['array', '[]', ['']],
    ['string', '"apiv3_x"', ['']],
  ];
  for (const [title, content, pointers] of singles) {
    test(`${title} -> exit 1 at ${pointers.join(', ') || '(document)'}`, () => {
      const dir = fileIn('f.json', content);
      assertRefused(validate(dir, 'f.json'), 'f.json', pointers);
    });
  }

  // validateTokenFile reads `.tokens` of the parsed value, which throws a TypeError for null.
  test('regression: a file holding the JSON literal null -> exit 1 with a clean error, not an internal error', () => {
    const dir = fileIn('f.json', 'null\n');
    const r = validate(dir, 'f.json');
    assert.doesNotMatch(r.stderr, /internal error/);
    assertRefused(r, 'f.json', ['']);
  });

  test('a missing file -> exit 1, one line naming it', () => {
    const dir = tempDir();
    const r = validate(dir, 'nope.json');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.ok(r.stderr.includes('nope.json'));
  });

  test('a directory -> exit 1, one line naming it', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'd.json'));
    const r = validate(dir, 'd.json');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.ok(r.stderr.includes('d.json'));
  });

  test('no FILE argument -> usage error, exit 2', () => {
    const dir = tempDir();
    const r = validate(dir);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(lines(r.stderr).length, 1, r.stderr);
  });

  // serde_json, which the server parses with, refuses 4102444800000.0 for an i64 field
  // ("invalid type: floating point, expected i64"); JSON.parse turns it into an integer.
  test('regression: expiry_millis written with a fraction (4102444800000.0) is refused', () => {
    const dir = fileIn('f.json', `{"token": "${freshToken()}", "name": "a", "expiry_millis": 4102444800000.0}`);
    assertRefused(validate(dir, 'f.json'), 'f.json', ['/expiry_millis']);
  });

  test('regression: expiry_millis written with an exponent (4.1024448e12) is refused', () => {
    const dir = fileIn(
      'f.json',
      pretty({ tokens: [] }).replace('[]', `[{"token": "${freshToken()}", "name": "a", "expiry_millis": 4.1024448e12, "permissions": ["db:*:read"]}]`),
    );
    assertRefused(validate(dir, 'f.json'), 'f.json', ['/tokens/0/expiry_millis']);
  });
});

describe('validate: text that is not JSON', () => {
  const secret = freshToken();
  const cases: [string, string, number, number][] = [
    ['trailing comma', `{\n  "tokens": [\n    {\n      "token": "${secret}",\n      "name": "a",\n      "permissions": ["db:a:read"],\n    }\n  ]\n}\n`, 7, 5],
    ['missing comma after a token', `{"token": "${secret}" "name": "_admin"}`, 1, `{"token": "${secret}" `.length + 1],
    ['unquoted value after a token', `{"token": "${secret}",\n  "name": _admin}`, 2, 11],
    ['unterminated token string', `{"token": "${secret}`, 1, `{"token": "${secret}`.length + 1],
    ['YAML', `token: ${secret}\nname: _admin\n`, 1, 1],
    ['empty file', '', 1, 1],
  ];
  for (const [title, content, line, column] of cases) {
    test(`${title}: exit 1, line ${line} column ${column}, no token string printed`, () => {
      const dir = fileIn('f.json', content);
      const r = validate(dir, 'f.json');
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.includes(`line ${line}, column ${column}`), r.stderr);
      assert.match(r.stderr, /^f\.json: error/);
      assert.ok(!r.stderr.includes(secret));
      assert.ok(!r.stderr.includes(secret.slice(6, 26)));
      assert.deepEqual(tokensIn(r.stderr), []);

      const j = validate(dir, 'f.json', '--format', 'json');
      assert.equal(j.status, 1);
      const rep = JSON.parse(j.stdout) as Report;
      assert.equal(rep.valid, false);
      assert.equal(rep.errors.length, 1);
      assert.ok(rep.errors[0]!.message.includes(`line ${line}, column ${column}`));
      assert.ok(!(j.stdout + j.stderr).includes(secret.slice(6, 26)));
    });
  }
});

describe('validate: warnings do not change the exit status unless --strict', () => {
  const ok = (doc: unknown): string => pretty(doc);
  const cases: [string, string, number, string[]][] = [
    [
      'an expired permission token',
      ok({ tokens: [{ token: freshToken(), name: 'a', expiry_millis: 1_000, permissions: ['db:*:read'] }] }),
      0o600,
      ['/tokens/0/expiry_millis'],
    ],
    ['an expired admin token', ok({ token: freshToken(), name: '_admin', expiry_millis: Date.now() - 60_000 }), 0o600, ['/expiry_millis']],
    ['mode 0644', ok({ token: freshToken(), name: '_admin' }), 0o644, ['']],
    ['mode 0640 on a permission file', ok({ tokens: [] }), 0o640, ['']],
    [
      'a db: permission naming a database not in create_databases',
      ok({ create_databases: ['a'], tokens: [{ token: freshToken(), name: 'x', permissions: ['db:a,b:read'] }] }),
      0o600,
      ['/tokens/0/permissions/0'],
    ],
    [
      'a db: permission and no create_databases at all',
      ok({ tokens: [{ token: freshToken(), name: 'x', permissions: ['db:z:read'] }] }),
      0o600,
      ['/tokens/0/permissions/0'],
    ],
    ["the documentation's placeholder token (admin)", ok({ token: 'apiv3_0XXXX-xxxXxXxxxXX_OxxxX...', name: '_admin' }), 0o600, ['/token']],
    ['a low-entropy token', ok({ tokens: [{ token: `apiv3_${'A'.repeat(86)}`, name: 'x', permissions: ['db:*:read'] }] }), 0o600, ['/tokens/0/token']],
    ['a short token', ok({ token: 'apiv3_abc123', name: '_admin' }), 0o600, ['/token']],
  ];
  for (const [title, content, mode, pointers] of cases) {
    test(`${title}: exit 0 with a warning; --strict -> exit 1`, () => {
      const dir = fileIn('w.json', content, mode);
      const r = validate(dir, 'w.json');
      assertLoads(r, 'w.json', pointers);
      if (pointers[0] === '') assert.ok(r.stderr.includes(`0${mode.toString(8)}`), r.stderr);

      const s = validate(dir, 'w.json', '--strict');
      assert.equal(s.status, 1, s.stderr);
      assert.equal(s.stdout, '');
      assert.equal(lines(s.stderr).filter((l) => l.startsWith('w.json: warning')).length, pointers.length, s.stderr);
      assert.match(lines(s.stderr).at(-1)!, /^error: .*w\.json/);
      assert.deepEqual(tokensIn(s.stderr), []);

      const j = validate(dir, 'w.json', '--format', 'json');
      assert.equal(j.status, 0, j.stderr);
      const rep = JSON.parse(j.stdout) as Report;
      assert.equal(rep.valid, true);
      assert.deepEqual(rep.errors, []);
      assert.deepEqual(
        rep.warnings.map((w) => w.pointer),
        pointers,
      );

      const js = validate(dir, 'w.json', '--format', 'json', '--strict');
      assert.equal(js.status, 1);
      const reps = JSON.parse(js.stdout) as Report;
      assert.equal(reps.valid, false);
      assert.deepEqual(
        reps.warnings.map((w) => w.pointer),
        pointers,
      );
      assert.deepEqual(tokensIn(js.stdout + js.stderr), []);
    });
  }

  test('errors and warnings together: exit 1, both reported', () => {
    const dir = fileIn('m.json', pretty({ tokens: [{ token: freshToken(), name: 'a', expiry_millis: 5, permissions: [] }] }), 0o644);
    const r = validate(dir, 'm.json');
    assertRefused(r, 'm.json', ['/tokens/0/permissions']);
    assert.ok(
      lines(r.stderr).some((l) => l.startsWith('m.json: warning at /tokens/0/expiry_millis: ')),
      r.stderr,
    );
    assert.ok(
      lines(r.stderr).some((l) => l.startsWith('m.json: warning: ') && l.includes('0644')),
      r.stderr,
    );
  });

  // An i64 the server loads (it is an integer); the expired warning must not crash validate.
  test('an expired token with a very negative expiry_millis (no ISO form) is a warning, not a crash', () => {
    const dir = fileIn('neg.json', pretty({ token: freshToken(), name: 'a', expiry_millis: -9_000_000_000_000_000 }));
    const r = validate(dir, 'neg.json');
    assert.doesNotMatch(r.stderr, /internal error/);
    assertLoads(r, 'neg.json', ['/expiry_millis']);
  });
});

describe('validate: --kind, several files, standard input', () => {
  const admin = (more: Record<string, unknown> = {}): string => pretty({ token: freshToken(), name: '_admin', ...more });
  const perm = (): string => pretty({ create_databases: ['a'], tokens: [{ token: freshToken(), name: 'a', permissions: ['db:a:read'] }] });

  test('an admin file that also carries create_databases loads as an admin token file', () => {
    const dir = fileIn('x.json', admin({ create_databases: ['a'] }));
    const r = validate(dir, 'x.json');
    assertLoads(r, 'x.json');
    assert.match(r.stdout, /^x\.json: OK, an admin token file that the server would load\n$/);
  });

  test('a file that loads as either kind says so; --kind picks one', () => {
    const dir = fileIn('e.json', admin({ tokens: [] }));
    const r = validate(dir, 'e.json');
    assertLoads(r, 'e.json');
    assert.match(
      r.stdout,
      /loads as a permission tokens file with 0 tokens \(--permission-tokens-file\) or as an admin token file \(--admin-token-file\); pass --kind/,
    );
    for (const kind of ['admin', 'permission']) {
      const k = validate(dir, '--kind', kind, 'e.json');
      assertLoads(k, 'e.json');
      assert.match(k.stdout, new RegExp(kind === 'admin' ? 'OK, an admin token file that' : 'OK, a permission tokens file with 0 tokens that'));
    }
    const j = JSON.parse(validate(dir, '--format', 'json', 'e.json').stdout) as Report & { loads_as: string[] };
    assert.deepEqual(j.loads_as, ['permission', 'admin']);
  });

  test('--kind of the other kind: exit 1, the first error says which kind it is', () => {
    const dir = fileIn('p.json', perm());
    const r = validate(dir, '--kind', 'admin', 'p.json');
    assertRefused(r, 'p.json', ['', '/token', '/name']);
    assert.match(lines(r.stderr)[0]!, /^p\.json: error: it is a permission tokens file, not an admin token file$/);
    assertLoads(validate(dir, '--kind', 'permission', 'p.json'), 'p.json');
  });

  test('several files: a verdict for each, in order; exit 1 naming the ones that fail', () => {
    const dir = fileIn('good.json', perm());
    writeFileSync(join(dir, 'admin.json'), admin(), { mode: 0o600 });
    writeFileSync(join(dir, 'bad.json'), '{"tokens": 1}\n', { mode: 0o600 });
    const ok = validate(dir, 'good.json', 'admin.json');
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(
      lines(ok.stdout).map((l) => l.split(':')[0]),
      ['good.json', 'admin.json'],
    );
    const r = validate(dir, 'good.json', 'bad.json', 'missing.json', 'admin.json');
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(
      lines(r.stdout).map((l) => l.split(':')[0]),
      ['good.json', 'admin.json'],
    );
    const err = lines(r.stderr);
    assert.equal(err.length, 3, r.stderr);
    assert.match(err[0]!, /^bad\.json: error at \/tokens: /);
    assert.equal(err[1], 'missing.json: error: missing.json does not exist; check the path.');
    assert.equal(err[2], 'error: 2 of 4 files would not pass: bad.json, missing.json.');
    const j = validate(dir, '--format', 'json', 'good.json', 'bad.json');
    assert.equal(j.status, 1);
    const reports = lines(j.stdout).map((l) => JSON.parse(l) as Report);
    assert.deepEqual(
      reports.map((x) => [x.file, x.valid]),
      [
        ['good.json', true],
        ['bad.json', false],
      ],
    );
  });

  test('- reads standard input, shown as <stdin>, without a mode check', () => {
    const dir = tempDir();
    const r = runCli(['validate', '-'], { cwd: dir, input: perm() });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '<stdin>: OK, a permission tokens file with 1 token that the server would load\n');
    assert.equal(r.stderr, '');
    const bad = runCli(['validate', '-'], { cwd: dir, input: '{"token": 1}' });
    assert.equal(bad.status, 1);
    assert.match(lines(bad.stderr).at(-1)!, /^error: <stdin> would not be loaded by the server/);
    const bytes = runCli(['validate', '-'], { cwd: dir, input: Buffer.from([0x7b, 0xff, 0x7d]) });
    assert.equal(bytes.status, 1);
    assert.equal(bytes.stderr, 'error: standard input is not valid UTF-8 text, so it is not a tokens file.\n');
  });
});

describe('validate: an apply spec is named as one, with the command that checks it', () => {
  const yamlSpec = 'permissions:\n  file: p.json\n  tokens:\n    - name: telegraf\n      permissions: ["db:metrics:write"]\n';
  const specCommand = (file: string) => `\`influxdb3-offline-tokens apply --dry-run -f ${file}\``;
  test('a YAML spec alone: one line, exit 1, the file untouched', () => {
    const dir = fileIn('tokens.yaml', yamlSpec);
    const r = validate(dir, 'tokens.yaml');
    assert.deepEqual([r.status, r.stdout], [1, '']);
    assert.equal(r.stderr, `error: tokens.yaml is an apply spec, not a token file: check it with ${specCommand('tokens.yaml')}.\n`);
    // The command it names works on that file.
    const dry = runCli(['apply', '--dry-run', '-f', 'tokens.yaml'], { cwd: dir });
    assert.equal(dry.status, 0, dry.stderr);
  });
  test('a JSON spec, with a name the printed command quotes', () => {
    const dir = fileIn('my spec.json', '{"admin": {"file": "a.json"}}\n');
    const r = validate(dir, 'my spec.json');
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `error: my spec.json is an apply spec, not a token file: check it with ${specCommand("'my spec.json'")}.\n`);
  });
  test('among several files: its own line, and the JSON report says so without flags', () => {
    const dir = fileIn('tokens.yaml', yamlSpec);
    writeFileSync(join(dir, 'admin.json'), pretty({ token: freshToken(), name: '_admin' }), { mode: 0o600 });
    const r = validate(dir, 'tokens.yaml', 'admin.json');
    assert.equal(r.status, 1);
    assert.deepEqual(lines(r.stderr), [
      `tokens.yaml: error: it is an apply spec, not a token file; check it with ${specCommand('tokens.yaml')}`,
      'error: 1 of 2 files would not pass: tokens.yaml.',
    ]);
    const j = validate(dir, 'tokens.yaml', '--format', 'json');
    assert.deepEqual((JSON.parse(j.stdout) as Report).errors, [{ pointer: '', message: 'it is an apply spec, not a token file' }]);
  });
  test('not every YAML or JSON file: a token file in YAML, or JSON with a token field, keeps its own errors', () => {
    const yamlTokens = validate(fileIn('t.yaml', 'tokens: []\n'), 't.yaml');
    assert.match(yamlTokens.stderr, /not valid JSON/);
    const withTokens = validate(fileIn('t.json', '{"permissions": {}, "tokens": [{"name": "a"}]}\n'), 't.json');
    assert.doesNotMatch(withTokens.stderr, /apply spec/);
  });
});
