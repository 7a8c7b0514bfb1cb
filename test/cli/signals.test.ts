/**
 * SIGINT and SIGTERM at any moment (issue: "signals"): the command stops cleanly, with the
 * conventional status 130 or 143, or 0 when it finished first; the file is the old one or
 * the new one, whole; no temp file and no lock directory is left.
 *
 * The CLI appends to a file of 20,000 tokens so that a run lasts long enough for a signal
 * to land at random points of it. Two more tests hold the process inside the two moments
 * where a lock directory exists but the lock is not yet (or no longer) the store's to
 * guard (proper-lockfile's mtime probe right after its mkdir, and the rmdir of the release)
 * by blocking those fs calls with a `--require` preload, and signal it exactly there.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLI, startCli, tempDir, writeTokenFile } from '../helpers';

interface Doc {
  tokens: { token: string; name: string; permissions: string[] }[];
}

const args = (file: string, name: string): string[] => ['create', 'token', '--name', name, '--permission', 'db:*:write', '--output-file', file];

const STATUS = { SIGINT: 130, SIGTERM: 143 } as const;
type Sig = keyof typeof STATUS;

function readDoc(file: string): Doc {
  const text = readFileSync(file, 'utf8');
  const doc = JSON.parse(text) as Doc;
  assert.ok(Array.isArray(doc.tokens));
  // Whole and in the tool's exact format, never a torn or half-written file.
  assert.equal(text, `${JSON.stringify(doc, null, 2)}\n`);
  return doc;
}

function assertNothingLeft(dir: string, file: string, ctx: string): void {
  assert.equal(existsSync(`${file}.lock`), false, `the lock directory ${file}.lock was left behind (${ctx})`);
  assert.deepEqual(readdirSync(dir), ['tokens.json'], `no temp file (nor anything else) may be left (${ctx})`);
}

describe('SIGINT / SIGTERM at a random instant of an append', () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    test(`${sig} after a random 0-400 ms, 15 rounds: status ${STATUS[sig]} (or 0), old or new file, nothing left`, { timeout: 120_000 }, async (t) => {
      const dir = tempDir('otk-signals');
      const file = join(dir, 'tokens.json');
      writeTokenFile(file, 20_000);
      const seen: Record<string, number> = {};
      // One run without a signal tells how long a run lasts here; the signals are then sent
      // at uniform instants of [0, min(400 ms, 1.25 x that)), so most land while it runs.
      const t0 = Date.now();
      const first = await startCli(args(file, 'unsignalled')).done;
      assert.equal(first.status, 0, first.stderr);
      const span = Math.max(20, Math.min(400, Math.round((Date.now() - t0) * 1.25)));
      let count = readDoc(file).tokens.length;
      for (let round = 0; round < 15; round++) {
        const name = `${sig.toLowerCase()}-${round}`;
        const delay = randomInt(0, span);
        const run = startCli(args(file, name));
        const timer = setTimeout(() => run.child.kill(sig), delay);
        const r = await run.done;
        clearTimeout(timer);
        const ctx = `round ${round}, delay ${delay} ms: status=${r.status} signal=${r.signal} stderr=${JSON.stringify(r.stderr)}`;

        const doc = readDoc(file);
        const names = doc.tokens.map((x) => x.name);
        const grew = doc.tokens.length - count;
        assert.ok(grew === 0 || grew === 1, `${ctx}: token count went from ${count} to ${doc.tokens.length}`);
        if (grew === 1) assert.equal(names[names.length - 1], name, ctx);
        else assert.equal(names.includes(name), false, ctx);

        let outcome: string;
        if (r.status === 0 && r.signal === null) {
          outcome = 'finished first';
          assert.equal(grew, 1, `${ctx}: exit 0 but the token is not in the file`);
        } else if (r.status === STATUS[sig] && r.signal === null) {
          outcome = grew ? `${STATUS[sig]}, new file` : `${STATUS[sig]}, old file`;
        } else if (r.status === null && r.signal === sig) {
          // Killed by the default disposition: the signal came while Node was still starting,
          // before the CLI installed its handlers (nothing touched yet), or while Node was
          // already tearing down after the work (everything done). The shell reports this as
          // 128+n too; the file is checked like any other outcome.
          outcome = grew ? 'killed by the signal during exit' : 'killed by the signal during start-up';
        } else {
          assert.fail(`${ctx}: expected status ${STATUS[sig]} or 0`);
        }
        seen[outcome] = (seen[outcome] ?? 0) + 1;
        assertNothingLeft(dir, file, `${ctx}, ${outcome}`);
        count = doc.tokens.length;
      }
      t.diagnostic(`delays in [0, ${span}) ms; outcomes: ${JSON.stringify(seen)}`);
    });
  }
});

/**
 * Loaded with `node --require` before the CLI: the first fs.utimesSync (PROBE) or
 * fs.rmdirSync (RELEASE) of a `.lock` path is announced on stderr and then blocks for 3 s
 * (the lock is taken and released synchronously), so the test can signal the process while
 * it is there. Everything else is untouched.
 */
const PRELOAD = `
const fs = require('node:fs');
const which = process.env.OTK_SLOW;
const method = which === 'PROBE' ? 'utimesSync' : 'rmdirSync';
const real = fs[method];
let done = false;
fs[method] = function (p, ...rest) {
  if (!done && String(p).endsWith('.lock')) {
    done = true;
    fs.writeSync(2, 'OTK-' + which + '\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
  }
  return real.call(fs, p, ...rest);
};
`;

/**
 * Runs the CLI with `args` under the preload and sends `sig` once it is stopped at `which`
 * (`atStop` runs then, while the process is inside the blocked call); returns its result,
 * having checked it got there and exited with the signal's status.
 */
