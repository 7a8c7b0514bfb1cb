/** Shared test helpers: a fresh temp dir per test, and the real CLI run as a child process. */
import type { CreateTokenRequest } from '../src/actions/create-token';
import { inputOf, requestOf } from '../src/commands/create-token';
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import fse from 'fs-extra';
import { readArgv } from '../src/commands/argv';
import { COMMANDS } from '../src/commands';
import type { ParsedArgs } from '../src/commands/types';
import { readTokenFile } from '../src/domain/server-reader';
import type { FileKind } from '../src/domain/token-file';
import { TokenFileError } from '../src/errors';
import { type Report, checkRead, neitherKind, suggestedKind } from '../src/domain/validate-file';

/** The repository root (tests run from build/test/...). */
export const ROOT = resolve(__dirname, '..', '..');
/** The bundled binary, exactly what users run. */
export const CLI = join(ROOT, 'bin', 'influxdb3-offline-tokens.cjs');
export const FIXTURES = join(ROOT, 'fixtures');

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fse.removeSync(d);
});

/** A new empty directory, removed when the test file finishes. */
export function tempDir(label = 'otk'): string {
  const d = mkdtempSync(join(tmpdir(), `${label}-`));
  dirs.push(d);
  return d;
}

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI synchronously in `cwd`. */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Buffer } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    input: opts.input,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export interface StartOptions {
  cwd?: string;
  /** Added to process.env for the child. */
  env?: NodeJS.ProcessEnv;
  /** Node options placed before the CLI path, e.g. `['--require', preload]`. */
  nodeArgs?: string[];
  /**
   * A program that runs node itself: the child is `command[0]` with the arguments
   * `[...command.slice(1), process.execPath, ...nodeArgs, CLI, ...args]`
   * (e.g. `['sh', '-c', 'umask 000 && exec "$0" "$@"']`).
   */
  command?: string[];
}

export interface StartedCli {
  child: ChildProcessWithoutNullStreams;
  /** Settles when the child closes (its output streams too); rejects if it cannot be spawned. */
  done: Promise<CliResult>;
  /** Whether the child has exited (its 'exit' event), before its streams are closed. */
  exited: () => boolean;
  /** What the child has written so far. */
  stdout: () => string;
  stderr: () => string;
}

/** Starts the CLI as a child process, collecting its stdout, stderr, exit status and signal. */
export function startCli(args: string[], opts: StartOptions = {}): StartedCli {
  const argv = [process.execPath, ...(opts.nodeArgs ?? []), CLI, ...args];
  const [file, ...rest] = opts.command ? [...opts.command, ...argv] : argv;
  const child = spawn(file!, rest, { cwd: opts.cwd, env: { ...process.env, ...opts.env } });
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((res, rej) => {
    child.on('error', rej);
    child.on('exit', () => (exited = true));
    child.on('close', (status, signal) => res({ status, signal, stdout, stderr }));
  });
  return { child, done, exited: () => exited, stdout: () => stdout, stderr: () => stderr };
}

let clockPreload: string | undefined;

/**
 * Runs the CLI with its clock at `nowMs` (and running on from there, so waits still end):
 * Date.now is moved by a `--require` preload, as a deploy a year from now would see it.
 * For lifecycles over months without sleeping.
 */
export function runCliAt(nowMs: number, args: string[], opts: { cwd?: string; input?: string } = {}): CliResult {
  if (!clockPreload) {
    clockPreload = join(tempDir('otk-clock'), 'clock.js');
    writeFileSync(clockPreload, 'const real = Date.now; const offset = Number(process.env.OTK_FAKE_NOW) - real(); Date.now = () => real() + offset;\n');
  }
  return runCli(args, { ...opts, env: { NODE_OPTIONS: `--require ${clockPreload}`, OTK_FAKE_NOW: String(nowMs) } });
}

