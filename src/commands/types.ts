/**
 * The one contract every command follows (pnpm's model): the words that select it, its
 * positionals and flags declared once, and a handler. The parser and the help are built
 * from these declarations alone, so a flag exists only where a module declares it, under
 * the spelling it declares: no negations, no dotted objects, no camel-case copies.
 *
 * A handler maps ParsedArgs to one typed request (every usage check, worded with the flag
 * names, happens there), makes one action call, and hands the result to a renderer.
 */
import type { RunEnv } from '../main';

export interface FlagSpec {
  /**
   * 'string' takes exactly one value: the next word, whatever it begins with (`--name -x`
   * names the token "-x"), or the part after `=` in `--flag=value`. 'boolean' takes none
   * (`--flag=value` on a boolean is a usage error).
   */
  readonly type: 'string' | 'boolean';
  /** A string flag given several times keeps every value in order; otherwise a second use is a usage error. */
  readonly repeatable?: boolean;
  /**
   * Only for the server docs' `--permission --name X "db:a:read"` form: the flag may stand
   * without a value when the next word is one of this command's own flags (or there is no
   * next word); it then counts as given with no value.
   */
  readonly bare?: boolean;
  /** Other spellings: long ones without dashes ('expires'), or one letter ('H'), which also takes clap's attached `-Hvalue`. */
  readonly aliases?: readonly string[];
  readonly describe: string;
  readonly choices?: readonly string[];
  /** Shown in help only: handlers apply their defaults themselves, so "was it given" stays visible. */
  readonly defaultDescription?: string;
  /** Marked as required in help; the handler still words the error when it is missing. */
  readonly required?: boolean;
  /** Help heading for flags that belong together (another tool's dialect, online-only flags). */
  readonly group?: string;
  /** Accepted but not listed in help. */
  readonly hidden?: boolean;
}

export interface PositionalSpec {
  readonly name: string;
  readonly describe: string;
  /** Takes every remaining positional word; only the last positional may be variadic. */
  readonly variadic?: boolean;
}

export type FlagValue = string | readonly string[] | true;

/** What the parser hands a handler. Keys are the declared names, never aliases. */
export interface ParsedArgs {
  /**
   * Absent when not given. A string flag: its value; a repeatable one: every value in
   * order (a bare `--permission` adds nothing but still counts as given: []); a boolean: true.
   */
  readonly flags: Readonly<Record<string, FlagValue | undefined>>;
  /** Variadic positionals as arrays (words after `--` included, in order); others as strings. */
  readonly positionals: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export interface CommandModule {
  /**
   * The words that select the command, each path a list: [['create', 'token'],
   * ['token', 'create']]. The first path is the name shown in help; the others are aliases.
   */
  readonly paths: readonly (readonly string[])[];
  readonly describe: string;
  readonly positionals?: readonly PositionalSpec[];
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** What a user needs beyond the flags to use the command (apply: the spec's shape), shown in help and the reference. */
  readonly about?: string;
  /** [command line without the binary name, what it does]. */
  readonly examples?: readonly (readonly [string, string])[];
  run(args: ParsedArgs, env: RunEnv): Promise<void>;
}

/** What a command's own module declares: everything but the words that select it, which the registry holds (index.ts). */
export type CommandBody = Omit<CommandModule, 'paths'>;
