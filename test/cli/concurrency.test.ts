/**
 * Real processes at once (SPEC 9): N writers lose nothing, a reader never sees a partial
 * file, a lock left by a dead writer is taken over, and a writer killed at any instant
 * leaves the old or the new file, both valid.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { STALE_MS } from '../../src/store/store';
import { freshToken, printedTokens, runCli, runCliAsync, startCli, tempDir } from '../helpers';

const writerArgs = (file: string, name: string, db: string): string[] => [
  'create',
  'token',
  '--permission',
  `db:${db}:read,write`,
  '--name',
  name,
  '--create-databases',
  db,
  '--output-file',
  file,
  '--format',
  'json',
];

interface Doc {
  create_databases?: string[];
  tokens: { token: string; name: string; permissions: string[] }[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function manyWriters(n: number): Promise<void> {
  const dir = tempDir();
  const file = join(dir, 'new', 'dir', 'tokens.json');
  const names = Array.from({ length: n }, (_, i) => `writer-${i}`);
  const runs = names.map((name, i) => startCli(writerArgs(file, name, `db${i}`)));
  const results = await Promise.all(runs.map((r) => r.done));
  const printed = printedTokens(results, names);
  const text = readFileSync(file, 'utf8');
  const doc = JSON.parse(text) as Doc;
  assert.equal(text, `${JSON.stringify(doc, null, 2)}\n`);
  assert.deepEqual(doc.tokens.map((t) => t.name).sort(), [...names].sort());
  for (const t of doc.tokens) assert.equal(t.token, printed.get(t.name), `token of ${t.name}`);
  assert.deepEqual([...(doc.create_databases ?? [])].sort(), names.map((_, i) => `db${i}`).sort());
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'new')).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, 'new', 'dir')).mode & 0o777, 0o700);
  // no temp files, no lock directory
  assert.deepEqual(readdirSync(join(dir, 'new', 'dir')), ['tokens.json']);
  const v = runCli(['validate', '--strict', file]);
  assert.equal(v.status, 0, v.stderr);
}

/** Polls FILE in a separate process every ~2 ms until STOP exists; reports what it saw. */
const READER = `
const fs = require('node:fs');
const [file, stop] = process.argv.slice(1);
const pause = new Int32Array(new SharedArrayBuffer(4));
let reads = 0, parsed = 0, missing = 0, bad = 0, shrank = 0, last = -1, counts = [];
process.stdout.write('ready\\n');
for (;;) {
  const stopping = fs.existsSync(stop);
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
    missing++;
  }
  if (text !== undefined) {
    reads++;
    try {
      const doc = JSON.parse(text);
      if (!Array.isArray(doc.tokens)) bad++;
      else {
        parsed++;
        if (doc.tokens.length < last) shrank++;
        if (doc.tokens.length !== last) counts.push(doc.tokens.length);
        last = doc.tokens.length;
      }
    } catch {
      bad++;
    }
  }
  if (stopping) break;
  Atomics.wait(pause, 0, 0, 2);
}
process.stdout.write(JSON.stringify({ reads, parsed, missing, bad, shrank, last, counts }) + '\\n');
`;

