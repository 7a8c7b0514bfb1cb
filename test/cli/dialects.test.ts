/**
 * Every example command line of the reference pages (/work/shared/reference: influxdb3,
 * influxctl for Dedicated and Clustered, influx v2, and the HTTP API bodies) through the
 * real binary, with the binary name swapped, placeholders substituted and --output-file
 * added. Each must grant exactly the (resource, action) pairs its page describes, or be
 * refused with a reason when it asks for something InfluxDB 3 does not have.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readJson, runCli, tempDir, tokensIn } from '../helpers';

const PLACEHOLDERS: Record<string, string> = {
  DATABASE1_NAME: 'db_one',
  DATABASE2_NAME: 'db_two',
  DATABASE_NAME: 'db_one',
  DATABASE1: 'database1',
  DATABASE2: 'database2',
  TOKEN_NAME: 'offline-token',
  TOKEN_PERMISSIONS: 'db:db1,db2:read,write',
  DURATION: '10d',
  DATABASE_LIST: 'db1,db2,db3',
  'path/to/tokens.json': 'tokens.json',
  RFC3339_TIMESTAMP: '2030-01-01T00:00:00Z',
};

function substitute(text: string): string {
  // Longest first, so DATABASE1_NAME is not read as DATABASE1 followed by _NAME.
  const keys = Object.keys(PLACEHOLDERS).sort((a, b) => b.length - a.length);
  return text.replace(new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g'), (k) => PLACEHOLDERS[k]!);
}

/** What `date -d "+7 days" +"%Y-%m-%dT%H:%M:%S%z"` prints in UTC, as the influxctl page builds it. */
function sevenDaysFromNow(): string {
  return `${new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 19)}+0000`;
}

type Pair = string; // "resource action", e.g. "db:db_one read", "system:health read"
type Expect = { pairs: Pair[]; name?: string; expiry?: 'some' | number; databases?: string[] } | { admin: true } | { refused: RegExp };

interface Example {
  source: string;
  /** The line as the page writes it, without the binary name, placeholders in. */
  argv: string[];
  /** The HTTP body, for --from-json. */
  body?: string;
  expect: Expect;
}

const rw = (db: string): Pair[] => [`db:${db} read`, `db:${db} write`];

const INFLUXDB3 = 'influxdb3-create-token-permission.md';
const RESOURCE = 'influxdb3-create-resource-token.txt';
const CLUSTERED = 'influxctl-token-create-clustered.md';
const DEDICATED = 'influxctl-token-create-dedicated.txt';
const V2 = 'influx-v2-auth-create.md';

/** The docs' curl --data bodies, as written there. */
function curlBody(name: string, type: string, ids: string[], actions: string[], expirySecs?: number): string {
  const expiry = expirySecs === undefined ? '' : `,\n"expiry_secs": ${expirySecs}`;
  return `{\n"token_name": "${name}",\n"permissions": [{\n"resource_type": "${type}",\n"resource_identifier": [${ids.map((i) => `"${i}"`).join(',')}],\n"actions": [${actions.map((a) => `"${a}"`).join(',')}]\n}]${expiry}\n}`;
}

const V2_REFUSED = /has no counterpart: InfluxDB 3 has no /;

