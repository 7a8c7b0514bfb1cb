/**
 * The differential test of issue "exact in every command": generated token files the server
 * loads (fixtures/serde-differential.json: every layout, escaped strings, unknown fields at
 * depth, expiries null / absent / negative / at the i64 bounds / beyond 2^53), with what
 * serde_json reads from each. Every command runs on each: what show, get and export report
 * is what the server reads; what a writing command leaves is what it meant to change and
 * nothing else, by a model of each command over serde's reading, and by serde's own
 * reading of the file it left (recorded by scripts/serde-oracle/differential.mjs from the
 * same run: fixed clock, seeded randomness).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type EntryValues, type ServerKind, readTokenFile } from '../../src/domain/server-reader';
import { FIXTURES } from '../helpers';
import { type Expected, NOW, type OracleAdmin, type OraclePermissionFile, type Reading, adminSteps, permissionSteps, runOn } from './differential-run';

interface Case {
  kind: ServerKind;
  text: string;
  before: Reading;
  steps: Array<{ label: string; status: number; after: { load: Reading } | { refuse: string } | null }>;
}
const fixture = JSON.parse(readFileSync(join(FIXTURES, 'serde-differential.json'), 'utf8')) as { now: number; cases: Case[] };

const digits = (v: bigint | null | undefined): string | null => (v === null || v === undefined ? null : String(v));

/** What our reader reads from `text`, in the oracle's terms; undefined when it would not load. */
function ours(text: string, kind: ServerKind): Reading | undefined {
  const r = readTokenFile(text, kind, { values: true });
  if (r.errors.length > 0) return undefined;
  if (kind === 'admin') return { token: r.admin!.token!, name: r.admin!.name!, expiry: digits(r.admin!.expiry) };
  return {
    create_databases: r.databases === null ? null : [...r.databases],
    tokens: r.read.map(({ values }) => {
      const t = values as EntryValues;
      return { token: t.token, name: t.name, expiry: digits(t.expiry), permissions: [...t.permissions] };
    }),
  };
}

const tokensOf = (r: Reading): Array<{ token: string; name: string; expiry: string | null; permissions?: string[] }> => ('tokens' in r ? r.tokens : [r]);

/** `got` is `want`, where a '*' token in `want` is a fresh apiv3_ string not in `before`. */
function assertMatches(got: Reading, want: Reading, before: Reading, label: string): void {
  const old = new Set(tokensOf(before).map((t) => t.token));
  const g = tokensOf(got);
  const w = tokensOf(want);
  assert.equal(g.length, w.length, `${label}: token count`);
  g.forEach((t, i) => {
    if (w[i]!.token === '*') {
      assert.match(t.token, /^apiv3_[A-Za-z0-9_-]{86}$/, label);
      assert.ok(!old.has(t.token), `${label}: a fresh string`);
    }
    assert.deepEqual({ ...t, token: w[i]!.token === '*' ? '*' : t.token }, w[i], `${label}: token ${i}`);
  });
  if ('tokens' in want) assert.deepEqual((got as OraclePermissionFile).create_databases, want.create_databases, `${label}: create_databases`);
}

/** The expiry_millis column of `show tokens --format jsonl`, as digits: JSON.parse would round them. */
const expiryDigits = (line: string): string | null => {
  const m = /"expiry_millis":(-?\d+|null)/.exec(line);
  assert.ok(m, line);
  return m[1] === 'null' ? null : m[1]!;
};

assert.equal(fixture.now, NOW, 'the fixture was made with the clock the runner uses');

