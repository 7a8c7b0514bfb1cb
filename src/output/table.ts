/** `--format pretty`: columns padded to their widest cell, a header line, no borders. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h) => h.length);
  for (const row of rows) for (let i = 0; i < row.length; i++) if (row[i]!.length > widths[i]!) widths[i] = row[i]!.length;
  const last = headers.length - 1;
  // Plain concatenation: 100,000 rows through map/join made a garbage array per line.
  const line = (cells: readonly string[]): string => {
    let out = '';
    for (let i = 0; i < last; i++) out += cells[i]!.padEnd(widths[i]! + 2);
    // The last column is not padded: no trailing spaces.
    return `${out}${cells[last]}\n`;
  };
  let out = line(headers);
  for (const row of rows) out += line(row);
  return out;
}
