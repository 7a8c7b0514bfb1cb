/**
 * The post-write check (SPEC 9): the text about to be renamed over a token file is read
 * back with the same reader and checks as `validate`, so nothing the server would refuse
 * ever replaces a file it loads. Runs under the lock, before the temp file is written.
 *
 * An edit of a big file copies most of it as runs of entries the reader has just read
 * (RenderedText): those runs are handed to the reader as read (server-reader's KnownRun)
 * and every other byte, the new and changed entries and all the text around them, is read
 * again. Reading the 28 MB of a 100,000-token file a second time, after joining it into
 * one string, cost more than the rest of an append.
 */
import { FileError } from '../errors';
import type { RenderedText } from '../domain/document';
import { type KnownRun, type ServerRead, readTokenFile } from '../domain/server-reader';
import { detectKind } from '../domain/token-file';
import { checkRead, passedChecks } from '../domain/validate-file';
import { type Text, joinText } from './text';

/**
 * The text to write, once it has been read back and would load; otherwise
 * EREFUSEDBYSERVER. What is returned is what was checked: a run is written as the slice of
 * the base the reader counted, whatever the piece beside it held.
 */
export function verifiedTokenFile(text: Text, label: string): Text {
  const { checked, known, written } = typeof text === 'object' && 'pieces' in text ? withoutRuns(text) : { checked: joinText(text), known: [], written: text };
  let read = readTokenFile(checked, 'permission', { known });
  // An admin file has no tokens array, so no run can stand in it: read every byte written.
  if (detectKind(read.members.map((m) => m.key)) === 'admin') read = readTokenFile(known.length > 0 ? joinText(written) : checked, 'admin');
  // Only errors count here, so the clock does not matter.
  const { errors } = checkRead(read, 0, { warnings: false });
  if (errors.length > 0 || read.arrayForm) {
    const first = errors[0] ?? { pointer: '', message: 'a struct is written as an array' };
    throw new FileError(
      'EREFUSEDBYSERVER',
      `the new text of ${label} would not load in the server (at ${first.pointer || '/'} ${first.message}), so it was not written; the file was left unchanged. This is a bug: please report it.`,
    );
  }
  return written;
}

/**
 * The text to read, the runs left out of it, and where they stood. A run counts as read
 * only when it is exactly a sequence of canonical entries of a base reading that passed
 * the checks (in object form), and comes after the run before it in the base (so no entry
 * is counted twice); otherwise its bytes are read like any.
 */
function withoutRuns(text: RenderedText): { checked: string; known: KnownRun[]; written: string[] } {
  const { base, runs, pieces } = text;
  if (base === undefined || runs.length === 0) return { checked: pieces.join(''), known: [], written: [...pieces] };
  const known: KnownRun[] = [];
  const kept: string[] = [];
  const written: string[] = [];
  let at = 0;
  let next = 0;
  let after = 0;
  pieces.forEach((piece, i) => {
    const run = runs[next]?.piece === i ? runs[next++]! : undefined;
    const names = run && run.start >= after ? namesOfRun(base.read, run.start, run.end) : undefined;
    if (run === undefined || names === undefined) {
      kept.push(piece);
      written.push(piece);
      at += piece.length;
      return;
    }
    after = run.end;
    known.push({ at, names });
    written.push(base.text.slice(run.start, run.end));
  });
  return { checked: kept.join(''), known, written };
}

/**
 * The names of the base's entries that make up exactly `start`-`end`, or undefined. The
 * base loaded, so any span from one of its entries' start to a later one's end is those
 * entries with the separators the reader read between them.
 */
function namesOfRun(read: ServerRead, start: number, end: number): readonly (string | undefined)[] | undefined {
  const { entries } = read;
  // A reading that passed the checks has no error of serde's either; the array form passes them but is never edited.
  if (read.kind !== 'permission' || read.arrayForm || !passedChecks(read)) return undefined;
  const first = firstAtOrAfter(entries.length, start, (k) => entries.start(k));
  const last = firstAtOrAfter(entries.length, end, (k) => entries.end(k));
  if (last >= entries.length || last < first || entries.start(first) !== start || entries.end(last) !== end) return undefined;
  for (let k = first; k <= last; k++) if (!entries.canonical(k)) return undefined;
  return read.names.slice(first, last + 1);
}

/** The first index below `length` whose `at` is at least `offset` (entries lie in file order), or `length`. */
function firstAtOrAfter(length: number, offset: number, at: (index: number) => number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(mid) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
