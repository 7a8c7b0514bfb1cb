/**
 * SPEC 3: a token string is printed to stdout only when the user asks for it, and never
 * to stderr or into an error message. Every error path found in src/ (UsageError,
 * FileError, LockError, IoError, yargs failures) is driven through the real binary with
 * real-looking tokens in the files it reads and in its argv, and every output is searched
 * for those tokens: whole, and as any 12-character piece of their random part (so a
 * token that lost its prefix, or was camel-cased by the argv parser, is still caught).
 *
 * Also: a failing `create` prints exactly one line on stderr (SPEC 7); `validate` prints
 * one line per problem, then one `error:` line (SPEC 8).
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type CliResult, freshToken, readJson, runCli, runCliAsync, tempDir, tokensIn } from '../helpers';

// ---------------------------------------------------------------------------------------
// Secrets and the leak detector

/** A real-looking token without "-" in its random part (yargs camel-cases only flags with a "-"). */
function plainToken(): string {
  return `apiv3_${randomBytes(64).toString('base64url').replace(/-/g, 'Q')}`;
}

/** A real-looking token with at least one "-" in its random part, as about 3 in 4 of them have. */
function dashedToken(): string {
  for (;;) {
    const tok = freshToken();
    if (tok.includes('-')) return tok;
  }
}

const WINDOW = 12; // 72 bits of a random body: a chance match is impossible in practice

/** The secrets of `secrets` that show in `output` (whole or in part), plus any token-looking string at all. */
function leaks(output: string, secrets: readonly string[]): string[] {
  const found = new Set<string>(tokensIn(output));
  for (const s of secrets) {
    const body = s.startsWith('apiv3_') ? s.slice('apiv3_'.length) : s;
    if (output.includes(s)) {
      found.add(s);
      continue;
    }
    for (let i = 0; i + WINDOW <= body.length; i++) {
      if (output.includes(body.slice(i, i + WINDOW))) {
        found.add(`${s} (the piece ${body.slice(i, i + WINDOW)})`);
        break;
      }
    }
  }
  return [...found];
}

function lines(s: string): string[] {
  return s === '' ? [] : s.replace(/\n$/, '').split('\n');
}

function ctxOf(r: CliResult): string {
  return `status=${r.status} stdout=${JSON.stringify(r.stdout)} stderr=${JSON.stringify(r.stderr)}`;
}

function pretty(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Every entry under `dir`: file bytes (size and mtime for large ones), directories and FIFOs by kind. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      let st;
      try {
        st = statSync(join(dir, r));
      } catch {
        out[r] = 'unreadable (a dangling or looping link)';
        continue;
      }
      if (st.isDirectory()) {
        out[r] = 'dir';
        walk(r);
      } else if (!st.isFile()) out[r] = `special, mode ${st.mode.toString(8)}`;
      else if (st.size > 1 << 20) out[r] = `large, ${st.size} bytes, mtime ${st.mtimeMs}`;
      else out[r] = readFileSync(join(dir, r)).toString('base64');
    }
  };
  walk('');
  return out;
}

// ---------------------------------------------------------------------------------------
// The files: broken, wrong-kind or merely holding tokens where an append would read them

interface FileCase {
  title: string;
  /** The file's name in its temp dir; it decides the create command used on it. */
  file: 'tokens.json' | 'admin.json';
  content: string | Buffer;
  /** What `validate` must answer: 1 would not load, 0 loads (perhaps with warnings). */
  validateStatus: 0 | 1;
  /** Secret material that is not a whole apiv3_ token (a token that lost its prefix). */
  extraSecrets?: string[];
  /** validate quotes the offending string in its problem line: a pasted token must come out redacted. */
  validateQuotes?: true;
  /** Extra create flags (for admin files: --force or not). */
  createFlags?: string[];
}

const t = (): string => freshToken();
const entry = (token: string, name = 'a', permissions: unknown = ['db:a:read'], more: Record<string, unknown> = {}) => ({ token, name, permissions, ...more });
const body = randomBytes(64).toString('base64url');
const adminBody = randomBytes(64).toString('base64url');

