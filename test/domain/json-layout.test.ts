import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { appendToArray, layoutAt, layoutValue, nonIntegerLiterals, renderMembers, topLevelMembers } from '../../src/domain/json-layout';
import { appendToText, replaceAdminToken } from '../../src/domain/token-file';

const relayout = (text: string): string => renderMembers(topLevelMembers(text)).join('');
const canonical = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

const docs: unknown[] = [
  {},
  { tokens: [] },
  { a: {}, b: [], c: [[]], d: [{}], e: null, f: true, g: false, h: -1.5, i: 'x' },
  { create_databases: ['a', 'b'], tokens: [{ token: 'apiv3_x', name: 'n', expiry_millis: 1, permissions: ['db:a:read'] }] },
  { s: 'quote " backslash \\ slash / newline \n tab \t unicode é 😀 \u2028' },
  { nested: { deeper: { deepest: [1, [2, [3, { k: 'v' }]]] } } },
];

for (const doc of docs) {
  const compact = JSON.stringify(doc);
  test(`layout of compact ${compact.slice(0, 60)} equals JSON.stringify(…, null, 2)`, () => {
    assert.equal(relayout(compact), canonical(doc));
  });
  test(`layout of canonical ${compact.slice(0, 60)} returns the same bytes`, () => {
    assert.equal(relayout(canonical(doc)), canonical(doc));
  });
  test(`layout of ${compact.slice(0, 60)} with odd whitespace equals the canonical form`, () => {
    const odd = spaceOut(JSON.stringify(doc, null, '\t'), '\r\n \t');
    assert.notEqual(odd, canonical(doc));
    assert.equal(relayout(odd), canonical(doc));
  });
}

test('layout keeps what JSON.parse would lose: big numbers, number forms, integer-like keys, escapes, duplicate keys', () => {
  const text = '{"tokens":[],"2024":"audit","id":12345678901234567890,"f":1.0,"e":1e3,"u":"\\u0061","tokens":[]}';
  assert.equal(
    relayout(text),
    '{\n  "tokens": [],\n  "2024": "audit",\n  "id": 12345678901234567890,\n  "f": 1.0,\n  "e": 1e3,\n  "u": "\\u0061",\n  "tokens": []\n}\n',
  );
});

test('layoutValue of a scalar is the scalar, and reports where it ends', () => {
  assert.deepEqual(layoutValue('  42 ,', 2, 1), { text: '42', end: 4 });
  assert.deepEqual(layoutValue('"a\\"b" ', 0, 1), { text: '"a\\"b"', end: 6 });
  assert.deepEqual(layoutValue('"a\\\\" ', 0, 1), { text: '"a\\\\"', end: 5 });
});

test('canonical input comes back without being copied into pieces', () => {
  const text = canonical({ tokens: [{ name: 'a' }, { name: 'b' }] });
  const members = topLevelMembers(text);
  assert.equal(members[0]!.value, text.slice(text.indexOf('['), text.lastIndexOf(']') + 1));
});

test('layoutAt indents every line after the first', () => {
  assert.equal(layoutAt({ a: [1] }, 2), '{\n      "a": [\n        1\n      ]\n    }');
  assert.equal(layoutAt('x', 3), '"x"');
});

test('appendToArray to an empty and a non-empty array', () => {
  assert.equal(appendToArray('[]', ['"a"', '"b"'], 1), '[\n    "a",\n    "b"\n  ]');
  assert.equal(appendToArray('[\n    "a"\n  ]', ['"b"'], 1), '[\n    "a",\n    "b"\n  ]');
  assert.equal(appendToArray('[\n    "a"\n  ]', [], 1), '[\n    "a"\n  ]');
});

test('appendToText adds the entry and databases, keeping every other byte and place', () => {
  const before = '{"tokens":[{"token":"apiv3_a","name":"a","permissions":["db:x:read"],"n":12345678901234567890}],"2024":"audit"}';
  const entry = { token: 'apiv3_b', name: 'b', permissions: ['db:y:write'] };
  const after = appendToText(before, entry, ['x', 'y']).join('');
  assert.equal(
    after,
    [
      '{',
      '  "create_databases": [',
      '    "x",',
      '    "y"',
      '  ],',
      '  "tokens": [',
      '    {',
      '      "token": "apiv3_a",',
      '      "name": "a",',
      '      "permissions": [',
      '        "db:x:read"',
      '      ],',
      '      "n": 12345678901234567890',
      '    },',
      '    {',
      '      "token": "apiv3_b",',
      '      "name": "b",',
      '      "permissions": [',
      '        "db:y:write"',
      '      ]',
      '    }',
      '  ],',
      '  "2024": "audit"',
      '}',
      '',
    ].join('\n'),
  );
});

