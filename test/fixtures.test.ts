/**
 * Every sample file under fixtures/ is what it claims to be: valid files load, invalid
 * files fail at the place fixtures/invalid/README.md gives, and the documentation's
 * examples load with the placeholder warning they deserve.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { parseJson } from '../src/domain/json/scan';
import type { Report } from '../src/domain/validate-file';
import { FIXTURES, checkDocument } from './helpers';

/** A fixed clock: after every expiry in fixtures/valid is irrelevant, before the docs' 2025-08-28 expiry. */
const NOW_VALID = Date.UTC(2026, 0, 1);
const NOW_DOCS = Date.UTC(2025, 0, 1);

const jsonFiles = (dir: string): string[] =>
  readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith('.json'))
    .sort();

function load(dir: string, file: string): unknown {
  const text = readFileSync(join(FIXTURES, dir, file), 'utf8');
  // The fixtures include unknown values nested 100,000 deep: the test reads them with JSON.parse (no depth limit).
  return JSON.parse(text) as unknown;
}

/** The verdict validate gives: the document and its text, so the server's serde reader decides. */
function check(dir: string, file: string, now: number, kind?: 'admin' | 'permission'): Report {
  const text = readFileSync(join(FIXTURES, dir, file), 'utf8');
  return checkDocument(load(dir, file), now, { warnings: true, text, ...(kind ? { kind } : {}) });
}

// ---- valid ----

const validFiles = jsonFiles('valid');
const expectedKinds: Record<string, 'admin' | 'permission'> = {
  'admin-extra-fields.json': 'admin',
  'admin-i64-max-expiry.json': 'admin',
  'admin-minimal.json': 'admin',
  'serde-escapes-and-deep-unknown.json': 'permission',
  'empty-create-databases.json': 'permission',
  'minimal.json': 'permission',
  'unknown-fields.json': 'permission',
  'with-create-databases.json': 'permission',
  'with-expiry.json': 'permission',
  'without-expiry.json': 'permission',
};

test('fixtures/valid holds the expected files', () => {
  assert.deepEqual(validFiles, Object.keys(expectedKinds).sort());
});

for (const file of validFiles) {
  test(`fixtures/valid/${file} loads: no errors, no warnings`, () => {
    const r = check('valid', file, NOW_VALID);
    assert.equal(r.kind, expectedKinds[file]);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
  });
}

test('fixtures/valid/minimal.json is exactly {"tokens": []} as the tool writes it', () => {
  assert.equal(readFileSync(join(FIXTURES, 'valid', 'minimal.json'), 'utf8'), '{\n  "tokens": []\n}\n');
});

test('fixtures/valid token strings have the minted format and are all different', () => {
  const all: string[] = [];
  for (const file of validFiles) {
    const doc = load('valid', file) as { token?: string; tokens?: Array<{ token: string }> };
    if (doc.token !== undefined) all.push(doc.token);
    for (const t of doc.tokens ?? []) all.push(t.token);
  }
  assert.ok(all.length >= 10, `${all.length} tokens`);
  for (const t of all) assert.match(t, /^apiv3_[A-Za-z0-9_-]{86}$/);
  assert.equal(new Set(all).size, all.length);
});

test('fixtures/valid covers unknown fields, expiry and no expiry', () => {
  const unknown = load('valid', 'unknown-fields.json') as Record<string, unknown> & { tokens: Array<Record<string, unknown>> };
  assert.ok(Object.keys(unknown).some((k) => !['create_databases', 'tokens'].includes(k)));
  assert.ok(Object.keys(unknown.tokens[0]!).some((k) => !['token', 'name', 'expiry_millis', 'permissions'].includes(k)));
  const withExpiry = load('valid', 'with-expiry.json') as { tokens: Array<Record<string, unknown>> };
  assert.ok(withExpiry.tokens.every((t) => Number.isInteger(t.expiry_millis)));
  const without = load('valid', 'without-expiry.json') as { tokens: Array<Record<string, unknown>> };
  assert.ok(without.tokens.every((t) => !('expiry_millis' in t)));
  assert.equal('expiry_millis' in (load('valid', 'admin-minimal.json') as object), false);
  assert.ok('description' in (load('valid', 'admin-extra-fields.json') as object));
});

// ---- invalid: the README table says where each file breaks ----

type Where = { pointer: string } | { line: number; column: number };

function readInvalidTable(): Map<string, Where> {
  const table = new Map<string, Where>();
  const readme = readFileSync(join(FIXTURES, 'invalid', 'README.md'), 'utf8');
  for (const row of readme.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*(.+?)\s*\|/.exec(row);
    if (!m) continue;
    const [, file, where] = m as unknown as [string, string, string];
    const at = /^line (\d+), column (\d+)$/.exec(where);
    const pointer = /^`(".*")`$/.exec(where);
    if (at) table.set(file, { line: Number(at[1]), column: Number(at[2]) });
    else if (pointer) table.set(file, { pointer: JSON.parse(pointer[1]!) as string });
    else assert.fail(`fixtures/invalid/README.md: cannot read the place ${JSON.stringify(where)} of ${file}`);
  }
  return table;
}