const fileCases: FileCase[] = [
  // Not JSON: the parser's own message would quote the text around the break.
  {
    title: 'broken JSON right after a token (missing comma)',
    file: 'tokens.json',
    content: `{"tokens": [{"token": "${t()}" "name": "a", "permissions": ["db:a:read"]}]}`,
    validateStatus: 1,
  },
  {
    title: 'broken JSON right after a token (a stray letter)',
    file: 'tokens.json',
    content: `{"tokens": [{"token": "${t()}"x, "name": "a", "permissions": ["db:a:read"]}]}\n`,
    validateStatus: 1,
  },
  {
    title: 'unterminated string that starts with a token, at the end of the file',
    file: 'tokens.json',
    content: `{"tokens": [{"token": "${t()}`,
    validateStatus: 1,
  },
  {
    title: 'unterminated string that starts with a token, running into a newline',
    file: 'tokens.json',
    content: `{"tokens": [{"token": "${t()}\n, "name": "a", "permissions": ["db:a:read"]}]}\n`,
    validateStatus: 1,
  },
  {
    title: 'a bad escape right after a token',
    file: 'tokens.json',
    content: `{"tokens": [{"token": "${t()}\\q", "name": "a", "permissions": ["db:a:read"]}]}\n`,
    validateStatus: 1,
  },
  {
    title: 'a bad \\u escape right after a token',
    file: 'tokens.json',
    content: `{"tokens": [{"token": "${t()}\\u12", "name": "a", "permissions": ["db:a:read"]}]}\n`,
    validateStatus: 1,
  },
  {
    title: 'a token as an unquoted value',
    file: 'tokens.json',
    content: `{"tokens": [{"token": ${t()}, "name": "a", "permissions": ["db:a:read"]}]}\n`,
    validateStatus: 1,
  },
  { title: 'a token as an unquoted key', file: 'tokens.json', content: `{${t()}: 1, "tokens": []}\n`, validateStatus: 1 },
  { title: 'a token as a key, then no colon', file: 'tokens.json', content: `{"${t()}" 1, "tokens": []}\n`, validateStatus: 1 },
  {
    title: 'a token in single quotes',
    file: 'tokens.json',
    content: `{"tokens": [{"token": '${t()}', "name": "a", "permissions": ["db:a:read"]}]}\n`,
    validateStatus: 1,
  },
  {
    title: 'a trailing comma right after a token',
    file: 'tokens.json',
    content: `{"tokens": [{"permissions": ["db:a:read"], "name": "a", "token": "${t()}",}]}\n`,
    validateStatus: 1,
  },
  { title: 'a token as text after the document', file: 'tokens.json', content: `{"tokens": []}\n${t()}\n`, validateStatus: 1 },
  { title: 'a token on the second line of YAML', file: 'tokens.json', content: `tokens:\n  - token: ${t()}\n    name: a\n`, validateStatus: 1 },
  {
    title: 'bytes that are not UTF-8 next to a token',
    file: 'tokens.json',
    content: Buffer.concat([
      Buffer.from(`{"tokens": [{"token": "${t()}`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('", "name": "a", "permissions": ["db:a:read"]}]}\n'),
    ]),
    validateStatus: 1,
  },

  // JSON, but not a file the server loads.
  { title: 'a JSON string holding a token', file: 'tokens.json', content: `"${t()}"\n`, validateStatus: 1 },
  { title: 'a JSON array of tokens', file: 'tokens.json', content: `${JSON.stringify([t(), t()])}\n`, validateStatus: 1 },
  {
    title: 'a token as a key of a document that fails the schema',
    file: 'tokens.json',
    content: pretty({ [t()]: { token: t() }, tokens: [entry(t(), 'a', [])] }),
    validateStatus: 1,
  },
  {
    title: 'a token in an unknown field of an entry that fails the schema',
    file: 'tokens.json',
    content: pretty({ tokens: [entry(t(), 'a', ['db:a:read'], { note: t(), expiry_millis: t() })] }),
    validateStatus: 1,
  },
  {
    title: 'duplicate names, the names being tokens',
    file: 'tokens.json',
    content: (() => {
      const n = t();
      return pretty({ tokens: [entry(t(), n), entry(t(), n)] });
    })(),
    validateStatus: 1,
    validateQuotes: true,
  },
  {
    title: 'a token pasted into permissions',
    file: 'tokens.json',
    content: pretty({ tokens: [entry(t(), 'a', [t()])] }),
    validateStatus: 1,
    validateQuotes: true,
  },
  {
    title: 'a token as a db action',
    file: 'tokens.json',
    content: pretty({ tokens: [entry(t(), 'a', [`db:a:${t()}`])] }),
    validateStatus: 1,
    validateQuotes: true,
  },
  {
    title: 'a token as a system resource',
    file: 'tokens.json',
    content: pretty({ tokens: [entry(t(), 'a', [`system:${t()}:read`])] }),
    validateStatus: 1,
    validateQuotes: true,
  },
  {
    title: 'a token as a resource type',
    file: 'tokens.json',
    content: pretty({ tokens: [entry(t(), 'a', [`${t()}:a:read`])] }),
    validateStatus: 1,
    validateQuotes: true,
  },
  {
    title: 'a token beside the wildcard',
    file: 'tokens.json',
    content: pretty({ tokens: [entry(t(), 'a', [`db:*,${t()}:read`])] }),
    validateStatus: 1,
    validateQuotes: true,
  },
  {
    title: 'a token in a permission with four parts',
    file: 'tokens.json',
    content: pretty({ tokens: [entry(t(), 'a', [`db:${t()}:read:write`])] }),
    validateStatus: 1,
    validateQuotes: true,
  },
  {
    title: 'a token in a db permission, with a space after it',
    file: 'tokens.json',
    content: pretty({ tokens: [entry(t(), 'a', [`db:${t()} :read`])] }),
    validateStatus: 1,
    validateQuotes: true,
  },
  {
    title: 'an invalid database name that starts with a token',
    file: 'tokens.json',
    content: pretty({ create_databases: [`${t()}.x`], tokens: [] }),
    validateStatus: 1,
    validateQuotes: true,
  },
  { title: 'create_databases holding a token, and no tokens array', file: 'tokens.json', content: pretty({ create_databases: [t()] }), validateStatus: 1 },
  {
    title: 'a token in "name" where "token" is a number',
    file: 'tokens.json',
    content: pretty({ tokens: [entry(5 as unknown as string, t())] }),
    validateStatus: 1,
  },
  {
    title: 'a token string that lost its apiv3_ prefix',
    file: 'tokens.json',
    content: pretty({ tokens: [entry(body)] }),
    validateStatus: 1,
    extraSecrets: [body],
  },
  {
    title: 'a valid file whose token is also used as a db name with a bad entry after it',
    file: 'tokens.json',
    content: (() => {
      const s = t();
      return pretty({ tokens: [entry(s, 'a', [`db:${s}:read`]), entry(t(), 'b', [])] });
    })(),
    validateStatus: 1,
    validateQuotes: true,
  },
  {
    title: 'an admin token file (named with a token) where a permission tokens file is expected',
    file: 'tokens.json',
    content: pretty({ token: t(), name: t() }),
    validateStatus: 0,
  },

  // Admin token files.
  {
    title: 'an admin token file exists (named with a token) and --force is not given',
    file: 'admin.json',
    content: pretty({ token: t(), name: t(), description: t() }),
    validateStatus: 0,
  },
  {
    title: 'an admin token file broken right after its token',
    file: 'admin.json',
    content: `{"token": "${t()}" "name": "_admin"}\n`,
    validateStatus: 1,
    createFlags: ['--force'],
  },
  {
    title: 'an admin token file without name, a token in its description',
    file: 'admin.json',
    content: pretty({ token: t(), description: t() }),
    validateStatus: 1,
    createFlags: ['--force'],
  },
  {
    title: 'an admin token file whose expiry_millis is a token',
    file: 'admin.json',
    content: pretty({ token: t(), name: '_admin', expiry_millis: t() }),
    validateStatus: 1,
    createFlags: ['--force'],
  },
  {
    title: 'an admin token file whose token lost its prefix',
    file: 'admin.json',
    content: pretty({ token: adminBody, name: '_admin' }),
    validateStatus: 1,
    extraSecrets: [adminBody],
    createFlags: ['--force'],
  },
  {
    title: 'a permission tokens file where an admin token file is expected',
    file: 'admin.json',
    content: pretty({ create_databases: ['a'], tokens: [entry(t(), t())] }),
    validateStatus: 0,
    createFlags: ['--force'],
  },
];

/** A lock directory that never looks stale (mtime an hour ahead), whatever the machine's load. */
function heldLock(path: string): void {
  mkdirSync(path);
  const ahead = new Date(Date.now() + 3_600_000);
  utimesSync(path, ahead, ahead);
}

function secretsOf(c: FileCase, argv: readonly string[] = []): string[] {
  const text = Buffer.isBuffer(c.content) ? c.content.toString('latin1') : c.content;
  return [...new Set([...tokensIn(text), ...tokensIn(argv.join(' ')), ...(c.extraSecrets ?? [])])];
}

function dirWith(c: FileCase): string {
  const dir = tempDir('otk-hyg');
  writeFileSync(join(dir, c.file), c.content);
  chmodSync(join(dir, c.file), 0o600);
  return dir;
}

/** The create command that has to read `c`'s file before it writes. */
function createArgvFor(c: FileCase, extra: string[] = []): string[] {
  return c.file === 'admin.json'
    ? ['create', 'token', '--admin', ...(c.createFlags ?? []), '--output-file', c.file, ...extra]
    : ['create', 'token', '--permission', 'db:a:read', '--name', 'fresh-name', '--output-file', c.file, ...extra];
}

// ---------------------------------------------------------------------------------------
// Assertions

/** A failed create: the status, nothing on stdout, one `error:` line, no secret, files as they were. */
function assertCreateFailure(r: CliResult, status: 1 | 2, secrets: readonly string[], before: Record<string, string>, dir: string): void {
  const ctx = ctxOf(r);
  assert.equal(r.signal, null, ctx);
  assert.equal(r.status, status, ctx);
  assert.deepEqual(leaks(r.stderr, secrets), [], `secret on stderr: ${ctx}`);
  assert.deepEqual(leaks(r.stdout, secrets), [], `secret on stdout: ${ctx}`);
  assert.equal(r.stdout, '', ctx);
  assert.ok(r.stderr.endsWith('\n'), ctx);
  assert.equal(lines(r.stderr).length, 1, `exactly one line on stderr: ${ctx}`);
  assert.match(r.stderr, /^error: /, ctx);
  assert.deepEqual(snapshot(dir), before, 'every file is left exactly as it was');
}

/** `validate` in text mode: per-problem lines, then one `error:` line when it fails; never a secret. */
function assertValidateText(r: CliResult, file: string, status: 0 | 1, secrets: readonly string[]): void {
  const ctx = ctxOf(r);
  assert.equal(r.signal, null, ctx);
  assert.deepEqual(leaks(r.stderr, secrets), [], `secret on stderr: ${ctx}`);
  assert.deepEqual(leaks(r.stdout, secrets), [], `secret on stdout: ${ctx}`);
  assert.equal(r.status, status, ctx);
  const err = lines(r.stderr);
  const problem = new RegExp(`^${file.replace(/\./g, '\\.')}: (error|warning)( at /\\S*)?: \\S`);
  if (status === 1) {
    assert.equal(r.stdout, '', ctx);
    assert.ok(err.length >= 1, ctx);
    assert.match(err.at(-1)!, /^error: /, ctx);
    assert.equal(err.filter((l) => l.startsWith('error: ')).length, 1, `one error: line: ${ctx}`);
    for (const l of err.slice(0, -1)) assert.match(l, problem, ctx);
  } else {
    assert.equal(lines(r.stdout).length, 1, ctx);
    assert.ok(r.stdout.startsWith(`${file}: OK`), ctx);
    for (const l of err) assert.match(l, problem, ctx);
  }
}

// ---------------------------------------------------------------------------------------
// 1. Appending to (or replacing) each file: refused without a secret, file untouched

describe('create on a file holding tokens: refused, one line, no secret', { concurrency: 4 }, () => {
  for (const c of fileCases) {
    test(c.title, async () => {
      const dir = dirWith(c);
      const argv = createArgvFor(c);
      const before = snapshot(dir);
      const r = await runCliAsync(argv, { cwd: dir });
      assertCreateFailure(r, 1, secretsOf(c, argv), before, dir);
    });
  }

  test('a token as --name, the name being taken in the file', async () => {
    const name = freshToken();
    const c: FileCase = { title: '', file: 'tokens.json', content: pretty({ tokens: [entry(freshToken(), name)] }), validateStatus: 0 };
    const dir = dirWith(c);
    const argv = ['create', 'token', '--permission', 'db:a:read', '--name', name, '--output-file', 'tokens.json'];
    const before = snapshot(dir);
    assertCreateFailure(await runCliAsync(argv, { cwd: dir }), 1, secretsOf(c, argv), before, dir);
  });

  test('a token as --name, and the lock is held by another writer (timeout)', async () => {
    const c: FileCase = { title: '', file: 'tokens.json', content: pretty({ tokens: [entry(freshToken(), freshToken())] }), validateStatus: 0 };
    const dir = dirWith(c);
    heldLock(join(dir, 'tokens.json.lock'));
    const argv = ['create', 'token', '--permission', 'db:a:read', '--name', freshToken(), '--lock-timeout', '300ms', '--output-file', 'tokens.json'];
    const before = snapshot(dir);
    const r = await runCliAsync(argv, { cwd: dir });
    assertCreateFailure(r, 1, secretsOf(c, argv), before, dir);
    assert.match(r.stderr, /tokens\.json\.lock/);
  });

  test('an admin file holding tokens, and the lock is held (timeout, --force)', async () => {
    const c: FileCase = { title: '', file: 'admin.json', content: pretty({ token: freshToken(), name: freshToken() }), validateStatus: 0 };
    const dir = dirWith(c);
    heldLock(join(dir, 'admin.json.lock'));
    const argv = ['create', 'token', '--admin', '--force', '--name', freshToken(), '--lock-timeout', '200ms', '--output-file', 'admin.json'];
    const before = snapshot(dir);
    assertCreateFailure(await runCliAsync(argv, { cwd: dir }), 1, secretsOf(c, argv), before, dir);
  });
});

// ---------------------------------------------------------------------------------------
// 2. validate of every file above, text mode and JSON mode

const validateTitle = (c: FileCase): string => (c.validateQuotes ? `regression: ${c.title} (the problem line quotes the token, redacted)` : c.title);

describe('validate (text) of every file above: no secret, one line per problem, one error: line', { concurrency: 4 }, () => {
  for (const c of fileCases) {
    test(validateTitle(c), async () => {
      const dir = dirWith(c);
      const r = await runCliAsync(['validate', c.file], { cwd: dir });
      assertValidateText(r, c.file, c.validateStatus, secretsOf(c));
    });
  }
});

describe('validate --format json of every file above: the report carries no secret', { concurrency: 4 }, () => {
  for (const c of fileCases) {
    test(validateTitle(c), async () => {
      const dir = dirWith(c);
      const r = await runCliAsync(['validate', c.file, '--format', 'json'], { cwd: dir });
      const ctx = ctxOf(r);
      assert.equal(r.status, c.validateStatus, ctx);
      assert.deepEqual(leaks(r.stdout, secretsOf(c)), [], `secret in the JSON report: ${ctx}`);
      assert.deepEqual(leaks(r.stderr, secretsOf(c)), [], `secret on stderr: ${ctx}`);
      if (r.stdout !== '') {
        const rep = JSON.parse(r.stdout) as { valid: boolean };
        assert.equal(rep.valid, c.validateStatus === 0, ctx);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------
// 3. Command lines that carry a token where it does not belong

interface ArgvCase {
  title: string;
  argv: (dir: string) => string[];
  status: 1 | 2;
  /** Prepares the directory (an existing file, a lock, a symlink loop...). */
  setup?: (dir: string) => void;
}

const SEED_TOKEN = freshToken();
const SEED_NAME = freshToken();
const seed = (dir: string): void => {
  writeFileSync(join(dir, 'tokens.json'), pretty({ create_databases: ['a'], tokens: [entry(SEED_TOKEN, SEED_NAME)] }));
  chmodSync(join(dir, 'tokens.json'), 0o600);
};
const HUGE_TOKEN = freshToken();
/** A sparse file over the 256 MiB limit that begins like a tokens file with a token in it. */
const hugeFile = (dir: string): void => {
  const p = join(dir, 'tokens.json');
  writeFileSync(p, `{"tokens": [{"token": "${HUGE_TOKEN}", "name": "a", "permissions": ["db:a:read"]}`);
  chmodSync(p, 0o600);
  truncateSync(p, 300 * 1024 * 1024);
};
const mkfifo = (path: string): void => {
  const r = spawnSync('mkfifo', ['-m', '600', path]);
  assert.equal(r.status, 0, `mkfifo: ${String(r.stderr)}`);
};
const perm = (...more: string[]): string[] => ['create', 'token', '--permission', 'db:a:read', '--name', 'n', '--output-file', 'tokens.json', ...more];

const argvCases: ArgvCase[] = [
  // yargs failures
  { title: 'a token without "-" as an unknown flag (--TOKEN)', argv: () => perm(`--${plainToken()}`), status: 2, setup: seed },
  { title: 'a token without "-" as an unknown flag with a value (--TOKEN=x)', argv: () => perm(`--${plainToken()}=x`), status: 2, setup: seed },
  {
    title: 'regression: a token with a "-" as an unknown flag (--TOKEN): yargs adds its camel-cased form',
    argv: () => perm(`--${dashedToken()}`),
    status: 2,
    setup: seed,
  },
  {
    title: 'regression: a token with a "-" as an unknown flag of validate (--TOKEN=x)',
    argv: () => ['validate', 'tokens.json', `--${dashedToken()}=x`],
    status: 2,
    setup: seed,
  },
  { title: 'regression: a token as the tail of an unknown flag (--my-TOKEN)', argv: () => perm(`--my-${plainToken()}`), status: 2, setup: seed },
  { title: 'regression: a token as an unknown --no- flag', argv: () => perm(`--no-${dashedToken()}`), status: 2, setup: seed },
  {
    title: 'a token as an unknown positional of validate (validate FILE TOKEN)',
    argv: () => ['validate', 'tokens.json', freshToken()],
    status: 2,
    setup: seed,
  },
  { title: 'a token as the command (create TOKEN)', argv: () => ['create', freshToken()], status: 2 },
  { title: 'a token as the only argument', argv: () => [freshToken()], status: 2 },
  { title: 'a token as --format', argv: () => perm('--format', freshToken()), status: 2, setup: seed },
  { title: 'a token as --format of validate', argv: () => ['validate', 'tokens.json', '--format', freshToken()], status: 2, setup: seed },
  {
    title: 'a token given to validate --strict as a value (unknown positional)',
    argv: () => ['validate', '--strict', freshToken(), 'tokens.json'],
    status: 2,
    setup: seed,
  },

  // usage errors from toOptions and the domain parsers
  {
    title: 'a token as a positional after --admin (taken as a permission)',
    argv: () => ['create', 'token', '--admin', freshToken(), '--output-file', 'admin.json'],
    status: 2,
  },
  {
    title: 'a token after a bare --permission (positional form)',
    argv: () => ['create', 'token', '--permission', '--name', 'n', freshToken(), '--output-file', 'tokens.json'],
    status: 2,
  },
  { title: 'a token as --permission', argv: () => perm('--permission', freshToken()), status: 2 },
  { title: 'a token as a db action', argv: () => perm('--permission', `db:a:${freshToken()}`), status: 2 },
  { title: 'a token as a resource type', argv: () => perm('--permission', `${freshToken()}:a:read`), status: 2 },
  { title: 'a token as a system resource', argv: () => perm('--permission', `system:${freshToken()}:read`), status: 2 },
  { title: 'a token beside the wildcard', argv: () => perm('--permission', `db:${freshToken()},*:read`), status: 2 },
  { title: 'a token followed by an invalid character in a db permission', argv: () => perm('--permission', `db:${freshToken()}.x:read`), status: 2 },
  { title: 'a token in an invalid --create-databases list', argv: () => perm('--create-databases', `a,${freshToken()}.x`), status: 2 },
  { title: 'a token as --create-databases with two slashes', argv: () => perm('--create-databases', `${freshToken()}/x/y`), status: 2 },
  { title: 'a token as --expiry', argv: () => perm('--expiry', freshToken()), status: 2 },
  { title: 'a number and a token as --expiry', argv: () => perm('--expiry', `1${freshToken()}`), status: 2 },
  { title: 'a token as --expires-at', argv: () => perm('--expires-at', freshToken()), status: 2 },
  { title: 'a token as --lock-timeout', argv: () => perm('--lock-timeout', freshToken()), status: 2 },
  { title: '--expiry and a token as --expires-at together', argv: () => perm('--expiry', '1d', '--expires-at', freshToken()), status: 2 },
  {
    title: 'a token as --name, given twice',
    argv: () => ['create', 'token', '--permission', 'db:a:read', '--name', freshToken(), '--name', freshToken(), '--output-file', 'tokens.json'],
    status: 2,
  },
  { title: 'a token as --expiry, given twice', argv: () => perm('--expiry', freshToken(), '--expiry', freshToken()), status: 2 },
  { title: 'a token as --name and no permission', argv: () => ['create', 'token', '--name', freshToken(), '--output-file', 'tokens.json'], status: 2 },
  { title: 'a token as --name and no --output-file', argv: () => ['create', 'token', '--permission', 'db:a:read', '--name', freshToken()], status: 2 },
  {
    title: 'a token as --name with a sub-second --expiry',
    argv: () => ['create', 'token', '--permission', 'db:a:read', '--name', freshToken(), '--expiry', '500ms', '--output-file', 'tokens.json'],
    status: 2,
    setup: seed,
  },
  {
    title: 'a token as --name with an --expiry beyond MAX_SAFE_INTEGER ms',
    argv: () => ['create', 'token', '--permission', 'db:a:read', '--name', freshToken(), '--expiry', '300000000y', '--output-file', 'tokens.json'],
    status: 2,
    setup: seed,
  },
  {
    title: 'a token as --name with an --expires-at in the past',
    argv: () => [
      'create',
      'token',
      '--permission',
      'db:a:read',
      '--name',
      freshToken(),
      '--expires-at',
      '2001-01-01T00:00:00Z',
      '--output-file',
      'tokens.json',
    ],
    status: 2,
    setup: seed,
  },
  {
    title: 'a token as --name with --force but no --admin',
    argv: () => ['create', 'token', '--permission', 'db:a:read', '--name', freshToken(), '--force', '--output-file', 'tokens.json'],
    status: 2,
  },
  {
    title: 'a token as --name with --admin --force --if-not-exists',
    argv: () => ['create', 'token', '--admin', '--force', '--if-not-exists', '--name', freshToken(), '--output-file', 'admin.json'],
    status: 2,
  },
  {
    title: 'a token as --name with --admin and --permission',
    argv: () => ['create', 'token', '--admin', '--permission', 'db:a:read', '--name', freshToken(), '--output-file', 'admin.json'],
    status: 2,
  },
  {
    title: 'a token as --name with --admin and --create-databases',
    argv: () => ['create', 'token', '--admin', '--create-databases', 'a', '--name', freshToken(), '--output-file', 'admin.json'],
    status: 2,
  },
  {
    title: 'a token as --admin --permission',
    argv: () => ['create', 'token', '--admin', '--permission', freshToken(), '--output-file', 'admin.json'],
    status: 2,
  },

  // the online-only flags: --token is never the new token, and a failure is still one line
  {
    title: '--token TOKEN with a usage error (no --name)',
    argv: () => ['create', 'token', '--permission', 'db:a:read', '--token', freshToken(), '--output-file', 'tokens.json'],
    status: 2,
  },
  { title: '--token=TOKEN with a bad permission', argv: () => perm('--token=' + freshToken(), '--permission', 'db:a:fly'), status: 2 },
  {
    title: '--token TOKEN -H TOKEN --tls-ca TOKEN with a bad --expiry',
    argv: () => perm('--token', freshToken(), '-H', freshToken(), '--tls-ca', freshToken(), '--expiry', 'soon'),
    status: 2,
  },
  {
    title: 'regression: --token TOKEN, the name being taken (the notice and the error make two lines)',
    argv: () => ['create', 'token', '--permission', 'db:a:read', '--name', SEED_NAME, '--token', freshToken(), '--output-file', 'tokens.json'],
    status: 1,
    setup: seed,
  },
  {
    title: 'regression: --host and --tls-no-verify, the name being taken (two lines)',
    argv: () => [
      'create',
      'token',
      '--permission',
      'db:a:read',
      '--name',
      SEED_NAME,
      '--host',
      'http://localhost:8181',
      '--tls-no-verify',
      '--output-file',
      'tokens.json',
    ],
    status: 1,
    setup: seed,
  },

  // file errors from the store
  {
    title: 'a token as --name, the output path being a directory',
    argv: () => ['create', 'token', '--permission', 'db:a:read', '--name', freshToken(), '--output-file', 'd'],
    status: 1,
    setup: (dir) => mkdirSync(join(dir, 'd')),
  },
  {
    title: 'a token as --name, a component of the output path being a file',
    argv: () => ['create', 'token', '--permission', 'db:a:read', '--name', freshToken(), '--output-file', 'tokens.json/x.json'],
    status: 1,
    setup: seed,
  },
  {
    title: 'a token as --name, the output path being a symlink loop',
    argv: () => ['create', 'token', '--permission', 'db:a:read', '--name', freshToken(), '--output-file', 'loop1'],
    status: 1,
    setup: (dir) => {
      symlinkSync('loop2', join(dir, 'loop1'));
      symlinkSync('loop1', join(dir, 'loop2'));
    },
  },
  {
    title: 'tokens in an output file name that is too long (ENAMETOOLONG, an I/O error)',
    argv: () => ['create', 'token', '--permission', 'db:a:read', '--name', 'n', '--output-file', `${freshToken()}${freshToken()}${freshToken()}.json`],
    status: 1,
  },
  {
    title: 'a token as --name, the output path being a FIFO',
    argv: () => ['create', 'token', '--permission', 'db:a:read', '--name', freshToken(), '--output-file', 'fifo'],
    status: 1,
    setup: (dir) => mkfifo(join(dir, 'fifo')),
  },
  {
    title: 'a token as --name, the existing file being larger than any tokens file (sparse, starts with a token)',
    argv: () => ['create', 'token', '--permission', 'db:a:read', '--name', freshToken(), '--output-file', 'tokens.json'],
    status: 1,
    setup: hugeFile,
  },
  { title: 'validate a file larger than any tokens file (sparse, starts with a token)', argv: () => ['validate', 'tokens.json'], status: 1, setup: hugeFile },
  { title: 'validate a FIFO', argv: () => ['validate', 'fifo'], status: 1, setup: (dir) => mkfifo(join(dir, 'fifo')) },
  { title: 'validate a directory', argv: () => ['validate', 'd'], status: 1, setup: (dir) => mkdirSync(join(dir, 'd')) },
  { title: 'create without a resource, a token as --name', argv: () => ['create', '--name', freshToken()], status: 2 },
  { title: 'validate a missing file named with a token', argv: () => ['validate', `${freshToken()}.json`], status: 1 },
  {
    title: 'validate a symlink loop named with a token',
    argv: () => ['validate', 'l1'],
    status: 1,
    setup: (dir) => {
      symlinkSync('l2', join(dir, 'l1'));
      symlinkSync('l1', join(dir, 'l2'));
    },
  },
];

describe('command lines carrying a token: refused, one line, no secret', { concurrency: 4 }, () => {
  for (const c of argvCases) {
    test(c.title, async () => {
      const dir = tempDir('otk-hyg');
      c.setup?.(dir);
      const argv = c.argv(dir);
      const secrets = [...new Set([...tokensIn(argv.join(' ')), SEED_TOKEN, SEED_NAME, HUGE_TOKEN])];
      const before = snapshot(dir);
      const r = await runCliAsync(argv, { cwd: dir });
      assertCreateFailure(r, c.status, secrets, before, dir);
    });
  }
});

// ---------------------------------------------------------------------------------------
// 4. Successes: the secret is printed only where the user asked for it

describe('successes print a token only with --format json, and only the new one', () => {
  test('--token TOKEN (text): one notice on stderr, no token anywhere on the terminal', () => {
    const dir = tempDir('otk-hyg');
    seed(dir);
    const given = freshToken();
    const r = runCli([...perm('--token', given, '-H', freshToken())], { cwd: dir });
    const ctx = ctxOf(r);
    assert.equal(r.status, 0, ctx);
    assert.equal(lines(r.stderr).length, 1, ctx);
    assert.match(r.stderr, /^notice: /, ctx);
    const doc = readJson(join(dir, 'tokens.json')) as { tokens: { token: string; name: string }[] };
    const minted = doc.tokens.find((e) => e.name === 'n')!.token;
    assert.notEqual(minted, given);
    assert.deepEqual(leaks(r.stdout + r.stderr, [given, minted, SEED_TOKEN, SEED_NAME]), [], ctx);
  });

  test('--token TOKEN --format json: stdout holds the new token and no other', () => {
    const dir = tempDir('otk-hyg');
    seed(dir);
    const given = freshToken();
    const r = runCli([...perm('--token', given, '--format', 'json')], { cwd: dir });
    const ctx = ctxOf(r);
    assert.equal(r.status, 0, ctx);
    const out = JSON.parse(r.stdout) as { token: string };
    const doc = readJson(join(dir, 'tokens.json')) as { tokens: { token: string; name: string }[] };
    assert.equal(out.token, doc.tokens.find((e) => e.name === 'n')!.token);
    assert.deepEqual(tokensIn(r.stdout), [out.token], ctx);
    assert.deepEqual(
      leaks(r.stdout, [given, SEED_TOKEN, SEED_NAME]).filter((l) => l !== out.token),
      [],
      ctx,
    );
    assert.deepEqual(leaks(r.stderr, [given, out.token, SEED_TOKEN, SEED_NAME]), [], ctx);
  });

  test('--admin --token TOKEN --format json: stdout holds the new admin token only', () => {
    const dir = tempDir('otk-hyg');
    const given = freshToken();
    const r = runCli(['create', 'token', '--admin', '--token', given, '--format', 'json', '--output-file', 'admin.json'], { cwd: dir });
    const ctx = ctxOf(r);
    assert.equal(r.status, 0, ctx);
    const out = JSON.parse(r.stdout) as { token: string };
    assert.equal(out.token, (readJson(join(dir, 'admin.json')) as { token: string }).token);
    assert.deepEqual(tokensIn(r.stdout), [out.token], ctx);
    assert.deepEqual(leaks(r.stderr, [given, out.token]), [], ctx);
  });

  test('appending to a file full of tokens, text output, mode tightened: no token printed', () => {
    const dir = tempDir('otk-hyg');
    const secrets = Array.from({ length: 5 }, freshToken);
    writeFileSync(
      join(dir, 'tokens.json'),
      pretty({ create_databases: ['a'], tokens: secrets.map((s, i) => entry(s, `t${i}`, [`db:a:read`], { note: freshToken() })) }),
    );
    chmodSync(join(dir, 'tokens.json'), 0o644);
    const all = tokensIn(readFileSync(join(dir, 'tokens.json'), 'utf8'));
    const r = runCli(perm('--create-databases', 'b'), { cwd: dir });
    const ctx = ctxOf(r);
    assert.equal(r.status, 0, ctx);
    assert.match(r.stderr, /^notice: .*0644/, ctx);
    const minted = (readJson(join(dir, 'tokens.json')) as { tokens: { token: string; name: string }[] }).tokens.at(-1)!.token;
    assert.deepEqual(leaks(r.stdout + r.stderr, [...all, minted]), [], ctx);
  });

  test('--if-not-exists on a taken name (text): nothing secret printed; (json): the kept token only', () => {
    const dir = tempDir('otk-hyg');
    seed(dir);
    const text = runCli(['create', 'token', '--permission', 'db:a:read', '--name', 'kept', '--output-file', 'tokens.json'], { cwd: dir });
    assert.equal(text.status, 0, ctxOf(text));
    const doc = readJson(join(dir, 'tokens.json')) as { tokens: { token: string; name: string }[] };
    const kept = doc.tokens.find((e) => e.name === 'kept')!.token;
    const again = runCli(['create', 'token', '--permission', 'db:a:read', '--name', 'kept', '--if-not-exists', '--output-file', 'tokens.json'], { cwd: dir });
    assert.equal(again.status, 0, ctxOf(again));
    assert.deepEqual(leaks(again.stdout + again.stderr, [kept, SEED_TOKEN, SEED_NAME]), [], ctxOf(again));
    const json = runCli(
      ['create', 'token', '--permission', 'db:a:read', '--name', 'kept', '--if-not-exists', '--format', 'json', '--output-file', 'tokens.json'],
      { cwd: dir },
    );
    assert.equal(json.status, 0, ctxOf(json));
    assert.deepEqual(tokensIn(json.stdout), [kept], ctxOf(json));
    assert.deepEqual(leaks(json.stderr, [kept, SEED_TOKEN, SEED_NAME]), [], ctxOf(json));
  });

  test('validate of a valid file full of tokens, with warnings: no token printed', () => {
    const dir = tempDir('otk-hyg');
    const low = `apiv3_${'Ab'.repeat(20)}`;
    const content = pretty({
      create_databases: ['a'],
      tokens: [
        entry(freshToken(), 'x', ['db:a,b:read']),
        entry(low, 'y', ['db:*:read'], { expiry_millis: 5 }),
        entry(freshToken(), 'z', ['system:health:read'], { extra: freshToken() }),
      ],
    });
    writeFileSync(join(dir, 'tokens.json'), content);
    chmodSync(join(dir, 'tokens.json'), 0o640);
    const r = runCli(['validate', 'tokens.json'], { cwd: dir });
    assertValidateText(r, 'tokens.json', 0, [...tokensIn(content), low]);
    assert.ok(lines(r.stderr).length >= 3, ctxOf(r));
    const strict = runCli(['validate', 'tokens.json', '--strict'], { cwd: dir });
    assertValidateText(strict, 'tokens.json', 1, [...tokensIn(content), low]);
  });
});