const EXAMPLES: Example[] = [
  {
    source: `${INFLUXDB3} read and write`,
    argv: ['create', 'token', '--permission', 'db:my_database:read,write', '--name', 'Read/write token for my_database'],
    expect: { pairs: rw('my_database'), name: 'Read/write token for my_database' },
  },
  {
    source: `${INFLUXDB3} read-only`,
    argv: ['create', 'token', '--permission', 'db:my_database:read', '--name', 'Read-only token for my_database'],
    expect: { pairs: ['db:my_database read'] },
  },
  {
    source: `${INFLUXDB3} multiple databases`,
    argv: ['create', 'token', '--permission', 'db:database1,database2:read,write', '--name', 'Multi-database token'],
    expect: { pairs: [...rw('database1'), ...rw('database2')] },
  },
  {
    source: `${INFLUXDB3} all databases`,
    argv: ['create', 'token', '--permission', 'db:*:read,write', '--name', 'All databases token'],
    expect: { pairs: rw('*') },
  },
  {
    source: `${INFLUXDB3} seven days`,
    argv: ['create', 'token', '--permission', 'db:my_database:read,write', '--name', 'Expiring token', '--expiry', '7d'],
    expect: { pairs: rw('my_database'), expiry: 7 * 86_400_000 },
  },
  {
    source: `${INFLUXDB3} system health`,
    argv: ['create', 'token', '--permission', 'system:health:read', '--name', 'System health token'],
    expect: { pairs: ['system:health read'] },
  },
  {
    source: `${INFLUXDB3} all system information`,
    argv: ['create', 'token', '--permission', 'system:*:read', '--name', 'All system information'],
    expect: { pairs: ['system:* read'] },
  },
  {
    source: `${INFLUXDB3} multiple permissions`,
    argv: ['create', 'token', '--permission', 'db:database1:read,write', '--permission', 'system:health:read', '--name', 'Multi-permission token'],
    expect: { pairs: [...rw('database1'), 'system:health read'] },
  },
  {
    source: `${INFLUXDB3} offline tokens file`,
    argv: [
      'create',
      'token',
      '--name',
      'TOKEN_NAME',
      '--permission',
      'TOKEN_PERMISSIONS',
      '--expiry',
      'DURATION',
      '--offline',
      '--create-databases',
      'DATABASE_LIST',
      '--output-file',
      'path/to/tokens.json',
    ],
    expect: { pairs: [...rw('db1'), ...rw('db2')], name: 'offline-token', expiry: 10 * 86_400_000, databases: ['db1', 'db2', 'db3'] },
  },

  {
    source: `${RESOURCE} database token`,
    argv: ['create', 'token', '--permission', '--expiry', '1y', '--name', 'Read-write on DATABASE1, DATABASE2', 'db:DATABASE1,DATABASE2:read,write'],
    expect: { pairs: [...rw('database1'), ...rw('database2')], name: 'Read-write on database1, database2', expiry: 31_557_600_000 },
  },
  {
    source: `${RESOURCE} read and write`,
    argv: ['create', 'token', '--permission', '--name', 'Read/write token for DATABASE_NAME', 'db:DATABASE_NAME:read,write'],
    expect: { pairs: rw('db_one') },
  },
  {
    source: `${RESOURCE} all databases`,
    argv: ['create', 'token', '--permission', '--name', 'Read/write token for all databases', 'db:*:read,write'],
    expect: { pairs: rw('*') },
  },
  {
    source: `${RESOURCE} read-only`,
    argv: ['create', 'token', '--permission', '--name', 'Read-only token for DATABASE_NAME', 'db:DATABASE_NAME:read'],
    expect: { pairs: ['db:db_one read'] },
  },
  {
    source: `${RESOURCE} read-only, several`,
    argv: ['create', 'token', '--permission', '--name', 'Read-only token for DATABASE_NAME and DATABASE2_NAME', 'db:DATABASE_NAME,DATABASE2_NAME:read'],
    expect: { pairs: ['db:db_one read', 'db:db_two read'] },
  },
  {
    source: `${RESOURCE} seven days`,
    argv: [
      'create',
      'token',
      '--permission',
      '--expiry',
      '7d',
      '--name',
      'Read/write token for DATABASE_NAME with 7d expiration',
      'db:DATABASE_NAME:read,write',
    ],
    expect: { pairs: rw('db_one'), expiry: 7 * 86_400_000 },
  },
  {
    source: `${RESOURCE} system token`,
    argv: ['create', 'token', '--permission', '--expiry', '1y', '--name', 'System health token', 'system:health:read'],
    expect: { pairs: ['system:health read'], expiry: 31_557_600_000 },
  },
  {
    source: `${RESOURCE} HTTP database token`,
    argv: ['create', 'token'],
    body: curlBody('Read-write for DATABASE1, DATABASE2', 'db', ['DATABASE1', 'DATABASE2'], ['read', 'write'], 300000),
    expect: { pairs: [...rw('database1'), ...rw('database2')], name: 'Read-write for database1, database2', expiry: 300_000_000 },
  },
  {
    source: `${RESOURCE} HTTP read and write`,
    argv: ['create', 'token'],
    body: curlBody('Read/write token for DATABASE_NAME', 'db', ['DATABASE_NAME'], ['read', 'write']),
    expect: { pairs: rw('db_one') },
  },
  {
    source: `${RESOURCE} HTTP all databases`,
    argv: ['create', 'token'],
    body: curlBody('Read/write token for all databases', 'db', ['*'], ['read', 'write']),
    expect: { pairs: rw('*') },
  },
  {
    source: `${RESOURCE} HTTP read-only`,
    argv: ['create', 'token'],
    body: curlBody('Read-only token for DATABASE_NAME', 'db', ['DATABASE_NAME'], ['read']),
    expect: { pairs: ['db:db_one read'] },
  },
  {
    source: `${RESOURCE} HTTP read-only, several`,
    argv: ['create', 'token'],
    body: curlBody('Read-only token for DATABASE_NAME and DATABASE2_NAME', 'db', ['DATABASE_NAME', 'DATABASE2_NAME'], ['read']),
    expect: { pairs: ['db:db_one read', 'db:db_two read'] },
  },
  {
    source: `${RESOURCE} HTTP seven days`,
    argv: ['create', 'token'],
    body: curlBody('Read/write token for DATABASE_NAME with 7d expiration', 'db', ['DATABASE_NAME'], ['read', 'write'], 604800),
    expect: { pairs: rw('db_one'), expiry: 604_800_000 },
  },
  {
    source: `${RESOURCE} HTTP system token`,
    argv: ['create', 'token'],
    body: curlBody('System health token', 'system', ['health'], ['read'], 300000),
    expect: { pairs: ['system:health read'], expiry: 300_000_000 },
  },

  {
    source: `${CLUSTERED} summary`,
    argv: [
      'token',
      'create',
      '--read-database',
      'DATABASE1_NAME',
      '--read-database',
      'DATABASE2_NAME',
      '--write-database',
      'DATABASE2_NAME',
      '--expires-at',
      '2030-01-01T00:00:00Z',
      'Read-only on DATABASE1_NAME, Read/write on DATABASE2_NAME',
    ],
    expect: { pairs: ['db:db_one read', ...rw('db_two')], name: 'Read-only on db_one, Read/write on db_two', expiry: Date.UTC(2030, 0, 1) },
  },
  {
    source: `${CLUSTERED} steps`,
    argv: [
      'token',
      'create',
      '--read-database',
      'DATABASE_NAME',
      '--write-database',
      'DATABASE_NAME',
      '--expires-at',
      'RFC3339_TIMESTAMP',
      'Read/write token for DATABASE_NAME',
    ],
    expect: { pairs: rw('db_one'), expiry: Date.UTC(2030, 0, 1) },
  },
  ...[CLUSTERED, DEDICATED].flatMap((page): Example[] => [
    {
      source: `${page} read and write`,
      argv: ['token', 'create', '--read-database', 'DATABASE_NAME', '--write-database', 'DATABASE_NAME', 'Read/write token for DATABASE_NAME'],
      expect: { pairs: rw('db_one'), name: 'Read/write token for db_one' },
    },
    {
      source: `${page} all databases`,
      argv: ['token', 'create', '--read-database', '*', '--write-database', '*', 'Read/write token for all databases'],
      expect: { pairs: rw('*') },
    },
    {
      source: `${page} read-only`,
      argv: ['token', 'create', '--read-database', 'DATABASE_NAME', 'Read-only token for DATABASE_NAME'],
      expect: { pairs: ['db:db_one read'] },
    },
    {
      source: `${page} read-only, several`,
      argv: [
        'token',
        'create',
        '--read-database',
        'DATABASE_NAME',
        '--read-database',
        'DATABASE2_NAME',
        'Read-only token for DATABASE_NAME and DATABASE2_NAME',
      ],
      expect: { pairs: ['db:db_one read', 'db:db_two read'] },
    },
    {
      source: `${page} mixed`,
      argv: [
        'token',
        'create',
        '--read-database',
        'DATABASE_NAME',
        '--read-database',
        'DATABASE2_NAME',
        '--write-database',
        'DATABASE2_NAME',
        'Read-only on DATABASE_NAME, read/write on DATABASE2_NAME',
      ],
      expect: { pairs: ['db:db_one read', ...rw('db_two')] },
    },
  ]),
  ...['Linux', 'macOS'].map((os): Example => ({
    source: `${CLUSTERED} seven days (${os})`,
    argv: [
      'token',
      'create',
      '--read-database',
      'DATABASE_NAME',
      '--write-database',
      'DATABASE_NAME',
      '--expires-at',
      sevenDaysFromNow(),
      'Read/write token for DATABASE_NAME with 7d expiration',
    ],
    expect: { pairs: rw('db_one'), expiry: 'some' },
  })),

  { source: `${V2} all-access`, argv: ['auth', 'create', '--all-access'], expect: { admin: true } },
  { source: `${V2} operator`, argv: ['auth', 'create', '--operator'], expect: { admin: true } },
  {
    source: `${V2} specific buckets`,
    argv: [
      'auth',
      'create',
      '--read-bucket',
      '0000000000000001',
      '--read-bucket',
      '0000000000000002',
      '--write-bucket',
      '0000000000000001',
      '--write-bucket',
      '0000000000000002',
    ],
    expect: { pairs: [...rw('0000000000000001'), ...rw('0000000000000002')], name: 'db:0000000000000001:read,write db:0000000000000002:read,write' },
  },
  {
    source: `${V2} read and write permissions`,
    argv: [
      'auth',
      'create',
      '--read-buckets',
      '--read-checks',
      '--read-dashboards',
      '--read-dbrps',
      '--read-notificationEndpoints',
      '--read-notificationRules',
      '--read-orgs',
      '--read-remotes',
      '--read-replications',
      '--read-tasks',
      '--read-telegrafs',
      '--read-users',
      '--write-annotations',
      '--write-buckets',
      '--write-checks',
      '--write-dashboards',
      '--write-dbrps',
      '--write-notificationEndpoints',
      '--write-notificationRules',
      '--write-orgs',
      '--write-remotes',
      '--write-replications',
      '--write-tasks',
      '--write-telegrafs',
      '--write-users',
      '--write-variables',
    ],
    expect: { refused: V2_REFUSED },
  },
  {
    source: `${V2} read-only`,
    argv: [
      'auth',
      'create',
      '--read-buckets',
      '--read-checks',
      '--read-dashboards',
      '--read-dbrps',
      '--read-notificationEndpoints',
      '--read-notificationRules',
      '--read-orgs',
      '--read-remotes',
      '--read-replications',
      '--read-tasks',
      '--read-telegrafs',
      '--read-users',
    ],
    expect: { refused: V2_REFUSED },
  },
  {
    source: `${V2} all-access workaround`,
    argv: [
      'auth',
      'create',
      '--org',
      'my-org',
      ...[
        'authorizations',
        'buckets',
        'dashboards',
        'tasks',
        'telegrafs',
        'users',
        'variables',
        'secrets',
        'labels',
        'views',
        'documents',
        'notificationRules',
        'notificationEndpoints',
        'checks',
        'dbrp',
        'annotations',
        'sources',
        'scrapers',
        'notebooks',
        'remotes',
        'replications',
      ].flatMap((r) => [`--read-${r}`, `--write-${r}`]),
    ],
    expect: { refused: V2_REFUSED },
  },
];

