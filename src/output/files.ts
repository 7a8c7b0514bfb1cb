/** One file per token for Compose `secrets: file:` and mounted directories: the raw string and a newline. */

export function tokenFileContent(token: string): string {
  return `${token}\n`;
}

/** A name given for one file (not mapped): it must stay a single entry of the directory. */
export function fileNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name === '.' || name === '..') return `${JSON.stringify(name)} is not a file name`;
  if (/[/\\\0]/.test(name)) return 'a file name must not hold "/", "\\" or NUL (it would leave the directory)';
  if (Buffer.byteLength(name) > 255) return 'it is longer than the 255 bytes a file name may have';
  return undefined;
}