describe('concurrent writers', () => {
  test('16 writers with distinct names on one new file: nothing lost, nothing left behind', { timeout: 120_000 }, async () => {
    await manyWriters(16);
  });

  test('32 writers with distinct names on one new file: nothing lost, nothing left behind', { timeout: 120_000 }, async () => {
    await manyWriters(32);
  });

  test('a reader polling the file while 16 writers append never sees a partial or invalid file', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const file = join(dir, 'tokens.json');
    const stop = join(dir, 'stop');
    writeFileSync(file, `${JSON.stringify({ tokens: [{ token: freshToken(), name: 'seed', permissions: ['db:*:read'] }] }, null, 2)}\n`);
    chmodSync(file, 0o600);
    const reader = spawn(process.execPath, ['-e', READER, file, stop]);
    let out = '';
    let err = '';
    reader.stdout.on('data', (d) => (out += d));
    reader.stderr.on('data', (d) => (err += d));
    const readerDone = new Promise<number | null>((res) => reader.on('close', (code) => res(code)));
    while (!out.includes('ready\n')) {
      assert.equal(reader.exitCode, null, err);
      await sleep(5);
    }
    const names = Array.from({ length: 16 }, (_, i) => `w${i}`);
    const results = await Promise.all(names.map((n, i) => startCli(writerArgs('tokens.json', n, `db${i}`), { cwd: dir }).done));
    writeFileSync(stop, '');
    const code = await readerDone;
    assert.equal(code, 0, err);
    results.forEach((r, i) => assert.equal(r.status, 0, `${names[i]}: ${r.stderr}`));
    const seen = JSON.parse(out.split('\n')[1]!) as {
      reads: number;
      parsed: number;
      missing: number;
      bad: number;
      shrank: number;
      last: number;
      counts: number[];
    };
    assert.equal(seen.bad, 0, `the reader saw ${seen.bad} invalid file(s)`);
    assert.equal(seen.missing, 0, 'the file never disappears during a rename');
    assert.equal(seen.shrank, 0, 'the token count never goes down');
    assert.equal(seen.parsed, seen.reads);
    assert.ok(seen.reads >= 2, `reads: ${seen.reads}`);
    assert.equal(seen.last, 17, 'the final read sees every token');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Doc;
    assert.deepEqual(doc.tokens.map((t) => t.name).sort(), ['seed', ...names].sort());
    assert.deepEqual(readdirSync(dir).sort(), ['stop', 'tokens.json']);
  });
});

