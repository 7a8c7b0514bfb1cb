/**
 * `--format csv`: RFC 4180 (CRLF line ends, fields quoted when they hold a quote, a comma
 * or a line break, quotes doubled). A dozen lines, so no csv-stringify on the start-up path.
 */
const NEEDS_QUOTES = /[",\r\n]/;

function field(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const out = [headers.map(field).join(',')];
  for (const row of rows) out.push(row.map(field).join(','));
  return `${out.join('\r\n')}\r\n`;
}
