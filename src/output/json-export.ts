/**
 * `{"NAME": "apiv3_..."}` for `vault kv put PATH @file` and External Secrets. Built by hand:
 * JSON.stringify of an object would move integer-like names ("1", "42") to the front.
 */
export function renderJsonExport(entries: ReadonlyArray<{ readonly key: string; readonly value: string }>): string {
  if (entries.length === 0) return '{}\n';
  return `{\n${entries.map((e) => `  ${JSON.stringify(e.key)}: ${JSON.stringify(e.value)}`).join(',\n')}\n}\n`;
}
