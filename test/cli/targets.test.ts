/**
 * Odd output targets through the real CLI (issue: "odd targets", "leftovers", "umask and
 * modes"): a directory, a FIFO, a device, a socket, a file too large to be a tokens file, a
 * missing directory tree, a dangling symlink, symlink loops; abandoned temp files of the
 * tool's own naming scheme (and only those) removed; modes 0600/0700 under any umask, and
 * no entry readable by group or others at any instant while 16 writers run under umask 000.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  statSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  lutimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FILE_BYTES } from '../../src/store/store';
import { CLI, type CliResult, freshToken, runCli, startCli, tempDir, tokensIn, writeTokenFile } from '../helpers';

// ---------------------------------------------------------------------------------------
// Helpers

interface Doc {
  tokens: { token: string; name: string; permissions: string[] }[];
}

const args = (file: string, name = 'app'): string[] => ['create', 'token', '--name', name, '--permission', 'db:*:write', '--output-file', file];

const modeOf = (p: string): number => lstatSync(p).mode & 0o7777;

function readDoc(file: string): Doc {
  const text = readFileSync(file, 'utf8');
  const doc = JSON.parse(text) as Doc;
  assert.equal(text, `${JSON.stringify(doc, null, 2)}\n`);
  return doc;
}

/** Every entry under `root`, recursively: type, mode, size and (for small files) bytes. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const p = join(root, r);
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out[r] = `link -> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${mode}`;
        walk(r);
      } else if (st.isFile()) {
        out[r] = st.size < 1 << 20 ? `file ${mode} ${readFileSync(p).toString('base64')}` : `file ${mode} size ${st.size} ino ${st.ino} mtime ${st.mtimeMs}`;
      } else out[r] = `other ${mode}`;
    }
  };
  walk('');
  return out;
}

function assertFailure(r: CliResult, mention: RegExp): void {
  const ctx = `status=${r.status} signal=${r.signal} stdout=${JSON.stringify(r.stdout)} stderr=${JSON.stringify(r.stderr)}`;
  assert.equal(r.status, 1, ctx);
  assert.equal(r.signal, null, ctx);
  assert.equal(r.stdout, '', ctx);
  assert.ok(r.stderr.endsWith('\n'), ctx);
  assert.equal(r.stderr.split('\n').length, 2, `exactly one line on stderr: ${ctx}`);
  assert.match(r.stderr, /^error: /, ctx);
  assert.doesNotMatch(r.stderr, /internal error/, ctx);
  assert.match(r.stderr, mention, ctx);
  assert.deepEqual(tokensIn(r.stderr), []);
}

function assertSuccess(r: CliResult): void {
  assert.equal(r.status, 0, `status=${r.status} stderr=${JSON.stringify(r.stderr)}`);
  assert.equal(r.stderr, '');
}

/** The CLI under `sh -c 'umask MASK; exec node CLI ...'`. */
function runWithUmask(mask: string, argv: string[]): CliResult {
  const r = spawnSync('sh', ['-c', `umask ${mask} && exec "$0" "$@"`, process.execPath, CLI, ...argv], { encoding: 'utf8' });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function startWithUmask(mask: string, argv: string[]): Promise<CliResult> {
  return startCli(argv, { command: ['sh', '-c', `umask ${mask} && exec "$0" "$@"`] }).done;
}

/** The CLI, killed (and the test failed) if it has not finished within `ms`: for targets that could hang. */
async function runCliGuarded(argv: string[], ms: number): Promise<CliResult & { killed: boolean }> {
  const run = startCli(argv);
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    run.child.kill('SIGKILL');
  }, ms);
  const r = await run.done;
  clearTimeout(timer);
  return { ...r, killed };
}

// ---------------------------------------------------------------------------------------
// Odd targets

