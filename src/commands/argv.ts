/**
 * The one reader of the command line (SPEC 7.1). Pure: words and the command registry in,
 * what to do out. yargs-parser cannot be told to give a flag a value that begins with `-`
 * (its nargs never consumes one), and every other rule here is a "don't" that yargs has to
 * be configured out of; reading the words ourselves against the declared FlagSpecs is
 * shorter than patching its result, and keeps yargs off the start-up path (help only).
 */
import { UsageError } from '../errors';
import { closest } from '../domain/suggest';
import { escapeText } from '../output/escape';
import type { CommandModule, FlagSpec, FlagValue, ParsedArgs } from './types';

export const BIN = 'influxdb3-offline-tokens';

export type Reading =
  | { readonly kind: 'run'; readonly command: CommandModule; readonly args: ParsedArgs }
  /** `path` is what was typed before the help flag: [] for the top level, ['create'] for a group. */
  | { readonly kind: 'help'; readonly path: readonly string[]; readonly command: CommandModule | undefined; readonly all: boolean }
  | { readonly kind: 'version' };

/** Flags every level understands; a command module may not declare these spellings. */
const GLOBAL: Readonly<Record<string, 'help' | 'help-all' | 'version'>> = {
  '--help': 'help',
  '-h': 'help',
  '--help-all': 'help-all',
  '--version': 'version',
  '-V': 'version',
};

/** For completion: the spellings every command takes besides its own. */
export const GLOBAL_SPELLINGS: readonly string[] = Object.keys(GLOBAL);

const commandName = (path: readonly string[]): string => path.join(' ');
const helpHint = (path: readonly string[]): string => `run \`${[BIN, ...path, '--help'].join(' ')}\` for the usage`;

/** Declared spelling (`--name`, `--expires`, `-H`) -> declared flag name. */
function spellings(flags: Readonly<Record<string, FlagSpec>>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, spec] of Object.entries(flags)) {
    map.set(`--${name}`, name);
    for (const alias of spec.aliases ?? []) map.set(alias.length === 1 ? `-${alias}` : `--${alias}`, name);
  }
  return map;
}

/** The spelling part of a word that looks like a flag: `--name=x` -> `--name`, `-Hhost` -> `-H`. */
function spellingOf(word: string): string {
  if (word.startsWith('--')) {
    const eq = word.indexOf('=');
    return eq === -1 ? word : word.slice(0, eq);
  }
  return word.slice(0, 2);
}

const isFlagWord = (word: string): boolean => word.length > 1 && word.startsWith('-');

/** A friendly guess for a misspelt flag: camel-case, dotted or negated copies, abbreviations. */
function guess(typed: string, known: Map<string, string>): string | undefined {
  if (!typed.startsWith('--')) return undefined;
  // Spellings that other parsers accept: `--no-FLAG`, `--flag.sub`, `--camelCase`.
  const bare = typed.slice(2).replace(/^no-/, '').split('.')[0]!;
  const longs = [...known.keys()].filter((s) => s.startsWith('--')).map((s) => s.slice(2));
  const hit = closest(bare, longs);
  return hit === undefined ? undefined : `--${hit}`;
}

interface Found {
  /** The command whose path is exactly `path`, if any (`create` alone is only a prefix). */
  readonly command: CommandModule | undefined;
  readonly path: string[];
  /** Index of the first word after the path. */
  readonly next: number;
}

/** The longest run of leading words that is (a prefix of) some command's path. */
function findCommand(words: readonly string[], registry: readonly CommandModule[]): Found {
  const path: string[] = [];
  const startsAPath = (candidate: readonly string[]): boolean =>
    registry.some((m) => m.paths.some((p) => p.length >= candidate.length && candidate.every((w, i) => p[i] === w)));
  let i = 0;
  while (i < words.length && !isFlagWord(words[i]!) && startsAPath([...path, words[i]!])) path.push(words[i++]!);
  const command = registry.find((m) => m.paths.some((p) => p.length === path.length && p.every((w, k) => path[k] === w)));
  return { command, path, next: i };
}

function completions(prefix: readonly string[], registry: readonly CommandModule[]): string[] {
  return registry
    .flatMap((m) => m.paths)
    .filter((p) => p.length > prefix.length && prefix.every((w, i) => p[i] === w))
    .map(commandName);
}

