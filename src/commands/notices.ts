/** What writing commands say on stderr besides their result, worded once for all of them. */
import type { WriteNotes } from '../actions/env';
import type { RunEnv } from '../main';
import { octalMode } from '../output/mode';
import { escapeText, shCommand } from '../output/escape';

/** The online step a running server needs to forget a token (the server deletes only online). */
export function onlineDelete(name: string): string {
  return shCommand(['influxdb3', 'delete', 'token', '--token-name', name]);
}

/** The one wording, for every writing command, of a looser mode written back as 0600. */
export function modeTightenedLine(file: string, change: { from: number; to: number }): string {
  return `${escapeText(file)} had mode ${octalMode(change.from)}; it was written back as ${octalMode(change.to)}.`;
}

/** The store's side notes on a write: a mode tightened to 0600, a lock that could not be released. */
export function writeNotices(env: RunEnv, file: string, notes: WriteNotes): void {
  if (notes.modeTightened) env.io.stderr(`notice: ${modeTightenedLine(file, notes.modeTightened)}\n`);
  if (notes.releaseFailure) env.io.stderr(`notice: ${notes.releaseFailure}\n`);
}
