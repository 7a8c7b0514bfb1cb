/**
 * Every corner of reading the command line (SPEC 7.1), through the real binary: the exit
 * status, the one line on stderr, and the files, which change only when the command is
 * meant to write (and then exactly as asked).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { version } from '../../package.json';
import { type CliResult, freshToken, readJson, runCli, snapshot, startCli, tempDir, tokensIn } from '../helpers';

interface Doc {
  create_databases?: string[];
  tokens: { token: string; name: string; permissions: string[] }[];
}

/** tokens.json (one token, create_databases mydb) and admin.json, both valid, mode 0600. */
function seed(dir: string): void {
  const perm = { create_databases: ['mydb'], tokens: [{ token: freshToken(), name: 'existing', permissions: ['db:mydb:read'] }] };
  writeFileSync(join(dir, 'tokens.json'), `${JSON.stringify(perm, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'admin.json'), `${JSON.stringify({ token: freshToken(), name: '_admin' }, null, 2)}\n`, { mode: 0o600 });
}

const tokensOf = (dir: string, file = 'tokens.json'): Doc['tokens'] => (readJson(join(dir, file)) as Doc).tokens;

interface Case {
  argv: string[];
  status: 0 | 1 | 2;
  /** The one stderr line (after `error: ` for failures); '' for none. */
  stderr: RegExp | '';
  stdout?: RegExp;
  /** What the command was meant to write; without it, every file must stay as it was. */
  wrote?: (dir: string) => void;
}

const create = (...more: string[]): string[] => ['create', 'token', ...more];
/** A valid permission token command line, appending to tokens.json. */
const perm = (...more: string[]): string[] => create('--permission', 'db:mydb:read', '--name', 'app', '--output-file', 'tokens.json', ...more);
const HELP = /^influxdb3-offline-tokens /;

const cases: Record<string, Case> = {
  // A value that begins with "-" is a value.
  '--name -x names the token -x': {
    argv: create('--name', '-x', '--permission', 'db:mydb:read', '--output-file', 'tokens.json'),
    status: 0,
    stderr: '',
    wrote: (d) => assert.equal(tokensOf(d)[1]!.name, '-x'),
  },
  '--name=-y names the token -y': {
    argv: create('--name=-y', '--permission=db:mydb:read', '--output-file=tokens.json'),
    status: 0,
    stderr: '',
    wrote: (d) => assert.equal(tokensOf(d)[1]!.name, '-y'),
  },
  '--name --help names the token --help (a value, not help)': {
    argv: create('--permission', 'db:mydb:read', '--name', '--help', '--output-file', 'tokens.json'),
    status: 0,
    stderr: '',
    wrote: (d) => assert.equal(tokensOf(d)[1]!.name, '--help'),
  },
  '--output-file -odd.json writes that file': {
    argv: create('--permission', 'system:health:read', '--name', 'a', '--output-file', '-odd.json'),
    status: 0,
    stderr: '',
    wrote: (d) => assert.equal(tokensOf(d, '-odd.json')[0]!.name, 'a'),
  },
  '--expiry -1h is a bad duration, not help': {
    argv: create('--admin', '--expiry', '-1h', '--output-file', 'new.json'),
    status: 2,
    stderr: /--expiry: "-1h" is not a valid duration/,
  },
  '--expiry=-1h is a bad duration': { argv: perm('--expiry=-1h'), status: 2, stderr: /--expiry: "-1h" is not a valid duration/ },
  '--expiry -h1 is a bad duration, not help': { argv: perm('--expiry', '-h1'), status: 2, stderr: /--expiry: "-h1"/ },
  '-Hhttp://host:8181 is the ignored host': {
    argv: perm('-Hhttp://host:8181'),
    status: 0,
    stderr: /^notice: --host ignored/,
    wrote: (d) => assert.equal(tokensOf(d).length, 2),
  },
  '-H with a separate value': {
    argv: perm('-H', 'http://host:8181'),
    status: 0,
    stderr: /^notice: --host ignored/,
    wrote: (d) => assert.equal(tokensOf(d).length, 2),
  },
  '--token is never the new token': {
    argv: perm('--token', '-apiv3_x'),
    status: 0,
    stderr: /^notice: --token ignored/,
    wrote: (d) => assert.match(tokensOf(d)[1]!.token, /^apiv3_[A-Za-z0-9_-]{86}$/),
  },
  // Only declared spellings.
  '--no-name is unknown': { argv: perm('--no-name'), status: 2, stderr: /^error: unknown option --no-name for "create token"/ },
  '--no-admin is unknown': { argv: perm('--no-admin'), status: 2, stderr: /^error: unknown option --no-admin/ },
  '--name.first is unknown': {
    argv: create('--permission', 'db:mydb:read', '--name.first', 'a', '--output-file', 'tokens.json'),
    status: 2,
    stderr: /^error: unknown option --name\.first/,
  },
  '--outputFile is unknown': {
    argv: create('--permission', 'db:mydb:read', '--name', 'a', '--outputFile', 'tokens.json'),
    status: 2,
    stderr: /^error: unknown option --outputFile .*--output-file/,
  },
  '--output (an abbreviation) is unknown': {
    argv: create('--permission', 'db:mydb:read', '--name', 'a', '--output', 'tokens.json'),
    status: 2,
    stderr: /^error: unknown option --output for/,
  },
  '-Vh is no bundle': { argv: perm('-Vh'), status: 2, stderr: /^error: unknown option -Vh/ },
  '--admin=true: a switch takes no value': { argv: create('--admin=true', '--output-file', 'new.json'), status: 2, stderr: /^error: --admin takes no value/ },
  'an unknown flag never quotes its value': { argv: perm('--secret=hunter2'), status: 2, stderr: /^error: unknown option --secret for(?!.*hunter2)/ },
  // Repeats.
  '--format json --format json': { argv: perm('--format', 'json', '--format', 'json'), status: 2, stderr: /^error: --format was given more than once/ },
  '--name twice': { argv: perm('--name', 'b'), status: 2, stderr: /^error: --name was given more than once/ },
  '--output-file twice, once with =': { argv: perm('--output-file=other.json'), status: 2, stderr: /^error: --output-file was given more than once/ },
  '--admin twice': { argv: create('--admin', '--admin', '--output-file', 'new.json'), status: 2, stderr: /^error: --admin was given more than once/ },
  '--format yaml': { argv: perm('--format', 'yaml'), status: 2, stderr: /^error: --format "yaml" is not one of text, json/ },
  // -- and the bare --permission.
  'the docs form: a bare --permission, the strings at the end': {
    argv: create('--permission', '--name', 'X', '--output-file', 'tokens.json', 'db:mydb:read,write', 'system:health:read'),
    status: 0,
    stderr: '',
    wrote: (d) => assert.deepEqual(tokensOf(d)[1]!.permissions, ['db:mydb:read,write', 'system:health:read']),
  },
  'permissions after -- are kept': {
    argv: create('--name', 'X', '--output-file', 'tokens.json', '--permission', '--', 'db:mydb:write'),
    status: 0,
    stderr: '',
    wrote: (d) => assert.deepEqual(tokensOf(d)[1]!.permissions, ['db:mydb:write']),
  },
  'permissions after -- that look like flags are permissions': {
    argv: create('--name', 'X', '--output-file', 'tokens.json', '--permission', '--', '--name'),
    status: 2,
    stderr: /^error: --permission "--name" is invalid/,
  },
  'a bare --permission takes a word that is not a flag of the command': {
    argv: create('--name', 'X', '--output-file', 'tokens.json', '--permission', '-x'),
    status: 2,
    stderr: /^error: --permission "-x" is invalid/,
  },
  'trailing permissions without --permission': {
    argv: create('--name', 'X', '--output-file', 'tokens.json', 'db:mydb:read'),
    status: 2,
    stderr: /^error: unexpected argument "db:mydb:read"; .*bare --permission/,
  },
  'a bare --permission and nothing else': {
    argv: create('--name', 'X', '--output-file', 'tokens.json', '--permission'),
    status: 2,
    stderr: /^error: at least one permission is required/,
  },
  'validate: files after -- that look like flags': { argv: ['validate', '--', '-odd.json'], status: 1, stderr: /^error: -odd\.json does not exist/ },
  // Values that end the line.
  '--name at the end': {
    argv: create('--permission', 'db:mydb:read', '--output-file', 'tokens.json', '--name'),
    status: 2,
    stderr: /^error: --name needs a value, but the command line ends there/,
  },
  'an empty --name': {
    argv: create('--permission', 'db:mydb:read', '--output-file', 'tokens.json', '--name', ''),
    status: 2,
    stderr: /^error: --name is empty/,
  },
  // Commands.
  'an unknown command': {
    argv: ['frobnicate', '--name', 'x'],
    status: 2,
    stderr: /^error: unknown command "frobnicate"; the commands are: create token, .*validate/,
  },
  'an unknown resource': {
    argv: ['create', 'tokens', '--name', 'x'],
    status: 2,
    stderr: /^error: unknown command "create tokens" \(did you mean "create token"\?\); the commands that start with "create" are: create token\./,
  },
  'a misspelt command': {
    argv: ['validat', 'x.json'],
    status: 2,
    stderr: /^error: unknown command "validat" \(did you mean "validate"\?\); the commands are: /,
  },
  'a misspelt first word': {
    argv: ['shwo', 'tokens'],
    status: 2,
    stderr: /^error: unknown command "shwo" \(did you mean "show"\?\); /,
  },
  'a misspelt flag': {
    argv: create('--permision', 'db:mydb:read', '--name', 'x', '--output-file', 'tokens.json'),
    status: 2,
    stderr: /^error: unknown option --permision for "create token" \(did you mean --permission\?\)/,
  },
  'no command': { argv: [], status: 2, stderr: /^error: give a command: create token, .*validate/ },
  'a flag before the command': { argv: ['--name', 'x', 'create', 'token'], status: 2, stderr: /^error: --name needs a command before it/ },
  // Help and version do nothing else.
  '--help': { argv: ['--help'], status: 0, stderr: '', stdout: HELP },
  '-h': { argv: ['-h'], status: 0, stderr: '', stdout: HELP },
  '--help-all': { argv: ['--help-all'], status: 0, stderr: '', stdout: HELP },
  'create --help': { argv: ['create', '--help'], status: 0, stderr: '', stdout: /create token/ },
  'create token --help': { argv: create('--help'), status: 0, stderr: '', stdout: /--output-file/ },
  '--help-all on a full command line writes nothing': {
    argv: create('--permission', 'x', '--name', 'y', '--output-file', 'f.json', '--help-all'),
    status: 0,
    stderr: '',
    stdout: /--tls-no-verify/,
  },
  '--help on a valid append writes nothing': { argv: perm('--help'), status: 0, stderr: '', stdout: /--output-file/ },
  '-h after a bad duration': { argv: create('--admin', '--expiry', '-1h', '--output-file', 'new.json', '-h'), status: 0, stderr: '', stdout: /--expiry/ },
  '--help after an unknown flag': { argv: perm('--bogus', '--help'), status: 0, stderr: '', stdout: /--output-file/ },
  'validate -h': { argv: ['validate', 'tokens.json', '-h'], status: 0, stderr: '', stdout: /--kind/ },
  '--version': { argv: ['--version'], status: 0, stderr: '', stdout: new RegExp(`^${version.replace(/\./g, '\\.')}\\n$`) },
  '-V on a command line': { argv: perm('-V'), status: 0, stderr: '', stdout: new RegExp(`^${version.replace(/\./g, '\\.')}\\n$`) },
  // create token's own rules that belong to the command line.
  '--permission *:*:*': {
    argv: create('--permission', '*:*:*', '--name', 'a', '--output-file', 'tokens.json'),
    status: 2,
    stderr: /^error: --permission "\*:\*:\*" is full access.*Use --admin/,
  },
  // validate's command line.
  'validate without a file': { argv: ['validate'], status: 2, stderr: /^error: validate needs the FILE/ },
  'validate --kind other': {
    argv: ['validate', '--kind', 'other', 'tokens.json'],
    status: 2,
    stderr: /^error: --kind "other" is not one of admin, permission/,
  },
  'validate --strict=yes': { argv: ['validate', '--strict=yes', 'tokens.json'], status: 2, stderr: /^error: --strict takes no value/ },
  'validate - twice': { argv: ['validate', '-', '-'], status: 2, stderr: /^error: validate was given - \(standard input\) more than once/ },
};

function check(c: Case, r: CliResult): void {
  const ctx = `status=${r.status} stdout=${JSON.stringify(r.stdout)} stderr=${JSON.stringify(r.stderr)}`;
  assert.equal(r.status, c.status, ctx);
  assert.equal(r.signal, null, ctx);
  if (c.stderr === '') assert.equal(r.stderr, '', ctx);
  else {
    assert.equal(r.stderr.split('\n').length, 2, `one line on stderr: ${ctx}`);
    assert.match(r.stderr, c.status === 0 ? c.stderr : /^error: /, ctx);
    assert.match(r.stderr, c.stderr, ctx);
  }
  if (c.status !== 0) assert.equal(r.stdout, '', ctx);
  if (c.stdout) assert.match(r.stdout, c.stdout, ctx);
  assert.deepEqual(tokensIn(r.stdout + r.stderr), [], 'no token string printed');
}

describe('argv corners through the binary', () => {
  for (const [title, c] of Object.entries(cases)) {
    test(`${title}: ${JSON.stringify(c.argv)}`, () => {
      const dir = tempDir('otk-argv');
      seed(dir);
      const before = snapshot(dir);
      const r = runCli(c.argv, { cwd: dir });
      check(c, r);
      if (c.wrote) c.wrote(dir);
      else assert.deepEqual(snapshot(dir), before, 'no file changed');
    });
  }
});

describe('stdout that cannot be written', () => {
  // The shell wrappers put the reader's end out of reach before the CLI prints: `true`
  // exits at once (a closed pipe), /dev/full refuses every write (a full disk).
  const closedPipe = ['bash', '-c', 'set -o pipefail; "$0" "$@" | true'];
  const fullDisk = ['sh', '-c', 'exec "$0" "$@" > /dev/full'];
  const outputs: [string, string[], string][] = [
    ['a closed pipe', closedPipe, 'stdout was closed \\(EPIPE\\)'],
    ['/dev/full', fullDisk, 'no space left on the device behind stdout \\(ENOSPC\\)'],
  ];
  for (const [label, command, reason] of outputs) {
    test(`${label}: create token says where the token is, in one line, exit 1`, async () => {
      const dir = tempDir('otk-out');
      seed(dir);
      const r = await startCli(perm('--format', 'json'), { cwd: dir, command }).done;
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^error: the token was written to tokens\\.json, but it could not be printed: ${reason}\\.\\n$`));
      assert.equal(tokensOf(dir)[1]!.name, 'app');
    });

    test(`${label}: validate and help fail too, in one line`, async () => {
      const dir = tempDir('otk-out');
      seed(dir);
      const v = await startCli(['validate', 'tokens.json'], { cwd: dir, command }).done;
      assert.equal(v.status, 1, v.stderr);
      assert.match(v.stderr, new RegExp(`^error: the report on tokens\\.json is ready, but it could not be printed: ${reason}\\.\\n$`));
      const h = await startCli(['--help'], { cwd: dir, command }).done;
      assert.equal(h.status, 1, h.stderr);
      assert.match(h.stderr, new RegExp(`^error: the output could not be printed: ${reason}\\.\\n$`));
    });
  }
});

test('a line break in an unknown flag or a spec key is shown escaped in the one-line error, not as a space', () => {
  const dir = tempDir();
  const flag = runCli(['show', 'tokens', '--na\nme', 'x'], { cwd: dir });
  assert.equal(flag.status, 2);
  assert.equal(flag.stderr, 'error: unknown option --na\\nme for "show tokens"; run `influxdb3-offline-tokens show tokens --help` for the usage.\n');
  writeFileSync(join(dir, 'nl.yaml'), 'permissions:\n  file: p.json\n  tokens:\n    - name: a\n      permissions: ["db:x:read"]\n      "a\\nb": 1\n');
  const key = runCli(['apply', '-f', 'nl.yaml', '--dry-run'], { cwd: dir });
  assert.equal(key.status, 2);
  assert.equal(key.stderr, 'error: nl.yaml at /permissions/tokens/0/a\\nb: unknown key "a\\nb"; nothing was written.\n');
});
