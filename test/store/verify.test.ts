/**
 * The post-write check: a text the server would refuse is never handed to the writer, and
 * an edit's runs of entries read before are counted as read only where they truly stand
 * at an entry's place; anything else about them makes the text refused or read byte by byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type RenderedText, appendEntries, documentText, openDocument, removeEntries, renderDocument } from '../../src/domain/document';
import { readTokenFile } from '../../src/domain/server-reader';
import { newTokenEntry } from '../../src/domain/token-file';
import { TokenFileError } from '../../src/errors';
import { joinText } from '../../src/store/text';
import { verifiedTokenFile } from '../../src/store/verify';
import { freshToken } from '../helpers';

const entry = (name: string, token = freshToken()): Record<string, unknown> => ({ token, name, permissions: ['db:a:read'] });
const fileOf = (names: string[]): string => `${JSON.stringify({ create_databases: ['a'], tokens: names.map((n) => entry(n)) }, null, 2)}\n`;

function opened(text: string): ReturnType<typeof openDocument> & { kind: 'permission' } {
  const doc = openDocument(text, readTokenFile(text, 'permission'));
  assert.equal(doc.kind, 'permission');
  return doc as ReturnType<typeof openDocument> & { kind: 'permission' };
}

function refused(text: Parameters<typeof verifiedTokenFile>[0], why: RegExp): void {
  assert.throws(
    () => verifiedTokenFile(text, 'tokens.json'),
    (e: unknown) => e instanceof TokenFileError && e.code === 'EREFUSEDBYSERVER' && why.test(e.message) && !/apiv3_/.test(e.message),
  );
}

test('a text the server would refuse is refused, naming the place and no token', () => {
  const token = freshToken();
  refused(`{"tokens": [{"token": "${token}", "name": "a", "permissions": ["db:a:read"], "expiry_millis": 9223372036854775808}]}`, /\/tokens\/0\/expiry_millis/);
  refused(['{"tokens": [', `{"token": "${token}", "name": "a", "permissions": []}`, ']}'], /\/tokens\/0\/permissions/);
  refused(`{"token": "${token}", "name": "_admin", "expiry_millis": 1.5}`, /expiry_millis/);
});

test('an append to a big file: the old entries count as read, the new one is read, the text written is the text meant', () => {
  const names = Array.from({ length: 2000 }, (_, i) => `t${i}`);
  const doc = appendEntries(opened(fileOf(names)), [newTokenEntry(freshToken(), 'new', null, ['db:a:read'])]);
  const rendered = renderDocument(doc);
  assert.ok(rendered.runs.length > 0, 'the old entries go out as a run');
  assert.equal(joinText(verifiedTokenFile(rendered, 'tokens.json')), documentText(doc));
});

test('a new entry named like one in a run is refused', () => {
  const doc = appendEntries(opened(fileOf(['a', 'b', 'c'])), [newTokenEntry(freshToken(), 'b', null, ['db:a:read'])]);
  refused(renderDocument(doc), /"b" is also used/);
});

test('a delete leaves two runs around the gap, both counted, and the file loads', () => {
  const doc = removeEntries(opened(fileOf(['a', 'b', 'c', 'd'])), new Set(['b']));
  const rendered = renderDocument(doc);
  assert.equal(rendered.runs.length, 2);
  const text = joinText(verifiedTokenFile(rendered, 'tokens.json'));
  assert.deepEqual(readTokenFile(text, 'permission').names, ['a', 'c', 'd']);
});

/** A rendered text of `pieces`, whose run pieces are the given spans of `base`. */
function withRuns(base: string, pieces: Array<string | [number, number]>): RenderedText {
  const runs: Array<RenderedText['runs'][number]> = [];
  const out = pieces.map((p, i) => {
    if (typeof p === 'string') return p;
    runs.push({ piece: i, start: p[0], end: p[1] });
    return base.slice(p[0], p[1]);
  });
  return { pieces: out, runs, base: { text: base, read: readTokenFile(base, 'permission') } };
}

test('runs out of an entry place are refused, or read as bytes; the text written is what was checked', () => {
  const base = fileOf(['a', 'b', 'c']);
  const { entries } = readTokenFile(base, 'permission');
  const all: [number, number] = [entries[0]!.start, entries[2]!.end];
  const first: [number, number] = [entries[0]!.start, entries[0]!.end];
  // Where they belong: loads.
  assert.doesNotThrow(() => verifiedTokenFile(withRuns(base, ['{"tokens": [', all, ']}']), 'f'));
  // Inside a string of another member: the tokens array never meets it.
  refused(withRuns(base, ['{"x": "', all, '", "tokens": []}']), /where the tokens array has no entry/);
  // Two runs with no separator between them.
  refused(withRuns(base, ['{"tokens": [', first, [entries[1]!.start, entries[2]!.end], ']}']), /where the tokens array has no entry/);
  // The same entries twice: the second is read as bytes, and its names repeat.
  refused(withRuns(base, ['{"tokens": [', all, ', ', all, ']}']), /also used/);
  // Bounds that are not an entry's: read as bytes (half an entry is not JSON).
  refused(withRuns(base, ['{"tokens": [', [entries[0]!.start + 1, entries[0]!.end], ']}']), /must be an object/);
  // A piece that differs from its run is written as the run it claims, which is what was read.
  const lying = withRuns(base, ['{"tokens": [', all, ']}']);
  const swapped: RenderedText = { ...lying, pieces: lying.pieces.map((p, i) => (i === 1 ? '{"oops": 1}' : p)) };
  assert.equal(joinText(verifiedTokenFile(swapped, 'f')), `{"tokens": [${base.slice(...all)}]}`);
});
