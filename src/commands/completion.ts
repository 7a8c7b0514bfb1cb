/**
 * `completion bash|zsh`: a completion script built from the registry at run time, so a
 * command, flag or choice added to a module is completed without touching this file.
 * One bash function serves both shells: zsh runs it through bashcompinit, which zsh ships
 * for exactly this, rather than a second script that could drift from the first. fish has
 * no such bridge, so its script is `complete` lines made from the same tables.
 */
import { UsageError } from '../errors';
import type { RunEnv } from '../main';
import { BIN, GLOBAL_SPELLINGS } from './argv';
import { words } from './args';
import { emit } from './output';
import type { CommandBody, CommandModule, ParsedArgs } from './types';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

const FUNCTION = '_influxdb3_offline_tokens';

/** Single-quoted for the shell, whatever the text holds. */
const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** `case` arms: each pattern quoted, so a word is matched literally. */
function arms(entries: ReadonlyMap<string, string>): string {
  return [...entries].map(([pattern, reply]) => `    ${quote(pattern)}) echo ${quote(reply)} ;;`).join('\n');
}

interface Tables {
  /** A typed path (words joined by spaces, '' at the start) -> the words that may follow it. */
  next: Map<string, string>;
  /** A full command path -> its flag spellings. */
  flags: Map<string, string>;
  /** "path|spelling" -> the values of a flag with choices ('' for a flag that takes a free value). */
  values: Map<string, string>;
}

function tables(registry: readonly CommandModule[]): Tables {
  const next = new Map<string, Set<string>>();
  const flags = new Map<string, string>();
  const values = new Map<string, string>();
  for (const command of registry) {
    const spellings: string[] = [];
    const flagValues: [string, string][] = [];
    for (const [name, spec] of Object.entries(command.flags)) {
      if (spec.hidden) continue;
      const own = [`--${name}`, ...(spec.aliases ?? []).map((a) => (a.length === 1 ? `-${a}` : `--${a}`))];
      spellings.push(...own);
      if (spec.type === 'string') for (const s of own) flagValues.push([s, (spec.choices ?? []).join(' ')]);
    }
    for (const path of command.paths) {
      for (let i = 0; i < path.length; i++) {
        const before = path.slice(0, i).join(' ');
        next.set(before, (next.get(before) ?? new Set()).add(path[i]!));
      }
      const key = path.join(' ');
      flags.set(key, [...spellings, ...GLOBAL_SPELLINGS].join(' '));
      for (const [s, v] of flagValues) values.set(`${key}|${s}`, v);
    }
  }
  return { next: new Map([...next].map(([k, v]) => [k, [...v].join(' ')])), flags, values };
}

/**
 * fish: one function finds the command words typed so far (the longest run of leading
 * words that is a known path, as the bash function does), and each table row becomes a
 * `complete` line conditioned on it. `-r` marks a flag that takes a value; its choices are
 * offered with `-x` (no file names), other values fall back to file names.
 */
