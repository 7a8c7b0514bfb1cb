#!/usr/bin/env node
'use strict';
// The launcher. It runs the bundle (dist/app.cjs) through V8's code cache, made at build
// time for this very bundle: compiling ~200 KB anew on every run was a fifth of the
// start-up of a command that pipelines run thousands of times.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { wrap } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const file = join(__dirname, '..', 'dist', 'app.cjs');
const source = wrap(readFileSync(file, 'utf8'));
let cachedData;
try {
  const cache = readFileSync(`${file}.cache`);
  // V8 only checks the source length; the digest makes sure the cache is for these bytes.
  const digest = createHash('sha256').update(source).digest();
  if (cache.subarray(0, 32).equals(digest)) cachedData = cache.subarray(32);
} catch {
  // No cache (a build without it, or a read-only copy): compile as usual, only slower.
}
const script = new Script(source, { filename: file, cachedData });
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, require, mod, file, dirname(file));
