/**
 * Every command, run in-process on one token file with a fixed clock and seeded
 * randomness, and what the server should read afterwards, modelled from what it read
 * before (the serde oracle's reading, in fixtures/serde-differential.json). Shared by the
 * differential test and by scripts/serde-oracle/differential.mjs, which records the
 * oracle's reading of each file written here.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readArgv } from '../../src/commands/argv';
import { COMMANDS } from '../../src/commands';
import { main } from '../../src/main';

/** What the server read: the oracle's output format (expiry as digits or null). */
export interface OracleToken {
  token: string;
  name: string;
  expiry: string | null;
  permissions: string[];
}
export interface OraclePermissionFile {
  create_databases: string[] | null;
  tokens: OracleToken[];
}
export interface OracleAdmin {
  token: string;
  name: string;
  expiry: string | null;
}
export type Reading = OraclePermissionFile | OracleAdmin;

export const NOW = Date.UTC(2026, 11, 3);

/** Seeded bytes: the same run mints the same tokens, so the oracle's answers stay valid. */
function seeded(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    const out = Buffer.alloc(n);
    for (let off = 0; off < n; off += 64) createHash('sha512').update(`${seed}:${counter++}`).digest().copy(out, off);
    return out;
  };
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
  /** The file after the command. */
  after: string;
}

/** Runs `words` (FILE stands for the token file) on a copy of `text` in a new directory. */
export async function runOn(text: string, words: readonly string[], seed: string, extra: Record<string, string> = {}): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'otk-diff-'));
  try {
    const file = join(dir, 'tokens.json');
    writeFileSync(file, text, { mode: 0o600 });
    for (const [name, content] of Object.entries(extra)) writeFileSync(join(dir, name), content.replaceAll('FILE', file));
    const argv = words.map((w) => (w === 'FILE' ? file : w.startsWith('DIR/') ? join(dir, w.slice(4)) : w));
    let stdout = '';
    let stderr = '';
    const reading = readArgv(argv, COMMANDS);
    if (reading.kind !== 'run') throw new Error(`not a command: ${argv.join(' ')}`);
    const status = await main(async () => (env) => reading.command.run(reading.args, env), {
      io: { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) },
      now: () => NOW,
      randomBytes: seeded(seed),
      vars: {},
      stdin: () => Buffer.alloc(0),
    });
    return { status, stdout, stderr, after: readFileSync(file, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const expired = (t: { expiry: string | null }): boolean => t.expiry !== null && BigInt(t.expiry) <= BigInt(NOW);

/** What a command should leave: the reading after it (new token strings as '*'), or 'unchanged' (refused, file as it was). */
export type Expected = Reading | 'unchanged';

export interface Step {
  readonly label: string;
  readonly words: readonly string[];
  readonly extra?: Record<string, string>;
  /** The file after it, from the reading before. */
  expect(before: Reading): Expected;
}

const NEW = '*';

/** The commands that write a permission tokens file, and what each must leave. */
export function permissionSteps(before: OraclePermissionFile): Step[] {
  const first = before.tokens[0];
  const names = new Set(before.tokens.map((t) => t.name));
  const free = (base: string): string => {
    for (let n = 2; ; n++) if (!names.has(`${base}-${n}`)) return `${base}-${n}`;
  };
  const steps: Step[] = [
    {
      label: 'create token (append)',
      words: ['create', 'token', '--permission', 'db:*:read', '--name', 'diff-new', '--output-file', 'FILE'],
      expect: (b) => ({
        ...(b as OraclePermissionFile),
        tokens: [...(b as OraclePermissionFile).tokens, { token: NEW, name: 'diff-new', expiry: null, permissions: ['db:*:read'] }],
      }),
    },
    {
      label: 'prune',
      words: ['prune', '--file', 'FILE'],
      expect: (b) => ({ ...(b as OraclePermissionFile), tokens: (b as OraclePermissionFile).tokens.filter((t) => !expired(t)) }),
    },
    {
      label: 'apply (one more token)',
      words: ['apply', '-f', 'DIR/spec.json'],
      extra: { 'spec.json': JSON.stringify({ permissions: { file: 'FILE', tokens: [{ name: 'diff-applied', permissions: ['system:health:read'] }] } }) },
      expect: (b) => ({
        ...(b as OraclePermissionFile),
        tokens: [...(b as OraclePermissionFile).tokens, { token: NEW, name: 'diff-applied', expiry: null, permissions: ['system:health:read'] }],
      }),
    },
  ];
  if (first) {
    const rest = before.tokens.slice(1);
    steps.push(
      {
        label: 'delete token (the first)',
        words: ['delete', 'token', '--file', 'FILE', '--token-name', first.name],
        expect: (b) => ({ ...(b as OraclePermissionFile), tokens: rest }),
      },
      {
        label: 'rotate token (a successor)',
        words: ['rotate', 'token', '--file', 'FILE', '--token-name', first.name],
        // The successor keeps the old expiry digit for digit; an expired one is refused.
        expect: (b) =>
          expired(first)
            ? 'unchanged'
            : { ...(b as OraclePermissionFile), tokens: [...(b as OraclePermissionFile).tokens, { ...first, token: NEW, name: free(first.name) }] },
      },
      {
        label: 'rotate token --in-place',
        words: ['rotate', 'token', '--file', 'FILE', '--token-name', first.name, '--in-place'],
        expect: (b) => (expired(first) ? 'unchanged' : { ...(b as OraclePermissionFile), tokens: [{ ...first, token: NEW }, ...rest] }),
      },
    );
  }
  return steps;
}

export function adminSteps(before: OracleAdmin): Step[] {
  return [
    {
      label: 'rotate token --in-place (admin)',
      words: ['rotate', 'token', '--file', 'FILE', '--token-name', before.name, '--in-place'],
      expect: (b) => (expired(b as OracleAdmin) ? 'unchanged' : { ...(b as OracleAdmin), token: NEW }),
    },
    {
      label: 'create token --admin --force',
      words: ['create', 'token', '--admin', '--force', '--output-file', 'FILE'],
      expect: () => ({ token: NEW, name: '_admin', expiry: null }),
    },
  ];
}