describe('the lifecycle commands at once', () => {
  test('creates, deletes, rotates and prunes on one file, all at once: nothing is lost that was not deleted', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const file = join(dir, 'tokens.json');
    // 24 seeds: 0-5 deleted, 6-11 rotated (successors seed-N-2), 12-15 expired (pruned), 16-23 untouched.
    const seeds = Array.from({ length: 24 }, (_, i) => ({
      token: freshToken(),
      name: `seed-${i}`,
      ...(i >= 12 && i < 16 ? { expiry_millis: Date.now() - 60_000 } : {}),
      permissions: [`db:db${i}:read`],
    }));
    writeFileSync(file, `${JSON.stringify({ create_databases: ['shared'], tokens: seeds }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    const creates = Array.from({ length: 8 }, (_, i) => `new-${i}`);
    const runs = [
      ...creates.map((name, i) => runCliAsync(writerArgs(file, name, `c${i}`))),
      ...[0, 1, 2, 3, 4, 5].map((i) => runCliAsync(['delete', 'token', '--file', file, '--token-name', `seed-${i}`])),
      ...[6, 7, 8, 9, 10, 11].map((i) => runCliAsync(['rotate', 'token', '--file', file, '--token-name', `seed-${i}`])),
      runCliAsync(['prune', '--file', file]),
    ];
    const results = await Promise.all(runs);
    results.forEach((r, i) => assert.equal(r.status, 0, `run ${i}: ${r.stderr}`));
    const printed = printedTokens(results.slice(0, creates.length), creates);
    const text = readFileSync(file, 'utf8');
    const doc = JSON.parse(text) as Doc;
    assert.equal(text, `${JSON.stringify(doc, null, 2)}\n`);
    const expected = [
      ...seeds.slice(6, 12).map((s) => s.name),
      ...seeds.slice(16).map((s) => s.name),
      ...[6, 7, 8, 9, 10, 11].map((i) => `seed-${i}-2`),
      ...creates,
    ];
    assert.deepEqual(doc.tokens.map((t) => t.name).sort(), expected.sort());
    // Kept tokens keep their strings; successors have the permissions of their predecessor.
    const byName = new Map(doc.tokens.map((t) => [t.name, t]));
    for (const s of [...seeds.slice(6, 12), ...seeds.slice(16)]) assert.deepEqual(byName.get(s.name), s);
    for (const i of [6, 7, 8, 9, 10, 11]) assert.deepEqual(byName.get(`seed-${i}-2`)!.permissions, [`db:db${i}:read`]);
    for (const [name, token] of printed) assert.equal(byName.get(name)!.token, token);
    assert.equal(doc.create_databases![0], 'shared');
    assert.deepEqual([...doc.create_databases!].sort(), ['shared', ...creates.map((_, i) => `c${i}`)].sort());
    assert.deepEqual(readdirSync(dir), ['tokens.json']);
  });
});

describe('dead writers', () => {
  test('a lock left by a dead writer (mtime 60 s ago) is taken over', { timeout: 60_000 }, async () => {
    assert.ok(STALE_MS < 60_000, `STALE_MS=${STALE_MS} must be below the age of the abandoned lock`);
    const dir = tempDir();
    const file = join(dir, 'tokens.json');
    const seed = { tokens: [{ token: freshToken(), name: 'seed', permissions: ['db:*:read'] }] };
    writeFileSync(file, `${JSON.stringify(seed, null, 2)}\n`);
    chmodSync(file, 0o600);
    const lock = `${file}.lock`;
    mkdirSync(lock);
    // and the temp file the dead writer was writing
    const temp = join(dir, '.tokens.json.otk-4242-0123456789ab.tmp');
    writeFileSync(temp, '{"tokens": [{"tok');
    const past = new Date(Date.now() - 60_000);
    utimesSync(lock, past, past);
    utimesSync(temp, past, past);
    const r = await runCliAsync(writerArgs('tokens.json', 'after-crash', 'a'), { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Doc;
    assert.deepEqual(
      doc.tokens.map((t) => t.name),
      ['seed', 'after-crash'],
    );
    assert.equal(doc.tokens[0]!.token, seed.tokens[0]!.token);
    assert.deepEqual(readdirSync(dir), ['tokens.json']);
  });

  test('the same with --admin on a file that does not exist yet', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const lock = join(dir, 'admin.json.lock');
    mkdirSync(lock);
    const past = new Date(Date.now() - 60_000);
    utimesSync(lock, past, past);
    const r = await runCliAsync(['create', 'token', '--admin', '--output-file', 'admin.json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(readFileSync(join(dir, 'admin.json'), 'utf8')) as { name: string };
    assert.equal(doc.name, '_admin');
    assert.deepEqual(readdirSync(dir), ['admin.json']);
  });

  test('a writer killed while it holds the lock: the file is old or new, the lock is taken over, nothing lost', { timeout: 300_000 }, async () => {
    // 20 000 tokens keep the writer inside its lock for tens of milliseconds.
    const seed: Doc = { tokens: [] };
    for (let i = 0; i < 20_000; i++) seed.tokens.push({ token: freshToken(), name: `seed-${i}`, permissions: ['db:*:read'] });
    const seedText = `${JSON.stringify(seed, null, 2)}\n`;
    let leftLocked = 0;
    for (let attempt = 0; attempt < 6 && leftLocked < 2; attempt++) {
      const dir = tempDir();
      const file = join(dir, 'tokens.json');
      const lock = `${file}.lock`;
      writeFileSync(file, seedText);
      chmodSync(file, 0o600);
      const victim = startCli(writerArgs(file, 'victim', 'v'));
      let exited = false;
      void victim.done.then(() => (exited = true));
      while (!existsSync(lock) && !exited) await new Promise((r) => setImmediate(r));
      if (!exited) {
        await sleep(randomInt(21));
        victim.child.kill('SIGKILL');
      }
      const vr = await victim.done;
      const ctx = `attempt ${attempt}`;
      if (vr.signal !== 'SIGKILL' || !existsSync(lock)) continue; // finished first: not the case under test
      leftLocked++;

      // old or new, never anything else
      const text = readFileSync(file, 'utf8');
      if (text !== seedText) {
        const doc = JSON.parse(text) as Doc;
        assert.deepEqual(
          doc.tokens.map((t) => t.name),
          [...seed.tokens.map((t) => t.name), 'victim'],
          ctx,
        );
      }
      const otherNames = ['a', 'b', 'c'];
      const others = otherNames.map((n) => startCli([...writerArgs(file, n, n), '--lock-timeout', '20s']));
      const results = await Promise.all(others.map((o) => o.done));
      results.forEach((r, i) => assert.equal(r.status, 0, `${ctx}: ${otherNames[i]} ${r.stderr}`));
      const doc = JSON.parse(readFileSync(file, 'utf8')) as Doc;
      const names = doc.tokens.map((t) => t.name);
      assert.deepEqual(
        names.slice(0, 20_000),
        seed.tokens.map((t) => t.name),
        ctx,
      );
      assert.deepEqual(
        names
          .slice(20_000)
          .filter((n) => n !== 'victim')
          .sort(),
        ['a', 'b', 'c'],
        ctx,
      );
      assert.equal(existsSync(lock), false, `${ctx}: the lock was not released`);
      const left = readdirSync(dir).filter((f) => f !== 'tokens.json');
      assert.ok(left.length <= 1 && left.every((f) => /^\.tokens\.json\.otk-\d+-[0-9a-f]+\.tmp$/.test(f)), `${ctx}: left behind: ${left.join(', ')}`);
    }
    assert.ok(leftLocked >= 1, 'no attempt killed the writer while it held the lock');
  });

  test('a writer killed at a random instant leaves the old or the new file; the next writer succeeds', { timeout: 300_000 }, async () => {
    const ROUNDS = 8;
    const WRITERS = 4;
    for (let round = 0; round < ROUNDS; round++) {
      const dir = tempDir();
      const file = join(dir, 'tokens.json');
      // Odd rounds append to a large existing file, so that writes take long enough to be hit.
      const seed: Doc = { tokens: [] };
      if (round % 2 === 1) {
        for (let i = 0; i < 3000; i++) seed.tokens.push({ token: freshToken(), name: `seed-${i}`, permissions: ['db:*:read'] });
        writeFileSync(file, `${JSON.stringify(seed, null, 2)}\n`);
        chmodSync(file, 0o600);
      }
      const seedNames = seed.tokens.map((t) => t.name);
      const names = Array.from({ length: WRITERS }, (_, i) => `r${round}-w${i}`);
      const runs = names.map((n, i) => startCli(writerArgs(file, n, `db${i}`)));
      const victim = randomInt(WRITERS);
      await sleep(randomInt(151));
      runs[victim]!.child.kill('SIGKILL');
      const results = await Promise.all(runs.map((r) => r.done));
      const ctx = `round ${round}, victim ${names[victim]}`;

      const succeeded = new Map<string, string>();
      results.forEach((r, i) => {
        if (i === victim && r.signal === 'SIGKILL') return;
        assert.equal(r.status, 0, `${ctx}: ${names[i]} ${r.stderr}`);
        succeeded.set(names[i]!, (JSON.parse(r.stdout) as { token: string }).token);
      });

      if (!existsSync(file)) {
        assert.equal(seedNames.length, 0, `${ctx}: the existing file disappeared`);
        assert.equal(succeeded.size, 0, `${ctx}: a writer exited 0 but there is no file`);
      } else {
        const text = readFileSync(file, 'utf8');
        const doc = JSON.parse(text) as Doc; // throws on a torn file
        assert.equal(text, `${JSON.stringify(doc, null, 2)}\n`, ctx);
        const inFile = doc.tokens.map((t) => t.name);
        assert.equal(new Set(inFile).size, inFile.length, `${ctx}: duplicate names`);
        const allowed = new Set([...seedNames, ...names]);
        for (const n of inFile) assert.ok(allowed.has(n), `${ctx}: unexpected token ${n}`);
        for (const n of [...seedNames, ...succeeded.keys()]) assert.ok(inFile.includes(n), `${ctx}: ${n} was lost`);
        for (const t of doc.tokens) {
          if (succeeded.has(t.name)) assert.equal(t.token, succeeded.get(t.name), `${ctx}: token of ${t.name}`);
        }
        assert.deepEqual(inFile.slice(0, seedNames.length), seedNames, `${ctx}: the existing tokens moved`);
      }

      // A new writer gets through, taking over the lock if the victim died holding it.
      const next = await runCliAsync([
        'create',
        'token',
        '--permission',
        'db:*:read',
        '--name',
        'next',
        '--output-file',
        file,
        '--lock-timeout',
        '20s',
        '--format',
        'json',
      ]);
      assert.equal(next.status, 0, `${ctx}: ${next.stderr}`);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as Doc;
      const inFile = doc.tokens.map((t) => t.name);
      assert.equal(inFile.at(-1), 'next', ctx);
      for (const n of [...seedNames, ...succeeded.keys()]) assert.ok(inFile.includes(n), `${ctx}: ${n} lost after recovery`);
      // The lock is gone; at most the victim's temp file (too recent to be reaped) remains.
      const left = readdirSync(dir).filter((f) => f !== 'tokens.json');
      for (const f of left) assert.match(f, /^\.tokens\.json\.otk-\d+-[0-9a-f]+\.tmp$/, `${ctx}: left behind: ${f}`);
      assert.ok(left.length <= 1, `${ctx}: left behind: ${left.join(', ')}`);
      const v = runCli(['validate', file]);
      assert.equal(v.status, 0, `${ctx}: ${v.stderr}`);
    }
  });
});
