import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import {
  DB_ACTIONS,
  SYSTEM_RESOURCES,
  databasesOf,
  formatPermission,
  parsePermission,
  permissionFileProblem,
  type Permission,
} from '../../src/domain/permissions';

/** A valid permission string and its normalised form (what formatPermission writes). */
interface Valid {
  readonly input: string;
  readonly expected: string;
}
/** An invalid permission string and substrings the reason must contain. */
interface Invalid {
  readonly input: string;
  readonly reason: readonly string[];
}

const valid: readonly Valid[] = [
  // db, one name, the documentation's examples
  { input: 'db:my_database:read,write', expected: 'db:my_database:read,write' },
  { input: 'db:my_database:read', expected: 'db:my_database:read' },
  { input: 'db:database1,database2:read,write', expected: 'db:database1,database2:read,write' },
  { input: 'db:db1,db2:read,write', expected: 'db:db1,db2:read,write' },
  { input: 'db:db3:read', expected: 'db:db3:read' },
  { input: 'db:*:read,write', expected: 'db:*:read,write' },
  { input: 'db:*:read', expected: 'db:*:read' },
  // every action alone
  { input: 'db:a:create', expected: 'db:a:create' },
  { input: 'db:a:describe', expected: 'db:a:describe' },
  { input: 'db:a:write', expected: 'db:a:write' },
  { input: 'db:a:delete', expected: 'db:a:delete' },
  // normalisation: actions in the server's order, duplicates dropped
  { input: 'db:a,a:write,read', expected: 'db:a:read,write' },
  { input: 'db:a:write,read', expected: 'db:a:read,write' },
  { input: 'db:a:delete,write,read,describe,create', expected: 'db:a:create,describe,read,write,delete' },
  { input: 'db:a:read,read,read', expected: 'db:a:read' },
  { input: 'db:a:delete,create', expected: 'db:a:create,delete' },
  { input: 'db:a:write,describe,write', expected: 'db:a:describe,write' },
  // normalisation: names keep the order given, first occurrence wins
  { input: 'db:zeta,alpha,mid:read', expected: 'db:zeta,alpha,mid:read' },
  { input: 'db:b,a,b,c,a:read', expected: 'db:b,a,c:read' },
  // database name forms (SPEC 5)
  { input: 'db:db/rp:read', expected: 'db:db/rp:read' },
  { input: 'db:telegraf/autogen,x-1,y_2,9lives:write', expected: 'db:telegraf/autogen,x-1,y_2,9lives:write' },
  { input: 'db:A:read', expected: 'db:A:read' },
  { input: `db:${'a'.repeat(511)}:read`, expected: `db:${'a'.repeat(511)}:read` },
  // system resources
  { input: 'system:health:read', expected: 'system:health:read' },
  { input: 'system:metrics:read', expected: 'system:metrics:read' },
  { input: 'system:ping:read', expected: 'system:ping:read' },
  { input: 'system:ready:read', expected: 'system:ready:read' },
  { input: 'system:*:read', expected: 'system:*:read' },
  { input: 'system:ready,health:read', expected: 'system:ready,health:read' },
  { input: 'system:ping,health,ping,metrics:read', expected: 'system:ping,health,metrics:read' },
  { input: 'system:health:read,read', expected: 'system:health:read' },
  // system names as the server matches them: lower-cased, then trimmed of Unicode White_Space
  { input: 'system:HEALTH:read', expected: 'system:health:read' },
  { input: 'system:Health,PING:read', expected: 'system:health,ping:read' },
  { input: 'system: ping :read', expected: 'system:ping:read' },
  { input: 'system:\tready\u00a0\u0085:read', expected: 'system:ready:read' },
  { input: 'system:\u3000metrics\u2028:read', expected: 'system:metrics:read' },
  { input: 'system:health,HEALTH, health :read', expected: 'system:health:read' },
  // a list of wildcards alone means "*"
  { input: 'db:*,*:read', expected: 'db:*:read' },
  { input: 'system:*,*,*:read', expected: 'system:*:read' },
  // full access (parsed; refused in a permission tokens file, see permissionFileProblem)
  { input: '*:*:*', expected: '*:*:*' },
];

