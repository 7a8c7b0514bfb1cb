/**
 * The store with an injected FsSeam: one system call fails at a time, and the previous file
 * must stay byte-identical, no temp file may remain, the lock must be released, and the
 * original error must be the one reported.
 */
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FileError, IoError, LockError } from '../../src/errors';
import { type FsSeam, nodeFs } from '../../src/store/fs-seam';
import { FILE_MODE, STALE_MS, type UpdateRequest, resolveTarget, updateFile } from '../../src/store/store';
import { tempDir as rawTempDir } from '../helpers';

/** Canonical, so that resolved targets compare equal even where the temp dir is behind a symlink. */
const tempDir = (): string => realpathSync(rawTempDir('otk-store'));

const OLD = '{\n  "tokens": []\n}\n';
const NEW = '{\n  "tokens": [],\n  "changed": true\n}\n';

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

const isTempName = (p: string): boolean => /^\..*\.otk-.*\.tmp$/.test(basename(p));

type Step = 'write' | 'fsync' | 'fchmod' | 'rename' | 'open' | 'close';

/** nodeFs with `step` failing with `err` when applied to the temp file; counts the hits. */
function failingSeam(step: Step, err: Error): { seam: FsSeam; hits: () => number } {
  const tempFds = new Set<number>();
  let hits = 0;
  const fire = (): never => {
    hits++;
    throw err;
  };
  const seam: FsSeam = {
    ...nodeFs,
    open: (p, flags, mode) => {
      if (step === 'open' && isTempName(p)) fire();
      const fd = nodeFs.open(p, flags, mode);
      if (isTempName(p)) tempFds.add(fd);
      return fd;
    },
    write: (fd, data, off) => (step === 'write' && tempFds.has(fd) ? fire() : nodeFs.write(fd, data, off)),
    fsync: (fd) => (step === 'fsync' && tempFds.has(fd) ? fire() : nodeFs.fsync(fd)),
    fchmod: (fd, mode) => (step === 'fchmod' && tempFds.has(fd) ? fire() : nodeFs.fchmod(fd, mode)),
    rename: (from, to) => (step === 'rename' && isTempName(from) ? fire() : nodeFs.rename(from, to)),
    close: (fd) => {
      const wasTemp = tempFds.delete(fd);
      nodeFs.close(fd); // the descriptor is gone either way, as with a real close(2) error
      if (step === 'close' && wasTemp) fire();
    },
  };
  return { seam, hits: () => hits };
}

function request(path: string, seam: FsSeam | undefined, text = NEW): UpdateRequest<string> {
  return {
    path,
    lockTimeoutMs: 2_000,
    seam,
    transform: () => ({ write: true, text, result: 'done' }),
  };
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof Error, `rejected with a non-Error: ${String(e)}`);
    return e;
  }
  assert.fail('expected the promise to reject');
}

const injected: [Step, string, string][] = [
  ['write', 'ENOSPC', 'no space left on device, write'],
  ['fsync', 'EIO', 'i/o error, fsync'],
  ['fchmod', 'EPERM', 'operation not permitted, fchmod'],
  ['rename', 'EXDEV', 'cross-device link not permitted, rename'],
  ['open', 'EACCES', 'permission denied, open'],
  ['close', 'EIO', 'i/o error, close'],
];

describe('updateFile: one failing system call on the temp file', () => {
  for (const [step, code, message] of injected) {
    for (const existing of [true, false]) {
      test(`${step} fails with ${code} (${existing ? 'existing file' : 'no file yet'}): nothing changes, error passed on`, async () => {
        const dir = tempDir();
        const file = join(dir, 'tokens.json');
        if (existing) {
          writeFileSync(file, OLD);
          chmodSync(file, 0o600);
        }
        const before = readdirSync(dir).sort();
        const err = errno(code, message);
        const { seam, hits } = failingSeam(step, err);
        const e = await rejection(updateFile(request(file, seam)));
        assert.equal(hits(), 1, 'the injected failure must have fired exactly once');
        assert.ok(e instanceof IoError, `${e.name}: ${e.message}`);
        assert.equal(e.cause, err, 'cause must be the injected error object');
        assert.equal(e.syscallCode, code);
        assert.ok(e.message.includes(code), e.message);
        assert.ok(e.message.includes('tokens.json'), e.message);
        // previous file byte-identical (or still absent), no temp file, lock released
        assert.deepEqual(readdirSync(dir).sort(), before);
        if (existing) {
          assert.equal(readFileSync(file, 'utf8'), OLD);
          assert.equal(statSync(file).mode & 0o777, 0o600);
        } else assert.equal(existsSync(file), false);
        assert.equal(existsSync(`${file}.lock`), false);
        // and the store still works afterwards
        const ok = await updateFile(request(file, undefined));
        assert.equal(ok.written, true);
        assert.equal(readFileSync(file, 'utf8'), NEW);
        assert.deepEqual(readdirSync(dir), ['tokens.json']);
      });
    }
  }
});

