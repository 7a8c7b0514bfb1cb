/**
 * The few error classes of the product. Each carries a fixed `code` so callers and
 * tests can tell failures apart without parsing messages; `main` alone turns them
 * into exit statuses. Messages are full sentences that name the input and the fix,
 * and never contain a token string.
 */

export type UsageCode = 'EUSAGE';
export type FileCode =
  | 'EINVALIDFILE' // the existing file is not JSON, fails the schema, or breaks a rule
  | 'EWRONGKIND' // admin file where a permission tokens file is expected, or the reverse
  | 'ENAMETAKEN' // a token of that name is already in the file
  | 'EREFUSEDBYSERVER' // the text about to be written would not load in the server (the post-write check)
  | 'ETOKENTAKEN' // a supplied token string is already in the file
  | 'EADMINEXISTS' // an admin token file exists and --force was not given
  | 'ESTALE' // --fail-if-stale: the token --if-not-exists would keep has expired or other permissions
  | 'ETOOLARGE' // the existing file is larger than any tokens file should be
  | 'ENOTOKEN' // no token of that name in the file(s)
  | 'EEXPORTKEY' // two tokens would be exported under one key, env name or file name, or a name cannot be one
  | 'EUNSAFEPATH' // a link, file or lock another user could have planted (SPEC 9 ownership rules)
  | 'ENOTFILE'; // the output path is a directory, FIFO, device...
export type LockCode = 'ELOCKED' | 'ECOMPROMISED';
export type IoCode = 'EIO';

/** Bad command line: unknown flag, missing flag, bad permission, duration or name. */
export class UsageError extends Error {
  readonly code: UsageCode = 'EUSAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** An input (standard input, a spec) past the limit that fits its use (SPEC 17): a usage error, exit 2. */
export class InputLimitError extends UsageError {
  constructor(
    readonly what: string,
    readonly limit: number,
    readonly kind: 'size' | 'depth' | 'alias' = 'size',
  ) {
    super(
      kind === 'size'
        ? `${what} is larger than ${limitWords(limit)}, the limit for it; nothing was written.`
        : kind === 'depth'
          ? `${what} nests deeper than ${limit} levels, the limit for it; nothing was written.`
          : `${what} uses a YAML alias (*name), which a spec has no use for and which is refused; write the value out. Nothing was written.`,
    );
  }
}

function limitWords(bytes: number): string {
  const MiB = 1024 * 1024;
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/** The file on disk (or about to be written) is not acceptable. */
export class FileError extends Error {
  constructor(
    readonly code: FileCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FileError';
  }
}

/**
 * A path the command would write or lock through is not safe to use (SPEC 9): a link that
 * neither the runner nor the owner of its directory owns, or an existing file or lock that
 * another user owns in a directory others can write. Carries what was found; the command
 * layer words the fix (it knows the flags).
 */
export class UnsafePathError extends FileError {
  constructor(
    /** The path refused (a link, a file, a lock directory). */
    readonly path: string,
    readonly what: 'link' | 'file' | 'lock',
    /** The owner found. */
    readonly foundUid: number,
    /** Who may own it: the runner, and --owner when given. */
    readonly allowedUids: readonly number[],
    /** The owner of the directory that holds it (links), or its mode (files, locks). */
    readonly dir: { readonly path: string; readonly uid: number; readonly mode: number },
  ) {
    super('EUNSAFEPATH', unsafeWords(path, what, foundUid, allowedUids, dir));
    this.name = 'UnsafePathError';
  }
}

function unsafeWords(path: string, what: UnsafePathError['what'], found: number, allowed: readonly number[], dir: UnsafePathError['dir']): string {
  const who = allowed.map((u) => `uid ${u}`).join(' or ');
  if (what === 'link') {
    return `${path} is a symbolic link owned by uid ${found}, neither the user running this command (${who}) nor the owner of ${dir.path} (uid ${dir.uid}); it was not followed, as another user may have planted it. Remove it, or give the path it points to.`;
  }
  const label = what === 'lock' ? 'the lock directory' : 'the file';
  return `${path} is owned by uid ${found}, not by ${who}, in ${dir.path}, which others can write (mode ${(dir.mode & 0o7777).toString(8)}); ${label} was refused, not edited or followed, as another user may have planted it. Move it away, or have it owned by the user it is written for.`;
}

/** The inter-process lock could not be taken in time, or was lost while held. */
export class LockError extends Error {
  constructor(
    readonly code: LockCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LockError';
  }
}

/** A system call failed; `cause` is the original error, `syscallCode` its errno name. */
export class IoError extends Error {
  readonly code: IoCode = 'EIO';
  readonly syscallCode: string | undefined;
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'IoError';
    this.syscallCode = (cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

/** SIGINT, SIGTERM or SIGHUP arrived while the store held the lock; it stopped at a safe point. */
export class InterruptedError extends Error {
  readonly code = 'EINTERRUPTED';
  constructor(readonly signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP') {
    super(`Interrupted by ${signal} before the file was changed; nothing was written.`);
    this.name = 'InterruptedError';
  }
}

export type ToolError = UsageError | FileError | LockError | IoError | InterruptedError;

export function isToolError(e: unknown): e is ToolError {
  return (
    e instanceof UsageError ||
    e instanceof FileError ||
    e instanceof LockError ||
    e instanceof IoError ||
    e instanceof InterruptedError
  );
}