async function signalledAt(args: string[], which: 'PROBE' | 'RELEASE', sig: Sig, atStop: () => void = () => undefined): Promise<string> {
  const preload = join(tempDir('otk-preload'), 'slow.js');
  writeFileSync(preload, PRELOAD);
  const run = startCli(args, { nodeArgs: ['--require', preload], env: { OTK_SLOW: which } });
  let signalled = false;
  // Runs after startCli's own listener, so run.stderr() already holds this chunk.
  run.child.stderr.on('data', () => {
    if (!signalled && run.stderr().includes(`OTK-${which}\n`)) {
      signalled = true;
      atStop();
      run.child.kill(sig);
    }
  });
  const r = await run.done;
  const ctx = `status=${r.status} signal=${r.signal} stderr=${JSON.stringify(r.stderr)}`;
  assert.ok(signalled, `the process never reached the slowed ${which === 'PROBE' ? 'lock probe' : 'release'}: ${ctx}`);
  assert.equal(r.status, STATUS[sig], ctx);
  assert.equal(r.signal, null, ctx);
  return ctx;
}

async function signalInside(which: 'PROBE' | 'RELEASE', sig: Sig): Promise<void> {
  const dir = tempDir('otk-signals');
  const file = join(dir, 'tokens.json');
  writeTokenFile(file, 3);
  const before = readFileSync(file, 'utf8');
  const ctx = await signalledAt(args(file, 'late'), which, sig, () => {
    // The lock directory exists right now: the process is inside the slowed-down call.
    assert.ok(existsSync(`${file}.lock`), 'the lock directory exists while the process is stopped there');
  });
  const after = readFileSync(file, 'utf8');
  if (which === 'PROBE') {
    // Signalled while taking the lock: nothing read or written yet.
    assert.equal(after, before);
  } else {
    // Signalled while releasing: the new file is in place.
    assert.equal(readDoc(file).tokens.at(-1)?.name, 'late');
  }
  assertNothingLeft(dir, file, ctx);
}

describe('a signal while proper-lockfile is between two steps with the lock directory on disk', () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    test(`${sig} while the lock is being taken (after its mkdir, during the mtime probe): no lock directory left`, { timeout: 30_000 }, async () => {
      await signalInside('PROBE', sig);
    });
    test(`${sig} while the lock is being released (during its rmdir): no lock directory left`, { timeout: 30_000 }, async () => {
      await signalInside('RELEASE', sig);
    });
  }
});

/** The same two moments for `export --format files`, whose lock is its directory's `..data.lock`. */
async function signalInsideExport(which: 'PROBE' | 'RELEASE', sig: Sig): Promise<void> {
  const dir = tempDir('otk-signals');
  const file = join(dir, 'tokens.json');
  writeTokenFile(file, 3);
  const out = join(dir, 'out');
  const ctx = await signalledAt(['export', '--file', file, '--format', 'files', '--output', out], which, sig);
  // Signalled while taking the lock: no file written; while releasing: the whole set is there. No lock left either way.
  const left = readdirSync(out).sort();
  if (which === 'PROBE') assert.deepEqual(left, [], ctx);
  else
    assert.deepEqual(
      left.filter((n) => !n.startsWith('..2')),
      ['..data', 'seed-0', 'seed-1', 'seed-2'],
      ctx,
    );
}

describe('a signal while export --format files takes or releases its lock', () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    test(`${sig} while the lock is being taken: nothing written, exit ${STATUS[sig]}`, { timeout: 30_000 }, async () => {
      await signalInsideExport('PROBE', sig);
    });
    test(`${sig} while the lock is being released: the new set in place, exit ${STATUS[sig]}`, { timeout: 30_000 }, async () => {
      await signalInsideExport('RELEASE', sig);
    });
  }
});

/** Bytes the process has written so far (Linux's /proc), or undefined where there is none. */
function written(pid: number): number | undefined {
  try {
    return Number(/^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  test(`${sig} while stdout is a pipe whose reader stopped reading: ended at once (status ${STATUS[sig]})`, { timeout: 30_000 }, async () => {
    const file = join(tempDir('otk-signals'), 'tokens.json');
    writeTokenFile(file, 3000); // about 400 KB of JSON lines: far more than a pipe holds
    // stdout is a pipe nobody reads: once 64 KiB are in it, the next write waits.
    const child = spawn(process.execPath, [CLI, 'show', 'tokens', '--file', file, '--format', 'jsonl'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
    const start = Date.now();
    // Wait until the pipe is full (where /proc tells; 10 s at most), or two seconds.
    let bytes = written(child.pid!);
    while (bytes !== undefined ? bytes < 65_536 && Date.now() - start < 10_000 : Date.now() - start < 2_000) {
      await new Promise((r) => setTimeout(r, 50));
      bytes = written(child.pid!);
    }
    // The signal must find the writer blocked on the full pipe, not before its first write.
    if (bytes !== undefined) assert.ok(bytes >= 65_536, `only ${bytes} bytes were written before the signal`);
    const sent = Date.now();
    child.kill(sig);
    const timer = setTimeout(() => child.stdout.destroy(), 5_000); // unblocks a writer that ignored the signal
    const r = await exited;
    clearTimeout(timer);
    child.stdout.destroy();
    // No handler waits for the blocked thread outside the locked section: the signal's own
    // action ends it (a shell reports ${STATUS[sig]}), or a handler's exit status.
    assert.ok((r.code === STATUS[sig] && r.signal === null) || (r.code === null && r.signal === sig), `${JSON.stringify(r)} ${stderr}`);
    assert.ok(Date.now() - sent < 3_000, `the signal took ${Date.now() - sent} ms to act`);
  });
}
