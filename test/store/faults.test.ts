/**
 * One failing step at a time, for every step of an append (issue: "every fs step can fail").
 *
 * `updateFile` runs with a seam that wraps `nodeFs` and throws an injected errno error at
 * exactly one call, chosen by (seam method, what it is applied to, n-th such call). For each
 * step x errno the test checks: the previous file is byte-identical (or still absent), no
 * `.NAME.otk-*.tmp` and no `NAME.lock` is left, proper-lockfile holds no lock in this
 * process, the rejected error is an IoError/LockError whose `cause` is the injected object,
 * and the store works again right after. Steps after the rename (the directory fsync) and the
 * release of the lock have their own documented outcomes. A last part runs real errors
 * through the CLI (the output path is a directory; a path under a regular file).
 */
import { chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IoError, LockError } from '../../src/errors';
import { type FsSeam, type Release, nodeFs } from '../../src/store/fs-seam';
import { type UpdateOutcome, updateFile } from '../../src/store/store';
import { runCli, tempDir as rawTempDir, tokensIn } from '../helpers';

// ---------------------------------------------------------------------------------------
// Fixtures

/** Canonical, so that resolved targets compare equal even if the temp dir is behind a symlink. */
const tempDir = (): string => realpathSync(rawTempDir('otk-faults'));

const OLD = '{\n  "tokens": [],\n  "old": true\n}\n';
const NEW = '{\n  "tokens": [],\n  "new": true\n}\n';
/** More than the store's 1 Mi-character write chunk, so the temp file gets two write() calls. */
const NEW_BIG = `{"tokens":[],"pad":"${'x'.repeat(1_500_000)}"}\n`;

const IS_ROOT = process.getuid?.() === 0;

type Scenario =
  | 'existing' // dir/tokens.json exists (0600)
  | 'new' // dir exists, no file yet
  | 'new-dir' // dir/a/b/tokens.json, a/ and b/ missing
  | 'symlink' // dir/link.json -> tokens.json (existing)
  | 'big' // existing file, new content > 1 Mi characters
  | 'foreign-owner'; // existing file owned by another uid, written with --owner that uid (root only: the store calls fchown)

interface Ctx {
  scenario: Scenario;
  /** The test's own directory. */
  root: string;
  /** The directory of the file written. */
  dir: string;
  /** The regular file written. */
  file: string;
  /** What the user gives as --output-file. */
  path: string;
  link?: string;
  lockPath: string;
  text: string;
}

function setUp(scenario: Scenario): Ctx {
  const root = tempDir();
  const dir = scenario === 'new-dir' ? join(root, 'a', 'b') : root;
  const file = join(dir, 'tokens.json');
  let path = file;
  let link: string | undefined;
  if (scenario !== 'new' && scenario !== 'new-dir') {
    writeFileSync(file, OLD);
    chmodSync(file, 0o600);
  }
  if (scenario === 'symlink') {
    link = join(root, 'link.json');
    symlinkSync('tokens.json', link);
    path = link;
  }
  if (scenario === 'foreign-owner') chownSync(file, 1234, 1234);
  return { scenario, root, dir, file, path, link, lockPath: `${file}.lock`, text: scenario === 'big' ? NEW_BIG : NEW };
}

// ---------------------------------------------------------------------------------------
// The faulty seam

type Kind = 'target' | 'link' | 'lock' | 'temp' | 'dir' | 'ancestor';
type Method = keyof FsSeam | 'release';

interface Call {
  method: Method;
  kind: Kind;
  nth: number;
}

interface Fault {
  method: Method;
  kind: Kind;
  nth: number;
  err: Error;
}

const TEMP_RE = /^\.tokens\.json\.otk-\d+-[0-9a-f]{12}\.tmp$/;