/** The (resource, action) pairs of a permission tokens file's only token. */
function pairsOf(permissions: readonly string[]): Pair[] {
  return permissions.flatMap((p) => {
    const [type, names, actions] = p.split(':') as [string, string, string];
    return names.split(',').flatMap((n) => actions.split(',').map((a) => `${type}:${n} ${a}`));
  });
}

describe('every example command line of the reference pages', () => {
  for (const ex of EXAMPLES) {
    test(ex.source, () => {
      const dir = tempDir('otk-dialects');
      let argv = ex.argv.map(substitute);
      if (ex.body !== undefined) {
        writeFileSync(join(dir, 'body.json'), substitute(ex.body));
        argv = [...argv, '--from-json', 'body.json'];
      }
      const out = argv.includes('--output-file') ? argv[argv.indexOf('--output-file') + 1]! : 'tokens.json';
      if (!argv.includes('--output-file')) argv = [...argv, '--output-file', out];
      const before = Date.now();
      const r = runCli([...argv, '--format', 'json'], { cwd: dir });
      const after = Date.now();
      assert.deepEqual(tokensIn(r.stderr), [], 'no token on stderr');
      if ('refused' in ex.expect) {
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /^error: /);
        assert.match(r.stderr, ex.expect.refused);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.equal(existsSync(join(dir, out)), false, 'nothing written');
        return;
      }
      assert.equal(r.status, 0, r.stderr);
      const printed = JSON.parse(r.stdout) as { token: string };
      const doc = readJson(join(dir, out)) as Record<string, unknown>;
      if ('admin' in ex.expect) {
        assert.deepEqual(Object.keys(doc), ['token', 'name']);
        assert.equal(doc.name, '_admin');
        assert.equal(doc.token, printed.token);
        return;
      }
      const tokens = doc.tokens as { token: string; name: string; expiry_millis?: number; permissions: string[] }[];
      assert.equal(tokens.length, 1);
      const [entry] = tokens as [(typeof tokens)[0]];
      assert.equal(entry.token, printed.token);
      assert.deepEqual(new Set(pairsOf(entry.permissions)), new Set(ex.expect.pairs));
      assert.equal(pairsOf(entry.permissions).length, ex.expect.pairs.length, `no pair twice: ${entry.permissions.join(' ')}`);
      // One permission per database for the other tools' flags: never the same database twice.
      const dbs = entry.permissions.filter((p) => p.startsWith('db:')).flatMap((p) => p.split(':')[1]!.split(','));
      assert.equal(new Set(dbs).size, dbs.length, entry.permissions.join(' '));
      if (ex.expect.name !== undefined) assert.equal(entry.name, ex.expect.name);
      if (ex.expect.expiry === undefined) assert.equal(entry.expiry_millis, undefined);
      else if (ex.expect.expiry === 'some') assert.ok(entry.expiry_millis! > after, 'expires in the future');
      else if (ex.expect.expiry > 1e12) assert.equal(entry.expiry_millis, ex.expect.expiry);
      else {
        // A lifetime: now + its whole seconds, now being some instant of the run.
        assert.ok(entry.expiry_millis! >= before + ex.expect.expiry - 1000 && entry.expiry_millis! <= after + ex.expect.expiry, String(entry.expiry_millis));
      }
      if (ex.expect.databases) assert.deepEqual(doc.create_databases, ex.expect.databases);
    });
  }
});

