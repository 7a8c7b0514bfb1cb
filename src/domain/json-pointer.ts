/** One reference token of a JSON pointer (RFC 6901): "~" and "/" escaped. */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}
