import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { Problem, Report } from '../../src/domain/validate-file';
import { checkDocument } from '../helpers';

const NOW = Date.UTC(2030, 0, 1); // 1893456000000
const LATER = NOW + 86_400_000;

const T = [
  'apiv3_WuZ2cmgZEoXT_5jHh5eMBMbDePgSYPvUAnZO9y4PCsrR1RhHtIBh3No2j6oz8Os7yCRqY8IdBMFUYjSboY7oAQ',
  'apiv3_vh0yNA3OxUf3b0QFXj9Mo-_Z9YB-RSF0kdeziV1VlApr7iMsyfAahl-krB9fXoHtDUB5XRf2mKrYEmbLUIDWXA',
  'apiv3_i1RarRtOlHCQCNIOka7B2tJW4BkCm7wdhIaaA0dHTA5BVlWSPGCLPnpS_eHMj64ICVMklXTOcpT18zqE4uDrnw',
  'apiv3_Ve5wG89G7P82TooOg_mAvZ2lRb8vmb1VV51so5eT4K7z4dmM3pbanxaV6WsWYhOJlIh86JIy8OeLBdenvNVUzg',
  'apiv3_DMMojRCB5ONDqKZdCRLqQ-7T8rJiRQCrF5yVKq7rFXIhPKZ7yILd1BiWWfTQI5GJrYmJfK03X_hFiRgL9lU4xA',
] as const;
const PLACEHOLDER = 'apiv3_0XXXX-xxxXxXxxxXX_OxxxX...';

type Doc = Record<string, unknown>;

/** A clean permission tokens file: no errors, no warnings at NOW. */
function cleanPermissionFile(): Doc {
  return {
    create_databases: ['db1', 'db2', 'db3'],
    tokens: [
      { token: T[0], name: 't0', expiry_millis: LATER, permissions: ['db:db1,db2:read,write', 'db:db3:read'] },
      { token: T[1], name: 't1', permissions: ['system:health:read'] },
      { token: T[2], name: 't2', permissions: ['db:*:read'] },
      { token: T[3], name: 't3', permissions: ['db:*:read,write'] },
    ],
  };
}
function cleanAdminFile(): Doc {
  return { token: T[4], name: '_admin', expiry_millis: LATER };
}
const tokens = (d: Doc): Doc[] => d.tokens as Doc[];

/** Messages never carry a token string, whatever the problem. */
function assertNoSecrets(r: Report): void {
  for (const p of [...r.errors, ...r.warnings]) {
    assert.ok(!/apiv3_[A-Za-z0-9_-]{8,}/.test(p.message), `message carries a token: ${p.message}`);
    for (const t of [...T, PLACEHOLDER]) assert.ok(!p.message.includes(t.slice(6, 20)), `message carries a token: ${p.message}`);
  }
}
const pointers = (ps: readonly Problem[]): string[] => ps.map((p) => p.pointer);

function only(ps: readonly Problem[], pointer: string, ...fragments: string[]): void {
  assert.deepEqual(pointers(ps), [pointer], JSON.stringify(ps));
  for (const f of fragments) assert.ok(ps[0]!.message.includes(f), `${JSON.stringify(ps[0]!.message)} lacks ${JSON.stringify(f)}`);
}

// ---- clean files ----

test('a clean permission tokens file has no errors and no warnings', () => {
  const r = checkDocument(cleanPermissionFile(), NOW);
  assert.deepEqual(r, { kind: 'permission', errors: [], warnings: [] });
});

test('a clean admin token file has no errors and no warnings', () => {
  assert.deepEqual(checkDocument(cleanAdminFile(), NOW), { kind: 'admin', errors: [], warnings: [] });
  assert.deepEqual(checkDocument({ token: T[4], name: '_admin' }, NOW), { kind: 'admin', errors: [], warnings: [] });
});

test('the minimal file {"tokens": []} is clean', () => {
  assert.deepEqual(checkDocument({ tokens: [] }, NOW), { kind: 'permission', errors: [], warnings: [] });
});

