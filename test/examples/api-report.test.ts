/**
 * The API reference (docs/api/, api-extractor's report) is generated from the types: the
 * build fails when it differs from them (scripts/build.mjs). This checks the other side:
 * every value the built library exports is in the checked-in reference, and no more.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers';

test('docs/api lists exactly the values dist/index.cjs exports', () => {
  const report = readFileSync(join(ROOT, 'docs/api/influxdb3-offline-tokens.api.md'), 'utf8');
  const documented = [...report.matchAll(/^export (?:function|class|const) (\w+)/gm)].map((m) => m[1]!).sort();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = Object.keys(require(join(ROOT, 'dist/index.cjs')) as object).sort();
  assert.ok(exported.includes('createToken'));
  assert.deepEqual(documented, exported);
});
