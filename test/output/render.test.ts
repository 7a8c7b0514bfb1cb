/** The renderers, one per format, as tables of input and exact output. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csv } from '../../src/output/csv';
import { expiryLine, expiryWords } from '../../src/output/expiry';
import { jsonLines, jsonObject } from '../../src/output/json';
import { renderTokens, tokenHash } from '../../src/output/token-rows';
import type { TokenView } from '../../src/actions/read-tokens';

test('csv quotes a field with a quote, a comma or a line break, and ends lines with CRLF', () => {
  const cases: Array<[string[], string[][], string]> = [
    [['a', 'b'], [['x', 'y']], 'a,b\r\nx,y\r\n'],
    [['a'], [['1,2'], ['say "hi"'], ['two\nlines'], ['']], 'a\r\n"1,2"\r\n"say ""hi"""\r\n"two\nlines"\r\n\r\n'],
  ];
  for (const [h, rows, out] of cases) assert.equal(csv(h, rows), out);
});

test('json is one pretty object and a newline; jsonl one compact object per line', () => {
  assert.equal(jsonObject({ a: [1] }), '{\n  "a": [\n    1\n  ]\n}\n');
  assert.equal(jsonLines([{ a: 1 }, { b: 'x' }]), '{"a":1}\n{"b":"x"}\n');
  assert.equal(jsonLines([]), '');
  // i64 values keep every digit; everything else is JSON.stringify's.
  assert.equal(
    jsonLines([{ a: 9223372036854775807n, b: -9223372036854775808n, c: 9007199254740993n }]),
    '{"a":9223372036854775807,"b":-9223372036854775808,"c":9007199254740993}\n',
  );
  for (const v of [{ a: [1, 'x', null, true, { b: [] }, {}], u: undefined }, [], {}, 'é\u2028"', [undefined, 1]]) {
    assert.equal(jsonObject(v), `${JSON.stringify(v, null, 2)}\n`);
    assert.equal(jsonLines([v]), `${JSON.stringify(v)}\n`);
  }
});

test('expiry in words: ahead, past, exactly now, never, beyond the ISO range', () => {
  const now = Date.UTC(2026, 0, 1);
  const day = 86_400_000;
  assert.equal(expiryLine(null, now), 'never');
  assert.equal(expiryLine(BigInt(now + 3 * day + 12 * 3_600_000), now), '2026-01-04T12:00:00.000Z (in 3 days, 12 hours)');
  assert.equal(expiryLine(BigInt(now - 2 * day), now), '2025-12-30T00:00:00.000Z (expired 2 days ago)');
  assert.deepEqual(expiryWords(BigInt(now), now), { iso: '2026-01-01T00:00:00.000Z', relative: '0 seconds ago', expired: true });
  // Beyond Date's range: the exact digits, said in words, never a failure.
  assert.match(expiryLine(9223372036854775807n, now), /^9223372036854775807 ms since 1970 \(beyond the dates this tool can show\) \(in /);
  assert.match(expiryLine(-9223372036854775808n, now), /^-9223372036854775808 ms since 1970 \(beyond the dates this tool can show\) \(expired /);
});

test('tokenHash is the first 9 hex digits of the SHA-512 of the string (known answers)', () => {
  // sha512("") = cf83e1357eefb8bd..., sha512("abc") = ddaf35a193617aba...
  assert.equal(tokenHash(''), 'cf83e1357');
  assert.equal(tokenHash('abc'), 'ddaf35a19');
});

test('show tokens pretty and csv, as known answers: columns padded but the last, the admin token, never, expired', () => {
  const now = Date.UTC(2026, 0, 1);
  const day = 86_400_000;
  const view = (name: string, expiry: number | undefined, permissions: string[] | undefined): TokenView => ({
    name,
    token: `apiv3_${name}`,
    expiry: expiry === undefined ? null : BigInt(expiry),
    permissions,
  });
  const tokens = [view('a', now + day, ['db:x:read']), view('admin-é', undefined, undefined), view('b', now - day, ['db:x:read', 'system:health:read'])];
  assert.equal(
    renderTokens(tokens, now, 'pretty', 'f.json', 'permission'),
    [
      'NAME     HASH       EXPIRY                                        EXPIRED  PERMISSIONS',
      'a        174499724  2026-01-02T00:00:00.000Z (in 1 day)           no       db:x:read',
      'admin-é  1cfbd4a51  never                                         no       *:*:*',
      'b        60a92b2a3  2025-12-31T00:00:00.000Z (expired 1 day ago)  yes      db:x:read system:health:read',
      '',
    ].join('\n'),
  );
  assert.equal(renderTokens([], now, 'pretty', 'f.json', 'permission'), 'NAME  HASH  EXPIRY  EXPIRED  PERMISSIONS\n');
  assert.equal(
    renderTokens(tokens, now, 'csv', 'f.json', 'permission'),
    'name,hash,expiry_millis,expiry,expires,expired,permissions\r\n' +
      'a,174499724,1767312000000,2026-01-02T00:00:00.000Z,in 1 day,false,db:x:read\r\n' +
      'admin-é,1cfbd4a51,,,never,false,*:*:*\r\n' +
      'b,60a92b2a3,1767139200000,2025-12-31T00:00:00.000Z,expired 1 day ago,true,db:x:read system:health:read\r\n',
  );
});