test('unknown fields are allowed at the top level and in token entries', () => {
  const d = cleanPermissionFile();
  d.version = 1;
  d['x-note'] = { any: ['thing'] };
  tokens(d)[0]!.description = 'kept';
  tokens(d)[0]!.labels = { a: 'b' };
  assert.deepEqual(checkDocument(d, NOW), { kind: 'permission', errors: [], warnings: [] });
  const a = cleanAdminFile();
  a.description = 'Admin token';
  assert.deepEqual(checkDocument(a, NOW), { kind: 'admin', errors: [], warnings: [] });
});

// ---- errors: documents that are neither kind ----

for (const doc of [null, [], [{ tokens: [] }], 'tokens', 42, true, {}, { name: '_admin' }]) {
  test(`checkDocument(${JSON.stringify(doc)}) is one error at the root ""`, () => {
    const r = checkDocument(doc, NOW);
    assert.equal(r.kind, undefined);
    assert.deepEqual(pointers(r.errors), ['']);
    // An array is read as the struct written as its fields, and says so.
    assert.ok(r.errors[0]!.message.includes(Array.isArray(doc) ? 'the document is an array' : 'neither a permission tokens file'), r.errors[0]!.message);
    assert.deepEqual(r.warnings, []);
  });
}

test('a document with create_databases but no tokens is a permission tokens file missing /tokens', () => {
  const r = checkDocument({ create_databases: ['a'] }, NOW);
  assert.equal(r.kind, 'permission');
  assert.deepEqual(pointers(r.errors), ['/tokens']);
  assert.match(r.errors[0]!.message, /required field "tokens" is missing/);
});

// ---- errors in permission tokens files, each at its exact pointer ----

interface ErrorCase {
  readonly label: string;
  readonly mutate: (d: Doc) => void;
  readonly pointer: string;
  readonly fragments: readonly string[];
}

