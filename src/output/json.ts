/** `--format json` (one object, pretty, as create token prints it) and `--format jsonl` (one compact object per line). */
export function jsonObject(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function jsonLines(values: readonly unknown[]): string {
  let out = '';
  for (const v of values) out += `${JSON.stringify(v)}\n`;
  return out;
}
