import { escapeText } from './escape';

/** `--format pretty`: columns padded to their widest cell, a header line, no borders. */
export function table(headers: readonly string[], raw: readonly (readonly string[])[]): string {
  // A cell holds names from other people's files: escaped, it can neither act on the
  // terminal nor break the row (and its width is the width shown).
  const rows = raw.map((row) => row.map(escapeText));
  const widths = headers.map((h) => h.length);
  for (const row of rows) for (let i = 0; i < row.length; i++) if (row[i]!.length > widths[i]!) widths[i] = row[i]!.length;
  const last = headers.length - 1;
  const line = (cells: readonly string[]): string => {
    let out = '';
    for (let i = 0; i < last; i++) out += cells[i]!.padEnd(widths[i]! + 2);
    // The last column is not padded: no trailing spaces.
    return `${out}${cells[last]}`;
  };
  // One join of flat lines: `out += line` over 100,000 rows built a rope that the write to
  // stdout then had to flatten, and kept every piece alive for the GC to copy until then.
  const lines = new Array<string>(rows.length + 2);
  lines[0] = line(headers);
  for (let r = 0; r < rows.length; r++) lines[r + 1] = line(rows[r]!);
  lines[rows.length + 1] = '';
  return lines.join('\n');
}
