/**
 * Where the bytes of a path really are, found the way the kernel (and so the server) finds
 * them: component by component, following symbolic links as they come. path.resolve()
 * would collapse `link/..` before looking, naming a different file than the server opens.
 */
import { type Stats, constants } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';
import { FileError, InvalidInputError, UnsafePathError } from '../errors';
import { type FsSeam, nodeFs } from './fs-seam';
import { errnoOf, io, withFd } from './sys';

const MAX_SYMLINK_HOPS = 40;
export const DIR_MODE = 0o700;

const componentsOf = (p: string): string[] => p.split(sep).filter((c) => c !== '' && c !== '.');

/**
 * The canonical path of `path`'s regular file: every symbolic link followed (a dangling one
 * to its absent target), `..` taken from the directory actually reached. A component that
 * does not exist yet is kept as given (the store creates it as a plain directory); `..` out
 * of one is refused, as the kernel refuses it.
 */
export function resolveTarget(path: string, seam: FsSeam = nodeFs, cwd: string = process.cwd(), trust?: Trust): string {
  let current = isAbsolute(path) ? sep : cwd;
  const pending = componentsOf(path).reverse();
  let hops = 0;
  let missing = false;
  while (pending.length > 0) {
    const part = pending.pop()!;
    if (part === '..') {
      if (missing) {
        // The kernel needs the directory to exist to go up out of it: the server could not
        // open this path, and creating a directory only to leave it would be a surprise.
        throw new FileError(
          'ENOTFILE',
          `${path} goes up (..) out of ${current}, which does not exist, so the server could not open it; create ${current} first, or give the path without "..".`,
        );
      }
      const up = current.slice(0, current.lastIndexOf(sep));
      current = up === '' ? sep : up;
      continue;
    }
    const next = join(current, part);
    if (missing) {
      current = next;
      continue;
    }
    let st: Stats;
    try {
      st = seam.lstat(next);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') {
        missing = true;
        current = next;
        continue;
      }
      if (errnoOf(e) === 'ENOTDIR') throw notUnderDirectory(path, e);
      throw io(`inspect ${path}`, e);
    }
    if (st.isSymbolicLink()) {
      if (trust) trustLink(next, st, current, trust, seam);
      if (++hops > MAX_SYMLINK_HOPS) {
        throw new FileError('ENOTFILE', `${path} is a symbolic link loop (more than ${MAX_SYMLINK_HOPS} links); point it at a regular file.`);
      }
      let link: string;
      try {
        link = seam.readlink(next);
      } catch (e) {
        throw io(`read the symbolic link ${next}`, e);
      }
      if (isAbsolute(link)) current = sep;
      pending.push(...componentsOf(link).reverse());
      continue;
    }
    if (pending.length > 0 && !st.isDirectory()) throw notUnderDirectory(path);
    current = next;
  }
  return current;
}

function notUnderDirectory(path: string, cause?: unknown): FileError {
  return new FileError('ENOTFILE', `${path} cannot be used: a component of its directory is not a directory.`, { cause });
}

/** An owner to give what a command writes (`--owner UID[:GID]`; gid -1 keeps the group). */
export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/** UID[:GID], numbers only (the image's user need not exist where the files are written); undefined when it is not that. */
export function ownerOf(text: string): Owner | undefined {
  const m = /^(\d{1,10})(?::(\d{1,10}))?$/.exec(text);
  const uid = Number(m?.[1]);
  const gid = m?.[2] === undefined ? -1 : Number(m[2]);
  return !m || uid > 0xfffffffe || gid > 0xfffffffe ? undefined : { uid, gid };
}

/** UID[:GID] as text, or InvalidInputError naming it as `label`. */
export function ownerFrom(text: string, label: string): Owner {
  const owner = ownerOf(text);
  if (!owner)
    throw new InvalidInputError(label, ` ${JSON.stringify(text)} is not UID or UID:GID; give numeric ids, such as ${label} 1500 or ${label} 1500:1500.`);
  return owner;
}