describe('odd output targets', () => {
  test('a directory: exit 1, the message says directory, nothing created beside it or in it', () => {
    const root = tempDir('otk-targets');
    const target = join(root, 'tokens.json');
    mkdirSync(target);
    const before = tree(root);
    const r = runCli(args(target));
    assertFailure(r, /is a directory/);
    assert.deepEqual(tree(root), before);
  });

  test('a symlink to a directory: exit 1, directory, the link and the directory untouched', () => {
    const root = tempDir('otk-targets');
    mkdirSync(join(root, 'd'));
    symlinkSync('d', join(root, 'link.json'));
    const before = tree(root);
    const r = runCli(args(join(root, 'link.json')));
    assertFailure(r, /directory/);
    assert.deepEqual(tree(root), before);
  });

  test('a FIFO: does not hang (no reader, no writer on the other end), exit 1, nothing created', async () => {
    const root = tempDir('otk-targets');
    const fifo = join(root, 'tokens.json');
    const mk = spawnSync('mkfifo', [fifo]);
    assert.equal(mk.status, 0, String(mk.stderr));
    assert.ok(lstatSync(fifo).isFIFO());
    const before = tree(root);
    const r = await runCliGuarded(args(fifo), 20_000);
    assert.equal(r.killed, false, 'the CLI hung on the FIFO');
    assertFailure(r, /FIFO/);
    assert.deepEqual(tree(root), before);
  });

  test('a UNIX socket: exit 1, the message says socket, nothing created', async () => {
    const root = tempDir('otk-targets');
    const sock = join(root, 'tokens.json');
    const server = createServer();
    await new Promise<void>((res) => server.listen(sock, res));
    try {
      const before = tree(root);
      const r = await runCliGuarded(args(sock), 20_000);
      assert.equal(r.killed, false);
      assertFailure(r, /socket/);
      assert.deepEqual(tree(root), before);
    } finally {
      await new Promise<void>((res) => server.close(() => res()));
    }
  });

  test('a device (/dev/null): exit 1, the message says device, no /dev/null.lock and no temp file in /dev', () => {
    const devBefore = readdirSync('/dev')
      .filter((n) => n.includes('null'))
      .sort();
    try {
      const r = runCli(args('/dev/null'));
      assertFailure(r, /device/);
      assert.equal(existsSync('/dev/null.lock'), false);
      assert.deepEqual(
        readdirSync('/dev')
          .filter((n) => n.includes('null'))
          .sort(),
        devBefore,
      );
      assert.ok(lstatSync('/dev/null').isCharacterDevice());
    } finally {
      // Should the tool ever leave something there, do not leave it on the machine.
      if (existsSync('/dev/null.lock')) rmdirSync('/dev/null.lock');
    }
  });

  test('a symlink to /dev/null: exit 1, device; the link stays', () => {
    const root = tempDir('otk-targets');
    symlinkSync('/dev/null', join(root, 'tokens.json'));
    const before = tree(root);
    const r = runCli(args(join(root, 'tokens.json')));
    assertFailure(r, /device/);
    assert.deepEqual(tree(root), before);
    assert.equal(existsSync('/dev/null.lock'), false);
  });

  test(`a sparse file larger than MAX_FILE_BYTES (${MAX_FILE_BYTES}): exit 1, the file untouched`, () => {
    const root = tempDir('otk-targets');
    const big = join(root, 'tokens.json');
    writeFileSync(big, '');
    chmodSync(big, 0o600);
    truncateSync(big, MAX_FILE_BYTES + 1);
    const st = statSync(big);
    assert.equal(st.size, MAX_FILE_BYTES + 1);
    const before = tree(root);
    const r = runCli(args(big));
    assertFailure(r, /larger than/);
    assert.ok(r.stderr.includes(String(MAX_FILE_BYTES)), r.stderr);
    const after = statSync(big);
    assert.equal(after.size, st.size);
    assert.equal(after.ino, st.ino);
    assert.equal(after.mtimeMs, st.mtimeMs);
    assert.equal(after.blocks, st.blocks, 'still sparse: nothing written into it');
    assert.deepEqual(tree(root), before, 'no lock directory, no temp file');
  });

  test('a missing directory tree: created with mode 0700 each, the file 0600 and valid', () => {
    const root = tempDir('otk-targets');
    const file = join(root, 'a', 'b', 'c', 'tokens.json');
    const r = runCli(args(file));
    assertSuccess(r);
    for (const d of ['a', 'a/b', 'a/b/c']) assert.equal(modeOf(join(root, d)), 0o700, d);
    assert.equal(modeOf(file), 0o600);
    assert.deepEqual(
      readDoc(file).tokens.map((t) => t.name),
      ['app'],
    );
    assert.deepEqual(readdirSync(join(root, 'a', 'b', 'c')), ['tokens.json']);
  });

  test('a dangling symlink: its target (and the target directory) created, the link still a link', () => {
    const root = tempDir('otk-targets');
    const link = join(root, 'tokens.json');
    symlinkSync('real/target.json', link);
    const r = runCli(args(link));
    assertSuccess(r);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), 'real/target.json');
    const target = join(root, 'real', 'target.json');
    assert.equal(modeOf(target), 0o600);
    assert.equal(modeOf(join(root, 'real')), 0o700);
    assert.deepEqual(
      readDoc(target).tokens.map((t) => t.name),
      ['app'],
    );
    assert.deepEqual(readdirSync(join(root, 'real')), ['target.json']);
    assert.deepEqual(readdirSync(root).sort(), ['real', 'tokens.json']);
    // A second append goes through the (now live) link to the same file.
    assertSuccess(runCli(args(link, 'second')));
    assert.deepEqual(
      readDoc(target).tokens.map((t) => t.name),
      ['app', 'second'],
    );
    assert.ok(lstatSync(link).isSymbolicLink());
  });

  test('symlink loops (a -> b -> a, and self -> self): exit 1, a clear message, nothing created', () => {
    const root = tempDir('otk-targets');
    symlinkSync('b', join(root, 'a'));
    symlinkSync('a', join(root, 'b'));
    symlinkSync('self', join(root, 'self'));
    const before = tree(root);
    for (const p of ['a', 'b', 'self']) {
      const r = runCli(args(join(root, p)));
      assertFailure(r, /symbolic link loop/);
    }
    assert.deepEqual(tree(root), before);
  });

  test('a symlink loop in a directory component (loop/tokens.json): exit 1, one line, nothing created', () => {
    const root = tempDir('otk-targets');
    symlinkSync('loop', join(root, 'loop'));
    const before = tree(root);
    const r = runCli(args(join(root, 'loop', 'tokens.json')));
    assertFailure(r, /ELOOP|symbolic link/);
    assert.deepEqual(tree(root), before);
  });

  test('link/../t.json is the t.json beside the directory the link points to, as the server opens it', () => {
    const root = tempDir('otk-targets');
    mkdirSync(join(root, 'deep', 'real'), { recursive: true });
    symlinkSync(join('deep', 'real'), join(root, 'link'));
    const r = runCli(args(`${root}/link/../t.json`), { cwd: root }); // not join(): it collapses `..` itself
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readDoc(join(root, 'deep', 't.json')).tokens.length, 1);
    assert.equal(existsSync(join(root, 't.json')), false, 'not the lexical root/t.json');
    // Relative, from the working directory, the same.
    const again = runCli(args('link/../t.json', 'second'), { cwd: root });
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(
      readDoc(join(root, 'deep', 't.json')).tokens.map((t) => t.name),
      ['app', 'second'],
    );
    // validate reads the same file.
    const v = runCli(['validate', 'link/../t.json'], { cwd: root });
    assert.equal(v.status, 0, v.stderr);
    assert.match(v.stdout, /with 2 tokens/);
  });

  test('validate of link/../t.json when only the lexical t.json exists: not found', () => {
    const root = tempDir('otk-targets');
    mkdirSync(join(root, 'deep', 'real'), { recursive: true });
    symlinkSync(join('deep', 'real'), join(root, 'link'));
    writeTokenFile(join(root, 't.json'), 1);
    const v = runCli(['validate', 'link/../t.json'], { cwd: root });
    assertFailure(v, /does not exist/);
  });
});

