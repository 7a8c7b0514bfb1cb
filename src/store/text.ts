/**
 * A token file's bytes as text and back. The server reads a file with read_to_string:
 * bytes that are not UTF-8 are refused before any JSON is read, and so they are here.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import type { RenderedText } from '../domain/document';

/**
 * The new content: a string, or pieces written one after another (no 28 MB concatenation),
 * or a token file's document rendered (its pieces, and which of them the post-write check
 * can count as read).
 */
export type Text = string | readonly string[] | RenderedText;

/** The pieces of `text`, to write one after another. */
export function piecesOf(text: Text): readonly string[] {
  return typeof text === 'string' ? [text] : 'pieces' in text ? text.pieces : text;
}

/** `text` as one string. */
export function joinText(text: Text): string {
  return typeof text === 'string' ? text : piecesOf(text).join('');
}

/** The text of UTF-8 bytes; undefined when they are not UTF-8. */
export function decodeUtf8(bytes: Buffer): string | undefined {
  // ASCII, what nearly every token file is, decodes the same as Latin-1, which V8 copies
  // into a one-byte string: 2 ms for 28 MB where the UTF-8 decoder takes 80.
  if (isAscii(bytes)) return bytes.toString('latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : undefined;
}
