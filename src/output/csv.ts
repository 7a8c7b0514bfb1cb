/**
 * `--format csv`: RFC 4180 (CRLF line ends, fields quoted when they hold a quote, a comma
 * or a line break, quotes doubled). A dozen lines, so no csv-stringify on the start-up path.
 * A cell a spreadsheet would read as a formula (leading `=`, `+`, `-`, `@`, tab or CR) gets a
 * leading `'`, as OWASP recommends (SPEC 16): a token name is not a formula.
 */
const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA = /^[=+\-@\t\r]/;

export function csvField(raw: string): string {
  const value = FORMULA.test(raw) ? `'${raw}` : raw;
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
const field = csvField;

export function csv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const out = [headers.map(field).join(',')];
  for (const row of rows) out.push(row.map(field).join(','));
  return `${out.join('\r\n')}\r\n`;
}