// ---------------------------------------------------------------------------------------
// Leftovers

describe('temp files left by killed writers', () => {
  test("only an abandoned temp file of the tool's own naming scheme is removed by the next writer", () => {
    const root = tempDir('otk-targets');
    const file = join(root, 'tokens.json');
    writeTokenFile(file, 2);
    const outside = join(tempDir('otk-outside'), 'precious.json');
    writeFileSync(outside, 'precious\n');
    const plant = (name: string, old: boolean): void => {
      const p = join(root, name);
      writeFileSync(p, '{"tokens": [');
      chmodSync(p, 0o600);
      if (old) utimesSync(p, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    };
    plant('.tokens.json.otk-99999-deadbeef.tmp', true); // ours, abandoned: removed
    plant('.tokens.json.otk-99998-cafebabe.tmp', false); // ours, fresh: may belong to a live writer
    plant('.tokens.json.tmp', true); // not the scheme
    plant('tokens.json.otk-1-a.tmp', true); // not hidden: not the scheme
    plant('.other.json.otk-1-a.tmp', true); // another file's
    plant('.tokens.json.otk-2-b.tmp.bak', true); // wrong suffix
    // Of the scheme by name but not a regular file: a directory, and a symlink to a file elsewhere.
    const dirLike = join(root, '.tokens.json.otk-3-c.tmp');
    mkdirSync(dirLike);
    utimesSync(dirLike, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const linkLike = join(root, '.tokens.json.otk-4-d.tmp');
    symlinkSync(outside, linkLike);
    lutimesSync(linkLike, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

    const before = tree(root);
    const r = runCli(args(file, 'after-crash'));
    assertSuccess(r);
    const after = tree(root);
    const gone = Object.keys(before).filter((k) => !(k in after));
    assert.deepEqual(gone, ['.tokens.json.otk-99999-deadbeef.tmp']);
    for (const [k, v] of Object.entries(before)) if (k !== 'tokens.json' && k in after) assert.equal(after[k], v, `${k} untouched`);
    assert.deepEqual(
      Object.keys(after).filter((k) => !(k in before)),
      [],
      'nothing new beside the file',
    );
    assert.equal(readFileSync(outside, 'utf8'), 'precious\n');
    assert.deepEqual(
      readDoc(file).tokens.map((t) => t.name),
      ['seed-0', 'seed-1', 'after-crash'],
    );
  });
});

// ---------------------------------------------------------------------------------------
// Umask and modes

describe('modes under any umask', () => {
  for (const mask of ['000', '077', '022']) {
    test(`umask ${mask}: a new file is 0600 and each created directory 0700`, () => {
      const root = tempDir('otk-targets');
      const file = join(root, 'x', 'y', 'tokens.json');
      const r = runWithUmask(mask, args(file));
      assertSuccess(r);
      assert.equal(modeOf(file), 0o600);
      assert.equal(modeOf(join(root, 'x')), 0o700);
      assert.equal(modeOf(join(root, 'x', 'y')), 0o700);
      // An append keeps 0600.
      assertSuccess(runWithUmask(mask, args(file, 'second')));
      assert.equal(modeOf(file), 0o600);
      assert.deepEqual(readdirSync(join(root, 'x', 'y')), ['tokens.json']);
    });
  }

  test('umask 000, 16 concurrent writers: no entry of the directory is ever readable by group or others', { timeout: 120_000 }, async (t) => {
    const root = tempDir('otk-targets');
    const stopDir = tempDir('otk-watch');
    const dir = join(root, 'out');
    const file = join(dir, 'tokens.json');
    const stop = join(stopDir, 'stop');
    // Watched from another process, in a tight readdir + lstat loop.
    const WATCH = `
      const fs = require('node:fs');
      const path = require('node:path');
      const [root, dir, stop] = process.argv.slice(1);
      const bad = new Set(), temps = new Set(), lockModes = new Set();
      let loops = 0;
      process.stdout.write('ready\\n');
      const check = (p, name) => {
        let st;
        try { st = fs.lstatSync(p); } catch (e) { if (e.code === 'ENOENT') return; throw e; }
        if (name.endsWith('.lock') && st.isDirectory()) { lockModes.add((st.mode & 0o7777).toString(8)); return; }
        if (/\\.otk-.*\\.tmp$/.test(name)) temps.add(name);
        if ((st.mode & 0o077) !== 0) bad.add(name + ' mode ' + (st.mode & 0o7777).toString(8));
      };
      for (;;) {
        const stopping = fs.existsSync(stop);
        check(dir, 'out');
        let names = [];
        try { names = fs.readdirSync(dir); } catch (e) { if (e.code !== 'ENOENT') throw e; }
        for (const n of names) check(path.join(dir, n), n);
        loops++;
        if (stopping) break;
      }
      process.stdout.write(JSON.stringify({ bad: [...bad], temps: temps.size, lockModes: [...lockModes], loops }) + '\\n');
    `;
    const watcher = spawn(process.execPath, ['-e', WATCH, root, dir, stop]);
    let out = '';
    let err = '';
    watcher.stdout.on('data', (d) => (out += d));
    watcher.stderr.on('data', (d) => (err += d));
    const watcherDone = new Promise<number | null>((res) => watcher.on('close', (code) => res(code)));
    while (!out.includes('ready\n')) {
      assert.equal(watcher.exitCode, null, err);
      await new Promise((r) => setTimeout(r, 5));
    }

    // The first writer creates the directory; then a file big enough that temp files live a while.
    assertSuccess(runWithUmask('000', args(file, 'first')));
    const seeded = readDoc(file);
    const filler = Array.from({ length: 5_000 }, (_, i) => ({ token: freshToken(), name: `seed-${i}`, permissions: ['db:mydb:read'] }));
    const big = `${JSON.stringify({ tokens: [...seeded.tokens, ...filler] }, null, 2)}\n`;
    writeFileSync(`${file}.seed`, big, { mode: 0o600 });
    chmodSync(`${file}.seed`, 0o600);
    renameSync(`${file}.seed`, file);

    const names = Array.from({ length: 16 }, (_, i) => `w${i}`);
    const results = await Promise.all(names.map((n) => startWithUmask('000', args(file, n))));
    writeFileSync(stop, '');
    const code = await watcherDone;
    assert.equal(code, 0, err);
    results.forEach((r, i) => assert.equal(r.status, 0, `${names[i]}: ${r.stderr}`));

    const seen = JSON.parse(out.slice(out.indexOf('\n') + 1)) as { bad: string[]; temps: number; lockModes: string[]; loops: number };
    t.diagnostic(`watcher: ${seen.loops} scans, ${seen.temps} temp files seen, lock directory modes seen: ${seen.lockModes.join(', ') || 'none'}`);
    assert.deepEqual(seen.bad, [], 'entries readable by group or others were seen');

    const doc = readDoc(file);
    assert.equal(doc.tokens.length, 1 + 5_000 + 16);
    assert.deepEqual(
      doc.tokens
        .slice(-16)
        .map((x) => x.name)
        .sort(),
      [...names].sort(),
    );
    assert.equal(modeOf(file), 0o600);
    assert.equal(modeOf(dir), 0o700);
    assert.deepEqual(readdirSync(dir), ['tokens.json']);
  });
});