/** Reads the command line; throws UsageError unless help or the version was asked for. */
export function readArgv(words: readonly string[], registry: readonly CommandModule[]): Reading {
  const found = findCommand(words, registry);
  const { command, path } = found;
  // A word that leaves every command's path is named as an unknown command, whole
  // (`create tokn`), rather than taken for a positional of a command not yet found.
  if (!command && found.next < words.length && !isFlagWord(words[found.next]!)) {
    const typed = commandName([...path, words[found.next]!]);
    const names = path.length === 0 ? registry.map((m) => commandName(m.paths[0]!)) : completions(path, registry);
    const which = path.length === 0 ? 'the commands are' : `the commands that start with "${commandName(path)}" are`;
    // A whole command (`create tokn`), else its first word (`crate` for create).
    const hint = closest(typed, names) ?? closest(typed, [...new Set(names.map((n) => n.split(' ')[0]!))]);
    throw new UsageError(
      `unknown command ${JSON.stringify(typed)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}; ${which}: ${names.join(', ')}. Run \`${[BIN, ...path, '--help'].join(' ')}\` for the usage.`,
    );
  }

  const flags = command?.flags ?? {};
  const known = spellings(flags);
  const values: Record<string, FlagValue> = {};
  const positionals: string[] = [];
  let help: 'help' | 'help-all' | undefined;
  let version = false;
  let problem: string | undefined;
  const fail = (message: string): void => {
    problem ??= message;
  };

  const isOwnFlag = (word: string): boolean => word === '--' || (isFlagWord(word) && (known.has(spellingOf(word)) || GLOBAL[word] !== undefined));

  let options = true;
  for (let i = found.next; i < words.length; i++) {
    const word = words[i]!;
    if (!options || !isFlagWord(word)) {
      positionals.push(word);
      continue;
    }
    if (word === '--') {
      options = false;
      continue;
    }
    const global = GLOBAL[word];
    if (global === 'version') version = true;
    else if (global !== undefined) help ??= global;
    if (global !== undefined) continue;

    const spelled = spellingOf(word);
    const name = known.get(spelled);
    if (name === undefined) {
      if (!command)
        fail(
          path.length === 0
            ? `${spelled} needs a command before it; run \`${BIN} --help\` for the commands`
            : `"${commandName(path)}" needs one more word: ${completions(path, registry).join(', ')}`,
        );
      else {
        const hint = guess(spelled, known);
        // A long flag is named without its `=value`; a short one whole (`-hV` is no bundle).
        // Escaped here: the one-line error would turn a line break in it into a space.
        const shown = escapeText(spelled.startsWith('--') ? spelled : word);
        fail(`unknown option ${shown} for "${commandName(path)}"${hint ? ` (did you mean ${hint}?)` : ''}; ${helpHint(path)}`);
      }
      continue;
    }
    const spec = flags[name]!;
    // What follows the spelling in the same word: `=value`, or clap's attached `-Hvalue`.
    const rest = word.slice(spelled.length);
    const inline = rest === '' ? undefined : spelled.startsWith('--') || rest.startsWith('=') ? rest.slice(1) : rest;
    const previous = values[name];
    if (previous !== undefined && !spec.repeatable) {
      fail(`--${name} was given more than once; give it once`);
      if (spec.type === 'string' && inline === undefined) i++;
      continue;
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined) fail(`--${name} takes no value; write ${spelled} alone`);
      else values[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = words[i + 1];
      if (spec.bare && (next === undefined || isOwnFlag(next))) {
        values[name] = previous ?? [];
        continue;
      }
      if (next === undefined) {
        fail(`${spelled} needs a value, but the command line ends there; ${helpHint(path)}`);
        continue;
      }
      value = next;
      i++;
    }
    if (spec.choices && !spec.choices.includes(value)) {
      fail(`${spelled} ${JSON.stringify(value)} is not one of ${spec.choices.join(', ')}`);
      continue;
    }
    values[name] = spec.repeatable ? [...((previous as readonly string[] | undefined) ?? []), value] : value;
  }

  if (help) return { kind: 'help', path, command, all: help === 'help-all' };
  if (version) return { kind: 'version' };
  if (problem) throw new UsageError(`${problem}.`);
  if (!command) {
    if (path.length === 0) throw new UsageError(`give a command: ${completions([], registry).join(', ')}. Run \`${BIN} --help\` for the usage.`);
    throw new UsageError(`"${commandName(path)}" needs one more word: ${completions(path, registry).join(', ')}. ${helpHint(path).replace(/^r/, 'R')}.`);
  }
  return { kind: 'run', command, args: { flags: values, positionals: assignPositionals(command, positionals) } };
}

function assignPositionals(command: CommandModule, words: readonly string[]): ParsedArgs['positionals'] {
  const specs = command.positionals ?? [];
  const out: Record<string, string | readonly string[]> = {};
  let i = 0;
  for (const spec of specs) {
    if (spec.variadic) {
      out[spec.name] = words.slice(i);
      i = words.length;
    } else if (i < words.length) out[spec.name] = words[i++]!;
  }
  if (i < words.length) {
    const name = commandName(command.paths[0]!);
    throw new UsageError(`unexpected argument ${JSON.stringify(words[i])} for "${name}"; ${helpHint(command.paths[0]!)}.`);
  }
  return out;
}
