/** `--format pretty`: columns padded to their widest cell, a header line, no borders. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h) => h.length);
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i]!, cell.length)));
  const last = headers.length - 1;
  // The last column is not padded: no trailing spaces.
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === last ? c : c.padEnd(widths[i]!))).join('  ');
  const out = [line(headers)];
  for (const row of rows) out.push(line(row));
  return `${out.join('\n')}\n`;
}