function kindOf(ctx: Ctx, p: string): Kind {
  if (p === ctx.file) return 'target';
  if (p === ctx.link) return 'link';
  if (p === ctx.lockPath) return 'lock';
  if (p === ctx.dir) return 'dir';
  if (dirname(p) === ctx.dir && TEMP_RE.test(basename(p))) return 'temp';
  return 'ancestor';
}

interface Faulty {
  seam: FsSeam;
  hits(): number;
  calls: Call[];
  /** The real Release functions of every lock taken, to clean up after an injected release failure. */
  realReleases: Release[];
}

/** nodeFs, recording every call, with `fault` thrown at exactly the matching call. */
function faultySeam(ctx: Ctx, fault: Fault | undefined): Faulty {
  const counts = new Map<string, number>();
  const fdKinds = new Map<number, Kind>();
  const calls: Call[] = [];
  const realReleases: Release[] = [];
  let hits = 0;
  const step = (method: Method, kind: Kind): void => {
    const key = `${method}:${kind}`;
    const nth = (counts.get(key) ?? 0) + 1;
    counts.set(key, nth);
    calls.push({ method, kind, nth });
    if (fault && fault.method === method && fault.kind === kind && fault.nth === nth) {
      hits++;
      throw fault.err;
    }
  };
  const fdKind = (fd: number): Kind => fdKinds.get(fd) ?? 'ancestor';
  const seam: FsSeam = {
    lstat: (p) => (step('lstat', kindOf(ctx, p)), nodeFs.lstat(p)),
    readlink: (p) => (step('readlink', kindOf(ctx, p)), nodeFs.readlink(p)),
    mkdir: (p, mode) => (step('mkdir', kindOf(ctx, p)), nodeFs.mkdir(p, mode)),
    chmod: (p, mode) => (step('chmod', kindOf(ctx, p)), nodeFs.chmod(p, mode)),
    readdir: (p) => (step('readdir', kindOf(ctx, p)), nodeFs.readdir(p)),
    open: (p, flags, mode) => {
      const kind = kindOf(ctx, p);
      step('open', kind);
      const fd = nodeFs.open(p, flags, mode);
      fdKinds.set(fd, kind);
      return fd;
    },
    fstat: (fd) => (step('fstat', fdKind(fd)), nodeFs.fstat(fd)),
    readAll: (fd) => (step('readAll', fdKind(fd)), nodeFs.readAll(fd)),
    write: (fd, data, off) => (step('write', fdKind(fd)), nodeFs.write(fd, data, off)),
    fsync: (fd) => (step('fsync', fdKind(fd)), nodeFs.fsync(fd)),
    fchmod: (fd, mode) => (step('fchmod', fdKind(fd)), nodeFs.fchmod(fd, mode)),
    fchown: (fd, uid, gid) => (step('fchown', fdKind(fd)), nodeFs.fchown(fd, uid, gid)),
    close: (fd) => {
      const kind = fdKind(fd);
      fdKinds.delete(fd);
      // As with a real close(2) error, the descriptor is gone either way.
      nodeFs.close(fd);
      step('close', kind);
    },
    rename: (from, to) => (step('rename', kindOf(ctx, from)), nodeFs.rename(from, to)),
    unlink: (p) => (step('unlink', kindOf(ctx, p)), nodeFs.unlink(p)),
    rmdir: (p) => (step('rmdir', kindOf(ctx, p)), nodeFs.rmdir(p)),
    symlink: (t, p) => (step('symlink', kindOf(ctx, p)), nodeFs.symlink(t, p)),
    lock: async (file, options) => {
      step('lock', kindOf(ctx, file));
      const release = await nodeFs.lock(file, options);
      realReleases.push(release);
      return async () => {
        step('release', 'lock');
        await release();
      };
    },
  };
  return { seam, hits: () => hits, calls, realReleases };
}

function errno(code: string, syscall: string): NodeJS.ErrnoException {
  const messages: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EACCES: 'permission denied',
    EROFS: 'read-only file system',
    EIO: 'i/o error',
    EPERM: 'operation not permitted',
  };
  return Object.assign(new Error(`${code}: ${messages[code] ?? 'injected'}, ${syscall} (injected)`), { code, errno: -1, syscall });
}

