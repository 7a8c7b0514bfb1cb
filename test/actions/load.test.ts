/**
 * The canonical fast path of the loader (domain/canonical-file.ts + actions/load.ts) against
 * the full path it short-cuts: it may decline any file, but a file it accepts must be one
 * the full path accepts, with the same parsed view, and every edit of its document must
 * write the same bytes. The full path itself is held to serde's answers in
 * test/domain/server-reader.test.ts; here it is the oracle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

import { canonicalFile, checkFully, loadDocument } from '../../src/actions/load';
import { scanCanonicalPermissionFile } from '../../src/domain/canonical-file';
import { type PermissionDocument, addDatabases, appendEntries, documentText, openDocument, removeEntries, replaceEntry } from '../../src/domain/document';
import type { PermissionTokensFile } from '../../src/domain/token-file';
import { FIXTURES } from '../helpers';

const NOW = Date.UTC(2026, 11, 1);
const PATH = 'tokens.json';
const TOKEN = (k: number): string => `apiv3_${String(k).padStart(4, '0')}${'x'.repeat(80)}`;

/** The full path's verdict: the parsed value, or the error message it refuses with. */
function fully(text: string): { value: unknown } | { error: string } {
  try {
    return { value: checkFully({ text, mode: 0o600 }, PATH, NOW).value };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function canonical(file: unknown): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

function file(entries: number, extra: Partial<PermissionTokensFile> = {}): PermissionTokensFile {
  const tokens = Array.from({ length: entries }, (_, k) => ({
    token: TOKEN(k),
    name: `t-${k}`,
    ...(k % 3 === 0 ? {} : { expiry_millis: NOW + k }),
    permissions: k % 2 === 0 ? ['db:db1:read'] : ['db:db1,db2:read,write', 'system:health:read'],
  }));
  return { create_databases: ['db1', 'db2'], tokens, ...extra };
}

test('a file as this tool writes it takes the fast path, whatever its size, with or without create_databases and the final newline', () => {
  for (const text of [canonical(file(0)), canonical(file(1)), canonical(file(500)), canonical({ tokens: file(3).tokens }), JSON.stringify(file(4), null, 2), canonical({ create_databases: [], tokens: [] })]) {
    const scan = canonicalFile(text, NOW);
    assert.ok(scan, text.slice(0, 80));
    assert.deepEqual(fully(text), { value: JSON.parse(text) });
    assert.deepEqual(scan.names, (JSON.parse(text) as PermissionTokensFile).tokens.map((t) => t.name));
  }
});

// Each line: what makes the file leave the fast path, and whether the full path loads it.
const declined: [string, string, boolean][] = [
  ['a byte order mark', `\ufeff${canonical(file(2))}`, false],
  ['CRLF line ends', canonical(file(2)).replace(/\n/g, '\r\n'), true],
  ['a second trailing newline', `${canonical(file(2))}\n`, true],
  ['tokens before create_databases', canonical({ tokens: file(2).tokens, create_databases: ['db1', 'db2'] }), true],
  ['an unknown top-level field', canonical({ ...file(2), note: 'x' }), true],
  ['an unknown entry field', canonical({ ...file(2), tokens: [{ ...file(2).tokens[0], note: 1 }] }), true],
  ['an escape in a name', canonical(file(2)).replace('"t-1"', '"t\\u002d1x"'), true],
  ['a lone surrogate escape in a name', canonical(file(2)).replace('"t-1"', '"t\\ud800"'), false],
  ['an empty name', canonical(file(2)).replace('"t-1"', '""'), true],
  ['a repeated name', canonical(file(3)).replace('"t-2"', '"t-0"'), false],
  ['expiry -0', canonical(file(2)).replace(/"expiry_millis": \d+/, '"expiry_millis": -0'), false],
  ['expiry 1.0', canonical(file(2)).replace(/"expiry_millis": \d+/, '"expiry_millis": 1.0'), false],
  ['expiry of 19 digits within i64', canonical(file(2)).replace(/"expiry_millis": \d+/, '"expiry_millis": 1000000000000000000'), true],
  ['expiry beyond i64', canonical(file(2)).replace(/"expiry_millis": \d+/, '"expiry_millis": 9223372036854775808'), false],
  ['expiry null', canonical(file(2)).replace(/"expiry_millis": \d+/, '"expiry_millis": null'), true],
  ['a token without apiv3_', canonical(file(2)).replace(TOKEN(1), 'secret'), false],
  ['an invalid permission', canonical(file(2)).replace('"system:health:read"', '"system:nope:read"'), false],
  ['full access in a permission file', canonical(file(2)).replace('"system:health:read"', '"*:*:*"'), false],
  ['a permission with two colons too many', canonical(file(2)).replace('"db:db1:read"', '"db:db1:read:x"'), false],
  ['an empty permission list', canonical(file(2)).replace(/"permissions": \[\n {8}"db:db1:read"\n {6}\]/, '"permissions": []'), false],
  ['an invalid database name', canonical({ ...file(2), create_databases: ['db 1'] }), false],
  ['a control character in a name', canonical(file(2)).replace('"t-1"', '"t\t1"'), false],
  ['text after the document', `${canonical(file(2))}x`, false],
  ['create_databases null', canonical({ create_databases: null, tokens: file(2).tokens }), true],
];
for (const [label, text, loads] of declined) {
  test(`the fast path declines ${label}; the full path ${loads ? 'loads it' : 'refuses it'}`, () => {
    assert.equal(canonicalFile(text, NOW), undefined);
    assert.equal('value' in fully(text), loads, JSON.stringify(fully(text)));
    // And so does the loader every command uses.
    const load = (): unknown => loadDocument({ text, mode: 0o600 }, PATH, NOW);
    if (loads) load();
    else assert.throws(load, { code: 'EINVALIDFILE' });
  });
}

/** The same edits on the fast document and the full one, compared byte for byte. */
function sameEdits(text: string, fast: PermissionDocument, full: PermissionDocument): void {
  assert.equal(documentText(fast), documentText(full));
  const entry = { token: TOKEN(9999), name: 'new-one', expiry_millis: NOW, permissions: ['db:db3:write'] };
  const edits: [string, (d: PermissionDocument) => PermissionDocument][] = [
    ['append', (d) => appendEntries(d, [entry])],
    ['add databases', (d) => addDatabases(d, ['db2', 'db3']).doc],
    ['remove the first and the last', (d) => removeEntries(d, new Set([d.names[0]!, d.names[d.names.length - 1]!]))],
    ['replace the middle one', (d) => (d.names.length === 0 ? d : replaceEntry(d, d.names[d.names.length >> 1]!, { token: TOKEN(8888), expiry_millis: undefined }))],
  ];
  for (const [label, edit] of edits) {
    const a = edit(fast);
    const b = edit(full);
    assert.equal(documentText(a), documentText(b), `${label} of ${text.slice(0, 60)}`);
    assert.deepEqual(a.names, b.names, label);
    assert.deepEqual(a.databases, b.databases, label);
    assert.deepEqual(a.value, b.value, label);
    assert.deepEqual(a.value, JSON.parse(documentText(a)), label);
  }
}

test('a fast document edits to the same bytes, names and parsed view as the full one', () => {
  for (const text of [canonical(file(0)), canonical(file(7)), canonical({ tokens: file(3).tokens }), canonical({ create_databases: [], tokens: file(2).tokens })]) {
    const fast = loadDocument({ text, mode: 0o600 }, PATH, NOW, 'permission');
    const full = openDocument(text, JSON.parse(text) as PermissionTokensFile);
    sameEdits(text, fast, full);
  }
});

// Generated files: pieces that are each valid or not, laid out canonically, then perhaps
// one character changed anywhere. Whatever the fast path accepts, the full path accepts.
/** Mostly valid values, sometimes one that is not. */
const piece = <T>(valid: T[], invalid: T[]): fc.Arbitrary<T> =>
  fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.constantFrom(...invalid) });