describe('a mix of dialects on the real command line', () => {
  const LINES: [string, string[], RegExp][] = [
    [
      '--permission and --read-database',
      ['create', 'token', '--permission', 'db:a:read', '--read-database', 'b', 'desc'],
      /--permission \(influxdb3\) and --read-database \(influxctl\)/,
    ],
    ['--name and --read-bucket', ['auth', 'create', '--name', 'n', '--read-bucket', 'b'], /--name \(influxdb3\) and --read-bucket \(influx v2\)/],
    ['--write-database and -d', ['token', 'create', '--write-database', 'a', '-d', 'x'], /--write-database \(influxctl\) and --description \(influx v2\)/],
    ['--admin and --all-access', ['create', 'token', '--admin', '--all-access'], /--admin \(influxdb3\) and --all-access \(influx v2\)/],
    [
      '--from-json and --permission',
      ['create', 'token', '--from-json', 'body.json', '--permission', 'db:a:read', '--name', 'n'],
      /--permission \(influxdb3\) and --from-json \(HTTP API body\)/,
    ],
  ];
  for (const [label, argv, message] of LINES) {
    test(`${label}: exit 2, one line naming both, no file`, () => {
      const dir = tempDir('otk-dialects');
      writeFileSync(join(dir, 'body.json'), '{"token_name": "x", "permissions": [{"resource_type": "db", "resource_identifier": ["a"], "actions": ["read"]}]}');
      const r = runCli([...argv, '--output-file', 't.json'], { cwd: dir });
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^error: .*\n$/);
      assert.match(r.stderr, message);
      assert.equal(existsSync(join(dir, 't.json')), false);
    });
  }
});