const permissionErrors: readonly ErrorCase[] = [
  {
    label: 'bad permission string in the fourth token',
    mutate: (d) => {
      tokens(d)[3]!.permissions = ['db:db1:fly'];
    },
    pointer: '/tokens/3/permissions/0',
    fragments: ['the permission "db:db1:fly" is invalid', 'unknown db action "fly"'],
  },
  {
    label: 'permission with two parts (the schema pattern error is replaced by the precise one)',
    mutate: (d) => {
      tokens(d)[3]!.permissions = ['db:*:read', 'db:db1'];
    },
    pointer: '/tokens/3/permissions/1',
    fragments: ['it has 2 parts separated by ":", expected 3'],
  },
  {
    label: 'permission with four parts',
    mutate: (d) => {
      tokens(d)[0]!.permissions = ['db:db1:read:write'];
    },
    pointer: '/tokens/0/permissions/0',
    fragments: ['it has 4 parts'],
  },
  {
    label: 'permission naming an invalid database',
    mutate: (d) => {
      tokens(d)[1]!.permissions = ['system:health:read', 'db:_bad:read'];
    },
    pointer: '/tokens/1/permissions/1',
    fragments: ['the database name "_bad" is invalid'],
  },
  {
    label: 'permission that is not a string',
    mutate: (d) => {
      tokens(d)[0]!.permissions = [42];
    },
    pointer: '/tokens/0/permissions/0',
    fragments: ['must be a string'],
  },
  {
    label: 'duplicate name',
    mutate: (d) => {
      tokens(d)[1]!.name = 't0';
    },
    pointer: '/tokens/1/name',
    fragments: ['the token name "t0" is also used at /tokens/0/name', 'unique'],
  },
  {
    label: 'invalid database name in create_databases',
    mutate: (d) => {
      d.create_databases = ['db1', 'db2', 'bad name', 'db3'];
    },
    pointer: '/create_databases/2',
    fragments: ['the database name "bad name" is invalid', 'contains " "'],
  },
  {
    label: 'empty database name in create_databases',
    mutate: (d) => {
      d.create_databases = ['db1', 'db2', 'db3', ''];
    },
    pointer: '/create_databases/3',
    fragments: ['the name is empty'],
  },
  {
    label: 'database name that is not a string',
    mutate: (d) => {
      d.create_databases = ['db1', 'db2', 'db3', 7];
    },
    pointer: '/create_databases/3',
    fragments: ['must be a string'],
  },
  {
    label: 'create_databases that is not an array',
    mutate: (d) => {
      d.create_databases = 'db1,db2,db3';
    },
    pointer: '/create_databases',
    fragments: ['must be an array'],
  },
  {
    label: 'token without apiv3_',
    mutate: (d) => {
      tokens(d)[0]!.token = T[0].slice(6);
    },
    pointer: '/tokens/0/token',
    fragments: ['the token must begin with apiv3_'],
  },
  {
    label: 'token that is not a string',
    mutate: (d) => {
      tokens(d)[2]!.token = 12345;
    },
    pointer: '/tokens/2/token',
    fragments: ['must be a string'],
  },
  {
    label: 'expiry_millis with a fraction',
    mutate: (d) => {
      tokens(d)[0]!.expiry_millis = LATER + 0.5;
    },
    pointer: '/tokens/0/expiry_millis',
    fragments: ['must be an integer'],
  },
  {
    label: 'expiry_millis as a string',
    mutate: (d) => {
      tokens(d)[0]!.expiry_millis = String(LATER);
    },
    pointer: '/tokens/0/expiry_millis',
    fragments: ['must be an integer'],
  },
  {
    label: 'missing name',
    mutate: (d) => {
      delete tokens(d)[0]!.name;
    },
    pointer: '/tokens/0/name',
    fragments: ['the required field "name" is missing'],
  },
  {
    label: 'missing token',
    mutate: (d) => {
      delete tokens(d)[2]!.token;
    },
    pointer: '/tokens/2/token',
    fragments: ['the required field "token" is missing'],
  },
  {
    label: 'missing permissions',
    mutate: (d) => {
      delete tokens(d)[1]!.permissions;
    },
    pointer: '/tokens/1/permissions',
    fragments: ['the required field "permissions" is missing'],
  },
  {
    label: 'empty permissions',
    mutate: (d) => {
      tokens(d)[1]!.permissions = [];
    },
    pointer: '/tokens/1/permissions',
    fragments: ['must have at least 1 item'],
  },
  {
    label: 'token entry that is not an object',
    mutate: (d) => {
      tokens(d)[1] = 'db:db1:read' as unknown as Doc;
    },
    pointer: '/tokens/1',
    fragments: ['must be an object'],
  },
  {
    label: 'tokens that is not an array',
    mutate: (d) => {
      d.tokens = {};
    },
    pointer: '/tokens',
    fragments: ['must be an array'],
  },
];

for (const c of permissionErrors) {
  test(`permission file error: ${c.label} -> ${c.pointer}`, () => {
    const d = cleanPermissionFile();
    c.mutate(d);
    const r = checkDocument(d, NOW);
    assert.equal(r.kind, 'permission');
    only(r.errors, c.pointer, ...c.fragments);
    assertNoSecrets(r);
  });
}

test('every problem is reported, not only the first', () => {
  const d = cleanPermissionFile();
  d.create_databases = ['ok', 'bad/one/two'];
  tokens(d)[0]!.expiry_millis = 1.5;
  tokens(d)[1]!.name = 't0';
  tokens(d)[2]!.token = 'nope';
  tokens(d)[3]!.permissions = ['*:*:*', 'db:ok:read', 'oops'];
  const r = checkDocument(d, NOW, { warnings: false });
  assert.deepEqual(
    [...pointers(r.errors)].sort(),
    ['/create_databases/1', '/tokens/0/expiry_millis', '/tokens/1/name', '/tokens/2/token', '/tokens/3/permissions/0', '/tokens/3/permissions/2'].sort(),
  );
});

