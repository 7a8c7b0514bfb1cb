/**
 * The error classes of the product and of the library (SPEC 18). Every one is a
 * TokenFileError with a fixed `code`, so callers and tests tell failures apart without
 * parsing messages, and with structured fields (file, pointer, tokenName) so the CLI can
 * word them for what the user typed. Lower layers never name a flag; `main` alone turns
 * codes into exit statuses. Messages are full sentences that name the input and the fix,
 * and never contain a token string.
 */

export type UsageCode = 'EUSAGE';
/** A bad permission, duration, instant, name or spec given to the library (the CLI's usage errors come from here too). */
export type InvalidCode = 'EINVALID';
export type FileCode =
  | 'EINVALIDFILE' // the existing file is not JSON, fails the schema, or breaks a rule
  | 'EWRONGKIND' // admin file where a permission tokens file is expected, or the reverse
  | 'ENAMETAKEN' // a token of that name is already in the file
  | 'EREFUSEDBYSERVER' // the text about to be written would not load in the server (the post-write check)
  | 'ETOKENTAKEN' // a supplied token string is already in the file
  | 'EADMINEXISTS' // an admin token file exists and replacing it was not asked for
  | 'ESTALE' // the token an if-not-exists run would keep has expired or other permissions
  | 'ETOOLARGE' // the existing file is larger than any tokens file should be
  | 'ENOTOKEN' // no token of that name in the file(s)
  | 'EEXPORTKEY' // two tokens would be exported under one key, env name or file name, or a name cannot be one
  | 'ENOTFILE'; // the output path is a directory, FIFO, device...
/** The link and owner rules of SPEC 9 (a link or directory another user could swap). */
export type UnsafePathCode = 'EUNSAFEPATH';
export type LockCode = 'ELOCKTIMEOUT' | 'ECOMPROMISED';
export type IoCode = 'EIO';
export type InterruptedCode = 'EINTERRUPTED';

export type TokenFileErrorCode = UsageCode | InvalidCode | FileCode | UnsafePathCode | LockCode | IoCode | InterruptedCode;

/**
 * Where a failure is, as far as it is known. `tokenName` rather than `name`: an Error's
 * `name` is its class name, which stack traces and util.inspect print.
 */
export interface ErrorFields {
  /** The path as the caller gave it. */
  readonly file?: string | undefined;
  /** A JSON pointer into the file or the spec. */
  readonly pointer?: string | undefined;
  /** The token the failure is about. */
  readonly tokenName?: string | undefined;
  readonly cause?: unknown;
}

/** The base of every failure the library and the CLI report (SPEC 18). */
export class TokenFileError extends Error {
  readonly file: string | undefined;
  readonly pointer: string | undefined;
  readonly tokenName: string | undefined;
  constructor(
    readonly code: TokenFileErrorCode,
    message: string,
    fields: ErrorFields = {},
  ) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = 'TokenFileError';
    this.file = fields.file;
    this.pointer = fields.pointer;
    this.tokenName = fields.tokenName;
  }
}

/** Bad command line: unknown flag, missing flag, flags that contradict each other. Thrown by the command layer only. */
export class UsageError extends TokenFileError {
  declare readonly code: UsageCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super('EUSAGE', message, options);
    this.name = 'UsageError';
  }
}

/**
 * A value given to an operation is not acceptable (a bad permission, duration, instant,
 * name or spec). The message is `field` + `rest`: `field` names the value as the library
 * knows it (expiry, name, permissions, the spec's pointer...), `rest` says what is wrong and
 * the fix. The CLI puts the flag or key the user typed in place of `field` (commands/words.ts).
 */
export class InvalidInputError extends TokenFileError {
  declare readonly code: InvalidCode;
  constructor(
    readonly field: string,
    readonly rest: string,
    fields: ErrorFields = {},
  ) {
    super('EINVALID', `${field}${rest}`, fields);
    this.name = 'InvalidInputError';
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
export class FileError extends TokenFileError {
  declare readonly code: FileCode;
  constructor(code: FileCode, message: string, fields: ErrorFields = {}) {
    super(code, message, fields);
    this.name = 'FileError';
  }
}

/**
 * A path the command would write or lock through is not safe to use (SPEC 9): a link that
 * neither the runner nor the owner of its directory owns, or an existing file or lock that
 * another user owns in a directory others can write. Carries what was found; the command
 * layer words the fix (it knows the flags).
 */
export class UnsafePathError extends TokenFileError {
  declare readonly code: UnsafePathCode;
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
    super('EUNSAFEPATH', unsafeWords(path, what, foundUid, allowedUids, dir), { file: path });
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

/** The inter-process lock could not be taken in time (`timeoutMs`), or was lost while held. */
export class LockError extends TokenFileError {
  declare readonly code: LockCode;
  constructor(code: LockCode, message: string, fields: ErrorFields & { readonly timeoutMs?: number; readonly lockPath?: string } = {}) {
    super(code, message, fields);
    this.name = 'LockError';
    this.timeoutMs = fields.timeoutMs;
    this.lockPath = fields.lockPath;
  }
  readonly timeoutMs: number | undefined;
  readonly lockPath: string | undefined;
}

/** A system call failed; `cause` is the original error, `syscallCode` its errno name. */
export class IoError extends TokenFileError {
  declare readonly code: IoCode;
  readonly syscallCode: string | undefined;
  constructor(message: string, cause: unknown) {
    super('EIO', message, { cause });
    this.name = 'IoError';
    this.syscallCode = (cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

/** SIGINT, SIGTERM or SIGHUP arrived while the store held the lock; it stopped at a safe point. */
export class InterruptedError extends TokenFileError {
  declare readonly code: InterruptedCode;
  constructor(readonly signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP') {
    super('EINTERRUPTED', `Interrupted by ${signal} before the file was changed; nothing was written.`);
    this.name = 'InterruptedError';
  }
}

export type ToolError = TokenFileError;

export function isToolError(e: unknown): e is TokenFileError {
  return e instanceof TokenFileError;
}