const generatedFile = fc
  .record({
    databases: fc.option(fc.array(piece(['db1', 'db2', 'a/b', 'x_1'], ['db 1', '', '_x', 'é']), { maxLength: 3 }), { nil: undefined }),
    tokens: fc.array(
      fc.record({
        token: piece([TOKEN(1), TOKEN(2), 'apiv3_'], ['nope', 'apiv3_\u0000x', 'apiv3_\\']),
        name: piece(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'é', 'a b', '日本'], ['', 'a"b', '\ud800', 'x\ny']),
        expiry: piece<number | undefined | null | string>([undefined, 0, -5, NOW, 99999999999999999], [null, -0, 1e19]),
        permissions: fc.array(
          piece(['db:db1:read', 'db:*:write', 'system:health:read', 'db:db2:read,write', 'DB:db1:READ'], ['system:x:read', '*:*:*', 'db::read', 'db:db1:read:x']),
          { minLength: 1, maxLength: 3 },
        ),
      }),
      { maxLength: 6 },
    ),
    mutate: fc.oneof(
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom('"', '\\', ',', '\n', ' ', '0', '-', '}', ']', '\u0001', 'x')) },
    ),
  })
  .map(({ databases, tokens, mutate }) => {
    const entries = tokens.map((t) => {
      const e: Record<string, unknown> = { token: t.token, name: t.name };
      if (t.expiry !== undefined) e.expiry_millis = t.expiry;
      e.permissions = t.permissions;
      return e;
    });
    let text = canonical(databases === undefined ? { tokens: entries } : { create_databases: databases, tokens: entries });
    if (mutate) {
      const at = mutate[0] % text.length;
      text = text.slice(0, at) + mutate[1] + text.slice(at + 1);
    }
    return text;
  });

