import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import { duplicateKey, parseJsonText } from '../../src/domain/json-text';

/** A broken input and exactly where and why parseJsonText says it breaks. */
interface Broken {
  readonly input: string;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

const broken: readonly Broken[] = [
  // empty and truncated
  { input: '', line: 1, column: 1, reason: 'unexpected end of input' },
  { input: '   ', line: 1, column: 4, reason: 'unexpected end of input' },
  { input: '\n\n', line: 3, column: 1, reason: 'unexpected end of input' },
  { input: '{', line: 1, column: 2, reason: 'unexpected end of input' },
  { input: '[', line: 1, column: 2, reason: 'unexpected end of input' },
  { input: '{"a"', line: 1, column: 5, reason: 'unexpected end of input' },
  { input: '{"a":', line: 1, column: 6, reason: 'unexpected end of input' },
  { input: '{"a":1', line: 1, column: 7, reason: 'unexpected end of input' },
  { input: '{"a":1,', line: 1, column: 8, reason: 'unexpected end of input' },
  { input: '[1,', line: 1, column: 4, reason: 'unexpected end of input' },
  { input: '{\n  "tokens": [\n', line: 3, column: 1, reason: 'unexpected end of input' },
  // missing comma
  { input: '{"a": 1 "b": 2}', line: 1, column: 9, reason: 'expected "," or "}"' },
  { input: '[1 2]', line: 1, column: 4, reason: 'expected "," or "]"' },
  { input: '{\n  "a": 1\n  "b": 2\n}', line: 3, column: 3, reason: 'expected "," or "}"' },
  // trailing comma
  { input: '{"a": 1,}', line: 1, column: 9, reason: 'expected a property name in double quotes' },
  { input: '[1,2,]', line: 1, column: 6, reason: 'unexpected character' },
  { input: '{\n  "tokens": [],\n}\n', line: 3, column: 1, reason: 'expected a property name in double quotes' },
  // keys
  { input: '{a: 1}', line: 1, column: 2, reason: 'expected a property name in double quotes' },
  { input: "{'a': 1}", line: 1, column: 2, reason: 'expected a property name in double quotes' },
  { input: '{"a" 1}', line: 1, column: 6, reason: 'expected ":" after a property name' },
  { input: '{"a":}', line: 1, column: 6, reason: 'unexpected character' },
  // strings
  { input: '"abc', line: 1, column: 5, reason: 'unterminated string' },
  { input: '{"a": "abc', line: 1, column: 11, reason: 'unterminated string' },
  { input: '{"a": "abc\\"}', line: 1, column: 14, reason: 'unterminated string' },
  { input: '{"a": "\\x"}', line: 1, column: 8, reason: 'bad escape in a string' },
  { input: '"\\u12G4"', line: 1, column: 2, reason: 'bad \\u escape in a string' },
  { input: '"\\u12"', line: 1, column: 2, reason: 'bad \\u escape in a string' },
  { input: '"\\', line: 1, column: 2, reason: 'bad escape in a string' },
  // control characters
  { input: '"a\tb"', line: 1, column: 3, reason: 'control character in a string' },
  { input: '{"a": "line\nbreak"}', line: 1, column: 12, reason: 'control character in a string' },
  { input: '"\u0000"', line: 1, column: 2, reason: 'control character in a string' },
  { input: '{"a": 1}\u0001', line: 1, column: 9, reason: 'unexpected text after the JSON value' },
  // trailing garbage
  { input: '{} x', line: 1, column: 4, reason: 'unexpected text after the JSON value' },
  { input: '{}}', line: 1, column: 3, reason: 'unexpected text after the JSON value' },
  { input: '{"a":1}\r\n{"b":2}', line: 2, column: 1, reason: 'unexpected text after the JSON value' },
  { input: '01', line: 1, column: 2, reason: 'unexpected text after the JSON value' },
  // not JSON values
  { input: 'tru', line: 1, column: 1, reason: 'unexpected character' },
  { input: 'True', line: 1, column: 1, reason: 'unexpected character' },
  { input: 'NaN', line: 1, column: 1, reason: 'unexpected character' },
  { input: 'undefined', line: 1, column: 1, reason: 'unexpected character' },
  { input: '-', line: 1, column: 1, reason: 'bad number' },
  { input: '[-x]', line: 1, column: 2, reason: 'bad number' },
  { input: '+1', line: 1, column: 1, reason: 'unexpected character' },
  { input: '\ufeff{}', line: 1, column: 1, reason: 'unexpected character' },
  { input: '// comment\n{}', line: 1, column: 1, reason: 'unexpected character' },
  { input: 'tokens:\n  - name: ci\n', line: 1, column: 1, reason: 'unexpected character' },
  // a realistic multi-line file with a trailing comma in a token entry
  {
    input: '{\n  "tokens": [\n    {\n      "name": "ci",\n      "permissions": ["db:ci:write"],\n    }\n  ]\n}\n',
    line: 6,
    column: 5,
    reason: 'expected a property name in double quotes',
  },
];

const show = (s: string): string => JSON.stringify(s.length > 50 ? `${s.slice(0, 47)}...` : s);

for (const c of broken) {
  test(`parseJsonText(${show(c.input)}) fails at ${c.line}:${c.column}: ${c.reason}`, () => {
    assert.throws(() => JSON.parse(c.input)); // the table holds only what JSON.parse refuses
    assert.deepEqual(parseJsonText(c.input), { ok: false, line: c.line, column: c.column, reason: c.reason });
  });
}

// ---- secrets never leak into a parse error ----

const TOKEN = 'apiv3_hudDVN6Pb_WGFw3LUE9PVuBCccmsW2ppIzgITxaSppZUVt2GmF_jzJ3R4KAJLTstVLKKl1kfUPFCx74XQlAYkg';
const BODY = TOKEN.slice(6);

const leaky: readonly Broken[] = [
  { input: `{"token": ${TOKEN}}`, line: 1, column: 11, reason: 'unexpected character' },
  { input: `{"token": ${TOKEN}, "name": "a"}`, line: 1, column: 11, reason: 'unexpected character' },
  { input: `{\n  "token": ${TOKEN}\n}`, line: 2, column: 12, reason: 'unexpected character' },
  { input: `{"token": '${TOKEN}'}`, line: 1, column: 11, reason: 'unexpected character' },
  { input: `{'token': '${TOKEN}'}`, line: 1, column: 2, reason: 'expected a property name in double quotes' },
  { input: `{"token": "${TOKEN}"`, line: 1, column: 105, reason: 'unexpected end of input' },
  { input: `{"token": "${TOKEN}" "name": "a"}`, line: 1, column: 106, reason: 'expected "," or "}"' },
  { input: `{"token": "${TOKEN}`, line: 1, column: 104, reason: 'unterminated string' },
  { input: `{"token": "${TOKEN.slice(0, 40)}\\q${TOKEN.slice(40)}"}`, line: 1, column: 52, reason: 'bad escape in a string' },
  { input: `{"token": "${TOKEN.slice(0, 40)}\t${TOKEN.slice(40)}"}`, line: 1, column: 52, reason: 'control character in a string' },
  { input: `{"token": "x"} ${TOKEN}`, line: 1, column: 16, reason: 'unexpected text after the JSON value' },
  { input: `${TOKEN}`, line: 1, column: 1, reason: 'unexpected character' },
  { input: `{${TOKEN}: 1}`, line: 1, column: 2, reason: 'expected a property name in double quotes' },
  { input: `{"tokens": [{"token": "${TOKEN}", "name": "a", "permissions": ["db:a:read"],}]}`, line: 1, column: 161, reason: 'expected a property name in double quotes' },
];

for (const c of leaky) {
  test(`parseJsonText keeps the token out of the error for ${show(c.input.split(TOKEN).join('TOKEN'))}`, () => {
    const r = parseJsonText(c.input);
    assert.deepEqual(r, { ok: false, line: c.line, column: c.column, reason: c.reason });
    const everything = JSON.stringify(r);
    assert.ok(!everything.includes('apiv3'), everything);
    // No 8-character run of the token body either.
    for (let i = 0; i + 8 <= BODY.length; i++) assert.ok(!everything.includes(BODY.slice(i, i + 8)), everything);
  });
}

test('V8 itself would have quoted the token (so the check above is meaningful)', () => {
  const messages = leaky.map((c) => {
    try {
      JSON.parse(c.input);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  });
  assert.ok(messages.some((m) => m.includes('apiv3_')), 'no V8 message quoted the token');
});

// ---- valid inputs ----

const good: ReadonlyArray<{ input: string; expected: unknown }> = [
  { input: '{}', expected: {} },
  { input: '[]', expected: [] },
  { input: 'null', expected: null },
  { input: 'true', expected: true },
  { input: '0', expected: 0 },
  { input: '-1.5e3', expected: -1500 },
  { input: '"apiv3_x"', expected: 'apiv3_x' },
  { input: ' \t\r\n{"tokens": []}\n', expected: { tokens: [] } },
  { input: '{"a":[1,{"b":null}],"c":"\\u00e9\\n"}', expected: { a: [1, { b: null }], c: '\u00e9\n' } },
  { input: '{"a":1,"a":2}', expected: { a: 2 } },
  {
    input: `{\n  "create_databases": ["db1"],\n  "tokens": [{"token": "${TOKEN}", "name": "n", "expiry_millis": 1756400061529, "permissions": ["db:db1:read"]}]\n}\n`,
    expected: { create_databases: ['db1'], tokens: [{ token: TOKEN, name: 'n', expiry_millis: 1756400061529, permissions: ['db:db1:read'] }] },
  },
];

for (const c of good) {
  test(`parseJsonText(${show(c.input)}) returns the value`, () => {
    assert.deepEqual(parseJsonText(c.input), { ok: true, value: c.expected });
  });
}

// ---- deep nesting and long numbers ----

for (const [label, text] of [
  ['9000 unclosed "["', '['.repeat(9000)],
  ['20000 unclosed "["', '['.repeat(20_000)],
  ['9000 unclosed {"a":', '{"a":'.repeat(9000)],
  ['9000 "[" then garbage', `${'['.repeat(9000)}x`],
] as const) {
  test(`deeply nested broken input (${label}) is reported, not a stack overflow`, () => {
    // JSON.parse refuses these; the scanner that locates the error must not blow the stack.
    let r: ReturnType<typeof parseJsonText> | undefined;
    assert.doesNotThrow(() => {
      r = parseJsonText(text);
    });
    assert.ok(r && !r.ok);
    assert.equal(r.line, 1);
    assert.ok(r.column >= 1 && r.column <= text.length + 1);
    assert.ok(['nesting too deep', 'unexpected end of input', 'unexpected character'].includes(r.reason), r.reason);
  });
}

test('nesting beyond the scanner depth limit says so', () => {
  const r = parseJsonText('['.repeat(20_000));
  assert.ok(!r.ok);
  assert.equal(r.reason, 'nesting too deep');
  assert.ok(r.column <= 10_002, `column ${r.column}`);
});

test('deeply nested valid input parses', () => {
  const depth = 5000;
  const r = parseJsonText('['.repeat(depth) + ']'.repeat(depth));
  assert.equal(r.ok, true);
});

test('a number longer than 400 characters does not move the error', () => {
  // The comma is followed by "]": the error is at that "]", column 503.
  assert.deepEqual(parseJsonText(`[${'1'.repeat(500)},]`), { ok: false, line: 1, column: 503, reason: 'unexpected character' });
});

// ---- properties ----

test('property: every JSON text parses to what JSON.parse returns', () => {
  fc.assert(
    fc.property(fc.json(), (text) => {
      assert.deepEqual(parseJsonText(text), { ok: true, value: JSON.parse(text) });
    }),
    { numRuns: 500 },
  );
});

test('property: any text JSON.parse refuses gets a line and column inside the text', () => {
  const jsonish = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '\n', '1', 'a', '\\', 'true', 'null', '-', '.', 'e'), maxLength: 20 });
  const mangled = fc.tuple(fc.json(), fc.nat(), fc.nat(3)).map(([t, at, how]) => {
    const i = t.length === 0 ? 0 : at % t.length;
    if (how === 0) return t.slice(0, i); // truncated
    if (how === 1) return t.slice(0, i) + t.slice(i + 1); // one character dropped
    if (how === 2) return `${t.slice(0, i)},${t.slice(i)}`; // a stray comma
    return `${t.slice(0, i)}\u0001${t.slice(i)}`; // a control character
  });
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), jsonish, mangled), (text) => {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      const r = parseJsonText(text);
      assert.equal(r.ok, valid);
      if (r.ok) return;
      const lines = text.split('\n');
      assert.ok(r.line >= 1 && r.line <= lines.length, `line ${r.line} of ${lines.length}`);
      assert.ok(r.column >= 1 && r.column <= lines[r.line - 1]!.length + 1, `column ${r.column}`);
      assert.equal(typeof r.reason, 'string');
      assert.ok(r.reason.length > 0);
    }),
    { numRuns: 2000 },
  );
});