describe('HTTP bodies from a file or standard input', () => {
  test('a body on standard input appends to an existing file, which keeps its other bytes', () => {
    const dir = tempDir('otk-dialects');
    assert.equal(runCli(['create', 'token', '--permission', 'db:a:read', '--name', 'first', '--output-file', 't.json'], { cwd: dir }).status, 0);
    const before = readFileSync(join(dir, 't.json'), 'utf8');
    const body = '{"token_name": "second", "permissions": [{"resource_type": "db", "resource_identifier": ["a"], "actions": ["write"]}]}';
    const r = runCli(['create', 'token', '--from-json', '-', '--output-file', 't.json'], { cwd: dir, input: body });
    assert.equal(r.status, 0, r.stderr);
    const after = readFileSync(join(dir, 't.json'), 'utf8');
    assert.ok(after.startsWith(before.slice(0, before.lastIndexOf('}\n  ]'))), 'the first token is kept as it was');
    const tokens = (readJson(join(dir, 't.json')) as { tokens: { name: string; permissions: string[] }[] }).tokens;
    assert.deepEqual(
      tokens.map((t) => [t.name, t.permissions]),
      [
        ['first', ['db:a:read']],
        ['second', ['db:a:write']],
      ],
    );
  });

  const INVALID: [string, string, RegExp][] = [
    ['not JSON', '{"token_name": "x",', /is not valid JSON/],
    ['a list', '[]', /at \/ must be an object/],
    [
      'a permission without actions',
      '{"token_name": "x", "permissions": [{"resource_type": "db", "resource_identifier": ["a"]}]}',
      /at \/permissions\/0\/actions the required field "actions" is missing/,
    ],
    [
      'an unknown resource type',
      '{"token_name": "x", "permissions": [{"resource_type": "bucket", "resource_identifier": ["a"], "actions": ["read"]}]}',
      /unknown resource type "bucket"/,
    ],
    [
      'a system write',
      '{"token_name": "x", "permissions": [{"resource_type": "system", "resource_identifier": ["health"], "actions": ["write"]}]}',
      /system resources only take the action "read"/,
    ],
    [
      'a bad database name',
      '{"token_name": "x", "permissions": [{"resource_type": "db", "resource_identifier": ["a b"], "actions": ["read"]}]}',
      /the database name "a b" is invalid/,
    ],
    [
      'expiry_secs zero (born expired)',
      '{"token_name": "x", "permissions": [{"resource_type": "db", "resource_identifier": ["a"], "actions": ["read"]}], "expiry_secs": 0}',
      /shorter than one second/,
    ],
    [
      'a field given twice (serde refuses a duplicate field)',
      '{"token_name": "a", "token_n\\u0061me": "b", "permissions": [{"resource_type": "db", "resource_identifier": ["a"], "actions": ["read"]}]}',
      /at \/token_name the field "token_name" is given a second time/,
    ],
    [
      'expiry_secs as a string',
      '{"token_name": "x", "permissions": [{"resource_type": "db", "resource_identifier": ["a"], "actions": ["read"]}], "expiry_secs": "60"}',
      /at \/expiry_secs must be/,
    ],
  ];
  for (const [label, body, message] of INVALID) {
    test(`refused: ${label}; exit 2, the existing file byte for byte`, () => {
      const dir = tempDir('otk-dialects');
      assert.equal(runCli(['create', 'token', '--permission', 'db:a:read', '--name', 'first', '--output-file', 't.json'], { cwd: dir }).status, 0);
      const before = readFileSync(join(dir, 't.json'));
      writeFileSync(join(dir, 'body.json'), body);
      const r = runCli(['create', 'token', '--from-json', 'body.json', '--output-file', 't.json'], { cwd: dir });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^error: [^\n]*\n$/);
      assert.match(r.stderr, message);
      assert.deepEqual(readFileSync(join(dir, 't.json')), before);
    });
  }

  test('a missing body file is exit 1 naming it', () => {
    const dir = tempDir('otk-dialects');
    const r = runCli(['create', 'token', '--from-json', 'nope.json', '--output-file', 't.json'], { cwd: dir });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: nope.json does not exist/);
  });
});
