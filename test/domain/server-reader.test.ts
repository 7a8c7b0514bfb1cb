import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type EntryValues, type ServerKind, readTokenFile } from '../../src/domain/server-reader';
import { FIXTURES } from '../helpers';

type Verdict = { refuse: string } | { load: Record<string, unknown> };
interface Case {
  text?: string;
  base64?: string;
  admin: Verdict;
  permission: Verdict;
}
const fixture = JSON.parse(readFileSync(join(FIXTURES, 'serde-json-cases.json'), 'utf8')) as { cases: Case[] };

const expiry = (v: bigint | null | undefined): string | null => (v === null || v === undefined ? null : String(v));

/** What our reader says, in the oracle's terms. Invalid UTF-8 never reaches it: the store refuses those bytes first, as the server's read_to_string does. */
function ours(bytes: Buffer, kind: ServerKind): Verdict {
  if (!isUtf8(bytes)) return { refuse: 'not UTF-8 (refused by the store before reading)' };
  const text = bytes.toString('utf8');
  const r = readTokenFile(text, kind, { values: true });
  // The index an edit reads (values only where needed) must give the same verdict.
  const quick = readTokenFile(text, kind);
  if ((quick.errors.length === 0) !== (r.errors.length === 0)) return { load: { indexPathDisagrees: quick.errors } };
  if (r.errors.length > 0) return { refuse: r.errors.map((e) => `${e.pointer}: ${e.message}`).join('; ') };
  if (kind === 'admin') return { load: { token: r.admin!.token, name: r.admin!.name, expiry: expiry(r.admin!.expiry) } };
  return {
    load: {
      create_databases: r.databases,
      tokens: r.read.map(({ values }) => {
        const t = values as EntryValues;
        return { token: t.token, name: t.name, expiry: expiry(t.expiry), permissions: t.permissions };
      }),
    },
  };
}

/** Every case through the reader, under both kinds. */
function disagreementsOf(verdictOf: (bytes: Buffer, kind: ServerKind) => Verdict | undefined): string[] {
  const disagreements: string[] = [];
  fixture.cases.forEach((c, k) => {
    const bytes = c.text !== undefined ? Buffer.from(c.text, 'utf8') : Buffer.from(c.base64!, 'base64');
    for (const kind of ['admin', 'permission'] as const) {
      const want = c[kind];
      const got = verdictOf(bytes, kind);
      if (got === undefined) continue;
      const same = 'load' in want ? 'load' in got && JSON.stringify(got.load) === JSON.stringify(want.load) : 'refuse' in got;
      if (!same) {
        const shown = bytes.length > 300 ? `${bytes.subarray(0, 300).toString('utf8')}... (${bytes.length} bytes)` : bytes.toString('utf8');
        disagreements.push(`case ${k} as ${kind}: serde ${JSON.stringify(want)}, ours ${JSON.stringify(got)}\n  ${JSON.stringify(shown)}`);
      }
    }
  });
  return disagreements;
}

test(`the reader agrees with serde_json on all ${fixture.cases.length} oracle cases, verdict and values`, () => {
  assert.ok(fixture.cases.length > 3000);
  const disagreements = disagreementsOf((bytes, kind) => ours(bytes, kind));
  assert.deepEqual(disagreements.slice(0, 20), [], `${disagreements.length} disagreements`);
});

test('canonical and compact entries, with and without the parsed hint, give the same verdict as the walk', () => {
  const T = `apiv3_${'A'.repeat(86)}`;
  const entry = { token: T, name: 'n', expiry_millis: 1, permissions: ['db:a:read', 'system:health:read'] };
  const docs = [
    { tokens: [entry, { ...entry, name: 'm' }] },
    { tokens: [{ ...entry, name: '' }] },
    { tokens: [{ ...entry, expiry_millis: 123456789012345678 }] },
  ];
  for (const d of docs) {
    for (const text of [`${JSON.stringify(d, null, 2)}\n`, JSON.stringify(d)]) {
      const r = readTokenFile(text, 'permission', { values: true });
      assert.deepEqual(r.errors, [], text);
      assert.deepEqual(readTokenFile(text, 'permission').errors, [], text);
      assert.deepEqual(
        r.read.map((t) => t.values.name),
        d.tokens.map((t) => t.name),
      );
      assert.deepEqual(
        r.names,
        d.tokens.map((t) => t.name),
      );
    }
  }
  // Duplicates and escapes in an otherwise canonical entry fall through to the walk.
  const dup = `{\n  "tokens": [\n    {\n      "token": "${T}",\n      "name": "a",\n      "name": "b",\n      "permissions": [\n        "db:a:read"\n      ]\n    }\n  ]\n}\n`;
  assert.equal(readTokenFile(dup, 'permission').errors[0]?.pointer, '/tokens/0/name');
});

test('huge strings read without running out of stack (the scanner loops): 9 M characters, 5 M escapes', () => {
  const token = `apiv3_${'A'.repeat(86)}`;
  const entry = (extra: string, permissions = '["db:x:read"]') => `{"tokens": [{"token": "${token}", "name": "a", "permissions": ${permissions}${extra}}]}`;
  for (const text of [entry(`, "note": "${'x'.repeat(9_000_000)}"`), entry(`, "note": "${'\\n'.repeat(5_000_000)}"`)]) {
    const read = readTokenFile(text, 'permission', { values: true });
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.names, ['a']);
  }
});