// ---------------------------------------------------------------------------------------
// The table: every step of an append

type Expect =
  | 'reject' // before the rename: old file kept
  | 'after-rename' // the directory fsync: new file in place, IoError says it may not be durable
  | 'release-failure' // success, outcome.releaseFailure set
  | 'housekeeping'; // listing the directory for abandoned temp files: ignored, the append succeeds

interface Step {
  name: string;
  method: Method;
  kind: Kind;
  nth?: number;
  scenarios: Scenario[];
  errnos: string[];
  expect: Expect;
}

const STEPS: Step[] = [
  {
    name: 'lstat of the output path (resolve)',
    method: 'lstat',
    kind: 'target',
    nth: 1,
    scenarios: ['existing', 'new'],
    errnos: ['EACCES', 'EIO'],
    expect: 'reject',
  },
  { name: 'lstat of the symlink (resolve)', method: 'lstat', kind: 'link', nth: 1, scenarios: ['symlink'], errnos: ['EACCES', 'EIO'], expect: 'reject' },
  { name: 'readlink of the symlink', method: 'readlink', kind: 'link', nth: 1, scenarios: ['symlink'], errnos: ['EACCES', 'EIO'], expect: 'reject' },
  {
    name: 'lstat of the symlink target (resolve)',
    method: 'lstat',
    kind: 'target',
    nth: 1,
    scenarios: ['symlink'],
    errnos: ['EACCES', 'EIO'],
    expect: 'reject',
  },
  {
    name: 'lstat of the first directory of the path (resolve, component by component)',
    method: 'lstat',
    kind: 'ancestor',
    nth: 1,
    scenarios: ['existing', 'new', 'new-dir', 'symlink'],
    errnos: ['EACCES', 'EIO'],
    expect: 'reject',
  },
  {
    name: 'lstat of a deeper ancestor (resolve)',
    method: 'lstat',
    kind: 'ancestor',
    nth: 2,
    scenarios: ['new-dir'],
    errnos: ['EACCES', 'EIO'],
    expect: 'reject',
  },
  {
    name: 'lstat of a missing ancestor (resolve)',
    method: 'lstat',
    kind: 'ancestor',
    nth: 3,
    scenarios: ['new-dir'],
    errnos: ['EACCES', 'EIO'],
    expect: 'reject',
  },
  {
    name: 'lstat of the directory (resolve)',
    method: 'lstat',
    kind: 'dir',
    nth: 1,
    scenarios: ['existing', 'new', 'symlink'],
    errnos: ['EACCES', 'EIO'],
    expect: 'reject',
  },
  {
    name: 'lstat of the target (not-a-regular-file check)',
    method: 'lstat',
    kind: 'target',
    nth: 2,
    scenarios: ['existing', 'new', 'symlink'],
    errnos: ['EACCES', 'EIO'],
    expect: 'reject',
  },
  {
    name: 'mkdir of the directory',
    method: 'mkdir',
    kind: 'dir',
    nth: 1,
    scenarios: ['existing', 'new', 'new-dir'],
    errnos: ['ENOSPC', 'EACCES', 'EROFS', 'EIO'],
    expect: 'reject',
  },
  { name: 'chmod of the created directory', method: 'chmod', kind: 'dir', nth: 1, scenarios: ['new-dir'], errnos: ['EROFS', 'EIO'], expect: 'reject' },
  { name: 'chmod of a created ancestor', method: 'chmod', kind: 'ancestor', nth: 1, scenarios: ['new-dir'], errnos: ['EROFS', 'EIO'], expect: 'reject' },
  {
    name: 'lock (a non-ELOCKED error)',
    method: 'lock',
    kind: 'target',
    nth: 1,
    scenarios: ['existing', 'new', 'new-dir'],
    errnos: ['ENOSPC', 'EACCES', 'EROFS', 'EIO'],
    expect: 'reject',
  },
  {
    name: 'chmod of the lock directory (0700 whatever the umask)',
    method: 'chmod',
    kind: 'lock',
    nth: 1,
    scenarios: ['existing', 'new'],
    errnos: ['EROFS', 'EIO'],
    expect: 'reject',
  },
  {
    name: 'lstat of the lock directory (identity)',
    method: 'lstat',
    kind: 'lock',
    nth: 1,
    scenarios: ['existing', 'new'],
    errnos: ['EACCES', 'EIO'],
    expect: 'reject',
  },
  {
    name: 'readdir (abandoned temp files)',
    method: 'readdir',
    kind: 'dir',
    nth: 1,
    scenarios: ['existing', 'new'],
    errnos: ['EACCES', 'EIO'],
    expect: 'housekeeping',
  },
  {
    name: 'open of the file for reading',
    method: 'open',
    kind: 'target',
    nth: 1,
    scenarios: ['existing', 'new', 'symlink'],
    errnos: ['EACCES', 'EIO'],
    expect: 'reject',
  },
  { name: 'fstat of the file read', method: 'fstat', kind: 'target', nth: 1, scenarios: ['existing'], errnos: ['EACCES', 'EIO'], expect: 'reject' },
  { name: 'readAll of the file', method: 'readAll', kind: 'target', nth: 1, scenarios: ['existing', 'symlink'], errnos: ['EIO'], expect: 'reject' },
  { name: 'close of the file read', method: 'close', kind: 'target', nth: 1, scenarios: ['existing'], errnos: ['EIO'], expect: 'reject' },
  {
    name: 'open of the temp file',
    method: 'open',
    kind: 'temp',
    nth: 1,
    scenarios: ['existing', 'new', 'new-dir'],
    errnos: ['ENOSPC', 'EACCES', 'EROFS', 'EIO'],
    expect: 'reject',
  },
  { name: 'fchmod of the temp file', method: 'fchmod', kind: 'temp', nth: 1, scenarios: ['existing', 'new'], errnos: ['EROFS', 'EIO'], expect: 'reject' },
  ...(IS_ROOT
    ? [
        {
          name: 'fchown of the temp file (--owner, the existing owner)',
          method: 'fchown',
          kind: 'temp',
          nth: 1,
          scenarios: ['foreign-owner'],
          errnos: ['EACCES', 'EROFS'],
          expect: 'reject',
        } satisfies Step,
      ]
    : []),
  { name: 'write of the temp file', method: 'write', kind: 'temp', nth: 1, scenarios: ['existing', 'new', 'big'], errnos: ['ENOSPC', 'EIO'], expect: 'reject' },
  {
    name: 'second write of the temp file (partial temp on disk)',
    method: 'write',
    kind: 'temp',
    nth: 2,
    scenarios: ['big'],
    errnos: ['ENOSPC', 'EIO'],
    expect: 'reject',
  },
  { name: 'fsync of the temp file', method: 'fsync', kind: 'temp', nth: 1, scenarios: ['existing', 'new', 'big'], errnos: ['ENOSPC', 'EIO'], expect: 'reject' },
  { name: 'close of the temp file', method: 'close', kind: 'temp', nth: 1, scenarios: ['existing', 'new'], errnos: ['ENOSPC', 'EIO'], expect: 'reject' },
  {
    name: 'lstat of the lock directory (still ours?)',
    method: 'lstat',
    kind: 'lock',
    nth: 2,
    scenarios: ['existing', 'new'],
    errnos: ['EACCES', 'EIO'],
    expect: 'reject',
  },
  {
    name: 'lstat of the target (unchanged?)',
    method: 'lstat',
    kind: 'target',
    nth: 3,
    scenarios: ['existing', 'new'],
    errnos: ['EACCES', 'EIO'],
    expect: 'reject',
  },
  {
    name: 'rename of the temp file over the target',
    method: 'rename',
    kind: 'temp',
    nth: 1,
    scenarios: ['existing', 'new', 'symlink'],
    errnos: ['ENOSPC', 'EACCES', 'EROFS', 'EIO'],
    expect: 'reject',
  },
  {
    name: 'open of the directory (fsync)',
    method: 'open',
    kind: 'dir',
    nth: 1,
    scenarios: ['existing', 'new'],
    errnos: ['EACCES', 'EIO'],
    expect: 'after-rename',
  },
  {
    name: 'fsync of the directory',
    method: 'fsync',
    kind: 'dir',
    nth: 1,
    scenarios: ['existing', 'new'],
    errnos: ['ENOSPC', 'EROFS', 'EIO'],
    expect: 'after-rename',
  },
  { name: 'close of the directory', method: 'close', kind: 'dir', nth: 1, scenarios: ['existing'], errnos: ['EIO'], expect: 'after-rename' },
  {
    name: 'release of the lock',
    method: 'release',
    kind: 'lock',
    nth: 1,
    scenarios: ['existing', 'new'],
    errnos: ['EACCES', 'EROFS', 'EIO'],
    expect: 'release-failure',
  },
];

