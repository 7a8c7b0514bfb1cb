// Runs the bundle once on a representative `create token` and saves V8's code cache,
// which then holds the functions that run compiled, not only the top level. Build-time only.
'use strict';
const { createHash } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { wrap } = require('node:module');
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const file = process.argv[2];
// The bundle ends with the digest of its own code; the cache begins with it (see the launcher).
const bundle = readFileSync(file, 'utf8').replace(/\n\/\/# cache-key=[0-9a-f]{64}\n$/, '\n');
const key = createHash('sha256').update(bundle).digest();
writeFileSync(file, `${bundle}//# cache-key=${key.toString('hex')}\n`);
const source = wrap(readFileSync(file, 'utf8'));
const script = new Script(source, { filename: file });
const dir = mkdtempSync(join(tmpdir(), 'otk-cache-'));
process.argv = [
  process.argv[0],
  file,
  'create',
  'token',
  '--permission',
  'db:db1:read,write',
  '--name',
  'warm-up',
  '--expiry',
  '7d',
  '--create-databases',
  'db1',
  '--output-file',
  join(dir, 'tokens.json'),
];
// The warm-up's output (about a throwaway token) goes to the caller's stdout, which the build discards.
process.on('exit', (code) => {
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0) return;
  writeFileSync(`${file}.cache`, Buffer.concat([key, script.createCachedData()]));
});
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, require, mod, file, dirname(file));