test('a name used three times is reported at the second and third use', () => {
  const d = cleanPermissionFile();
  tokens(d)[1]!.name = 't0';
  tokens(d)[3]!.name = 't0';
  const r = checkDocument(d, NOW);
  assert.deepEqual(pointers(r.errors), ['/tokens/1/name', '/tokens/3/name']);
  assert.ok(r.errors.every((p) => p.message.includes('/tokens/0/name')));
});

// ---- errors in admin token files ----

const adminErrors: readonly ErrorCase[] = [
  { label: 'missing name', mutate: (d) => void delete d.name, pointer: '/name', fragments: ['the required field "name" is missing'] },
  { label: 'token without apiv3_', mutate: (d) => void (d.token = 'secret-token-value'), pointer: '/token', fragments: ['the token must begin with apiv3_'] },
  { label: 'token not a string', mutate: (d) => void (d.token = ['apiv3_x']), pointer: '/token', fragments: ['must be a string'] },
  { label: 'expiry_millis with a fraction', mutate: (d) => void (d.expiry_millis = 1.25), pointer: '/expiry_millis', fragments: ['must be an integer'] },
  { label: 'expiry_millis as a string', mutate: (d) => void (d.expiry_millis = '2030-01-01'), pointer: '/expiry_millis', fragments: ['must be an integer'] },
];

for (const c of adminErrors) {
  test(`admin file error: ${c.label} -> ${c.pointer}`, () => {
    const d = cleanAdminFile();
    c.mutate(d);
    const r = checkDocument(d, NOW);
    assert.equal(r.kind, 'admin');
    only(r.errors, c.pointer, ...c.fragments);
    assert.ok(!r.errors[0]!.message.includes('secret-token-value'));
  });
}

// ---- warnings ----

test('warning: a token that expired (fixed now)', () => {
  const d = cleanPermissionFile();
  tokens(d)[2]!.expiry_millis = NOW - 1;
  const r = checkDocument(d, NOW);
  assert.deepEqual(r.errors, []);
  only(r.warnings, '/tokens/2/expiry_millis', 'the token expired at 2029-12-31T23:59:59.999Z');
});

test('warning: a token expiring exactly now counts as expired; one ms later does not', () => {
  const d = cleanPermissionFile();
  tokens(d)[0]!.expiry_millis = NOW;
  only(checkDocument(d, NOW).warnings, '/tokens/0/expiry_millis', '2030-01-01T00:00:00.000Z');
  tokens(d)[0]!.expiry_millis = NOW + 1;
  assert.deepEqual(checkDocument(d, NOW).warnings, []);
});

test('warning: an expiry far in the past (before the year -271821, outside Date) is a warning, not a crash', () => {
  // Integers the schema accepts but Date cannot show: new Date(-1e16).toISOString() throws.
  for (const millis of [-1e16, Number.MIN_SAFE_INTEGER]) {
    const d = cleanPermissionFile();
    tokens(d)[1]!.expiry_millis = millis;
    let r: Report | undefined;
    assert.doesNotThrow(() => {
      r = checkDocument(d, NOW);
    }, `expiry_millis ${millis}`);
    assert.deepEqual(r!.errors, []);
    only(r!.warnings, '/tokens/1/expiry_millis', 'expired');
    const a = cleanAdminFile();
    a.expiry_millis = millis;
    assert.doesNotThrow(() => {
      r = checkDocument(a, NOW);
    }, `admin expiry_millis ${millis}`);
    only(r!.warnings, '/expiry_millis', 'expired');
  }
});

test('warning: an expired admin token', () => {
  const a = cleanAdminFile();
  a.expiry_millis = 1756400061529;
  const r = checkDocument(a, NOW);
  assert.deepEqual(r.errors, []);
  only(r.warnings, '/expiry_millis', 'the token expired at 2025-08-28T16:54:21.529Z');
});

test('warning: a db permission naming a database not in create_databases', () => {
  const d = cleanPermissionFile();
  tokens(d)[1]!.permissions = ['system:health:read', 'db:db1,other:read'];
  const r = checkDocument(d, NOW);
  assert.deepEqual(r.errors, []);
  only(r.warnings, '/tokens/1/permissions/1', 'the database "other" is not in create_databases');
});

