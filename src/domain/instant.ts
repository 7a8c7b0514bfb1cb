/**
 * Expiry instants as the server holds them: i64 milliseconds since 1970, compared exactly
 * (a bigint, never a float), and shown as ISO 8601 where JavaScript's Date reaches
 * (±8.64e15 ms) and in words beyond. Pure.
 */
const DATE_LIMIT = 8_640_000_000_000_000n;

/**
 * The server treats a token as expired from its expiry instant on; null (or absent:
 * generations.ts's undefined) never expires. The one expiry comparison of the code.
 */
export function isExpired(expiry: bigint | null | undefined, now: number): boolean {
  return expiry != null && expiry <= BigInt(now);
}

/** ISO 8601, or undefined beyond the range of Date. */
export function isoInstant(ms: bigint): string | undefined {
  return ms > DATE_LIMIT || ms < -DATE_LIMIT ? undefined : new Date(Number(ms)).toISOString();
}

/** ISO 8601, or the exact milliseconds and why there is no date. */
export function instantWords(ms: bigint): string {
  return isoInstant(ms) ?? `${ms} ms since 1970 (beyond the dates this tool can show)`;
}