function fishScript(t: Tables): string {
  const fn = '__influxdb3_offline_tokens_path';
  const known = [...new Set([...t.next.keys(), ...t.flags.keys()])].filter((k) => k !== '');
  const lines = [
    `# ${BIN} completion for fish, generated from the commands of this version.`,
    `function ${fn}`,
    '    set -l words (commandline -opc)',
    '    set -l path ""',
    '    for w in $words[2..-1]',
    '        set -l candidate (string trim -- "$path $w")',
    `        contains -- $candidate ${known.map(quote).join(' ')}; or break`,
    '        set path $candidate',
    '    end',
    '    echo $path',
    'end',
  ];
  const when = (path: string) => `-n ${quote(`test (${fn}) = ${quote(path)}`)}`;
  for (const [path, next] of t.next) lines.push(`complete -c ${BIN} -f ${when(path)} -a ${quote(next)}`);
  for (const [path, spellings] of t.flags) {
    for (const s of spellings.split(' ')) {
      const opt = s.startsWith('--') ? `-l ${s.slice(2)}` : `-s ${s.slice(1)}`;
      const choices = t.values.get(`${path}|${s}`);
      const value = choices === undefined ? '' : choices === '' ? ' -r' : ` -x -a ${quote(choices)}`;
      lines.push(`complete -c ${BIN} ${when(path)} ${opt}${value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell, registry: readonly CommandModule[]): string {
  const t = tables(registry);
  if (shell === 'fish') return fishScript(t);
  const bash = `# ${BIN} completion, generated from the commands of this version.
${FUNCTION}() {
  local cur prev path="" i w
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  # The command's words: the longest run of leading words that some command starts with.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [ -n "$(${FUNCTION}_next "\${path:+$path }$w")" ] || [ -n "$(${FUNCTION}_flags "\${path:+$path }$w")" ] || break
    path="\${path:+$path }$w"
  done
  local flags
  flags="$(${FUNCTION}_flags "$path")"
  if [ -z "$flags" ]; then
    # Not a whole command yet: offer the words that may follow, unless a word before this
    # one already left every command's path.
    [ "$i" -eq "$COMP_CWORD" ] && COMPREPLY=($(compgen -W "$(${FUNCTION}_next "$path")" -- "$cur"))
    return 0
  fi
  # --flag=value, which bash splits at '=' into '--flag' '=' 'value' (or keeps whole).
  local flag="" value="$cur"
  if [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
    flag="\${COMP_WORDS[COMP_CWORD-2]}"
  elif [[ "$cur" == --*=* ]]; then
    flag="\${cur%%=*}"
    value="\${cur#*=}"
  elif [[ "$prev" == -* ]] && ${FUNCTION}_takes "$path" "$prev"; then
    flag="$prev"
  fi
  if [ -n "$flag" ]; then
    # A value: its choices, or nothing, so that the shell offers file names.
    local choices
    choices="$(${FUNCTION}_values "$path" "$flag")"
    [ -n "$choices" ] || return 0
    if [[ "$cur" == --*=* ]]; then
      COMPREPLY=($(compgen -P "$flag=" -W "$choices" -- "$value"))
    else
      COMPREPLY=($(compgen -W "$choices" -- "$value"))
    fi
    return 0
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  fi
  return 0
}
${FUNCTION}_next() {
  case "$1" in
${arms(t.next)}
  esac
}
${FUNCTION}_flags() {
  case "$1" in
${arms(t.flags)}
  esac
}
${FUNCTION}_values() {
  case "$1|$2" in
${arms(t.values)}
  esac
}
${FUNCTION}_takes() {
  case "$1|$2" in
${[...t.values.keys()].map((k) => `    ${quote(k)}) return 0 ;;`).join('\n')}
  esac
  return 1
}
complete -o default -F ${FUNCTION} ${BIN}
`;
  if (shell === 'bash') return bash;
  // zsh's own emulation of bash's completion; compinit must have run (it has in any zsh with completion on).
  return `autoload -U +X bashcompinit && bashcompinit\n${bash}`;
}

async function run(args: ParsedArgs, env: RunEnv): Promise<void> {
  const shell = words(args, 'shell')[0];
  if (shell === undefined || !(SHELLS as readonly string[]).includes(shell)) {
    const what = shell === undefined ? 'needs a shell' : `does not know the shell ${JSON.stringify(shell)}`;
    throw new UsageError(`completion ${what}: give one of ${SHELLS.join(', ')}, as in \`${BIN} completion bash\`.`);
  }
  // The registry is read when the script is made, so this module can sit in it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { COMMANDS } = require('./index') as typeof import('./index');
  await emit(env, completionScript(shell as Shell, COMMANDS), 'the completion script was made');
}

const command: CommandBody = {
  describe: 'Print a shell completion script (bash, zsh or fish) for commands, flags and flag values',
  positionals: [{ name: 'shell', describe: `The shell: ${SHELLS.join(' or ')}` }],
  flags: {},
  examples: [
    ['completion bash > ~/.local/share/bash-completion/completions/influxdb3-offline-tokens', 'bash, loaded on demand'],
    ['completion zsh > ~/.zfunc/influxdb3-offline-tokens.zsh', 'zsh: source it from ~/.zshrc after compinit'],
    ['completion fish > ~/.config/fish/completions/influxdb3-offline-tokens.fish', 'fish, loaded on demand'],
  ],
  run,
};
export default command;
