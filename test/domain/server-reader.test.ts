import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type ServerKind, readAsServer } from '../../src/domain/server-reader';
import { FIXTURES } from '../helpers';

type Verdict = { refuse: string } | { load: Record<string, unknown> };
interface Case {
  text?: string;
  base64?: string;
  admin: Verdict;
  permission: Verdict;
}
const fixture = JSON.parse(readFileSync(join(FIXTURES, 'serde-json-cases.json'), 'utf8')) as { cases: Case[] };

const expiry = (v: bigint | null): string | null => (v === null ? null : String(v));

/** What our reader says, in the oracle's terms. Invalid UTF-8 never reaches it: the store refuses those bytes first, as the server's read_to_string does. */
function ours(bytes: Buffer, kind: ServerKind): Verdict {
  if (!isUtf8(bytes)) return { refuse: 'not UTF-8 (refused by the store before reading)' };
  const r = readAsServer(bytes.toString('utf8'), kind, { collect: true });
  if (r.errors.length > 0) return { refuse: r.errors.map((e) => `${e.pointer}: ${e.message}`).join('; ') };
  if (kind === 'admin') {
    const v = (r as ReturnType<typeof readAsServer<'admin'>>).value!;
    return { load: { token: v.token, name: v.name, expiry: expiry(v.expiry) } };
  }
  const v = (r as ReturnType<typeof readAsServer<'permission'>>).value!;
  return {
    load: {
      create_databases: v.create_databases,
      tokens: v.tokens.map((t) => ({ token: t.token, name: t.name, expiry: expiry(t.expiry), permissions: t.permissions })),
    },
  };
}

test(`the reader agrees with serde_json on all ${fixture.cases.length} oracle cases, verdict and values`, () => {
  assert.ok(fixture.cases.length > 3000);
  const disagreements: string[] = [];
  fixture.cases.forEach((c, k) => {
    const bytes = c.text !== undefined ? Buffer.from(c.text, 'utf8') : Buffer.from(c.base64!, 'base64');
    for (const kind of ['admin', 'permission'] as const) {
      const want = c[kind];
      const got = ours(bytes, kind);
      const same = 'load' in want ? 'load' in got && JSON.stringify(got.load) === JSON.stringify(want.load) : 'refuse' in got;
      if (!same) {
        const shown = bytes.length > 300 ? `${bytes.subarray(0, 300).toString('utf8')}... (${bytes.length} bytes)` : bytes.toString('utf8');
        disagreements.push(`case ${k} as ${kind}: serde ${JSON.stringify(want)}, ours ${JSON.stringify(got)}\n  ${JSON.stringify(shown)}`);
      }
    }
  });
  assert.deepEqual(disagreements.slice(0, 20), [], `${disagreements.length} disagreements`);
});
