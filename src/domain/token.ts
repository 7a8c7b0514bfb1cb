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
 * Words of documentation placeholders (apiv3_REPLACE_ME, apiv3_YOUR_TOKEN_HERE...). Each is
 * seven letters or more, so a random 86-character body contains one by chance about once
 * in 10^8 tokens.
 */
const PLACEHOLDER_WORDS = /replace|example|changeme|placeholder|your_?token|yoursecret|your_?secret|redacted/i;
/** A random body has a run of 8 consecutive characters of one alphabet about once in 10^12 tokens. */
const RUN_LENGTH = 8;

function isAlphanumeric(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** A run such as ABCDEFGH or 98765432: consecutive characters of one alphabet, either way. */
function hasRun(body: string): boolean {
  let run = 1;
  let step = 0;
  for (let i = 1; i < body.length; i++) {
    const a = body.charCodeAt(i - 1);
    const b = body.charCodeAt(i);
    const d = b - a;
    const continues = (d === 1 || d === -1) && isAlphanumeric(a) && isAlphanumeric(b);
    run = continues && d === step ? run + 1 : continues ? 2 : 1;
    step = continues ? d : 0;
    if (run >= RUN_LENGTH) return true;
  }
  return false;
}

/**
 * Why a token string looks weak or like a documentation placeholder, or undefined.
 * Heuristic by nature: characters outside base64url (the docs' "..." placeholders), too
 * short for 128 bits, placeholder words and alphabet runs, or so repetitive that it
 * cannot have come from a CSPRNG.
 */
export function tokenWeakness(token: string): string | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return `it does not begin with ${TOKEN_PREFIX}`;
  const body = token.slice(TOKEN_PREFIX.length);
  if (!BASE64URL.test(body)) return 'it contains characters outside base64url, like a placeholder';
  if (body.length < MIN_SUPPLIED_TOKEN_CHARS) {
    return `it has ${body.length} characters after ${TOKEN_PREFIX}, fewer than the ${MIN_SUPPLIED_TOKEN_CHARS} that carry 128 bits`;
  }
  // Neither reason quotes the string: it may be a real secret after all.
  if (PLACEHOLDER_WORDS.test(body)) return 'it contains a placeholder word (such as REPLACE, EXAMPLE or YOUR_TOKEN)';
  if (hasRun(body)) return `it contains a run of ${RUN_LENGTH} or more consecutive letters or digits (such as ABCDEFGH), like a placeholder`;
  const counts = new Map<string, number>();
  for (const ch of body) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const n of counts.values()) bitsPerChar -= (n / body.length) * Math.log2(n / body.length);
  // A uniformly random 22-character body measures about 4.2 bits per character; the
  // documentation's XxXx placeholders and repeated characters measure well under 3.
  if (bitsPerChar < 3) return 'its characters repeat too much to be random, like a placeholder';
  return undefined;
}
