/**
 * Names, paths and messages come from files other people may have written (SPEC 16). Two
 * jobs, done here once for every human-facing line and every printed command:
 *
 *  - escapeText: a control character (C0, DEL, C1) or a bidirectional override/isolate
 *    (U+202A-202E, U+2066-2069) or a line or paragraph separator (U+2028, U+2029, which
 *    some terminals break lines at) is shown as an escape (`\e`, `\n`, `\u202e`), so no name can
 *    move the cursor, set the clipboard (OSC 52), fake a row or reorder what is read;
 *  - shQuote: a word of a command line the user is told to run, quoted for POSIX sh so that
 *    pasting it runs exactly that command with exactly that word.
 */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/g;
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\x1b': '\\e' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One value (a name, a path) for a human-facing line: nothing in it acts on a terminal. */
export function escapeText(value: string): string {
  return value.replace(UNSAFE, escapeChar);
}

/** A whole human-facing text whose own line breaks are meant: only those are kept. */
export function escapeLines(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, escapeChar);
}

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/;

/**
 * A word for a POSIX shell: as is when it is plain, else in single quotes (a `'` as `'\''`).
 * A word holding a control character cannot show it raw, so the whole word is made by
 * printf at run time from octal escapes: `"$(printf '%b' 'a\0033b')"`. Command substitution
 * drops trailing line breaks (and dash has no `$'...'`), so a word that ends in one is
 * carried by shCommand, which can put an assignment before the command.
 */
function shQuote(word: string): string {
  if (PLAIN.test(word)) return word;
  if (!CONTROL.test(word)) return `'${word.replace(/'/g, `'\\''`)}'`;
  return printfWord(word);
}

function printfWord(word: string): string {
  // printf's %b reads \0ooo and \\ in its argument; the format stays fixed, so a word that
  // begins with "-" or holds "%" is never read as an option or a conversion.
  let arg = '';
  for (const c of word) {
    if (c === "'") arg += `'\\''`;
    else if (c === '\\') arg += '\\\\';
    else if (CONTROL.test(c)) arg += [...Buffer.from(c, 'utf8')].map((b) => `\\0${b.toString(8).padStart(3, '0')}`).join('');
    else arg += c;
  }
  return `"$(printf '%b' '${arg}')"`;
}

/**
 * A command line of words, each quoted, that gives the command exactly these words when
 * pasted into a POSIX shell. A word ending in a line break is made with a dot after it and
 * kept in a variable set before the command, the dot cut off where the word is used:
 * `_otk1="$(printf '%b' 'a\0012.')"; influxdb3 delete token --token-name "${_otk1%.}"`.
 */
export function shCommand(words: readonly string[]): string {
  const set: string[] = [];
  const line = words.map((w) => {
    if (!w.endsWith('\n')) return shQuote(w);
    const name = `_otk${set.length + 1}`;
    set.push(`${name}=${printfWord(`${w}.`)}`);
    return `"\${${name}%.}"`;
  });
  return [...set, line.join(' ')].join('; ');
}

/** Belt and braces: no message may carry a token string, whatever produced it (main's error line, validate's problems, export's loader errors). */
export function redactSecrets(text: string): string {
  return text.replace(/apiv3_[A-Za-z0-9_\-.]+/g, 'apiv3_<redacted>');
}
