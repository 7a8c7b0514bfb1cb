/**
 * `NAME=value` lines for Compose `env_file:` (and shells that source them). Compose's dotenv
 * reader expands `$` and strips ` #` comments in unquoted and double-quoted values and
 * unescapes backslashes in double-quoted ones; single-quoted values are taken literally, but
 * `\'` does not end them. So: plain when the value is only token characters (every string
 * this tool or the server mints), single quotes when it holds anything else they can carry.
 */
import type { ParseResult } from '../domain/permissions';

export interface EnvLine {
  readonly key: string;
  readonly value: string;
}

/**
 * Names a shell, the dynamic loader or a runtime acts on: an env file that sets one of
 * them (an empty prefix and a token named "path") would change what the client runs.
 */
const RESERVED = new Set([
  'PATH',
  'ENV',
  'BASH_ENV',
  'IFS',
  'PS1',
  'PS2',
  'PS3',
  'PS4',
  'CDPATH',
  'HOME',
  'SHELL',
  'SHELLOPTS',
  'BASHOPTS',
  'GLOBIGNORE',
  'PROMPT_COMMAND',
  'TMPDIR',
  'NODE_OPTIONS',
  'NODE_PATH',
  'PYTHONPATH',
  'PYTHONSTARTUP',
  'PYTHONHOME',
  'PERL5LIB',
  'PERL5OPT',
  'RUBYOPT',
  'RUBYLIB',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'GCONV_PATH',
  'LOCPATH',
  'HOSTALIASES',
  'RES_OPTIONS',
]);
const RESERVED_PREFIXES = ['LD_', 'DYLD_', 'BASH_FUNC_', 'MALLOC_', 'GLIBC_'];

/** An env name Compose and POSIX shells both take, and none that would change how the client runs. */
export function envNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return 'an environment variable name may only hold letters, digits and "_", and must not begin with a digit';
  const upper = name.toUpperCase();
  if (RESERVED.has(upper) || RESERVED_PREFIXES.some((p) => upper.startsWith(p))) {
    return `${name} is a variable the shell, the dynamic loader or a runtime acts on, which an env file must not replace`;
  }
  return undefined;
}

function envValue(value: string): ParseResult<string> {
  if (/^[A-Za-z0-9_.-]*$/.test(value)) return { ok: true, value };
  if (/['\n\r]/.test(value) || value.endsWith('\\')) {
    return { ok: false, reason: 'the token string holds a quote, a line break or a trailing backslash, which an env file cannot carry literally' };
  }
  return { ok: true, value: `'${value}'` };
}

export function renderEnv(lines: readonly EnvLine[]): ParseResult<string> {
  let out = '';
  for (const l of lines) {
    const v = envValue(l.value);
    if (!v.ok) return { ok: false, reason: `${l.key}: ${v.reason}` };
    out += `${l.key}=${v.value}\n`;
  }
  return { ok: true, value: out };
}
