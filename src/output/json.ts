/**
 * `--format json` (one object, pretty, as create token prints it) and `--format jsonl` (one
 * compact object per line). A bigint (an i64 expiry the server read) is written as its
 * exact digits: JSON.stringify refuses bigints, and a JS number would round
 * 9007199254740993 and 9223372036854775807. Otherwise the output is JSON.stringify's.
 */
function write(value: unknown, indent: string, depth: number, out: string[]): void {
  if (typeof value === 'bigint') {
    out.push(value.toString());
    return;
  }
  if (value === null || typeof value !== 'object') {
    out.push(JSON.stringify(value) ?? 'null');
    return;
  }
  const inner = indent === '' ? '' : `\n${indent.repeat(depth + 1)}`;
  const close = indent === '' ? '' : `\n${indent.repeat(depth)}`;
  const colon = indent === '' ? ':' : ': ';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[');
    value.forEach((v, i) => {
      out.push(i === 0 ? inner : `,${inner}`);
      write(v === undefined ? null : v, indent, depth + 1, out);
    });
    out.push(`${close}]`);
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{');
  entries.forEach(([k, v], i) => {
    out.push(`${i === 0 ? inner : `,${inner}`}${JSON.stringify(k)}${colon}`);
    write(v, indent, depth + 1, out);
  });
  out.push(`${close}}`);
}

/** JSON text of `value` (bigints as exact digits), indented like JSON.stringify(value, null, indent). */
export function toJson(value: unknown, indent = 0): string {
  const out: string[] = [];
  write(value, ' '.repeat(indent), 0, out);
  return out.join('');
}

export function jsonObject(value: unknown): string {
  return `${toJson(value, 2)}\n`;
}

export function jsonLines(values: readonly unknown[]): string {
  let out = '';
  for (const v of values) out += `${toJson(v)}\n`;
  return out;
}