test('property: what the fast path accepts, the full path accepts with the same parsed view, and edits write the same bytes', () => {
  let accepted = 0;
  fc.assert(
    fc.property(generatedFile, (text) => {
      const scan = canonicalFile(text, NOW);
      if (!scan) return;
      accepted++;
      const verdict = fully(text);
      assert.ok('value' in verdict, `accepted by the fast path, refused by the full one: ${JSON.stringify(text)} (${JSON.stringify(verdict)})`);
      assert.deepEqual(verdict.value, JSON.parse(text));
      sameEdits(text, loadDocument({ text, mode: 0o600 }, PATH, NOW, 'permission'), openDocument(text, JSON.parse(text) as PermissionTokensFile));
    }),
    { numRuns: 3000, seed: 11 },
  );
  // The generator must exercise the fast path, not only the declines.
  assert.ok(accepted > 300, `only ${accepted} generated files took the fast path`);
});

test("serde's answers: every fixture the fast path accepts is one the server loads", () => {
  const fixture = JSON.parse(readFileSync(join(FIXTURES, 'serde-json-cases.json'), 'utf8')) as { cases: { text?: string; permission: { load?: unknown } }[] };
  let checked = 0;
  for (const c of fixture.cases) {
    for (const text of c.text === undefined ? [] : [c.text, `${(() => { try { return JSON.stringify(JSON.parse(c.text), null, 2); } catch { return ''; } })()}\n`]) {
      if (scanCanonicalPermissionFile(text) === undefined) continue;
      checked++;
      if (text === c.text) assert.ok('load' in c.permission, `the server refuses ${JSON.stringify(text)}`);
      // A re-laid-out text has no oracle answer of its own; the full path is its judge.
      if (canonicalFile(text, NOW)) assert.ok('value' in fully(text), JSON.stringify(text));
    }
  }
  assert.ok(checked > 100, `only ${checked} fixtures scanned as canonical`);
});