const invalidTable = readInvalidTable();
const invalidFiles = jsonFiles('invalid');

test('fixtures/invalid/README.md lists every invalid file, and only those', () => {
  assert.ok(invalidTable.size >= 13, `${invalidTable.size} rows`);
  assert.deepEqual([...invalidTable.keys()].sort(), invalidFiles);
});

for (const file of invalidFiles) {
  const where = invalidTable.get(file);
  test(`fixtures/invalid/${file} fails at ${where === undefined ? '(not in the README)' : 'pointer' in where ? JSON.stringify(where.pointer) : `${where.line}:${where.column}`}`, () => {
    assert.ok(where, `${file} is not in fixtures/invalid/README.md`);
    const text = readFileSync(join(FIXTURES, 'invalid', file), 'utf8');
    const parsed = parseJson(text);
    if ('line' in where) {
      assert.equal(parsed.ok, false, `${file} parses as JSON`);
      if (parsed.ok) return;
      assert.deepEqual({ line: parsed.line, column: parsed.column }, where);
      assert.ok(!JSON.stringify(parsed).includes('apiv3_'));
      return;
    }
    assert.ok(parsed.ok, `${file} is not even JSON`);
    const r = checkDocument(parsed.value, NOW_VALID, { warnings: true, text });
    assert.ok(r.errors.length >= 1, `${file} has no error`);
    // One file, one problem: every error is at the listed place.
    assert.deepEqual(
      r.errors.map((e) => e.pointer),
      r.errors.map(() => where.pointer),
      JSON.stringify(r.errors),
    );
    for (const e of r.errors) assert.ok(!/apiv3_[A-Za-z0-9_-]{8,}/.test(e.message), e.message);
  });
}

// ---- what loads, but not without a word ----

const loadsWithWarnings: Record<string, { kind: 'admin' | 'permission'; warnings: string[]; arrayForm?: true }> = {
  'admin-array-form.json': { kind: 'admin', warnings: [''], arrayForm: true },
  'admin-with-create-databases.json': { kind: 'admin', warnings: [] },
  'nulls-and-empty-name.json': { kind: 'permission', warnings: ['/create_databases', '/tokens/0/name', '/tokens/0/expiry_millis', '/tokens/0/permissions/0'] },
};

test('fixtures/loads-with-warnings holds the expected files', () => {
  assert.deepEqual(jsonFiles('loads-with-warnings'), Object.keys(loadsWithWarnings).sort());
});

for (const [file, want] of Object.entries(loadsWithWarnings)) {
  test(`fixtures/loads-with-warnings/${file} loads as ${want.kind} with warnings at ${JSON.stringify(want.warnings)}`, () => {
    const r = check('loads-with-warnings', file, NOW_VALID, want.kind);
    assert.equal(r.kind, want.kind);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings.map((w) => w.pointer).sort(), [...want.warnings].sort());
    assert.equal(r.arrayForm, want.arrayForm);
  });
}

// ---- the documentation's examples ----

test('fixtures/docs/permission-tokens-example.json is the documentation example, verbatim', () => {
  const doc = load('docs', 'permission-tokens-example.json');
  assert.deepEqual(doc, {
    create_databases: ['db1', 'db2', 'db3'],
    tokens: [
      {
        token: 'apiv3_0XXXX-xxxXxXxxxXX_OxxxX...',
        name: 'example-token',
        expiry_millis: 1756400061529,
        permissions: ['db:db1,db2:read,write', 'db:db3:read'],
      },
    ],
  });
});

const docsWarnings: Record<string, string[]> = {
  'permission-tokens-example.json': ['/tokens/0/token'],
  'admin-token-example.json': ['/token'],
};

test('fixtures/docs holds the expected JSON files', () => {
  assert.deepEqual(jsonFiles('docs'), Object.keys(docsWarnings).sort());
});

for (const file of jsonFiles('docs')) {
  test(`fixtures/docs/${file} loads, with the placeholder warning`, () => {
    const r = checkDocument(load('docs', file), NOW_DOCS);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.warnings.map((w) => w.pointer),
      docsWarnings[file],
    );
    assert.ok(r.warnings[0]!.message.includes('placeholder'), r.warnings[0]!.message);
  });

  test(`fixtures/docs/${file}: its 2025-08-28 expiry is warned about once that day has passed`, () => {
    const r = checkDocument(load('docs', file), Date.UTC(2026, 0, 1));
    assert.deepEqual(r.errors, []);
    assert.ok(r.warnings.some((w) => w.pointer.endsWith('/expiry_millis') && w.message.includes('2025-08-28T16:54:21.529Z')));
  });
}

test('fixtures/docs/docker-compose.yml runs the tool, then influxdb3 serve with both token files', () => {
  const text = readFileSync(join(FIXTURES, 'docs', 'docker-compose.yml'), 'utf8');
  assert.match(text, /influxdb3-offline-tokens\.cjs/);
  assert.match(text, /^\s+t create token --admin/m);
  assert.match(text, /--admin-token-file/);
  assert.match(text, /--permission-tokens-file/);
  assert.doesNotMatch(text, /\t/, 'YAML forbids tabs for indentation');
});