const invalid: readonly Invalid[] = [
  // wrong number of parts
  { input: '', reason: ['it has 1 part separated by ":", expected 3'] },
  { input: 'db', reason: ['it has 1 part separated by ":", expected 3'] },
  { input: 'db:a', reason: ['it has 2 parts separated by ":", expected 3'] },
  { input: 'db:a:read:write', reason: ['it has 4 parts separated by ":", expected 3'] },
  { input: 'db:a/b:c:read', reason: ['it has 4 parts'] },
  { input: '::::', reason: ['it has 5 parts'] },
  // empty parts
  { input: '::', reason: ['the resource type is empty'] },
  { input: ':a:read', reason: ['the resource type is empty'] },
  { input: 'db::read', reason: ['the resource names part is empty'] },
  { input: 'db:a:', reason: ['the actions part is empty'] },
  { input: 'system::read', reason: ['the resource names part is empty'] },
  // empty list items
  { input: 'db:a,,b:read', reason: ['the resource names list "a,,b" has an empty item'] },
  { input: 'db:,a:read', reason: ['the resource names list ",a" has an empty item'] },
  { input: 'db:a,:read', reason: ['the resource names list "a," has an empty item'] },
  { input: 'db:a:read,', reason: ['the actions list "read," has an empty item'] },
  { input: 'db:a:,read', reason: ['the actions list ",read" has an empty item'] },
  { input: 'db:a:read,,write', reason: ['the actions list "read,,write" has an empty item'] },
  { input: 'system:health,:read', reason: ['the resource names list "health," has an empty item'] },
  // unknown type (case-sensitive)
  { input: 'table:a:read', reason: ['unknown resource type "table"', 'db, system or *'] },
  { input: 'DB:a:read', reason: ['unknown resource type "DB"'] },
  { input: 'databases:a:read', reason: ['unknown resource type "databases"'] },
  { input: ' db:a:read', reason: ['unknown resource type " db"'] },
  // unknown db action
  { input: 'db:a:fly', reason: ['unknown db action "fly"', 'create, describe, read, write, delete'] },
  { input: 'db:a:read,admin', reason: ['unknown db action "admin"'] },
  { input: 'db:a:READ', reason: ['unknown db action "READ"'] },
  { input: 'db:a:read ', reason: ['unknown db action "read "'] },
  { input: 'db:a:*', reason: ['"*" is not a db action'] },
  // unknown system resource
  { input: 'system:foo:read', reason: ['unknown system resource "foo"', 'health, metrics, ping, ready'] },
  { input: 'system:health,status:read', reason: ['unknown system resource "status"'] },
  { input: 'system:heath:read', reason: ['unknown system resource "heath"'] },
  { input: 'system:he alth:read', reason: ['unknown system resource "he alth"'] },
  // JavaScript's trim would take U+FEFF; Rust's str::trim does not.
  { input: 'system:\ufeffhealth:read', reason: ['unknown system resource'] },
  // system with a non-read action
  { input: 'system:health:write', reason: ['system resources only take the action "read", not "write"'] },
  { input: 'system:*:write', reason: ['not "write"'] },
  { input: 'system:health:read,write', reason: ['not "write"'] },
  { input: 'system:health:delete,read', reason: ['not "delete"'] },
  { input: 'system:health:*', reason: ['not "*"'] },
  // mixed wildcard
  { input: 'db:a,*:read', reason: ['mixed wildcard (*) and resource name', '"a,*"'] },
  { input: 'db:*,a:read', reason: ['mixed wildcard (*) and resource name', '"*,a"'] },
  { input: 'system:*,health:read', reason: ['mixed wildcard (*) and resource name', '"*,health"'] },
  { input: '*:*,a:*', reason: ['mixed wildcard (*) and resource name', '"*,a"'] },
  { input: 'db:a:read,*', reason: ['mixed wildcard (*) and resource name in the actions list "read,*"'] },
  // the "*" type only takes *:*
  { input: '*:*:read', reason: ['the resource type "*" only takes "*:*"'] },
  { input: '*:a:*', reason: ['the resource type "*" only takes "*:*"'] },
  { input: '*:db1:read', reason: ['the resource type "*" only takes "*:*"'] },
  // invalid database names inside db permissions
  { input: 'db:_a:read', reason: ['the database name "_a" is invalid', 'start with a letter or a digit'] },
  { input: 'db:-a:read', reason: ['the database name "-a" is invalid'] },
  { input: 'db:a/b/c:read', reason: ['the database name "a/b/c" is invalid', 'more than one "/"'] },
  { input: 'db:a/:read', reason: ['the database name "a/" is invalid', 'ends with "/"'] },
  { input: 'db:my db:read', reason: ['the database name "my db" is invalid', 'contains " "'] },
  { input: 'db:ok,bad.name:read', reason: ['the database name "bad.name" is invalid', 'contains "."'] },
  { input: 'db:caf\u00e9:read', reason: ['the database name "caf\u00e9" is invalid', 'non-ASCII character "\u00e9"'] },
  { input: `db:${'a'.repeat(512)}:read`, reason: ['is invalid: it is 512 bytes long, more than the 511 allowed'] },
];

