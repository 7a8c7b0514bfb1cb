/**
 * Text to UTF-8 through one reused buffer, a chunk at a time. Encoding 28 MB in one
 * Buffer.from took 35-50 ms, most of it faulting in fresh pages; 1 Mi characters at a time
 * through the same 3 MiB took 5-7 ms. Small pieces share a chunk, so a small file is one
 * write(2).
 */
const CHUNK_CHARS = 1 << 20;

/**
 * Calls `emit` with the UTF-8 of `pieces`, one after another, in chunks (each valid until
 * the next call), and how many characters of the pieces are encoded up to its end.
 */
export function encodeChunks(pieces: readonly string[], emit: (bytes: Buffer, encodedChars: number) => void): void {
  const total = pieces.reduce((n, p) => n + p.length, 0);
  // Three bytes per UTF-16 unit is the most UTF-8 needs (a surrogate pair takes 4 for 2).
  const scratch = Buffer.allocUnsafe(Math.min(total, CHUNK_CHARS) * 3);
  let used = 0;
  let encoded = 0;
  let held = '';
  for (let p = 0; p < pieces.length; p++) {
    // A pair split between two pieces is encoded whole: its high half waits for the next piece.
    let piece = held + pieces[p]!;
    held = '';
    const tail = piece.charCodeAt(piece.length - 1);
    if (p < pieces.length - 1 && tail >= 0xd800 && tail <= 0xdbff) {
      held = piece.slice(-1);
      piece = piece.slice(0, -1);
    }
    for (let i = 0; i < piece.length;) {
      let end = Math.min(i + CHUNK_CHARS, piece.length);
      // Never split a surrogate pair: each half alone would be written as U+FFFD.
      const last = piece.charCodeAt(end - 1);
      if (end < piece.length && last >= 0xd800 && last <= 0xdbff) end--;
      if (used + (end - i) * 3 > scratch.length) {
        emit(scratch.subarray(0, used), encoded);
        used = 0;
      }
      used += scratch.write(piece.slice(i, end), used, 'utf8');
      encoded += end - i;
      i = end;
      // A mebibyte or more goes out at once: writes stay the size they were when chunks were not shared.
      if (used >= CHUNK_CHARS) {
        emit(scratch.subarray(0, used), encoded);
        used = 0;
      }
    }
  }
  if (used > 0) emit(scratch.subarray(0, used), encoded);
}
