// npm run stress: the safety promises under load, on real processes.
//  1. STRESS_WRITERS (128) concurrent writers on one new file: every one kept.
//  2. STRESS_KILLS (100) writers, STRESS_WAVE (10) at a time, each SIGKILLed at a random
//     instant: no acknowledged (exit 0) token lost, the file always parses, and the lock
//     and temp files they leave are recovered by the next writers.
//  A reader polls the file throughout and counts torn reads (must stay 0).
// Exits 1 if any promise fails. Bounded: every writer has a lock timeout, the run a deadline.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../bin/influxdb3-offline-tokens.cjs', import.meta.url));
const WRITERS = Number(process.env.STRESS_WRITERS ?? 128);
const KILLS = Number(process.env.STRESS_KILLS ?? 100);
const WAVE = Number(process.env.STRESS_WAVE ?? 10);
const KILL_WINDOW_MS = Number(process.env.STRESS_KILL_WINDOW_MS ?? 600);
const DEADLINE = Date.now() + Number(process.env.STRESS_DEADLINE_S ?? 240) * 1000;
const dir = mkdtempSync(join(tmpdir(), 'otk-stress-'));
const file = join(dir, 'tokens.json');
const failures = [];

function writer(name, killAfterMs) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [cli, 'create', 'token', '--permission', 'db:stress:write', '--name', name, '--output-file', file, '--lock-timeout', '60s'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ name, code, signal, stderr });
    });
  });
}

// The reader runs in its own process so that spawning writers never delays its polls.
const reader = spawn(
  process.execPath,
  [
    '-e',
    `
  const fs = require('fs');
  let reads = 0, torn = 0, absent = 0, stop = false;
  process.stdin.on('data', () => { stop = true; });
  (function poll() {
    if (stop) { process.stdout.write(JSON.stringify({ reads, torn, absent })); return; }
    let text;
    try { text = fs.readFileSync(${JSON.stringify(file)}, 'utf8'); } catch { absent++; return setTimeout(poll, 1); }
    reads++;
    try { JSON.parse(text); } catch { torn++; }
    setTimeout(poll, 1);
  })();
`,
  ],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
let readerOut = '';
reader.stdout.on('data', (d) => (readerOut += d));

const names = () => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).tokens.map((t) => t.name) : []);
const leftovers = () => readdirSync(dir).filter((f) => f !== 'tokens.json');

// 1. Concurrent writers.
let t0 = Date.now();
const results = await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(`c${i}`)));
const concurrentMs = Date.now() - t0;
const failed = results.filter((r) => r.code !== 0);
const kept = new Set(names());
const missing = results.filter((r) => !kept.has(r.name));
console.log(
  `${WRITERS} concurrent writers: ${WRITERS - failed.length}/${WRITERS} exited 0, ${WRITERS - missing.length}/${WRITERS} kept, wall ${concurrentMs} ms`,
);
if (failed.length) failures.push(`${failed.length} concurrent writers failed: ${failed[0].stderr.trim()}`);
if (missing.length) failures.push(`${missing.length} concurrent writers' tokens are missing`);

// 2. Writers killed at random instants.
t0 = Date.now();
const acknowledged = [];
let killed = 0;
let started = 0;
while (started < KILLS && Date.now() < DEADLINE) {
  const wave = [];
  for (let i = 0; i < WAVE && started < KILLS; i++, started++) wave.push(writer(`k${started}`, Math.floor(Math.random() * KILL_WINDOW_MS)));
  for (const r of await Promise.all(wave)) {
    if (r.code === 0) acknowledged.push(r.name);
    else if (r.signal === 'SIGKILL') killed++;
    else failures.push(`writer ${r.name} failed: ${r.stderr.trim()}`);
  }
  try {
    names();
  } catch (e) {
    failures.push(`the file does not parse after a wave of kills: ${e.message}`);
  }
}
const afterKills = new Set(names());
const lost = acknowledged.filter((n) => !afterKills.has(n));
// A last writer, once any temp file left by a killed writer is older than the stale time.
await new Promise((r) => setTimeout(r, 5_500));
const last = await writer('last-writer');
const killMs = Date.now() - t0;
if (last.code !== 0) failures.push(`the writer after the kills failed: ${last.stderr.trim()}`);
console.log(
  `${started} writers killed at random instants (0-${KILL_WINDOW_MS} ms): ${killed} killed, ${acknowledged.length} acknowledged, ${lost.length} acknowledged tokens lost, next writer ${last.code === 0 ? 'succeeded' : 'FAILED'}, leftovers ${JSON.stringify(leftovers())}, wall ${killMs} ms`,
);
if (lost.length) failures.push(`acknowledged tokens lost: ${lost.join(', ')}`);
if (leftovers().length) failures.push(`files left beside the token file: ${leftovers().join(', ')}`);

reader.stdin.end('stop');
await new Promise((r) => reader.on('exit', r));
const { reads, torn } = JSON.parse(readerOut || '{"reads":0,"torn":-1}');
console.log(`reader: ${reads} reads, ${torn} torn`);
if (torn !== 0) failures.push(`the reader saw ${torn} torn files`);
if (reads === 0) failures.push('the reader never read the file');

rmSync(dir, { recursive: true, force: true });
if (failures.length) {
  for (const f of failures) console.error(`error: ${f}`);
  process.exitCode = 1;
} else console.log('stress: all promises held');