test('warning: every undeclared database is named; a file without create_databases warns for each', () => {
  const d: Doc = { tokens: [{ token: T[0], name: 'n', permissions: ['db:a,b:read', 'db:*:write', 'system:*:read'] }] };
  const r = checkDocument(d, NOW);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(pointers(r.warnings), ['/tokens/0/permissions/0', '/tokens/0/permissions/0']);
  assert.ok(r.warnings[0]!.message.includes('"a"'));
  assert.ok(r.warnings[1]!.message.includes('"b"'));
});

test('no undeclared-database warning for wildcards and system', () => {
  const d: Doc = {
    create_databases: [],
    tokens: [{ token: T[0], name: 'n', permissions: ['db:*:read', 'db:*,*:write', 'system:health,ping:read'] }],
  };
  assert.deepEqual(checkDocument(d, NOW), { kind: 'permission', errors: [], warnings: [] });
});

test('warning: the documentation placeholder token', () => {
  const d = cleanPermissionFile();
  tokens(d)[0]!.token = PLACEHOLDER;
  const r = checkDocument(d, NOW);
  assert.deepEqual(r.errors, []);
  only(r.warnings, '/tokens/0/token', 'the token string looks weak', 'like a placeholder');
  assertNoSecrets(r);
});

test('warning: a weak token (short, repetitive) in both kinds', () => {
  const d = cleanPermissionFile();
  tokens(d)[3]!.token = 'apiv3_abc';
  only(checkDocument(d, NOW).warnings, '/tokens/3/token', 'it has 3 characters after apiv3_');
  tokens(d)[3]!.token = `apiv3_${'A'.repeat(86)}`;
  only(checkDocument(d, NOW).warnings, '/tokens/3/token', 'repeat too much');
  const a = cleanAdminFile();
  a.token = PLACEHOLDER;
  const r = checkDocument(a, NOW);
  assert.deepEqual(r.errors, []);
  only(r.warnings, '/token', 'like a placeholder');
});

test('warning: the same token string twice', () => {
  const d = cleanPermissionFile();
  tokens(d)[2]!.token = T[0];
  const r = checkDocument(d, NOW);
  assert.deepEqual(r.errors, []);
  only(r.warnings, '/tokens/2/token', 'the same token string is also used at /tokens/0/token');
  assertNoSecrets(r);
});

test('warning: a database listed twice in create_databases', () => {
  const d = cleanPermissionFile();
  d.create_databases = ['db1', 'db2', 'db1', 'db3'];
  const r = checkDocument(d, NOW);
  assert.deepEqual(r.errors, []);
  only(r.warnings, '/create_databases/2', 'the database "db1" is listed twice');
});

test('{warnings: false} returns no warnings but still every error', () => {
  const d = cleanPermissionFile();
  d.create_databases = ['db1', 'db1', 'db2', 'db3'];
  tokens(d)[0]!.expiry_millis = NOW - 1000;
  tokens(d)[1]!.token = PLACEHOLDER;
  tokens(d)[2]!.token = T[0];
  tokens(d)[3]!.permissions = ['db:undeclared:read'];
  const withWarnings = checkDocument(d, NOW);
  assert.deepEqual(withWarnings.errors, []);
  assert.deepEqual(
    [...pointers(withWarnings.warnings)].sort(),
    ['/create_databases/1', '/tokens/0/expiry_millis', '/tokens/1/token', '/tokens/2/token', '/tokens/3/permissions/0'].sort(),
  );
  assert.deepEqual(checkDocument(d, NOW, { warnings: false }), { kind: 'permission', errors: [], warnings: [] });

  tokens(d)[1]!.name = 't0';
  assert.deepEqual(checkDocument(d, NOW, { warnings: false }).warnings, []);
  assert.deepEqual(pointers(checkDocument(d, NOW, { warnings: false }).errors), ['/tokens/1/name']);

  const a = cleanAdminFile();
  a.token = PLACEHOLDER;
  a.expiry_millis = NOW - 1;
  assert.equal(checkDocument(a, NOW).warnings.length, 2);
  assert.deepEqual(checkDocument(a, NOW, { warnings: false }), { kind: 'admin', errors: [], warnings: [] });
});

