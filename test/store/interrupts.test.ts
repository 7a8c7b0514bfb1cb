/**
 * A library caller's signals (issue 16, SPEC 9): the lock is taken and released
 * synchronously, so a SIGINT sent meanwhile reaches its listener only at a turn of the
 * event loop that the store makes. Entered from an I/O callback (after an `await` of a file
 * read, as a library caller often is), one setImmediate runs before libuv's next poll phase
 * and would miss it; the store's turn must still see it. The process below blocks the
 * lock's first probe (utimesSync of a `.lock` path) so the test can signal it there.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempDir } from '../helpers';

const PRELOAD = `
const fs = require('node:fs');
const real = fs.utimesSync;
let done = false;
fs.utimesSync = function (p, ...rest) {
  if (!done && String(p).endsWith('.lock')) {
    done = true;
    fs.writeSync(2, 'OTK-PROBE\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
  }
  return real.call(fs, p, ...rest);
};
`;

const PROGRAM = (file: string): string => `
const { readFile } = require('node:fs/promises');
const { updateFile } = require(${JSON.stringify(join(ROOT, 'build', 'src', 'store', 'store.js'))});
(async () => {
  await readFile(${JSON.stringify(file)});
  try {
    await updateFile({ path: ${JSON.stringify(file)}, lockTimeoutMs: 5000, transform: () => ({ write: true, text: 'new\\n', result: 0 }) });
    console.log('written');
  } catch (e) {
    console.log(e.code);
  }
})();
`;

test('a SIGINT while a library caller takes the lock from an I/O callback: nothing written, EINTERRUPTED', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = join(dir, 'tokens.txt');
  writeFileSync(file, 'old\n', { mode: 0o600 });
  const preload = join(dir, 'slow.js');
  writeFileSync(preload, PRELOAD);
  const child = spawn(process.execPath, ['--require', preload, '-e', PROGRAM(file)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.includes('OTK-PROBE\n')) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.ok(stderr.includes('OTK-PROBE'), `the lock's probe was never reached: ${stderr}`);
  assert.equal(stdout.trim(), 'EINTERRUPTED', `stdout=${stdout} stderr=${stderr} code=${code}`);
  assert.equal(readFileSync(file, 'utf8'), 'old\n');
});
