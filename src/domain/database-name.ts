/**
 * The server's rule for database names (create_databases and db: permissions).
 * Returns the reason a name is refused, or undefined when it is acceptable, so both the
 * CLI (usage error) and `validate` (a problem at a JSON pointer) can word it their way.
 */
export const MAX_DATABASE_NAME_BYTES = 511;

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

export function databaseNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  for (let i = 0; i < name.length; i++) {
    if (name.charCodeAt(i) > 0x7f) return `it contains the non-ASCII character ${JSON.stringify(name[i])}`;
  }
  // ASCII only from here, so length in UTF-16 units equals length in bytes.
  if (name.length > MAX_DATABASE_NAME_BYTES) {
    return `it is ${name.length} bytes long, more than the ${MAX_DATABASE_NAME_BYTES} allowed`;
  }
  if (!isAsciiAlnum(name.charCodeAt(0))) return 'it must start with a letter or a digit';
  let slashes = 0;
  for (let i = 1; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (isAsciiAlnum(c) || c === 0x5f /* _ */ || c === 0x2d /* - */) continue;
    if (c === 0x2f /* / */) {
      slashes++;
      if (slashes > 1) return 'it contains more than one "/" (only db/rp is allowed)';
      if (i === name.length - 1) return 'it ends with "/" (a retention policy must follow it)';
      continue;
    }
    return `it contains ${JSON.stringify(name[i])}; only letters, digits, "_", "-" and one "/" are allowed`;
  }
  return undefined;
}
