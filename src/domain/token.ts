/**
 * Token strings. The server generates apiv3_ + unpadded base64url of 64 random bytes and
 * authenticates by SHA-512 of the raw string; the random source is passed in.
 */
export const TOKEN_PREFIX = 'apiv3_';
export const TOKEN_RANDOM_BYTES = 64;
/** 16 bytes (128 bits) of randomness take 22 base64url characters. */
export const MIN_SUPPLIED_TOKEN_CHARS = 22;

export type RandomBytes = (size: number) => Uint8Array;

export function mintToken(randomBytes: RandomBytes): string {
  const bytes = randomBytes(TOKEN_RANDOM_BYTES);
  if (bytes.length !== TOKEN_RANDOM_BYTES) {
    throw new RangeError(`The random source returned ${bytes.length} bytes instead of ${TOKEN_RANDOM_BYTES}.`);
  }
  return TOKEN_PREFIX + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Why a token string looks weak or like a documentation placeholder, or undefined.
 * Heuristic by nature: characters outside base64url (the docs' "..." placeholders), too
 * short for 128 bits, or so repetitive that it cannot have come from a CSPRNG.
 */
export function tokenWeakness(token: string): string | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return `it does not begin with ${TOKEN_PREFIX}`;
  const body = token.slice(TOKEN_PREFIX.length);
  if (!BASE64URL.test(body)) return 'it contains characters outside base64url, like a placeholder';
  if (body.length < MIN_SUPPLIED_TOKEN_CHARS) {
    return `it has ${body.length} characters after ${TOKEN_PREFIX}, fewer than the ${MIN_SUPPLIED_TOKEN_CHARS} that carry 128 bits`;
  }
  const counts = new Map<string, number>();
  for (const ch of body) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const n of counts.values()) bitsPerChar -= (n / body.length) * Math.log2(n / body.length);
  // A uniformly random 22-character body measures about 4.2 bits per character; the
  // documentation's XxXx placeholders and repeated characters measure well under 3.
  if (bitsPerChar < 3) return 'its characters repeat too much to be random, like a placeholder';
  return undefined;
}
