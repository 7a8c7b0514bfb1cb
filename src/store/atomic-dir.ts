/**
 * A whole directory of files replaced at once, as Kubernetes' atomic writer does for
 * projected volumes (pkg/volume/util/atomic_writer.go):
 *
 *   DIR/..2026_12_03_19_20_01.123456789.ab12cd/   the files of one run (0700, files 0600)
 *   DIR/..data -> ..2026_12_03_19_20_01...        swapped by one rename of a new link
 *   DIR/NAME -> ..data/NAME                       what readers open
 *
 * A reader sees the old set or the new set, never a mix; a kill at any instant leaves one
 * of them (and at worst an unreferenced timestamped directory, removed by the next run); a
 * name that left the set disappears. The directory is locked (DIR/..data.lock) like a token
 * file, and what is in it obeys the same ownership rules.
 */
import { type Stats, constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { FileError, InterruptedError, LockError } from '../errors';
import { type FsSeam, nodeFs } from './fs-seam';
import { checkInterrupted, whileBusy } from './interrupts';
import { acquire, assertLockHeld, release } from './lock';
import { FILE_MODE, fsyncDirectory } from './atomic-write';
import { DIR_MODE, type Owner, type Trust, ensureDirectory, resolveTarget, trustExisting, trustOf } from './target';
import { errnoOf, io, lstatIfExists, withFd } from './sys';

export const DATA_LINK = '..data';
const DATA_TMP = '..data_tmp';
const TS_DIR = /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d{9}\.[0-9a-f]+$/;
/** A link being put in place (linkInto) by a run that was killed before its rename. */
const TEMP_LINK = /^\..+\.otk-[0-9a-f]{12}\.tmp$/;

export interface DirectoryFile {
  readonly name: string;
  readonly text: string;
}

export interface DirectoryWrite {
  /** The directory as the user gave it. */
  readonly path: string;
  readonly files: readonly DirectoryFile[];
  readonly lockTimeoutMs: number;
  readonly owner?: Owner | undefined;
  readonly seam?: FsSeam | undefined;
}

export interface DirectoryOutcome {
  /** The directory written (links resolved). */
  readonly dir: string;
  /** False when the directory already held exactly these files. */
  readonly written: boolean;
}

export function writeDirectoryAtomic(req: DirectoryWrite): Promise<DirectoryOutcome> {
  return whileBusy(() => writeDirectory(req));
}

function tsName(now: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const d = `${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}`;
  return `..${d}.${p(now.getUTCMilliseconds() * 1_000_000, 9)}.${randomBytes(4).toString('hex')}`;
}

async function writeDirectory(req: DirectoryWrite): Promise<DirectoryOutcome> {
  const seam = req.seam ?? nodeFs;
  const trust = trustOf(req.owner);
  const dir = resolveTarget(req.path, seam, undefined, trust);
  const st = lstatOrThrow(dir, req.path, seam);
  if (st) {
    if (!st.isDirectory()) throw new FileError('ENOTFILE', `${req.path} is not a directory; give the directory to write the token files in.`);
    trustExisting(dir, st, 'file', trust, seam);
  } else ensureDirectory(dir, seam, req.owner);
  const dataLink = join(dir, DATA_LINK);
  const lock = await acquire(dataLink, req.lockTimeoutMs, seam, trust);
  let written = false;
  try {
    checkInterrupted();
    const entries = inspectEntries(dir, req, trust, seam);
    if (entries.current !== undefined && sameSet(dir, entries.current, req.files, entries.links, seam)) return { dir, written: false };
    const ts = tsName(new Date());
    writeSet(join(dir, ts), req.files, req.owner, seam);
    fsyncDirectory(dir, req.path, seam);
    assertLockHeld(lock, seam);
    // The swap: a new link renamed over the old one, the one step readers can observe.
    swapLink(dir, ts, seam);
    written = true;
    for (const f of req.files) {
      if (!entries.links.has(f.name)) linkInto(dir, f.name, seam);
    }
    const wanted = new Set(req.files.map((f) => f.name));
    for (const name of entries.links) if (!wanted.has(name)) removeQuietly(join(dir, name), seam);
    for (const old of entries.tsDirs) if (old !== ts) removeTree(join(dir, old), seam);
  } catch (e) {
    if (e instanceof FileError || e instanceof LockError || e instanceof InterruptedError) throw e;
    throw io(`write the files in ${req.path}`, e);
  } finally {
    await release(lock);
  }
  if (written) fsyncDirectory(dir, req.path, seam);
  return { dir, written };
}

function lstatOrThrow(p: string, label: string, seam: FsSeam): Stats | undefined {
  try {
    return lstatIfExists(p, seam);
  } catch (e) {
    throw io(`inspect ${label}`, e);
  }
}

interface Entries {
  /** The timestamped directory ..data points to. */
  current: string | undefined;
  /** The visible names that are links of this layout (NAME -> ..data/NAME). */
  links: Set<string>;
  /** Every timestamped directory (the current one, and any a killed run left). */
  tsDirs: string[];
}

/**
 * What the directory holds. Every entry the write would replace or remove must be trusted
 * (another user's entry in a directory others can write is refused); a regular file at a
 * name is refused too rather than silently replaced by a link.
 */
function inspectEntries(dir: string, req: DirectoryWrite, trust: Trust | undefined, seam: FsSeam): Entries {
  const links = new Set<string>();
  const tsDirs: string[] = [];
  let current: string | undefined;
  const wanted = new Set(req.files.map((f) => f.name));
  for (const name of seam.readdir(dir)) {
    const p = join(dir, name);
    const st = lstatIfExists(p, seam);
    if (!st) continue;
    if (name === DATA_LINK || name === DATA_TMP || TS_DIR.test(name) || wanted.has(name)) trustExisting(p, st, 'file', trust, seam);
    if (name === DATA_LINK) {
      if (!st.isSymbolicLink()) throw new FileError('ENOTFILE', `${p} is not the link this tool makes; move it away.`);
      current = seam.readlink(p);
    } else if (TS_DIR.test(name) && st.isDirectory()) tsDirs.push(name);
    else if (st.isSymbolicLink() && seam.readlink(p) === `${DATA_LINK}/${name}`) links.add(name);
    else if (st.isSymbolicLink() && TEMP_LINK.test(name) && (!trust || trust.uids.includes(st.uid))) removeQuietly(p, seam);
    else if (wanted.has(name)) {
      throw new FileError(
        'ENOTFILE',
        `${p} is already there and is not a link of this tool's layout (NAME -> ${DATA_LINK}/NAME); move it away and export again.`,
      );
    }
  }
  return { current: current !== undefined && TS_DIR.test(current) ? current : undefined, links, tsDirs };
}

/** The directory already holds exactly these files, each reachable by its link. */
function sameSet(dir: string, current: string, files: readonly DirectoryFile[], links: ReadonlySet<string>, seam: FsSeam): boolean {
  let names: string[];
  try {
    names = seam.readdir(join(dir, current));
  } catch {
    return false;
  }
  if (names.length !== files.length || links.size !== files.length) return false;
  return files.every((f) => links.has(f.name) && readSmall(join(dir, current, f.name), seam) === f.text);
}

function readSmall(p: string, seam: FsSeam): string | undefined {
  try {
    const fd = seam.open(p, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    return withFd(fd, seam, () => (seam.fstat(fd).isFile() ? seam.readAll(fd).toString('utf8') : undefined));
  } catch {
    return undefined;
  }
}

function writeSet(tsDir: string, files: readonly DirectoryFile[], owner: Owner | undefined, seam: FsSeam): void {
  seam.mkdir(tsDir, DIR_MODE);
  seam.chmod(tsDir, DIR_MODE);
  if (owner) chown(tsDir, owner, seam);
  for (const f of files) {
    const fd = seam.open(join(tsDir, f.name), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, FILE_MODE);
    withFd(fd, seam, () => {
      seam.fchmod(fd, FILE_MODE);
      if (owner) seam.fchown(fd, owner.uid, owner.gid);
      const bytes = Buffer.from(f.text, 'utf8');
      for (let off = 0; off < bytes.length;) off += seam.write(fd, bytes, off);
      seam.fsync(fd);
    });
  }
  fsyncDirectory(tsDir, tsDir, seam);
}

function chown(dir: string, owner: Owner, seam: FsSeam): void {
  const fd = seam.open(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  withFd(fd, seam, () => seam.fchown(fd, owner.uid, owner.gid));
}

function swapLink(dir: string, ts: string, seam: FsSeam): void {
  const tmp = join(dir, DATA_TMP);
  removeQuietly(tmp, seam);
  seam.symlink(ts, tmp);
  seam.rename(tmp, join(dir, DATA_LINK));
}

/** NAME -> ..data/NAME, made beside and renamed into place (whatever stood at NAME was checked). */
function linkInto(dir: string, name: string, seam: FsSeam): void {
  const tmp = join(dir, `.${name}.otk-${randomBytes(6).toString('hex')}.tmp`);
  seam.symlink(`${DATA_LINK}/${name}`, tmp);
  try {
    seam.rename(tmp, join(dir, name));
  } catch (e) {
    removeQuietly(tmp, seam);
    throw e;
  }
}

function removeQuietly(p: string, seam: FsSeam): void {
  try {
    seam.unlink(p);
  } catch (e) {
    if (errnoOf(e) !== 'ENOENT') throw e;
  }
}

/** A timestamped directory of this layout: files only, made by this tool. */
function removeTree(p: string, seam: FsSeam): void {
  try {
    for (const name of seam.readdir(p)) seam.unlink(join(p, name));
    seam.rmdir(p);
  } catch {
    // Housekeeping: the next run removes it.
  }
}