describe('differential: every command against what serde_json reads', () => {
  it('covers both kinds, every layout and the expiry edge cases', () => {
    const texts = fixture.cases.map((c) => c.text);
    assert.ok(fixture.cases.filter((c) => c.kind === 'admin').length >= 20);
    assert.ok(fixture.cases.filter((c) => c.kind === 'permission').length >= 50);
    for (const needle of [
      '\r\n',
      '\t',
      '    "',
      '\\u',
      '9223372036854775807',
      '-9223372036854775808',
      '9007199254740993',
      '"expiry_millis": null',
      '"description"',
    ]) {
      assert.ok(
        texts.some((t) => t.includes(needle)),
        `no generated file holds ${JSON.stringify(needle)}`,
      );
    }
    assert.ok(
      texts.some((t) => !t.includes('\n')),
      'a minified file',
    );
  });

  for (const [k, c] of fixture.cases.entries()) {
    it(`file ${k} (${c.kind}): the reader, show, get and export report what the server reads`, async () => {
      assert.deepEqual(ours(c.text, c.kind), c.before);
      const tokens = tokensOf(c.before);
      const show = await runOn(c.text, ['show', 'tokens', '--file', 'FILE', '--format', 'jsonl'], 'show');
      assert.equal(show.status, 0, show.stderr);
      const rows = show.stdout.trimEnd().split('\n');
      assert.equal(rows.length, tokens.length);
      rows.forEach((line, i) => {
        const row = JSON.parse(line) as { name: string; hash: string; permissions: string[] };
        const t = tokens[i]!;
        assert.equal(row.name, t.name);
        assert.equal(row.hash, createHash('sha512').update(t.token).digest('hex').slice(0, 9));
        assert.equal(expiryDigits(line), t.expiry);
        assert.deepEqual(row.permissions, t.permissions ?? ['*:*:*']);
      });
      const csv = await runOn(c.text, ['show', 'tokens', '--file', 'FILE', '--format', 'csv'], 'csv');
      assert.deepEqual(
        // A negative cell carries the leading ' that keeps a spreadsheet from reading it as a formula; the digits are exact.
        csv.stdout
          .trimEnd()
          .split('\r\n')
          .slice(1)
          .map((l) => /^(?:"[^"]*(?:""[^"]*)*"|[^,]*),[0-9a-f]{9},'?(-?\d*),/.exec(l)?.[1]),
        tokens.map((t) => t.expiry ?? ''),
      );
      const pretty = await runOn(c.text, ['show', 'tokens', '--file', 'FILE'], 'pretty');
      assert.equal(pretty.status, 0, pretty.stderr);
      for (const t of tokens) {
        const got = await runOn(c.text, ['get', 'token', '--file', 'FILE', '--token-name', t.name], 'get');
        assert.equal(got.stdout, `${t.token}\n`, `get ${t.name}`);
      }
      const exported = await runOn(c.text, ['export', '--file', 'FILE', '--format', 'json', '--output', '-'], 'export');
      assert.equal(exported.status, 0, exported.stderr);
      assert.deepEqual(JSON.parse(exported.stdout), Object.fromEntries(tokens.map((t) => [t.name, t.token])));
    });

    it(`file ${k} (${c.kind}): every writing command changes what it means to, and nothing else`, async () => {
      const steps = c.kind === 'admin' ? adminSteps(c.before as OracleAdmin) : permissionSteps(c.before as OraclePermissionFile);
      assert.deepEqual(
        steps.map((s) => s.label),
        c.steps.map((s) => s.label),
      );
      for (const [i, step] of steps.entries()) {
        const label = `${step.label} on file ${k}`;
        const want: Expected = step.expect(c.before);
        const r = await runOn(c.text, step.words, `${k}:${step.label}`, step.extra);
        if (want === 'unchanged') {
          assert.equal(r.status, 1, `${label}: refused`);
          assert.equal(r.after, c.text, `${label}: the file is byte for byte as it was`);
          continue;
        }
        assert.equal(r.status, 0, `${label}: ${r.stderr}`);
        const got = ours(r.after, c.kind);
        assert.ok(got, `${label}: the file written loads`);
        assertMatches(got, want, c.before, label);
        // serde's own reading of the file this run wrote, recorded from the same run.
        const recorded = c.steps[i]!.after;
        assert.ok(recorded && 'load' in recorded, `${label}: serde loaded the file written`);
        assert.deepEqual(got, recorded.load, `${label}: what serde read`);
      }
    });
  }
});
