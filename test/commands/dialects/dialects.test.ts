/**
 * Every dialect's mapping, from real command-line words (through the real reader) to the
 * request `create token` acts on. Tables: what each line asks for, and why each bad line
 * is refused. No file is touched: a body or a token value is handed in through the input.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestOf } from '../../../src/commands/create-token';
import { readArgv } from '../../../src/commands/argv';
import { COMMANDS } from '../../../src/commands';
import { DIALECTS, type RequestInput } from '../../../src/commands/dialects';
import type { TokenFileError } from '../../../src/errors';
import { freshToken, isUsageError } from '../../helpers';

const STRONG = freshToken();

function input(files: Record<string, string> = {}, env: Record<string, string> = {}): RequestInput {
  return {
    env,
    readText: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`test reads an unknown file ${path}`);
      return text;
    },
  };
}

function plan(line: string[], io: RequestInput = input()) {
  const reading = readArgv(['create', 'token', '--output-file', 't.json', ...line], COMMANDS);
  assert.equal(reading.kind, 'run');
  return requestOf(reading.kind === 'run' ? reading.args : (undefined as never), io);
}

function refused(line: string[], io: RequestInput = input()): TokenFileError {
  try {
    plan(line, io);
  } catch (e) {
    if (isUsageError(e)) return e;
    throw e;
  }
  assert.fail(`${line.join(' ')} was accepted`);
}

const body = (o: unknown): string => JSON.stringify(o);
const dbBody = (extra: Record<string, unknown> = {}): string =>
  body({ token_name: 'api', permissions: [{ resource_type: 'db', resource_identifier: ['a', 'b'], actions: ['write', 'read'] }], ...extra });

// [label, words, files for --from-json, expected kind, name, permissions (or undefined for admin)]
const OK: readonly (readonly [string, string[], Record<string, string>, 'admin' | 'permission', string, string[] | undefined])[] = [
  ['influxdb3 --permission', ['--permission', 'db:a:write,read', '--name', 'n'], {}, 'permission', 'n', ['db:a:read,write']],
  [
    'influxdb3 bare --permission',
    ['--permission', '--name', 'n', 'db:a:read', 'system:health:read'],
    {},
    'permission',
    'n',
    ['db:a:read', 'system:health:read'],
  ],
  ['influxdb3 --admin', ['--admin'], {}, 'admin', '_admin', undefined],
  ['influxdb3 -Hvalue is ignored', ['-Hhttp://localhost:8181', '--admin'], {}, 'admin', '_admin', undefined],
  [
    'influxctl read+write merged per database',
    ['--read-database', 'a', '--read-database', 'b', '--write-database', 'b', 'my token'],
    {},
    'permission',
    'my token',
    ['db:a:read', 'db:b:read,write'],
  ],
  ['influxctl write before read still reads read,write', ['--write-database', 'a', '--read-database', 'a', 'd'], {}, 'permission', 'd', ['db:a:read,write']],
  ['influxctl wildcard', ['--read-database', '*', '--write-database', '*', 'all'], {}, 'permission', 'all', ['db:*:read,write']],
  ['influxctl repeated database once', ['--read-database', 'a', '--read-database', 'a', 'd'], {}, 'permission', 'd', ['db:a:read']],
  [
    'influx v2 buckets',
    ['--read-bucket', 'b1', '--write-bucket', 'b1', '--read-bucket', 'b2'],
    {},
    'permission',
    'db:b1:read,write db:b2:read',
    ['db:b1:read,write', 'db:b2:read'],
  ],
  ['influx v2 -d names it', ['--write-bucket', 'b1', '-d', 'telegraf'], {}, 'permission', 'telegraf', ['db:b1:write']],
  ['influx v2 all buckets', ['--read-buckets', '--write-buckets', '--description', 'x'], {}, 'permission', 'x', ['db:*:read,write']],
  ['influx v2 --all-access', ['--all-access'], {}, 'admin', '_admin', undefined],
  ['influx v2 --operator with -d', ['--operator', '-d', 'ops'], {}, 'admin', 'ops', undefined],
  ['influx v2 --org ignored', ['--read-bucket', 'b', '-o', 'my-org', '-d', 'x'], {}, 'permission', 'x', ['db:b:read']],
  ['HTTP body', ['--from-json', 'b.json'], { 'b.json': dbBody() }, 'permission', 'api', ['db:a,b:read,write']],
  [
    'HTTP body, system resource and null expiry',
    ['--from-json', 'b.json'],
    { 'b.json': body({ token_name: 's', permissions: [{ resource_type: 'system', resource_identifier: ['health'], actions: ['read'] }], expiry_secs: null }) },
    'permission',
    's',
    ['system:health:read'],
  ],
  ['HTTP body on stdin', ['--from-json', '-'], { '-': dbBody() }, 'permission', 'api', ['db:a,b:read,write']],
];

for (const [label, line, files, kind, name, permissions] of OK) {
  test(`maps: ${label}`, () => {
    const { request: opts } = plan(line, input(files));
    assert.equal(opts.kind, kind);
    assert.equal(opts.name, name);
    assert.deepEqual(opts.kind === 'permission' ? opts.permissions : undefined, permissions);
  });
}

test('maps: --admin --regenerate replaces the admin file, as --force does', () => {
  const { request: opts } = plan(['--admin', '--regenerate']);
  assert.equal(opts.kind === 'admin' && opts.force, true);
});

test('maps: influx v2 --json asks for JSON output; --org is a notice', () => {
  const p = plan(['--read-bucket', 'b', '--json', '--org', 'o']);
  assert.equal(p.format, 'json');
  assert.deepEqual(p.notices, ['--org ignored: InfluxDB 3 has no organisations.']);
});

test('maps: expiry from the influxctl --expires-at, the body expiry_secs, or --expiry', () => {
  const ctl = plan(['--read-database', 'a', '--expires-at', '2030-01-01T00:00:00+0000', 'd']);
  assert.deepEqual(ctl.request.expiry, { kind: 'instant', text: '2030-01-01T00:00:00+0000', millis: Date.UTC(2030, 0, 1) });
  assert.deepEqual(ctl.spelling, { name: 'the description argument', expiry: '--expires-at' });
  const body = plan(['--from-json', 'b.json'], input({ 'b.json': dbBody({ expiry_secs: 300000 }) }));
  const http = body.request.expiry;
  assert.equal(http?.kind === 'duration' && http.duration.secs, 300000n);
  // The library's errors about the expiry are worded with the body's key, not a flag.
  assert.equal(body.spelling.expiry, 'expiry_secs of --from-json b.json');
  const v2 = plan(['--read-bucket', 'b', '--expiry', '7d']).request.expiry;
  assert.equal(v2?.kind === 'duration' && v2.duration.secs, 604800n);
});

test('maps: the body names the fields the server would ignore', () => {
  const p = plan(
    ['--from-json', 'b.json'],
    input({
      'b.json': body({ token_name: 'x', expiry_sec: 5, permissions: [{ resource_type: 'db', resource_identifier: ['a'], actions: ['read'], note: 1 }] }),
    }),
  );
  assert.match(p.notices[0]!, /\/expiry_sec, \/permissions\/0\/note ignored/);
});

// One flag of each dialect, with what makes the rest of the line valid for that dialect.
const SAMPLE: Record<string, string[]> = {
  influxdb3: ['--name', 'n'],
  influxctl: ['--read-database', 'a'],
  'influx v2': ['--read-bucket', 'b'],
  'HTTP API body': ['--from-json', 'b.json'],
};

test('every dialect has a sample flag in this table', () => {
  assert.deepEqual(DIALECTS.map((d) => d.label).sort(), Object.keys(SAMPLE).sort());
});

for (const a of DIALECTS) {
  for (const b of DIALECTS) {
    if (a === b) continue;
    test(`refuses a mix: ${a.label} then ${b.label}`, () => {
      const e = refused([...SAMPLE[a.label]!, ...SAMPLE[b.label]!], input({ 'b.json': dbBody() }));
      assert.match(e.message, new RegExp(`${SAMPLE[a.label]![0]} \\(${a.label}\\)|${SAMPLE[b.label]![0]} \\(${b.label}\\)`));
      assert.ok(e.message.includes(SAMPLE[a.label]![0]!) && e.message.includes(SAMPLE[b.label]![0]!), e.message);
    });
  }
}

test('refuses every flag of one dialect mixed with one of another (each flag counts)', () => {
  for (const d of DIALECTS) {
    for (const [flag, spec] of Object.entries(d.flags)) {
      const own = spec.type === 'boolean' ? [`--${flag}`] : [`--${flag}`, 'x'];
      const other = d.label === 'influxdb3' ? SAMPLE.influxctl! : SAMPLE.influxdb3!;
      const e = refused([...own, ...other]);
      assert.match(e.message, /come from different command lines/, `${flag}: ${e.message}`);
    }
  }
});

const BAD: readonly (readonly [string, string[], Record<string, string>, RegExp])[] = [
  ['*:*:* in a permission token', ['--permission', '*:*:*', '--name', 'n'], {}, /only the admin token.*--admin/],
  ['words without a bare --permission', ['--name', 'n', 'db:a:read'], {}, /permissions given as arguments follow a bare --permission/],
  ['--regenerate without --admin', ['--regenerate', '--permission', 'db:a:read', '--name', 'n'], {}, /--regenerate only applies to --admin/],
  ['influxctl without a description', ['--read-database', 'a'], {}, /needs the token description/],
  ['influxctl with two descriptions', ['--read-database', 'a', 'one', 'two'], {}, /one description argument.*2 words/],
  ['influxctl empty description', ['--read-database', 'a', ''], {}, /the description argument is empty/],
  ['influxctl bad database', ['--read-database', 'a b', 'd'], {}, /--read-database "a b" is not a database name/],
  ['influxctl list in one flag', ['--write-database', 'a,b', 'd'], {}, /--write-database "a,b" is not a database name/],
  ['influxctl wildcard mixed into a name', ['--read-database', 'a*', 'd'], {}, /--read-database "a\*"/],
  ['influxctl with --create-databases on an admin? no: with --admin', ['--read-database', 'a', '--admin', 'd'], {}, /different command lines/],
  ['influx v2 refused resource', ['--read-bucket', 'b', '--read-dashboards'], {}, /--read-dashboards has no counterpart: InfluxDB 3 has no dashboards/],
  ['influx v2 notification flag', ['--write-notificationRules'], {}, /--write-notificationRules has no counterpart/],
  ['influx v2 nothing granted', ['-d', 'x'], {}, /needs --read-bucket/],
  ['influx v2 all-access with a bucket', ['--all-access', '--read-bucket', 'b'], {}, /--all-access already grants everything/],
  ['influx v2 --json with --format text', ['--read-bucket', 'b', '--json', '--format', 'text'], {}, /--json and --format text contradict/],
  ['influx v2 positional word', ['--read-bucket', 'b', 'stray'], {}, /influx v2 form takes no arguments/],
  [
    'admin with --create-databases names the admin flag',
    ['--all-access', '--create-databases', 'a'],
    {},
    /--all-access cannot be combined with --create-databases/,
  ],
  ['--force on a permission token', ['--read-bucket', 'b', '--force'], {}, /--force only applies to --admin/],
  ['body: not JSON', ['--from-json', 'b.json'], { 'b.json': '{"token_name": ' }, /--from-json b.json is not valid JSON: .* line 1, column 16/],
  ['body: no token_name', ['--from-json', 'b.json'], { 'b.json': body({ permissions: [] }) }, /at \/token_name the required field "token_name" is missing/],
  ['body: no permissions', ['--from-json', 'b.json'], { 'b.json': body({ token_name: 'x', permissions: [] }) }, /at \/permissions must have at least 1 item/],
  [
    'body: identifier not a list',
    ['--from-json', 'b.json'],
    { 'b.json': body({ token_name: 'x', permissions: [{ resource_type: 'db', resource_identifier: 'a', actions: ['read'] }] }) },
    /at \/permissions\/0\/resource_identifier must be an array/,
  ],
  ['body: negative expiry', ['--from-json', 'b.json'], { 'b.json': dbBody({ expiry_secs: -1 }) }, /at \/expiry_secs must be >= 0/],
  ['body: fractional expiry', ['--from-json', 'b.json'], { 'b.json': dbBody({ expiry_secs: 1.5 }) }, /at \/expiry_secs must be an integer/],
  [
    'body: 300000.0 is a float to serde',
    ['--from-json', 'b.json'],
    { 'b.json': dbBody().replace(/}$/, ', "expiry_secs": 300000.0}') },
    /at \/expiry_secs the number must be written as an integer/,
  ],
  [
    'body: and --expiry',
    ['--from-json', 'b.json', '--expiry', '1d'],
    { 'b.json': dbBody({ expiry_secs: 60 }) },
    /--expiry and expiry_secs of --from-json b.json both set the expiry/,
  ],
  [
    'body: unknown action',
    ['--from-json', 'b.json'],
    { 'b.json': body({ token_name: 'x', permissions: [{ resource_type: 'db', resource_identifier: ['a'], actions: ['fly'] }] }) },
    /at \/permissions\/0 the permission "db:a:fly" is invalid: unknown db action "fly"/,
  ],
  [
    'body: comma inside a name',
    ['--from-json', 'b.json'],
    { 'b.json': body({ token_name: 'x', permissions: [{ resource_type: 'db', resource_identifier: ['a,b'], actions: ['read'] }] }) },
    /at \/permissions\/0\/resource_identifier\/0 holds ","/,
  ],
  [
    'body: * resource type',
    ['--from-json', 'b.json'],
    { 'b.json': body({ token_name: 'x', permissions: [{ resource_type: '*', resource_identifier: ['*'], actions: ['*'] }] }) },
    /only for the admin token. Create an admin token with --admin/,
  ],
  [
    'body: empty token_name',
    ['--from-json', 'b.json'],
    { 'b.json': body({ token_name: '', permissions: [{ resource_type: 'db', resource_identifier: ['a'], actions: ['read'] }] }) },
    /token_name of --from-json b.json is empty/,
  ],
  ['body: with arguments', ['--from-json', 'b.json', '--', 'x'], { 'b.json': dbBody() }, /drop the 1 extra argument/],
  ['body: an empty path', ['--from-json', ''], {}, /--from-json needs the path of the body file/],
  ['body and token value both on stdin', ['--from-json', '-', '--token-value-from', 'stdin'], { '-': dbBody() }, /both read standard input/],
];

for (const [label, line, files, message] of BAD) {
  test(`refuses: ${label}`, () => {
    assert.match(refused(line, input(files)).message, message);
  });
}

// Bring-your-own values: the source is read through the input, checked, never quoted back.
const BYO_OK: readonly (readonly [string, string, Record<string, string>, Record<string, string>])[] = [
  ['env', 'env:TOKEN', {}, { TOKEN: STRONG }],
  ['file with a trailing newline', 'file:/run/secret', { '/run/secret': `${STRONG}\n` }, {}],
  ['file with a trailing CRLF', 'file:/run/secret', { '/run/secret': `${STRONG}\r\n` }, {}],
  ['stdin', 'stdin', { '-': `${STRONG}\n` }, {}],
  ['a 22-character body', 'env:T', {}, { T: 'apiv3_Vx3kP9qLm2ZrT8yWc4NbHd' }],
];
for (const [label, source, files, env] of BYO_OK) {
  test(`token value from ${label}`, () => {
    for (const line of [['--permission', 'db:a:read', '--name', 'n'], ['--admin']]) {
      const { request: opts } = plan([...line, '--token-value-from', source], input(files, env));
      assert.equal(opts.tokenValue, env.TOKEN ?? env.T ?? STRONG);
    }
  });
}

const WEAK = [
  ['no prefix', 'Vx3kP9qLm2ZrT8yWc4NbHdQ', /does not begin with apiv3_/],
  ['too short', 'apiv3_Vx3kP9qLm2ZrT8yWc4Nbq', /21 characters after apiv3_, fewer than the 22/],
  ['repetitive', `apiv3_${'ab'.repeat(20)}`, /repeat too much/],
  ['placeholder', 'apiv3_0XXXX-xxxXxXxxxXX_OxxxX...', /outside base64url/],
  ['two trailing newlines', `${STRONG}\n\n`, /outside base64url/],
  ['empty', '', /it is empty/],
] as const;
for (const [label, value, reason] of WEAK) {
  for (const source of ['env:T', 'file:/s', 'stdin']) {
    test(`refuses a ${label} token value from ${source}, without quoting it`, () => {
      const e = refused(['--admin', '--token-value-from', source], input({ '/s': value, '-': value }, { T: value }));
      assert.match(e.message, reason);
      if (value.length > 6) assert.ok(!e.message.includes(value.trim().slice(6)), e.message);
    });
  }
}

test('refuses token value sources that are not env:, file: or stdin, never quoting a pasted token', () => {
  for (const source of ['env:', 'env:1X', 'file:', 'vault:x', STRONG]) {
    const e = refused(['--admin', '--token-value-from', source]);
    assert.match(e.message, /^--token-value-from is not understood/);
    assert.ok(!e.message.includes(STRONG.slice(6)), e.message);
  }
  assert.match(refused(['--admin', '--token-value-from', STRONG]).message, /never taken from the command line/);
  assert.match(refused(['--admin', '--token-value-from', 'env:NOPE']).message, /environment variable NOPE is not set/);
});
