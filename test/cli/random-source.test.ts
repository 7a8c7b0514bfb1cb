/** Token bytes come from crypto.randomBytes, the one audited path (SPEC 3): no device read by hand. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startCli, tempDir } from '../helpers';

test('create token mints its 64 bytes through crypto.randomBytes', async () => {
  const dir = tempDir();
  const preload = join(dir, 'fixed-random.cjs');
  // Every call answers bytes 0, 1, 2, ...: the token must be exactly their encoding.
  writeFileSync(preload, "const c = require('node:crypto'); c.randomBytes = (n) => Buffer.from(Array.from({ length: n }, (_, i) => i));\n");
  const r = await startCli(['create', 'token', '--name', 'a', '--permission', 'db:*:read', '--output-file', join(dir, 't.json'), '--format', 'json'], {
    nodeArgs: ['--require', preload],
  }).done;
  assert.equal(r.status, 0, r.stderr);
  const expected = `apiv3_${Buffer.from(Array.from({ length: 64 }, (_, i) => i)).toString('base64url')}`;
  assert.equal((JSON.parse(r.stdout) as { token: string }).token, expected);
});