/** Runs the CLI asynchronously, for concurrent writers. */
export function runCliAsync(args: string[], opts: { cwd?: string } = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

/** A token string as the server (and this tool) generates it. */
export function freshToken(): string {
  return `apiv3_${randomBytes(64).toString('base64url')}`;
}

/**
 * Writes a valid permission tokens file of `n` fresh tokens (`seed-0`, `seed-1`, ..., each
 * with `db:mydb:read`) in the tool's own format, mode 0600; returns its text.
 */
export function writeTokenFile(path: string, n: number): string {
  const tokens = Array.from({ length: n }, (_, i) => ({ token: freshToken(), name: `seed-${i}`, permissions: ['db:mydb:read'] }));
  const text = `${JSON.stringify({ tokens }, null, 2)}\n`;
  writeFileSync(path, text);
  chmodSync(path, 0o600);
  return text;
}

/**
 * Checks the results of concurrent `create token --format json` writers, `names[i]` being the
 * name writer i asked for: each exited 0, wrote nothing on stderr and printed its own name.
 * Returns the token each one printed, by name.
 */
/** stderr without the one notice a writer gives after waiting a second for the lock, which concurrent writers may each give. */
export function withoutLockWaits(stderr: string): string {
  return stderr.replace(/^notice: waiting for the lock \S+ held by another writer \(up to --lock-timeout\)\.\.\.\n/, '');
}

export function printedTokens(results: readonly CliResult[], names: readonly string[]): Map<string, string> {
  const printed = new Map<string, string>();
  results.forEach((r, i) => {
    assert.equal(r.status, 0, `${names[i]}: ${r.stderr}`);
    assert.equal(withoutLockWaits(r.stderr), '');
    const out = JSON.parse(r.stdout) as { token: string; name: string };
    assert.equal(out.name, names[i]);
    printed.set(out.name, out.token);
  });
  return printed;
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The token strings found anywhere in a text (for secret-hygiene checks). */
export function tokensIn(text: string): string[] {
  return text.match(/apiv3_[A-Za-z0-9_-]{20,}/g) ?? [];
}

/** A RunEnv for calling a command in-process, with what it printed kept for assertions. */
export function captureEnv(now = Date.now()): {
  io: { stdout(t: string): void; stderr(t: string): void };
  now: () => number;
  randomBytes: (n: number) => Uint8Array;
  vars: Readonly<Record<string, string | undefined>>;
  stdin(limit: number, what: string): Buffer;
  stdoutText(): string;
  stderrText(): string;
} {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t) },
    now: () => now,
    randomBytes: (n) => randomBytes(n),
    vars: {},
    stdin: () => {
      throw new Error('this test gives the command no standard input');
    },
    stdoutText: () => out,
    stderrText: () => err,
  };
}

/**
 * `create token` flags as a record (camelCase keys as in code: outputFile), read through the
 * real command-line reader into ParsedArgs: a string is `--flag value`, an array repeats the
 * flag, true is the flag alone (a bare --permission too), false or undefined leaves it out;
 * `permissions` are the words after `--`.
 */
export function createTokenArgs(flags: Record<string, unknown>): ParsedArgs {
  const words = ['create', 'token'];
  const trailing: string[] = [];
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined || value === false) continue;
    if (key === 'permissions') {
      trailing.push(...(value as string[]));
      continue;
    }
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    // --flag=value: a generated value such as "-V" must stay a value, not become a bare
    // --permission followed by --version (the bare rule of the docs' form).
    for (const v of Array.isArray(value) ? value : [value]) words.push(v === true ? flag : `${flag}=${String(v)}`);
  }
  if (trailing.length > 0) words.push('--', ...trailing);
  const reading = readArgv(words, COMMANDS);
  assert.equal(reading.kind, 'run', `${words.join(' ')} asked for ${reading.kind}`);
  return (reading as { args: ParsedArgs }).args;
}

export type Entry =
  { type: 'file'; mode: number; bytes: string } | { type: 'dir'; mode: number } | { type: 'link'; target: string } | { type: 'other'; mode: number };

/** Every entry under `root` (hidden ones too), with file bytes and modes; no times. */
export function snapshot(root: string): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const p = join(root, r);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[r] = { type: 'link', target: readlinkSync(p) };
      else if (st.isDirectory()) {
        out[r] = { type: 'dir', mode: st.mode & 0o7777 };
        walk(r);
      } else if (st.isFile()) out[r] = { type: 'file', mode: st.mode & 0o7777, bytes: readFileSync(p).toString('base64') };
      else out[r] = { type: 'other', mode: st.mode & 0o7777 };
    }
  };
  walk('');
  return out;
}

/**
 * The checks on a document (a plain value, or `text` as written), through its text as every
 * command reads it: the server's reader, then this tool's rules; the kind it looks like
 * unless `kind` is given.
 */
export function checkDocument(doc: unknown, now: number, opts: { warnings: boolean; text?: string; kind?: FileKind } = { warnings: true }): Report {
  const text = opts.text ?? JSON.stringify(doc);
  const readAs = (k: FileKind) => readTokenFile(text, k, { values: true });
  // As validate does: the kind given, the kind the keys suggest, or (the array form) the kind that loads.
  const kind = opts.kind ?? suggestedKind(readAs('permission')) ?? (['admin', 'permission'] as const).find((k) => readAs(k).errors.length === 0);
  if (kind === undefined) return { kind: undefined, errors: [neitherKind(text, readAs)], warnings: [] };
  return checkRead(readTokenFile(text, kind, { values: true }), now, { warnings: opts.warnings });
}

/** An error of what was typed: a usage error of the command layer or an invalid value of the library (both exit 2). */
export function isUsageError(e: unknown): e is TokenFileError {
  return e instanceof TokenFileError && (e.code === 'EUSAGE' || e.code === 'EINVALID');
}

/** `create token` flags (as createTokenArgs takes them) read into the action's request, with no environment and no stdin. */
export function createTokenRequest(args: ParsedArgs): CreateTokenRequest {
  return requestOf(args, inputOf(captureEnv())).request;
}