test('checkDocument does not mutate the document', () => {
  const d = cleanPermissionFile();
  tokens(d)[1]!.name = 't0';
  const before = JSON.stringify(d);
  checkDocument(d, NOW);
  assert.equal(JSON.stringify(d), before);
});

// ---- the server's own rules for permission strings (SPEC 4) ----

test('*:*:* in a permission tokens file is an error naming the admin token', () => {
  const d = cleanPermissionFile();
  tokens(d)[2]!.permissions = ['db:*:read', '*:*:*'];
  only(checkDocument(d, NOW).errors, '/tokens/2/permissions/1', '* resource type can only be set for an admin token');
});

test('system names in another case or with spaces load, with a warning giving the canonical form', () => {
  const d = cleanPermissionFile();
  tokens(d)[1]!.permissions = ['system:HEALTH, ping :read'];
  const r = checkDocument(d, NOW);
  assert.deepEqual(r.errors, []);
  only(r.warnings, '/tokens/1/permissions/0', '"HEALTH"', '" ping "', '"system:health,ping:read"');
});

// ---- the server's serde reader decides when the text is given (SPEC 8.1) ----

const text = (d: unknown): string => `${JSON.stringify(d, null, 2)}\n`;
function checkText(t: string, opts: { warnings?: boolean; kind?: 'admin' | 'permission' } = {}): Report {
  return checkDocument(JSON.parse(t), NOW, { warnings: opts.warnings ?? true, text: t, ...(opts.kind ? { kind: opts.kind } : {}) });
}

const serdeErrors: Array<{ label: string; text: string; pointer: string; fragment: string }> = [
  { label: 'a known field twice', text: `{"token":"${T[4]}","name":"a","name":"b"}`, pointer: '/name', fragment: 'more than once' },
  {
    label: 'a known field twice, once spelled with escapes',
    text: `{"token":"${T[4]}","name":"a","n\\u0061me":"b"}`,
    pointer: '/name',
    fragment: 'more than once',
  },
  {
    label: 'expiry_millis twice, the first null',
    text: `{"token":"${T[4]}","name":"a","expiry_millis":null,"expiry_millis":${LATER}}`,
    pointer: '/expiry_millis',
    fragment: 'more than once',
  },
  {
    label: 'a duplicate in a token entry',
    text: `{"tokens":[{"token":"${T[0]}","name":"a","permissions":["db:a:read"],"permissions":["db:a:read"]}]}`,
    pointer: '/tokens/0/permissions',
    fragment: 'more than once',
  },
  { label: 'a lone surrogate in the name', text: `{"token":"${T[4]}","name":"\\ud800"}`, pointer: '/name', fragment: 'lone or reversed surrogate' },
  {
    label: 'a reversed pair in a permission',
    text: `{"tokens":[{"token":"${T[0]}","name":"a","permissions":["db:a:read\\udc00\\ud800"]}]}`,
    pointer: '/tokens/0/permissions/0',
    fragment: 'surrogate',
  },
  {
    label: 'a lone surrogate in an unknown key of the struct',
    text: `{"token":"${T[4]}","name":"a","\\udfff":1}`,
    pointer: '',
    fragment: 'a key of this object',
  },
  { label: 'expiry_millis -0', text: `{"token":"${T[4]}","name":"a","expiry_millis":-0}`, pointer: '/expiry_millis', fragment: 'as a float' },
  { label: 'expiry_millis 1.0', text: `{"token":"${T[4]}","name":"a","expiry_millis":${LATER}.0}`, pointer: '/expiry_millis', fragment: 'as a float' },
  {
    label: 'expiry_millis 1e12',
    text: `{"tokens":[{"token":"${T[0]}","name":"a","expiry_millis":1e13,"permissions":["db:a:read"]}]}`,
    pointer: '/tokens/0/expiry_millis',
    fragment: 'as a float',
  },
  {
    label: 'expiry_millis 2^63',
    text: `{"token":"${T[4]}","name":"a","expiry_millis":9223372036854775808}`,
    pointer: '/expiry_millis',
    fragment: 'signed 64-bit',
  },
  {
    label: 'expiry_millis -2^63-1',
    text: `{"token":"${T[4]}","name":"a","expiry_millis":-9223372036854775809}`,
    pointer: '/expiry_millis',
    fragment: 'signed 64-bit',
  },
  { label: 'tokens null', text: '{"tokens":null}', pointer: '/tokens', fragment: 'must be an array' },
  { label: 'an array of two fields for an admin file', text: `["${T[4]}","a"]`, pointer: '', fragment: 'needs exactly 3' },
];
for (const c of serdeErrors) {
  test(`serde refuses ${c.label}: error at ${c.pointer || '/'}`, () => {
    const r = checkText(c.text);
    assert.ok(
      r.errors.some((p) => p.pointer === c.pointer && p.message.includes(c.fragment)),
      JSON.stringify(r.errors),
    );
    assertNoSecrets(r);
  });
}

