/**
 * Text to UTF-8 a chunk at a time through one reused buffer. Encoding 28 MB in one
 * Buffer.from took 35-50 ms, most of it faulting in the fresh pages; 1 Mi characters at a
 * time through the same 3 MiB took 5-7 ms.
 */
const CHUNK_CHARS = 1 << 20;

/** A buffer big enough for any chunk of `pieces` (three bytes per UTF-16 unit at most). */
export function scratchFor(pieces: readonly string[]): Buffer {
  const longest = pieces.reduce((n, p) => Math.max(n, p.length), 0);
  return Buffer.allocUnsafe(Math.min(longest, CHUNK_CHARS) * 3);
}

/**
 * Calls `emit` with each chunk of `text` encoded in `scratch` (valid until the next call),
 * and the offset in `text` where the next chunk starts.
 */
export function encodeChunks(text: string, scratch: Buffer, emit: (bytes: Buffer, next: number) => void): void {
  for (let i = 0; i < text.length;) {
    let end = Math.min(i + CHUNK_CHARS, text.length);
    // Never split a surrogate pair: each half alone would be written as U+FFFD.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    const size = scratch.write(text.slice(i, end), 0, 'utf8');
    emit(scratch.subarray(0, size), end);
    i = end;
  }
}
