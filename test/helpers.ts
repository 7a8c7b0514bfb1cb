/** Shared test helpers: a fresh temp dir per test, and the real CLI run as a child process. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import fse from 'fs-extra';

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
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI asynchronously, for concurrent writers. */
export function runCliAsync(args: string[], opts: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', rej);
    child.on('close', (status, signal) => res({ status, signal, stdout, stderr }));
  });
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The token strings found anywhere in a text (for secret-hygiene checks). */
export function tokensIn(text: string): string[] {
  return text.match(/apiv3_[A-Za-z0-9_-]{20,}/g) ?? [];
}
