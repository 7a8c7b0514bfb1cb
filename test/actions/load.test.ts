/**
 * The loader every command uses (actions/load.ts over domain/server-reader.ts), and the
 * reader's one fast path (an entry in the canonical layout, matched by a regex) against the
 * walk it short-cuts: the same file minified takes the walk for every entry, and must give
 * the same verdict, the same values and, edited, the same bytes. The walk itself is held to
 * serde's answers in test/domain/server-reader.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import { editDocument, checkFile } from '../../src/actions/load';
import { type PermissionDocument, addDatabases, appendEntries, documentText, entriesOf, removeEntries, replaceEntry } from '../../src/domain/document';
import type { EntryPlaces, EntryValues } from '../../src/domain/server-reader';
import { toJson } from '../../src/output/json';

/** Whether each entry is in the canonical layout. */
const flags = (entries: EntryPlaces): boolean[] => Array.from({ length: entries.length }, (_, k) => entries.canonical(k));
const NOW = Date.UTC(2026, 11, 1);
const PATH = 'tokens.json';
const TOKEN = (k: number): string => `apiv3_${String(k).padStart(4, '0')}${'x'.repeat(80)}`;

function canonical(file: unknown): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

interface PlainFile {
  create_databases?: unknown;
  tokens: Array<Record<string, unknown>>;
  [k: string]: unknown;
}

function file(entries: number, extra: Partial<PlainFile> = {}): PlainFile {
  const tokens = Array.from({ length: entries }, (_, k) => ({
    token: TOKEN(k),
    name: `t-${k}`,
    ...(k % 3 === 0 ? {} : { expiry_millis: NOW + k }),
    permissions: k % 2 === 0 ? ['db:db1:read'] : ['db:db1,db2:read,write', 'system:health:read'],
  }));
  return { create_databases: ['db1', 'db2'], tokens, ...extra };
}

/** The loader's verdict: the entries' values, or the error it refuses with. */
function verdict(text: string): { values: EntryValues[] } | { error: string } {
  try {
    return { values: entriesOf(editDocument({ text, mode: 0o600 }, PATH, NOW, 'permission')) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The same JSON without a byte of whitespace: no entry is in the canonical layout, so every one takes the walk. */
const minified = (text: string): string => {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!' \n\r\t'.includes(c)) out += c;
  }
  return out;
};

test('a file as this tool writes it reads through the fast path, with the values of the walk', () => {
  for (const text of [
    canonical(file(0)),
    canonical(file(1)),
    canonical(file(500)),
    canonical({ tokens: file(3).tokens }),
    JSON.stringify(file(4), null, 2),
    canonical({ create_databases: [], tokens: [] }),
  ]) {
    const loaded = checkFile({ text, mode: 0o600 }, PATH, NOW, 'permission');
    assert.ok(
      flags(loaded.read.entries).every((c) => c),
      text.slice(0, 80),
    );
    assert.deepEqual(verdict(text), verdict(minified(text)));
    assert.ok(flags(checkFile({ text: minified(text), mode: 0o600 }, PATH, NOW, 'permission').read.entries).every((c) => !c));
  }
});

// Each line: what makes the file leave the fast path, and whether the server (and so the loader) loads it.
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
  test(`the loader ${loads ? 'loads' : 'refuses'} a file with ${label}, laid out or minified`, () => {
    for (const t of [text, minified(text)]) {
      const v = verdict(t);
      assert.equal('values' in v, loads, toJson(v));
      if (!loads) assert.throws(() => editDocument({ text: t, mode: 0o600 }, PATH, NOW), { code: 'EINVALIDFILE' });
    }
  });
}

/** The same edits on both documents, compared byte for byte and value for value. */
function sameEdits(text: string, fast: PermissionDocument, walked: PermissionDocument, bytes = true): void {
  if (bytes) assert.equal(documentText(fast), documentText(walked));
  const entry = { token: TOKEN(9999), name: 'new-one', expiry: BigInt(NOW), permissions: ['db:db3:write'] };
  const edits: [string, (d: PermissionDocument) => PermissionDocument][] = [
    ['append', (d) => appendEntries(d, [entry])],
    ['add databases', (d) => addDatabases(d, ['db2', 'db3']).doc],
    ['remove the first and the last', (d) => removeEntries(d, new Set([d.names[0]!, d.names[d.names.length - 1]!]))],
    ['replace the middle one', (d) => (d.names.length === 0 ? d : replaceEntry(d, d.names[d.names.length >> 1]!, { token: TOKEN(8888), expiry: null }))],
  ];
  for (const [label, edit] of edits) {
    const a = edit(fast);
    const b = edit(walked);
    if (bytes) assert.equal(documentText(a), documentText(b), `${label} of ${text.slice(0, 60)}`);
    assert.deepEqual(a.names, b.names, label);
    assert.deepEqual(a.databases, b.databases, label);
    assert.deepEqual(entriesOf(a), entriesOf(b), label);
    // The values are the text's: read back from the written text, they are the same.
    assert.deepEqual(entriesOf(a), entriesOf(editDocument({ text: documentText(a), mode: 0o600 }, PATH, NOW, 'permission')), label);
  }
}

test('a canonical document edits to the same bytes, names and values as the walked one', () => {
  for (const text of [
    canonical(file(0)),
    canonical(file(7)),
    canonical({ tokens: file(3).tokens }),
    canonical({ create_databases: [], tokens: file(2).tokens }),
  ]) {
    sameEdits(text, editDocument({ text, mode: 0o600 }, PATH, NOW, 'permission'), editDocument({ text: minified(text), mode: 0o600 }, PATH, NOW, 'permission'));
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
          piece(
            ['db:db1:read', 'db:*:write', 'system:health:read', 'db:db2:read,write', 'DB:db1:READ'],
            ['system:x:read', '*:*:*', 'db::read', 'db:db1:read:x'],
          ),
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

test('property: laid out or minified, a generated file gets the same verdict, values and edited bytes', () => {
  let loaded = 0;
  fc.assert(
    fc.property(generatedFile, (text) => {
      const a = verdict(text);
      const b = verdict(minified(text));
      assert.equal('values' in a, 'values' in b, `${JSON.stringify(text)}: ${toJson(a)} / ${toJson(b)}`);
      if (!('values' in a) || !('values' in b)) return;
      loaded++;
      assert.deepEqual(a.values, b.values);
      // A member this tool does not know keeps its bytes (minified stays minified), so only values compare then.
      const known = checkFile({ text, mode: 0o600 }, PATH, NOW, 'permission').read.members.every((m) => m.key === 'tokens' || m.key === 'create_databases');
      sameEdits(
        text,
        editDocument({ text, mode: 0o600 }, PATH, NOW, 'permission'),
        editDocument({ text: minified(text), mode: 0o600 }, PATH, NOW, 'permission'),
        known,
      );
    }),
    { numRuns: 3000, seed: 11 },
  );
  assert.ok(loaded > 300, `only ${loaded} generated files loaded`);
});