for (const c of valid) {
  test(`parsePermission accepts ${JSON.stringify(c.input.length > 60 ? `${c.input.slice(0, 40)}...` : c.input)} as ${c.expected.length > 60 ? '(long)' : c.expected}`, () => {
    const r = parsePermission(c.input);
    assert.ok(r.ok, `refused: ${r.ok ? '' : r.reason}`);
    assert.equal(formatPermission(r.value), c.expected);
    // The normal form is a fixed point.
    const again = parsePermission(c.expected);
    assert.ok(again.ok);
    assert.deepEqual(again.value, r.value);
  });
}

for (const c of invalid) {
  test(`parsePermission refuses ${JSON.stringify(c.input.length > 60 ? `${c.input.slice(0, 40)}...` : c.input)}`, () => {
    const r = parsePermission(c.input);
    assert.equal(r.ok, false, `accepted as ${r.ok ? formatPermission(r.value) : ''}`);
    if (r.ok) return;
    for (const part of c.reason) assert.ok(r.reason.includes(part), `reason ${JSON.stringify(r.reason)} lacks ${JSON.stringify(part)}`);
  });
}

test('parsePermission returns the structured value', () => {
  assert.deepEqual(parsePermission('db:b,a,b:write,create'), {
    ok: true,
    value: { type: 'db', names: ['b', 'a'], actions: ['create', 'write'] },
  });
  assert.deepEqual(parsePermission('db:*:read'), { ok: true, value: { type: 'db', names: '*', actions: ['read'] } });
  assert.deepEqual(parsePermission('system:*:read'), { ok: true, value: { type: 'system', names: '*', actions: ['read'] } });
  assert.deepEqual(parsePermission('system:ping,health:read'), {
    ok: true,
    value: { type: 'system', names: ['ping', 'health'], actions: ['read'] },
  });
  assert.deepEqual(parsePermission('*:*:*'), { ok: true, value: { type: '*', names: '*', actions: '*' } });
});

test('parsePermission names the system resources it had to lower-case or trim', () => {
  const table: Array<[string, readonly string[] | undefined]> = [
    ['system:health:read', undefined],
    ['system:*:read', undefined],
    ['system:HEALTH:read', ['HEALTH']],
    ['system:ping, Ready ,metrics:read', [' Ready ']],
    ['system:Ping,PING:read', ['Ping', 'PING']],
  ];
  for (const [input, respelled] of table) {
    const r = parsePermission(input);
    assert.ok(r.ok, input);
    assert.deepEqual(r.respelled, respelled, input);
  }
});

test('permissionFileProblem: only the * resource type is refused outside the admin token', () => {
  const table: Array<[string, string | undefined]> = [
    ['*:*:*', '* resource type can only be set for an admin token'],
    ['db:*:read', undefined],
    ['db:*,*:read', undefined],
    ['system:*:read', undefined],
    ['db:a:write', undefined],
  ];
  for (const [input, problem] of table) {
    const r = parsePermission(input);
    assert.ok(r.ok, input);
    assert.equal(permissionFileProblem(r.value), problem, input);
  }
});

