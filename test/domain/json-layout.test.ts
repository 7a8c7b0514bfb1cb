import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { appendToArray, layoutAt, layoutValue, nonIntegerLiterals, objectMembers, renderObject, skipValue } from '../../src/domain/json-layout';
import { documentText, openDocument } from '../../src/domain/document';
import type { PermissionTokensFile } from '../../src/domain/token-file';

/** A permission tokens file's text through the document core with no edit. */
const relayout = (text: string): string => documentText(openDocument(text, JSON.parse(text) as PermissionTokensFile, 'permission'));
const canonical = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/** Documents of known members only: these get the canonical layout whatever their spacing. */
const docs: unknown[] = [
  {},
  { tokens: [] },
  { create_databases: ['a', 'b'], tokens: [{ token: 'apiv3_x', name: 'n', expiry_millis: 1, permissions: ['db:a:read'] }] },
  { tokens: [{ token: 'apiv3_x', name: 'quote " backslash \\ slash / newline \n tab \t unicode é 😀 \u2028', permissions: ['db:a:read'] }] },
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

test('unknown members keep their bytes verbatim, whatever their spacing; known ones are laid out', () => {
  const text = '{"tokens":[],"2024":"audit","id":12345678901234567890,"f":1.0,"e":1e3,"u":"\\u0061","obj":{ "a" :[1 ,2]},"create_databases" : [ "x" ]}';
  assert.equal(
    relayout(text),
    '{\n  "tokens": [],\n  "2024": "audit",\n  "id": 12345678901234567890,\n  "f": 1.0,\n  "e": 1e3,\n  "u": "\\u0061",\n  "obj": { "a" :[1 ,2]},\n  "create_databases": [\n    "x"\n  ]\n}\n',
  );
});

test('skipValue finds the end of any value without recursion, strings with brackets and escapes included', () => {
  const cases: Array<[string, number]> = [
    ['42,', 2],
    ['"a\\"]" ,', 6],
    ['[1, "]", {"k": "}"}] x', 20],
    ['{"a": {"b": []}}', 16],
    [`${'['.repeat(200_000)}${']'.repeat(200_000)},`, 400_000],
  ];
  for (const [text, end] of cases) assert.equal(skipValue(text, 0), end, text.slice(0, 30));
});

test('objectMembers: known members laid out at depth + 1, unknown ones verbatim; renderObject puts them back', () => {
  const text = '{"token":"t","permissions":[ "a","b" ],"x":{ "y" : 1 }}';
  const { members, end } = objectMembers(text, 0, 2, new Set(['token', 'permissions']));
  assert.equal(end, text.length);
  assert.deepEqual(members.map((m) => [m.key, m.value]), [['token', '"t"'], ['permissions', '[\n        "a",\n        "b"\n      ]'], ['x', '{ "y" : 1 }']]);
  assert.equal(renderObject(members as Array<{ rawKey: string; value: string }>, 2), '{\n      "token": "t",\n      "permissions": [\n        "a",\n        "b"\n      ],\n      "x": { "y" : 1 }\n    }');
  assert.equal(renderObject([], 2), '{}');
});

test('layoutValue of a scalar is the scalar, and reports where it ends', () => {
  assert.deepEqual(layoutValue('  42 ,', 2, 1), { text: '42', end: 4 });
  assert.deepEqual(layoutValue('"a\\"b" ', 0, 1), { text: '"a\\"b"', end: 6 });
  assert.deepEqual(layoutValue('"a\\\\" ', 0, 1), { text: '"a\\\\"', end: 5 });
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

test('nonIntegerLiterals finds fractions and exponents with their pointers', () => {
  const text = '{"tokens":[{"expiry_millis":1},{"expiry_millis":4.1e12,"x":[1.0,"1.5",true,-2E3]}],"a/b":{"~":0.5}}';
  assert.deepEqual(nonIntegerLiterals(text), ['/tokens/1/expiry_millis', '/tokens/1/x/0', '/tokens/1/x/3', '/a~1b/~0']);
});

test('property: an unknown member of any JSON value, however spaced, is kept byte for byte', () => {
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('v'), { maxKeys: 4 })),
  })).v;
  const spaces = fc.array(fc.constantFrom(' ', '\n', '\t', '\r', ''), { maxLength: 3 }).map((a) => a.join(''));
  fc.assert(
    fc.property(fc.string().filter((k) => k !== 'tokens' && k !== 'create_databases'), value, spaces, (key, v, sp) => {
      const raw = spaceOut(JSON.stringify(v), sp).trimEnd();
      const text = `{"tokens": [], ${JSON.stringify(key)}: ${raw}}`;
      assert.equal(relayout(text), `{\n  "tokens": [],\n  ${JSON.stringify(key)}: ${raw}\n}\n`);
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
  const extra = { token: 'apiv3_c', name: 'c', permissions: ['db:c:read'], note: 'kept' };
  const escaped = { token: 'apiv3_d', name: 'quote " and \\ and é', permissions: ['db:d:read'] };
  for (const tokens of [[plain], [plain, noExpiry], [plain, extra, noExpiry], [escaped, plain], [noExpiry, escaped]]) {
    const doc = { create_databases: ['a'], tokens, after: true };
    assert.equal(relayout(canonical(doc)), canonical(doc), JSON.stringify(tokens));
    assert.equal(relayout(JSON.stringify(doc)), canonical(doc), JSON.stringify(tokens));
    // One entry with a stray space: that entry is laid out by the token walk, the others stay slices.
    const odd = canonical(doc).replace('"name": "a"', '"name" :  "a"');
    assert.equal(relayout(odd), canonical(doc), JSON.stringify(tokens));
  }
});
