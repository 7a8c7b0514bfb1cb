/**
 * The command-line reader on its own (SPEC 7.1), against a small registry declared here so
 * that each rule is visible in the table: what each word list reads as, or the usage error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Reading, readArgv } from '../../src/commands/argv';
import { COMMANDS } from '../../src/commands';
import type { CommandModule } from '../../src/commands/types';
import { UsageError } from '../../src/errors';

const noop = async (): Promise<void> => undefined;
const make: CommandModule = {
  paths: [
    ['make', 'thing'],
    ['thing', 'make'],
  ],
  describe: 'a command with every kind of flag',
  positionals: [{ name: 'rest', describe: 'trailing words', variadic: true }],
  flags: {
    perm: { type: 'string', repeatable: true, bare: true, describe: 'repeatable, may stand bare' },
    name: { type: 'string', describe: 'one value' },
    format: { type: 'string', choices: ['text', 'json'], describe: 'one of a few' },
    host: { type: 'string', aliases: ['H'], describe: 'clap style short form' },
    'expires-at': { type: 'string', aliases: ['expires'], describe: 'long alias' },
    yes: { type: 'boolean', describe: 'a switch' },
    'out-file': { type: 'string', describe: 'kebab-case' },
  },
  run: noop,
};
const check: CommandModule = {
  paths: [['check']],
  describe: 'a command with one positional',
  positionals: [{ name: 'file', describe: 'one file' }],
  flags: { strict: { type: 'boolean', describe: 'a switch' } },
  run: noop,
};
const REGISTRY = [make, check];

type Expect =
  | { flags?: Record<string, unknown>; positionals?: Record<string, unknown>; command?: CommandModule }
  | { help: readonly string[]; all?: boolean }
  | 'version'
  | RegExp;

function read(words: string[]): Reading {
  return readArgv(words, REGISTRY);
}

const M = ['make', 'thing'];
const cases: [string, string[], Expect][] = [
  // Values that begin with "-" are values.
  ['a value that begins with -', [...M, '--name', '-x'], { flags: { name: '-x' } }],
  ['a value that looks like a duration with a sign', [...M, '--name', '-1h'], { flags: { name: '-1h' } }],
  ['a value that is a long flag of the command', [...M, '--name', '--yes'], { flags: { name: '--yes' } }],
  ['a value that is --help', [...M, '--name', '--help'], { flags: { name: '--help' } }],
  ['a value that is -h', [...M, '--name', '-h'], { flags: { name: '-h' } }],
  ['a value that is --', [...M, '--name', '--'], { flags: { name: '--' } }],
  ['a value that is empty', [...M, '--name', ''], { flags: { name: '' } }],
  ['--flag=value', [...M, '--name=a=b'], { flags: { name: 'a=b' } }],
  ['--flag= gives an empty value', [...M, '--name='], { flags: { name: '' } }],
  ['--flag=value that begins with -', [...M, '--name=-x'], { flags: { name: '-x' } }],
  ['clap attached short form', [...M, '-Hhttp://host:8181'], { flags: { host: 'http://host:8181' } }],
  ['short form with a separate value', [...M, '-H', '-x'], { flags: { host: '-x' } }],
  ['short form with =', [...M, '-H=http://h'], { flags: { host: 'http://h' } }],
  ['a long alias, under the declared name', [...M, '--expires', '2030-01-01T00:00:00Z'], { flags: { 'expires-at': '2030-01-01T00:00:00Z' } }],
  ['a boolean', [...M, '--yes'], { flags: { yes: true } }],
  ['a choice', [...M, '--format', 'json'], { flags: { format: 'json' } }],
  ['a value after the command path in its alias spelling', ['thing', 'make', '--name', 'n'], { flags: { name: 'n' }, command: make }],
  // Repeatable and bare.
  ['a repeatable flag keeps every value in order', [...M, '--perm', 'b', '--perm', 'a', '--perm', 'b'], { flags: { perm: ['b', 'a', 'b'] } }],
  ['a bare flag before another flag', [...M, '--perm', '--name', 'X', 'p1', 'p2'], { flags: { perm: [], name: 'X' }, positionals: { rest: ['p1', 'p2'] } }],
  ['a bare flag at the end', [...M, 'p1', '--perm'], { flags: { perm: [] }, positionals: { rest: ['p1'] } }],
  ['a bare flag before --', [...M, '--perm', '--', '--name'], { flags: { perm: [] }, positionals: { rest: ['--name'] } }],
  ['a bare-able flag takes a word that is not a flag of the command', [...M, '--perm', '-x'], { flags: { perm: ['-x'] } }],
  ['a bare-able flag takes a word that only looks like a flag', [...M, '--perm', '--nope'], { flags: { perm: ['--nope'] } }],
  ['bare, then given', [...M, '--perm', '--perm', 'a'], { flags: { perm: ['a'] } }],
  // -- ends the options.
  ['-- makes the rest positional', [...M, '--', '--yes', '-h', '--help'], { flags: {}, positionals: { rest: ['--yes', '-h', '--help'] } }],
  ['a lone - is a positional', ['check', '-'], { positionals: { file: '-' }, command: check }],
  ['a single positional', ['check', 'f.json', '--strict'], { flags: { strict: true }, positionals: { file: 'f.json' }, command: check }],
  // Help and version, at every level, whatever else is there.
  ['--help at the top', ['--help'], { help: [] }],
  ['-h at the top', ['-h'], { help: [] }],
  ['--help in a group', ['make', '--help'], { help: ['make'] }],
  ['--help on a command', [...M, '--help'], { help: M }],
  ['--help-all after a full command line', [...M, '--perm', 'x', '--name', 'y', '--out-file', 'f', '--help-all'], { help: M, all: true }],
  ['--help wins over an unknown flag', [...M, '--nope', '--help'], { help: M }],
  ['--help wins over a repeated flag', [...M, '--name', 'a', '--name', 'b', '-h'], { help: M }],
  ['--help wins over --version', ['--version', '--help'], { help: [] }],
  ['--version', ['--version'], 'version'],
  ['-V on a command', [...M, '-V'], 'version'],
  // Usage errors.
  ['no command', [], /give a command: make thing, thing make, check/],
  ['an unknown command', ['nope'], /unknown command "nope"/],
  ['an unknown second word', ['make', 'nope'], /^unknown command "make nope"; the commands that start with "make" are: make thing\. Run `\S+ make --help`/],
  ['an unknown second word before flags', ['make', 'nope', '--name', 'x'], /^unknown command "make nope"/],
  ['half a command', ['make'], /"make" needs one more word/],
  ['a flag before the command', ['--name', 'x', ...M], /--name needs a command before it/],
  ['an unknown flag', [...M, '--bogus'], /^unknown option --bogus for "make thing"/],
  ['an unknown flag with a value does not print the value', [...M, '--bogus=secret'], /^unknown option --bogus for/],
  ['a negation', [...M, '--no-yes'], /unknown option --no-yes .*did you mean --yes\?/],
  ['a dotted object', [...M, '--name.first', 'a'], /unknown option --name\.first .*did you mean --name\?/],
  ['a camel-case copy', [...M, '--outFile', 'a'], /unknown option --outFile .*did you mean --out-file\?/],
  ['an abbreviation', [...M, '--na', 'a'], /unknown option --na .*did you mean --name\?/],
  ['a bundle of short flags', [...M, '-hV'], /unknown option -hV for/],
  ['an undeclared short flag', [...M, '-x'], /unknown option -x/],
  ['a single-value flag twice', [...M, '--name', 'a', '--name', 'b'], /--name was given more than once/],
  ['a choice flag twice, same value', [...M, '--format', 'json', '--format', 'json'], /--format was given more than once/],
  ['a flag twice under its alias', [...M, '--expires-at', 'a', '--expires', 'b'], /--expires-at was given more than once/],
  ['a boolean twice', [...M, '--yes', '--yes'], /--yes was given more than once/],
  ['a boolean with a value', [...M, '--yes=false'], /--yes takes no value/],
  ['a value missing at the end', [...M, '--name'], /--name needs a value, but the command line ends there/],
  ['a value not among the choices', [...M, '--format', 'yaml'], /--format "yaml" is not one of text, json/],
  ['too many positionals', ['check', 'a', 'b'], /unexpected argument "b" for "check"/],
  ['--help=x is not help', [...M, '--help=x'], /unknown option --help for/],
];

for (const [label, words, expected] of cases) {
  test(`argv: ${label}: ${JSON.stringify(words)}`, () => {
    if (expected instanceof RegExp) {
      assert.throws(
        () => read(words),
        (e: unknown) => e instanceof UsageError && expected.test(e.message) && !e.message.includes('\n'),
      );
      return;
    }
    const got = read(words);
    if (expected === 'version') {
      assert.deepEqual(got, { kind: 'version' });
    } else if ('help' in expected) {
      assert.equal(got.kind, 'help');
      if (got.kind !== 'help') return;
      assert.deepEqual(got.path, expected.help);
      assert.equal(got.all, expected.all ?? false);
    } else {
      assert.equal(got.kind, 'run');
      if (got.kind !== 'run') return;
      assert.equal(got.command, expected.command ?? make);
      if (expected.flags) assert.deepEqual(got.args.flags, expected.flags);
      if (expected.positionals) assert.deepEqual(got.args.positionals, expected.positionals);
    }
  });
}

test('argv: no module of the registry declares a spelling the reader keeps for help or the version', () => {
  for (const m of COMMANDS) {
    for (const [name, spec] of Object.entries(m.flags)) {
      const spelt = [`--${name}`, ...(spec.aliases ?? []).map((a) => (a.length === 1 ? `-${a}` : `--${a}`))];
      for (const s of spelt) assert.ok(!['--help', '-h', '--help-all', '--version', '-V'].includes(s), `${m.paths[0]!.join(' ')} ${s}`);
      if (spec.bare) assert.equal(spec.type, 'string');
    }
  }
});

test('argv: every command of the registry is reachable by each of its paths', () => {
  for (const m of COMMANDS) {
    for (const path of m.paths) {
      const got = readArgv([...path, '--help'], COMMANDS);
      assert.equal(got.kind === 'help' ? got.command : undefined, m, path.join(' '));
    }
  }
});