describe('updateFile: other failures', () => {
  test('the lock fails with a non-ELOCKED error: IoError with that cause, transform not run', async () => {
    const dir = tempDir();
    const file = join(dir, 'tokens.json');
    writeFileSync(file, OLD);
    const err = errno('EACCES', 'permission denied, mkdir');
    let ran = false;
    const seam: FsSeam = { ...nodeFs, lock: () => Promise.reject(err) };
    const e = await rejection(
      updateFile({
        path: file,
        lockTimeoutMs: 1_000,
        seam,
        transform: () => {
          ran = true;
          return { write: true, text: NEW, result: 0 };
        },
      }),
    );
    assert.ok(e instanceof IoError, e.message);
    assert.equal(e.cause, err);
    assert.ok(e.message.includes('EACCES'), e.message);
    assert.ok(e.message.includes(`${file}.lock`), e.message);
    assert.equal(ran, false);
    assert.equal(readFileSync(file, 'utf8'), OLD);
    assert.deepEqual(readdirSync(dir), ['tokens.json']);
  });

  test('the lock stays ELOCKED: LockError naming the lock path after the timeout, transform not run', async () => {
    const dir = tempDir();
    const file = join(dir, 'tokens.json');
    writeFileSync(file, OLD);
    const err = errno('ELOCKED', 'Lock file is already being held');
    let attempts = 0;
    let ran = false;
    const seam: FsSeam = {
      ...nodeFs,
      lock: () => {
        attempts++;
        return Promise.reject(err);
      },
    };
    const e = await rejection(
      updateFile({
        path: file,
        lockTimeoutMs: 60,
        seam,
        transform: () => {
          ran = true;
          return { write: false, result: 0 };
        },
      }),
    );
    assert.ok(e instanceof LockError, e.message);
    assert.equal(e.code, 'ELOCKTIMEOUT');
    assert.equal((e as LockError).timeoutMs, 60);
    assert.equal(e.cause, err);
    assert.ok(e.message.includes(`${file}.lock`), e.message);
    assert.ok(attempts >= 2, `retried: ${attempts}`);
    assert.equal(ran, false);
    assert.equal(readFileSync(file, 'utf8'), OLD);
  });

  test('transform throws: the same error object is rethrown, nothing written, lock released', async () => {
    const dir = tempDir();
    const file = join(dir, 'tokens.json');
    writeFileSync(file, OLD);
    chmodSync(file, 0o644);
    const ino = statSync(file).ino;
    for (const boom of [new Error('boom'), new FileError('ENAMETAKEN', 'taken'), new TypeError('bug')]) {
      let seen: string | undefined;
      const e = await rejection(
        updateFile({
          path: file,
          lockTimeoutMs: 1_000,
          transform: (existing) => {
            seen = existing?.text;
            assert.ok(existsSync(`${file}.lock`), 'the lock is held while transform runs');
            throw boom;
          },
        }),
      );
      assert.equal(e, boom);
      assert.equal(seen, OLD);
      assert.equal(readFileSync(file, 'utf8'), OLD);
      assert.equal(statSync(file).ino, ino);
      assert.equal(statSync(file).mode & 0o777, 0o644);
      assert.deepEqual(readdirSync(dir), ['tokens.json']);
    }
  });

  test('transform throws on a file that does not exist yet: no file, no lock left', async () => {
    const dir = tempDir();
    const file = join(dir, 'new.json');
    const boom = new Error('no');
    let seen: unknown = 'not called';
    const e = await rejection(
      updateFile({
        path: file,
        lockTimeoutMs: 1_000,
        transform: (existing) => {
          seen = existing;
          throw boom;
        },
      }),
    );
    assert.equal(e, boom);
    assert.equal(seen, undefined);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('write: false leaves the file untouched (same inode, bytes, mode, mtime) and releases the lock', async () => {
    const dir = tempDir();
    const file = join(dir, 'tokens.json');
    writeFileSync(file, OLD);
    chmodSync(file, 0o644);
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(file, past, past);
    const st = statSync(file);
    const out = await updateFile({ path: file, lockTimeoutMs: 1_000, transform: (existing) => ({ write: false, result: existing?.mode }) });
    assert.equal(out.written, false);
    assert.equal(out.result, 0o644);
    assert.equal(out.modeTightened, undefined);
    const after = statSync(file);
    assert.equal(after.ino, st.ino);
    assert.equal(after.mtimeMs, st.mtimeMs);
    assert.equal(after.mode, st.mode);
    assert.equal(readFileSync(file, 'utf8'), OLD);
    assert.deepEqual(readdirSync(dir), ['tokens.json']);
  });

  test('the target changed under the lock (a writer that ignores it): ECOMPROMISED, its content kept, no temp file', async () => {
    const dir = tempDir();
    const file = join(dir, 'tokens.json');
    writeFileSync(file, OLD);
    const intruder = '{"tokens": [], "intruder": 1}\n';
    const e = await rejection(
      updateFile({
        path: file,
        lockTimeoutMs: 1_000,
        transform: () => {
          writeFileSync(file, intruder);
          return { write: true, text: NEW, result: 0 };
        },
      }),
    );
    assert.ok(e instanceof LockError, e.message);
    assert.equal(e.code, 'ECOMPROMISED');
    assert.equal(readFileSync(file, 'utf8'), intruder);
    assert.deepEqual(readdirSync(dir), ['tokens.json']);
  });
});

describe('updateFile: success paths', () => {
  test('writes the exact text, mode 0600, and reports the resolved target', async () => {
    const dir = tempDir();
    const file = join(dir, 'tokens.json');
    const out = await updateFile(request(file, undefined));
    assert.equal(out.written, true);
    assert.equal(out.result, 'done');
    assert.equal(out.target, file);
    assert.equal(readFileSync(file, 'utf8'), NEW);
    assert.equal(statSync(file).mode & 0o7777, FILE_MODE);
    assert.deepEqual(readdirSync(dir), ['tokens.json']);
  });

  test('a looser mode is tightened and reported; a stricter one is kept', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.json');
    writeFileSync(a, OLD);
    chmodSync(a, 0o664);
    const out = await updateFile(request(a, undefined));
    assert.deepEqual(out.modeTightened, { from: 0o664, to: 0o600 });
    assert.equal(statSync(a).mode & 0o7777, 0o600);
    const b = join(dir, 'b.json');
    writeFileSync(b, OLD);
    chmodSync(b, 0o400);
    const outB = await updateFile(request(b, undefined));
    assert.equal(outB.modeTightened, undefined);
    assert.equal(statSync(b).mode & 0o7777, 0o400);
    assert.equal(readFileSync(b, 'utf8'), NEW);
  });

  for (const mask of [0, 0o022, 0o077]) {
    test(`a new file gets mode 0600 and new directories 0700 under umask ${mask.toString(8).padStart(4, '0')}`, async () => {
      const dir = tempDir();
      const file = join(dir, 'x', 'y', 'tokens.json');
      const saved = process.umask(mask);
      try {
        await updateFile(request(file, undefined));
      } finally {
        process.umask(saved);
      }
      assert.equal(statSync(file).mode & 0o7777, 0o600);
      assert.equal(statSync(join(dir, 'x')).mode & 0o7777, 0o700);
      assert.equal(statSync(join(dir, 'x', 'y')).mode & 0o7777, 0o700);
      assert.equal(readFileSync(file, 'utf8'), NEW);
    });
  }

  test('an abandoned temp file older than STALE_MS is removed; a recent one is left alone', async () => {
    const dir = tempDir();
    const file = join(dir, 'tokens.json');
    writeFileSync(file, OLD);
    const oldTemp = join(dir, '.tokens.json.otk-99999-aaaaaaaaaaaa.tmp');
    const newTemp = join(dir, '.tokens.json.otk-99998-bbbbbbbbbbbb.tmp');
    const other = join(dir, '.other.json.otk-99997-cccccccccccc.tmp');
    for (const p of [oldTemp, newTemp, other]) writeFileSync(p, '{"partial');
    const past = new Date(Date.now() - STALE_MS - 60_000);
    utimesSync(oldTemp, past, past);
    utimesSync(other, past, past);
    await updateFile(request(file, undefined));
    assert.deepEqual(readdirSync(dir).sort(), [basename(other), basename(newTemp), 'tokens.json'].sort());
    assert.equal(readFileSync(file, 'utf8'), NEW);
  });

  test('a symlink is followed: the target is replaced, the link stays', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    const target = join(dir, 'real', 't.json');
    writeFileSync(target, OLD);
    symlinkSync('real/t.json', join(dir, 'link.json'));
    const out = await updateFile(request(join(dir, 'link.json'), undefined));
    assert.equal(out.target, target);
    assert.ok(lstatSync(join(dir, 'link.json')).isSymbolicLink());
    assert.equal(readFileSync(target, 'utf8'), NEW);
    assert.deepEqual(readdirSync(join(dir, 'real')), ['t.json']);
  });
});