describe('duplicateKey', () => {
  const cases: Array<[string, string, { key: string; pointer: string } | undefined]> = [
    ['none', '{"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]}', undefined],
    ['at the top', '{"a": 1, "a": 2}', { key: 'a', pointer: '/a' }],
    ['an escaped spelling', '{"name": 1, "n\\u0061me": 2}', { key: 'name', pointer: '/name' }],
    ['inside an array element', '{"t": [{"x": 1}, {"y": 1, "y": 2}]}', { key: 'y', pointer: '/t/1/y' }],
    ['a key with / and ~', '{"a/b~": 1, "a/b~": 2}', { key: 'a/b~', pointer: '/a~1b~0' }],
    ['a string value equal to a key is no key', '{"a": "a", "b": ["a", "a"]}', undefined],
    ['a quote escaped inside a key', '{"a\\"": 1, "a\\"": 2}', { key: 'a"', pointer: '/a"' }],
    ['the same key in sibling objects', '[{"a": 1}, {"a": 1}]', undefined],
  ];
  for (const [label, text, want] of cases) {
    test(label, () => {
      JSON.parse(text);
      assert.deepEqual(duplicateKey(text), want);
    });
  }

  test('100,000 levels deep, no stack overflow', () => {
    const text = `${'{"a": '.repeat(100_000)}1${'}'.repeat(100_000)}`;
    assert.equal(duplicateKey(text), undefined);
    assert.equal(duplicateKey(`{"z": ${text}, "z": 1}`)?.pointer, '/z');
  });
});