test('serde loads what JSON.parse would take, and more: extreme i64, unknown duplicates, deep unknown values, lone surrogates in unknown values', () => {
  const loads = [
    `{"token":"${T[4]}","name":"a","expiry_millis":9223372036854775807}`,
    `{"token":"${T[4]}","name":"a","expiry_millis":-9223372036854775808}`,
    `{"token":"${T[4]}","name":"a","x":1,"x":2,"y":"\\ud800","z":{"\\udc00":["\\ud800"]}}`,
    `{"tokens":[],"x":${'['.repeat(100000)}${']'.repeat(100000)}}`,
    `{"token":"${T[4]}","name":"\\u005fadmin\\ud83d\\ude00"}`,
  ];
  for (const t of loads) assert.deepEqual(checkText(t, { warnings: false }).errors, [], t.slice(0, 120));
});

test('null for an optional field and an empty name load, with warnings', () => {
  const r = checkText(`{"create_databases":null,"tokens":[{"token":"${T[0]}","name":"","expiry_millis":null,"permissions":["db:*:read"]}]}`);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(pointers(r.warnings).sort(), ['/create_databases', '/tokens/0/expiry_millis', '/tokens/0/name']);
});

test('the array form loads, with a warning, and is flagged for appends', () => {
  const admin = checkText(`["${T[4]}","_admin",null]`);
  assert.equal(admin.kind, 'admin');
  assert.deepEqual(admin.errors, []);
  assert.equal(admin.arrayForm, true);
  assert.ok(admin.warnings.some((w) => w.pointer === '' && w.message.includes('array')));
  const perm = checkText(`{"tokens":[["${T[0]}","t",null,["db:a:fly"]]]}`);
  assert.equal(perm.kind, 'permission');
  assert.equal(perm.arrayForm, true);
  // The rules beyond serde still apply to what the array holds.
  only(perm.errors, '/tokens/0/permissions/0', 'unknown db action "fly"');
  assert.equal(checkText(text(cleanAdminFile())).arrayForm, undefined);
});

test('kind: an admin token file that also carries create_databases loads as an admin file', () => {
  const t = `{"token":"${T[4]}","name":"_admin","create_databases":["a"]}`;
  assert.deepEqual(checkText(t, { kind: 'admin' }), { kind: 'admin', errors: [], warnings: [] });
  assert.ok(checkText(t, { kind: 'permission' }).errors.some((p) => p.pointer === '/tokens'));
});

test('a clean file gives the same report with and without its text', () => {
  for (const d of [cleanPermissionFile(), cleanAdminFile()]) assert.deepEqual(checkText(text(d)), checkDocument(d, NOW));
});