describe('resolveTarget', () => {
  test('a symlink loop -> FileError ENOTFILE (and updateFile refuses it, creating nothing)', async () => {
    const dir = tempDir();
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    symlinkSync('self', join(dir, 'self'));
    for (const p of ['a', 'b', 'self']) {
      assert.throws(
        () => resolveTarget(join(dir, p)),
        (e: unknown) => e instanceof FileError && e.code === 'ENOTFILE',
      );
    }
    const e = await rejection(updateFile(request(join(dir, 'a'), undefined)));
    assert.ok(e instanceof FileError && e.code === 'ENOTFILE', e.message);
    assert.deepEqual(readdirSync(dir).sort(), ['a', 'b', 'self']);
  });

  test('a dangling symlink resolves to its (absent) target; a missing path to itself', () => {
    const dir = tempDir();
    symlinkSync('sub/target.json', join(dir, 'dangling'));
    assert.equal(resolveTarget(join(dir, 'dangling')), join(dir, 'sub', 'target.json'));
    assert.equal(resolveTarget(join(dir, 'n', 'm.json')), join(dir, 'n', 'm.json'));
  });

  test('`..` is taken from the directory a link leads to, not collapsed first', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    symlinkSync(join('a', 'b'), join(dir, 'l'));
    symlinkSync(join(dir, 'a', 'b'), join(dir, 'abs'));
    const cases: Array<[string, string]> = [
      // Template strings, not join(): join collapses `..` lexically itself.
      [`${dir}/l/../t.json`, join(dir, 'a', 't.json')],
      [`${dir}/abs/../../t.json`, join(dir, 't.json')],
      [`${dir}/l/./../t.json`, join(dir, 'a', 't.json')],
    ];
    for (const [given, expected] of cases) assert.equal(resolveTarget(given), expected, given);
    assert.equal(resolveTarget('l/../t.json', undefined, dir), join(dir, 'a', 't.json'));
  });

  test('`..` out of a directory that does not exist is refused, as the kernel (and so the server) refuses it', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    symlinkSync(join('a', 'b'), join(dir, 'l'));
    for (const given of [`${dir}/missing/../t.json`, `${dir}/l/x/../t.json`, `${dir}/missing/deeper/../../t.json`]) {
      assert.throws(
        () => resolveTarget(given),
        (e: unknown) => e instanceof FileError && e.code === 'ENOTFILE' && /goes up \(\.\.\) out of .*, which does not exist/.test(e.message),
        given,
      );
    }
  });

  test('a path under a regular file -> FileError ENOTFILE', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'f'), 'x');
    assert.throws(
      () => resolveTarget(join(dir, 'f', 'x.json')),
      (e: unknown) => e instanceof FileError && e.code === 'ENOTFILE',
    );
  });
});