/**
 * Who may own what a writer goes through (SPEC 9): the user running the command, and
 * `--owner`. Applies to root too, as git's safe.directory and OpenSSH's StrictModes do.
 */
export interface Trust {
  readonly uids: readonly number[];
}

/** The trust of a writing command; undefined where the system has no uids (nothing to check). */
export function trustOf(owner: Owner | undefined): Trust | undefined {
  const uid = process.geteuid?.();
  if (uid === undefined) return undefined;
  return { uids: owner && owner.uid !== uid ? [uid, owner.uid] : [uid] };
}

/**
 * The kernel's fs.protected_symlinks rule, for every directory and not only sticky ones: a
 * link is followed only when the runner owns it or the owner of its directory does. Links
 * are resolved here, in user space, so the kernel's own check never sees them.
 */
function trustLink(link: string, st: Stats, dir: string, trust: Trust, seam: FsSeam): void {
  if (trust.uids.includes(st.uid)) return;
  const d = statOf(dir, seam);
  if (d.uid === st.uid) return;
  throw new UnsafePathError(link, 'link', st.uid, trust.uids, { path: dir, uid: d.uid, mode: d.mode });
}

function statOf(dir: string, seam: FsSeam): Stats {
  try {
    return seam.lstat(dir);
  } catch (e) {
    throw io(`inspect ${dir}`, e);
  }
}

/** A file written keeps an existing owner only when that owner is trusted (the runner or --owner). */
export function keptOwner(st: Stats | undefined, trust: Trust | undefined): Stats | undefined {
  return st && (!trust || trust.uids.includes(st.uid)) ? st : undefined;
}

/**
 * The protected_regular rule, extended to every directory others can write (sticky or
 * not): an existing file or lock there that another user owns may be a trap (a file made
 * readable to its owner, a lock that jams every writer). It is refused, never edited,
 * kept or chowned.
 */
export function trustExisting(path: string, st: Stats, what: 'file' | 'lock', trust: Trust | undefined, seam: FsSeam): void {
  if (!trust || trust.uids.includes(st.uid)) return;
  const dir = join(path, '..');
  const d = statOf(dir, seam);
  if ((d.mode & 0o022) === 0) return;
  throw new UnsafePathError(path, what, st.uid, trust.uids, { path: dir, uid: d.uid, mode: d.mode });
}

/** Creates `dir` and its missing parents, each 0700 whatever the umask (and owned by `owner` when given). */
export function ensureDirectory(dir: string, seam: FsSeam, owner?: Owner): void {
  let first: string | undefined;
  try {
    first = seam.mkdir(dir, DIR_MODE);
  } catch (e) {
    if (errnoOf(e) === 'ENOTDIR' || errnoOf(e) === 'EEXIST') {
      throw new FileError('ENOTFILE', `Cannot create the directory ${dir}: a component of it is not a directory.`, { cause: e });
    }
    throw io(`create the directory ${dir}`, e);
  }
  if (first === undefined) return;
  // mkdir's mode passes through the umask; the directories we made must be 0700 whatever it is.
  for (let d = dir; ; d = join(d, '..')) {
    try {
      seam.chmod(d, DIR_MODE);
    } catch (e) {
      throw io(`set the mode of the directory ${d}`, e);
    }
    if (owner) chownDirectory(d, owner, seam);
    if (d === first || join(d, '..') === d) break;
  }
}

function chownDirectory(dir: string, owner: Owner, seam: FsSeam): void {
  try {
    const fd = seam.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    withFd(fd, seam, () => seam.fchown(fd, owner.uid, owner.gid));
  } catch (e) {
    throw io(`set the owner of the directory ${dir}`, e);
  }
}

/** Token files are regular files: a directory, FIFO or device at the path is refused before anything else happens. */
export function refuseIfNotRegular(stat: Stats, path: string): void {
  if (stat.isFile()) return;
  const what = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a FIFO' : stat.isSocket() ? 'a socket' : 'a device';
  throw new FileError('ENOTFILE', `${path} is ${what}, not a regular file; give the path of a token file.`);
}