// ---------------------------------------------------------------------------------------
// Checks

/** proper-lockfile's own table of the locks this process holds (the store uses the same module instance). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a file of the package that its exports do not name
const lockTable = require('proper-lockfile/lib/lockfile') as { getLocks(): Record<string, unknown> };
const heldLocks = (): string[] => Object.keys(lockTable.getLocks());

/** Every path under `root` (recursively), with file bytes, as a comparable record. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      const rel = p.slice(root.length + 1);
      if (st.isSymbolicLink()) out[rel] = 'link';
      else if (st.isDirectory()) {
        out[rel] = 'dir';
        walk(p);
      } else out[rel] = `file ${(st.mode & 0o7777).toString(8)} ${readFileSync(p).toString('base64')}`;
    }
  };
  walk(root);
  return out;
}

function assertNoLeftovers(ctx: Ctx): void {
  const left = Object.keys(tree(ctx.root)).filter((p) => TEMP_RE.test(basename(p)) || p.endsWith('.lock'));
  assert.deepEqual(left, [], 'no temp file and no lock directory may be left');
  assert.deepEqual(heldLocks(), [], 'proper-lockfile must hold no lock in this process');
}

async function outcomeOf<R>(p: Promise<UpdateOutcome<R>>): Promise<{ ok: UpdateOutcome<R> } | { err: unknown }> {
  try {
    return { ok: await p };
  } catch (err) {
    return { err };
  }
}

function run(ctx: Ctx, seam: FsSeam | undefined) {
  let transformed = 0;
  return {
    promise: updateFile({
      path: ctx.path,
      lockTimeoutMs: 2_000,
      seam,
      // A file keeps another user's ownership only when that user is --owner (SPEC 9).
      ...(ctx.scenario === 'foreign-owner' && { owner: { uid: 1234, gid: 1234 } }),
      transform: (existing) => {
        transformed++;
        if (ctx.scenario === 'new' || ctx.scenario === 'new-dir') assert.equal(existing, undefined);
        else assert.equal(existing?.text, OLD);
        return { write: true as const, text: ctx.text, result: 'done' };
      },
    }),
    transformed: () => transformed,
  };
}

function assertOldState(ctx: Ctx, before: Record<string, string>): void {
  if (ctx.scenario === 'new-dir') {
    // The directories may have been created (the failure came later); nothing else.
    assert.equal(existsSync(ctx.file), false, 'no file may be created');
    const extra = Object.keys(tree(ctx.root)).filter((p) => p !== 'a' && p !== 'a/b');
    assert.deepEqual(extra, []);
  } else {
    // Byte-identical, same mode, and nothing new in the directory.
    assert.deepEqual(tree(ctx.root), before);
  }
}

async function assertStoreWorksAgain(ctx: Ctx): Promise<void> {
  const again = await updateFile({ path: ctx.path, lockTimeoutMs: 2_000, transform: () => ({ write: true, text: ctx.text, result: 0 }) });
  assert.equal(again.written, true);
  assert.equal(readFileSync(ctx.file, 'utf8'), ctx.text);
  assertNoLeftovers(ctx);
}

// ---------------------------------------------------------------------------------------
// Tests

describe('the fault table covers every step of an append', () => {
  for (const scenario of ['existing', 'new', 'new-dir', 'symlink', 'big', ...(IS_ROOT ? ['foreign-owner' as const] : [])] as Scenario[]) {
    test(`${scenario}: every seam call of a clean run is a step of the table`, async () => {
      const ctx = setUp(scenario);
      const f = faultySeam(ctx, undefined);
      const r = run(ctx, f.seam);
      const out = await r.promise;
      assert.equal(out.written, true);
      assert.equal(readFileSync(ctx.file, 'utf8'), ctx.text);
      assertNoLeftovers(ctx);
      // Every kind of call has a row (some rows run in another scenario, where the call is reached the same way).
      const covered = (c: Call): boolean => STEPS.some((s) => s.method === c.method && s.kind === c.kind);
      const missing = f.calls.filter((c) => !covered(c)).map((c) => `${c.method}(${c.kind}) #${c.nth}`);
      assert.deepEqual(missing, [], `steps with no fault injected in scenario ${scenario}`);
      // And each row of the table for this scenario names a call that really happens.
      for (const s of STEPS.filter((x) => x.scenarios.includes(scenario))) {
        assert.ok(
          f.calls.some((c) => c.method === s.method && c.kind === s.kind && c.nth === (s.nth ?? 1)),
          `step "${s.name}" never happens in scenario ${scenario}: ${JSON.stringify(f.calls)}`,
        );
      }
    });
  }
});

describe('one failing step: old file kept, nothing left behind, the original error reported', () => {
  for (const step of STEPS) {
    for (const scenario of step.scenarios) {
      for (const code of step.errnos) {
        test(`${step.name} fails with ${code} (${scenario})`, async () => {
          const ctx = setUp(scenario);
          const before = tree(ctx.root);
          const err = errno(code, step.method);
          const f = faultySeam(ctx, { method: step.method, kind: step.kind, nth: step.nth ?? 1, err });
          const r = run(ctx, f.seam);
          const res = await outcomeOf(r.promise);
          assert.equal(f.hits(), 1, 'the injected failure must fire exactly once');

          switch (step.expect) {
            case 'reject': {
              assert.ok('err' in res, `expected a rejection, got ${JSON.stringify('ok' in res ? res.ok : undefined)}`);
              const e = res.err;
              assert.ok(e instanceof IoError || e instanceof LockError, `expected IoError/LockError, got ${String(e)}`);
              assert.equal(e.cause, err, `the cause must be the injected error object; got ${String(e.cause)}`);
              if (e instanceof IoError) assert.equal(e.syscallCode, code);
              assert.ok(e.message.includes(code), e.message);
              assert.deepEqual(tokensIn(e.message), []);
              assertOldState(ctx, before);
              assertNoLeftovers(ctx);
              break;
            }
            case 'after-rename': {
              assert.ok('err' in res, 'a failing directory fsync must be reported');
              const e = res.err;
              assert.ok(e instanceof IoError, `expected IoError, got ${String(e)}`);
              assert.equal(e.cause, err);
              assert.equal(e.syscallCode, code);
              assert.match(e.message, /in place/);
              assert.match(e.message, /may not survive/);
              assert.equal(r.transformed(), 1);
              // The rename happened: the new content is in place, mode 0600.
              assert.equal(readFileSync(ctx.file, 'utf8'), ctx.text);
              assert.equal(statSync(ctx.file).mode & 0o7777, 0o600);
              assertNoLeftovers(ctx);
              break;
            }
            case 'release-failure': {
              assert.ok('ok' in res, `a release failure after success must not reject: ${'err' in res ? String(res.err) : ''}`);
              assert.equal(res.ok.written, true);
              assert.equal(res.ok.result, 'done');
              assert.ok(res.ok.releaseFailure, 'releaseFailure must be set');
              assert.ok(res.ok.releaseFailure.includes(code), res.ok.releaseFailure);
              assert.ok(res.ok.releaseFailure.includes(ctx.lockPath), res.ok.releaseFailure);
              assert.equal(readFileSync(ctx.file, 'utf8'), ctx.text);
              // No temp file; the lock directory is still there (the release failed): free it.
              assert.deepEqual(
                readdirSync(ctx.dir).filter((n) => TEMP_RE.test(n)),
                [],
              );
              assert.equal(f.realReleases.length, 1);
              await f.realReleases[0]!();
              assertNoLeftovers(ctx);
              break;
            }
            case 'housekeeping': {
              assert.ok('ok' in res, `housekeeping failures are ignored: ${'err' in res ? String(res.err) : ''}`);
              assert.equal(res.ok.written, true);
              assert.equal(readFileSync(ctx.file, 'utf8'), ctx.text);
              assertNoLeftovers(ctx);
              break;
            }
          }
          await assertStoreWorksAgain(ctx);
        });
      }
    }
  }
});

describe('two failures at once: the first one is the one reported', () => {
  test('rename fails, then the release fails too: the rename error is reported', async () => {
    const ctx = setUp('existing');
    const before = tree(ctx.root);
    const renameErr = errno('EIO', 'rename');
    const releaseErr = errno('EACCES', 'rmdir');
    const f = faultySeam(ctx, { method: 'rename', kind: 'temp', nth: 1, err: renameErr });
    const seam: FsSeam = {
      ...f.seam,
      lock: async (file, o) => {
        await f.seam.lock(file, o);
        return () => Promise.reject(releaseErr);
      },
    };
    const res = await outcomeOf(run(ctx, seam).promise);
    assert.ok('err' in res);
    assert.ok(res.err instanceof IoError, String(res.err));
    assert.equal(res.err.cause, renameErr);
    assert.equal(readFileSync(ctx.file, 'utf8'), OLD);
    assert.deepEqual(
      readdirSync(ctx.dir).filter((n) => TEMP_RE.test(n)),
      [],
    );
    await f.realReleases[0]!();
    assert.deepEqual(tree(ctx.root), before);
    assertNoLeftovers(ctx);
  });

  /** `first` fails; then the close(2) of that same descriptor fails too (after really closing it). */
  for (const [first, kind] of [
    ['write', 'temp'],
    ['fsync', 'temp'],
    ['readAll', 'target'],
  ] as const) {
    test(`${first} of the ${kind === 'temp' ? 'temp file' : 'file read'} fails, then its close fails too: the ${first} error is reported`, async () => {
      const ctx = setUp('existing');
      const before = tree(ctx.root);
      const firstErr = errno(first === 'write' ? 'ENOSPC' : 'EIO', first);
      const closeErr = errno('EIO', 'close');
      const f = faultySeam(ctx, { method: first, kind, nth: 1, err: firstErr });
      const fds = new Set<number>();
      const seam: FsSeam = {
        ...f.seam,
        open: (p, flags, mode) => {
          const fd = f.seam.open(p, flags, mode);
          if (kindOf(ctx, p) === kind) fds.add(fd);
          return fd;
        },
        close: (fd) => {
          f.seam.close(fd);
          if (fds.delete(fd)) throw closeErr;
        },
      };
      const res = await outcomeOf(run(ctx, seam).promise);
      assert.equal(f.hits(), 1);
      assert.ok('err' in res);
      assert.ok(res.err instanceof IoError, String(res.err));
      assert.equal(res.err.cause, firstErr, `the ${first} error must be reported, not the close error; got cause ${String(res.err.cause)}`);
      assertOldState(ctx, before);
      assertNoLeftovers(ctx);
    });
  }

  test('fsync of the temp file fails, then unlinking the temp file fails: the fsync error is reported', async () => {
    const ctx = setUp('existing');
    const fsyncErr = errno('EIO', 'fsync');
    const f = faultySeam(ctx, { method: 'fsync', kind: 'temp', nth: 1, err: fsyncErr });
    const seam: FsSeam = {
      ...f.seam,
      unlink: (p) => {
        if (TEMP_RE.test(basename(p))) throw errno('EROFS', 'unlink');
        nodeFs.unlink(p);
      },
    };
    const res = await outcomeOf(run(ctx, seam).promise);
    assert.ok('err' in res);
    assert.ok(res.err instanceof IoError, String(res.err));
    assert.equal(res.err.cause, fsyncErr);
    assert.equal(readFileSync(ctx.file, 'utf8'), OLD);
    assert.deepEqual(heldLocks(), []);
    assert.equal(existsSync(ctx.lockPath), false);
  });
});

