/** The completion script, run by real bash with COMP_WORDS set as bash sets them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { COMMANDS } from '../../src/commands';
import { completionScript } from '../../src/commands/completion';
import { runCli, tempDir } from '../helpers';

const BIN = 'influxdb3-offline-tokens';

/** The script as the real CLI prints it, in a file bash can source. */
function scriptFile(shell: 'bash' | 'zsh'): string {
  const r = runCli(['completion', shell]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const file = join(tempDir(), `completion.${shell}`);
  writeFileSync(file, r.stdout);
  return file;
}

const BASH = scriptFile('bash');

/** What bash offers for the command line `words` (the last word is the one being completed). */
function offered(words: readonly string[]): string[] {
  const quoted = [BIN, ...words].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const program = `source "$1"; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length}; _influxdb3_offline_tokens; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program, 'bash', BASH], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout
    .split('\n')
    .filter((w) => w !== '')
    .sort();
}

const firstWords = [...new Set(COMMANDS.flatMap((c) => c.paths.map((p) => p[0]!)))].sort();
const after = (prefix: string): string[] =>
  [
    ...new Set(
      COMMANDS.flatMap((c) => c.paths)
        .filter((p) => p.length > 1 && p[0] === prefix)
        .map((p) => p[1]!),
    ),
  ].sort();
const choicesOf = (path: string, flag: string): string[] => [...(COMMANDS.find((c) => c.paths[0]!.join(' ') === path)!.flags[flag]!.choices ?? [])].sort();

const CASES: ReadonlyArray<readonly [string, readonly string[], readonly string[]]> = [
  ['every first word of a command', [''], firstWords],
  ['a command word by its start', ['val'], ['validate']],
  ['the word after create', ['create', ''], after('create')],
  ['nothing for a word no command has', ['frob', ''], []],
  ['a flag by its start', ['create', 'token', '--if-n'], ['--if-not-exists']],
  ['the shared --quiet on every command', ['validate', '--qu'], ['--quiet']],
  ['the global flags too', ['completion', '--help'], ['--help', '--help-all']],
  ['the choices of a flag', ['create', 'token', '--format', ''], choicesOf('create token', 'format')],
  ['the choices after other flags', ['create', 'token', '--admin', '--output-file', 'a.json', '--format', 'j'], ['json']],
  ['--flag=value as bash splits it', ['create', 'token', '--format', '=', 't'], ['text']],
  ['--flag=value kept whole', ['create', 'token', '--format=j'], ['--format=json']],
  ["validate's --kind", ['validate', '--kind', ''], choicesOf('validate', 'kind')],
  ['nothing for a free value (the shell offers files)', ['create', 'token', '--name', ''], []],
  ['a flag after a free value', ['create', 'token', '--name', 'app', '--output-f'], ['--output-file']],
  ['no flags without a dash (files for validate)', ['validate', 'a.json', ''], []],
  ['a free value that looks like a flag is a value', ['create', 'token', '--name', '--'], []],
];

for (const [title, words, expected] of CASES) {
  test(`bash completion: ${title} (${words.join(' ')}|)`, () => {
    assert.deepEqual(offered(words), [...expected].sort());
  });
}

test('bash completion: every command path and every declared flag is offered', () => {
  for (const command of COMMANDS) {
    for (const path of command.paths) {
      const flags = offered([...path, '-']);
      for (const [name, spec] of Object.entries(command.flags)) if (!spec.hidden) assert.ok(flags.includes(`--${name}`), `${path.join(' ')} --${name}`);
    }
  }
});

test('bash completion: registered for the binary, file names as the fallback', () => {
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `source "$1"; complete -p ${BIN}`, 'bash', BASH], { encoding: 'utf8' });
  assert.equal(r.stdout, `complete -o default -F _influxdb3_offline_tokens ${BIN}\n`);
});

test('zsh completion: the same function through bashcompinit, valid shell', () => {
  const zsh = completionScript('zsh', COMMANDS);
  assert.equal(zsh, `autoload -U +X bashcompinit && bashcompinit\n${completionScript('bash', COMMANDS)}`);
  const r = spawnSync('bash', ['-n', scriptFile('zsh')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

const BAD: ReadonlyArray<readonly [readonly string[], RegExp]> = [
  [[], /^error: completion needs a shell: give one of bash, zsh/],
  [['tcsh'], /^error: completion does not know the shell "tcsh": give one of bash, zsh, fish/],
  [['bash', 'zsh'], /^error: unexpected argument "zsh"/],
];
for (const [args, message] of BAD) {
  test(`completion ${args.join(' ')}: usage error`, () => {
    const r = runCli(['completion', ...args]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  });
}

test('fish completion: a complete line for every command word and every declared flag, choices offered, values marked', () => {
  const r = runCli(['completion', 'fish']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^function __influxdb3_offline_tokens_path$/m);
  for (const command of COMMANDS) {
    const path = command.paths[0]!.join(' ');
    assert.ok(
      r.stdout.includes(`-a '${command.paths[0]!.at(-1)}`) ||
        r.stdout.includes(` ${command.paths[0]!.at(-1)}'`) ||
        r.stdout.includes(` ${command.paths[0]!.at(-1)} `),
      path,
    );
    for (const [flag, spec] of Object.entries(command.flags)) {
      if (spec.hidden) continue;
      assert.match(r.stdout, new RegExp(`= '\\\\''${path}'\\\\'''.* -l ${flag}${spec.type === 'string' ? ' (-r|-x)' : '$'}`, 'm'), `${path} --${flag}`);
    }
  }
  assert.match(r.stdout, / -l format -x -a 'text json'$/m);
});