test('formatPermission writes each kind', () => {
  const cases: Array<[Permission, string]> = [
    [{ type: 'db', names: ['x', 'y/rp'], actions: ['read', 'write'] }, 'db:x,y/rp:read,write'],
    [{ type: 'db', names: '*', actions: ['delete'] }, 'db:*:delete'],
    [{ type: 'system', names: ['metrics'], actions: ['read'] }, 'system:metrics:read'],
    [{ type: 'system', names: '*', actions: ['read'] }, 'system:*:read'],
    [{ type: '*', names: '*', actions: '*' }, '*:*:*'],
  ];
  for (const [p, s] of cases) assert.equal(formatPermission(p), s);
});

test('databasesOf lists explicit database names only', () => {
  const of = (s: string): readonly string[] => {
    const r = parsePermission(s);
    assert.ok(r.ok, s);
    return databasesOf(r.value);
  };
  assert.deepEqual(of('db:a,b,a:read'), ['a', 'b']);
  assert.deepEqual(of('db:a/rp:read'), ['a/rp']);
  assert.deepEqual(of('db:*:read'), []);
  assert.deepEqual(of('system:health:read'), []);
  assert.deepEqual(of('*:*:*'), []);
});

// ---- properties ----

const dbNameChar = fc.constantFrom(...'abcxyzABZ0189_-');
const dbName: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...'aZ09m'),
    fc.string({ unit: dbNameChar, maxLength: 12 }),
    fc.option(fc.string({ unit: dbNameChar, minLength: 1, maxLength: 6 }), { nil: undefined }),
  )
  .map(([first, rest, rp]) => (rp === undefined ? first + rest : `${first}${rest}/${rp}`));

/** A valid permission string (possibly unnormalised) with the normal form it must get. */
const validPermission: fc.Arbitrary<{ text: string; normal: string }> = fc.oneof(
  fc
    .tuple(
      fc.oneof(fc.constant<'*'>('*'), fc.array(dbName, { minLength: 1, maxLength: 5 })),
      fc.array(fc.constantFrom(...DB_ACTIONS), { minLength: 1, maxLength: 8 }),
    )
    .map(([names, actions]) => ({
      text: `db:${names === '*' ? '*' : names.join(',')}:${actions.join(',')}`,
      normal: `db:${names === '*' ? '*' : [...new Set(names)].join(',')}:${DB_ACTIONS.filter((a) => actions.includes(a)).join(',')}`,
    })),
  fc
    .tuple(fc.oneof(fc.constant<'*'>('*'), fc.array(fc.constantFrom(...SYSTEM_RESOURCES), { minLength: 1, maxLength: 6 })), fc.integer({ min: 1, max: 3 }))
    .map(([names, reads]) => ({
      text: `system:${names === '*' ? '*' : names.join(',')}:${Array(reads).fill('read').join(',')}`,
      normal: `system:${names === '*' ? '*' : [...new Set(names)].join(',')}:read`,
    })),
  fc.constant({ text: '*:*:*', normal: '*:*:*' }),
);

test('property: valid permissions normalise as SPEC 4 says, and the normal form is stable', () => {
  fc.assert(
    fc.property(validPermission, ({ text, normal }) => {
      const first = parsePermission(text);
      assert.ok(first.ok, `${text}: ${first.ok ? '' : first.reason}`);
      const formatted = formatPermission(first.value);
      assert.equal(formatted, normal);
      const second = parsePermission(formatted);
      assert.ok(second.ok);
      assert.equal(formatPermission(second.value), formatted);
    }),
    { numRuns: 500 },
  );
});

const permissionish = fc.string({
  unit: fc.oneof(
    fc.constantFrom('db', 'system', '*', ':', ',', 'read', 'write', 'health', 'a', '/', '_', ' ', '\u00e9', ''),
    fc.string({ unit: 'binary', maxLength: 2 }),
  ),
  maxLength: 12,
});

test('property: parsePermission never throws; a refusal always carries a reason', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary' }), permissionish), (text) => {
      const r = parsePermission(text);
      if (r.ok) {
        // Anything accepted formats to a string that parses to the same value.
        const again = parsePermission(formatPermission(r.value));
        assert.ok(again.ok);
        assert.deepEqual(again.value, r.value);
      } else {
        assert.equal(typeof r.reason, 'string');
        assert.ok(r.reason.length > 0);
      }
    }),
    { numRuns: 2000 },
  );
});