test('appendToText on a canonical file equals stringifying the appended document', () => {
  const doc = { create_databases: ['a'], tokens: [{ token: 'apiv3_a', name: 'a', permissions: ['db:a:read'] }], extra: { k: [1, 2] } };
  const entry = { token: 'apiv3_b', name: 'b', expiry_millis: 5, permissions: ['db:b:read'] };
  const expected = { create_databases: ['a', 'b'], tokens: [...doc.tokens, entry], extra: doc.extra };
  assert.equal(appendToText(canonical(doc), entry, ['b']).join(''), canonical(expected));
});

test('replaceAdminToken keeps a large number and an integer-like key in place', () => {
  const text = '{"token":"apiv3_old","7":"seven","name":"_admin","big":12345678901234567890}';
  assert.equal(
    replaceAdminToken(text, { token: 'apiv3_new', name: '_admin', expiry_millis: 9 }),
    '{\n  "token": "apiv3_new",\n  "7": "seven",\n  "name": "_admin",\n  "expiry_millis": 9,\n  "big": 12345678901234567890\n}\n',
  );
});

test('nonIntegerLiterals finds fractions and exponents with their pointers', () => {
  const text = '{"tokens":[{"expiry_millis":1},{"expiry_millis":4.1e12,"x":[1.0,"1.5",true,-2E3]}],"a/b":{"~":0.5}}';
  assert.deepEqual(nonIntegerLiterals(text), ['/tokens/1/expiry_millis', '/tokens/1/x/0', '/tokens/1/x/3', '/a~1b/~0']);
});

test('property: layout of any JSON object, however spaced, is JSON.stringify(…, null, 2)', () => {
  // Numbers are kept as written, so generate integers only (JSON.stringify would rewrite 1e21).
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string().filter((k) => !/^\d+$/.test(k)), tie('v'), { maxKeys: 4 })),
  })).v;
  const spaces = fc.array(fc.constantFrom(' ', '\n', '\t', '\r', ''), { maxLength: 3 }).map((a) => a.join(''));
  fc.assert(
    fc.property(fc.dictionary(fc.string().filter((k) => !/^\d+$/.test(k)), value, { maxKeys: 5 }), spaces, (doc, sp) => {
      assert.equal(relayout(sp + spaceOut(JSON.stringify(doc), sp)), canonical(doc));
    }),
  );
});

/** `json` with `sp` added after every structural character outside strings. */
function spaceOut(json: string, sp: string): string {
  let spaced = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i]!;
    spaced += ch;
    if (ch === '"' && !isEscaped(json, i)) inString = !inString;
    if (!inString && '{}[],:'.includes(ch)) spaced += sp;
  }
  return spaced;
}

function isEscaped(text: string, i: number): boolean {
  let n = 0;
  for (let k = i - 1; text[k] === '\\'; k--) n++;
  return n % 2 === 1;
}

test('tokens arrays: canonical entries, entries with unknown fields, escapes and odd spacing all lay out canonically', () => {
  const plain = { token: 'apiv3_a', name: 'a', expiry_millis: 1, permissions: ['db:a:read', 'system:health:read'] };
  const noExpiry = { token: 'apiv3_b', name: 'b', permissions: ['db:b:write'] };
  const extra = { token: 'apiv3_c', name: 'c', permissions: ['db:c:read'], note: { k: [1] } };
  const escaped = { token: 'apiv3_d', name: 'quote " and \\ and é', permissions: ['db:d:read'] };
  for (const tokens of [[plain], [plain, noExpiry], [plain, extra, noExpiry], [escaped, plain], [noExpiry, escaped]]) {
    const doc = { create_databases: ['a'], tokens, after: true };
    assert.equal(relayout(canonical(doc)), canonical(doc), JSON.stringify(tokens));
    assert.equal(relayout(JSON.stringify(doc)), canonical(doc), JSON.stringify(tokens));
    // One entry with a stray space: the whole array is laid out by the token walk.
    const odd = canonical(doc).replace('"name": "a"', '"name" :  "a"');
    assert.equal(relayout(odd), canonical(doc), JSON.stringify(tokens));
  }
});