// ---------------------------------------------------------------------------------------
// Real errors through the CLI

const createArgs = (file: string): string[] => ['create', 'token', '--name', 'app', '--permission', 'db:*:read', '--output-file', file];

function assertOneLineFailure(r: ReturnType<typeof runCli>, mention: RegExp): void {
  const ctx = `status=${r.status} signal=${r.signal} stdout=${JSON.stringify(r.stdout)} stderr=${JSON.stringify(r.stderr)}`;
  assert.equal(r.status, 1, ctx);
  assert.equal(r.stdout, '', ctx);
  assert.ok(r.stderr.endsWith('\n'), ctx);
  assert.equal(r.stderr.split('\n').length, 2, `one line on stderr: ${ctx}`);
  assert.match(r.stderr, /^error: /, ctx);
  assert.match(r.stderr, mention, ctx);
  assert.deepEqual(tokensIn(r.stderr), []);
}

describe('real errors through the CLI', () => {
  test('the output path is a directory (EISDIR): exit 1, one line, nothing created beside it', () => {
    const root = tempDir();
    const target = join(root, 'tokens.json');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'x');
    const before = tree(root);
    const r = runCli(createArgs(target));
    assertOneLineFailure(r, /directory/);
    assert.ok(r.stderr.includes(target), r.stderr);
    assert.deepEqual(tree(root), before);
    assert.equal(existsSync(`${target}.lock`), false);
  });

  test('the output path ends with a slash and names a directory: exit 1, nothing created', () => {
    const root = tempDir();
    const target = join(root, 'out');
    mkdirSync(target);
    const before = tree(root);
    const r = runCli(createArgs(`${target}/`));
    assertOneLineFailure(r, /directory/);
    assert.deepEqual(tree(root), before);
  });

  test('a path under a regular file (file.txt/tokens.json, ENOTDIR): exit 1, one line, nothing created', () => {
    const root = tempDir();
    writeFileSync(join(root, 'file.txt'), 'not a directory\n');
    const before = tree(root);
    const r = runCli(createArgs(join(root, 'file.txt', 'tokens.json')));
    assertOneLineFailure(r, /not a directory/);
    assert.ok(r.stderr.includes('file.txt'), r.stderr);
    assert.deepEqual(tree(root), before);
  });

  test('a path two levels under a regular file (file.txt/x/tokens.json): exit 1, nothing created', () => {
    const root = tempDir();
    writeFileSync(join(root, 'file.txt'), 'not a directory\n');
    const before = tree(root);
    const r = runCli(createArgs(join(root, 'file.txt', 'x', 'tokens.json')));
    assertOneLineFailure(r, /not a directory/);
    assert.deepEqual(tree(root), before);
  });
});
