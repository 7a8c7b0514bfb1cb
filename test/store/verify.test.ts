/**
 * The post-write check: a text the server would refuse is never handed to the writer, and
 * an edit's runs of entries read before are counted as read only where they truly stand
 * at an entry's place; anything else about them makes the text refused or read byte by byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type RenderedText, appendEntries, documentText, openDocument, removeEntries, renderDocument } from '../../src/domain/document';
import { readTokenFile } from '../../src/domain/server-reader';
import { detectKind } from '../../src/domain/token-file';
import { checkRead } from '../../src/domain/validate-file';
import { newTokenEntry } from '../../src/domain/token-file';
import { TokenFileError } from '../../src/errors';
import { joinText } from '../../src/store/text';
import { verifiedTokenFile } from '../../src/store/verify';
import { freshToken } from '../helpers';

const entry = (name: string, permissions = ['db:a:read']): Record<string, unknown> => ({ token: freshToken(), name, permissions });
const fileOf = (entries: Array<Record<string, unknown>>): string => `${JSON.stringify({ create_databases: ['a'], tokens: entries }, null, 2)}\n`;
const namedFile = (names: string[]): string => fileOf(names.map((n) => entry(n)));

/** The document of a file as an edit opens it: read, and checked (load.ts), so its runs count as read. */
function opened(text: string): ReturnType<typeof openDocument> & { kind: 'permission' } {
  const read = readTokenFile(text, 'permission');
  assert.deepEqual(checkRead(read, 0, { warnings: false }).errors, []);
  const doc = openDocument(text, read);
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
  const doc = appendEntries(opened(namedFile(names)), [newTokenEntry(freshToken(), 'new', null, ['db:a:read'])]);
  const rendered = renderDocument(doc);
  assert.ok(rendered.runs.length > 0, 'the old entries go out as a run');
  assert.equal(joinText(verifiedTokenFile(rendered, 'tokens.json')), documentText(doc));
  // Counted, not read again: a run is written as the slice of the old text it was counted as,
  // whatever its piece holds, so garbage in its place still gives the text meant.
  const run = rendered.runs[0]!.piece;
  const garbled = { ...rendered, pieces: rendered.pieces.map((p, i) => (i === run ? 'garbage' : p)) };
  assert.equal(joinText(verifiedTokenFile(garbled, 'tokens.json')), documentText(doc));
});

test('a new entry named like one in a run, or like another new one, is refused (a few new entries or many)', () => {
  const added = (names: string[]) => names.map((n) => newTokenEntry(freshToken(), n, null, ['db:a:read']));
  const base = (): ReturnType<typeof opened> => opened(namedFile(['a', 'b', 'c']));
  refused(renderDocument(appendEntries(base(), added(['b']))), /"b" is also used/);
  refused(renderDocument(appendEntries(base(), added(['z', 'z']))), /"z" is also used/);
  const many = Array.from({ length: 12 }, (_, i) => `n${i}`);
  refused(renderDocument(appendEntries(base(), added([...many, 'c']))), /"c" is also used/);
  refused(renderDocument(appendEntries(base(), added([...many, 'n3']))), /"n3" is also used/);
  assert.doesNotThrow(() => verifiedTokenFile(renderDocument(appendEntries(base(), added(many))), 'f'));
});

test('a delete leaves two runs around the gap, both counted, and the file loads', () => {
  const doc = removeEntries(opened(namedFile(['a', 'b', 'c', 'd'])), new Set(['b']));
  const rendered = renderDocument(doc);
  assert.equal(rendered.runs.length, 2);
  const text = joinText(verifiedTokenFile(rendered, 'tokens.json'));
  assert.deepEqual(readTokenFile(text, 'permission').names, ['a', 'c', 'd']);
});

/**
 * A rendered text of `pieces`, whose run pieces are the given spans of `base`. The base's
 * reading has passed the checks, as every edit's has (load.ts), unless `checked` is false.
 */
function withRuns(base: string, pieces: Array<string | [number, number]>, checked = true): RenderedText {
  const read = readTokenFile(base, 'permission');
  if (checked) assert.deepEqual(checkRead(read, 0, { warnings: false }).errors, []);
  const runs: Array<RenderedText['runs'][number]> = [];
  const out = pieces.map((p, i) => {
    if (typeof p === 'string') return p;
    runs.push({ piece: i, start: p[0], end: p[1] });
    return base.slice(p[0], p[1]);
  });
  return { pieces: out, runs, base: { text: base, read } };
}

/** What a full read of the bytes gives: the verdict the check must agree with. */
function fullVerdict(text: string): string[] {
  let read = readTokenFile(text, 'permission');
  if (detectKind(read.members.map((m) => m.key)) === 'admin') read = readTokenFile(text, 'admin');
  return checkRead(read, 0, { warnings: false }).errors.map((e) => `${e.pointer} ${e.message}`);
}

/** The check refuses the text, or what it returns loads on a full read of its bytes, in object form. */
function soundlyVerified(text: RenderedText): void {
  let written: string;
  try {
    written = joinText(verifiedTokenFile(text, 'f'));
  } catch (e) {
    assert.match((e as Error).message, /would not load/);
    return;
  }
  assert.deepEqual(fullVerdict(written), [], `the check accepted a text that does not load: ${fullVerdict(written)[0]}`);
  assert.equal(readTokenFile(written, 'permission').arrayForm, false, 'the check accepted the array form it refuses');
}

test('runs out of an entry place are refused, or read as bytes; the text written is what was checked', () => {
  const base = namedFile(['a', 'b', 'c']);
  const { entries } = readTokenFile(base, 'permission');
  const all: [number, number] = [entries.at(0)!.start, entries.at(2)!.end];
  const first: [number, number] = [entries.at(0)!.start, entries.at(0)!.end];
  // Where they belong: loads.
  assert.doesNotThrow(() => verifiedTokenFile(withRuns(base, ['{"tokens": [', all, ']}']), 'f'));
  // Inside a string of another member: the tokens array never meets it.
  refused(withRuns(base, ['{"x": "', all, '", "tokens": []}']), /where the tokens array has no entry/);
  // Two runs with no separator between them.
  refused(withRuns(base, ['{"tokens": [', first, [entries.at(1)!.start, entries.at(2)!.end], ']}']), /where the tokens array has no entry/);
  // The same entries twice: the second is read as bytes, and its names repeat.
  refused(withRuns(base, ['{"tokens": [', all, ', ', all, ']}']), /also used/);
  // Bounds that are not an entry's: read as bytes (half an entry is not JSON).
  refused(withRuns(base, ['{"tokens": [', [entries.at(0)!.start + 1, entries.at(0)!.end], ']}']), /must be an object/);
  // A piece that differs from its run is written as the run it claims, which is what was read.
  const lying = withRuns(base, ['{"tokens": [', all, ']}']);
  const swapped: RenderedText = { ...lying, pieces: lying.pieces.map((p, i) => (i === 1 ? '{"oops": 1}' : p)) };
  assert.equal(joinText(verifiedTokenFile(swapped, 'f')), `{"tokens": [${base.slice(...all)}]}`);
});

test('a run in a text that reads as an admin file: every byte written is read', () => {
  const base = fileOf([entry('a'), entry('b')]);
  const { entries } = readTokenFile(base, 'permission');
  const all: [number, number] = [entries.at(0)!.start, entries.at(1)!.end];
  soundlyVerified(withRuns(base, [`{"token": "${freshToken()}", "name": "_admin", "x": "`, all, '"}\n']));
});

test('runs count as read only from a base that passed the checks: serde reads *:*:*, the server refuses it', () => {
  // "*:*:*" is canonical to the regex; serde reads it; the server refuses a wildcard type in a permission file.
  const base = fileOf([entry('a'), entry('b', ['*:*:*'])]);
  assert.equal(readTokenFile(base, 'permission').errors.length, 0);
  assert.notDeepEqual(fullVerdict(base), []);
  const { entries } = readTokenFile(base, 'permission');
  soundlyVerified(withRuns(base, ['{\n  "tokens": [\n    ', [entries.at(0)!.start, entries.at(1)!.end], '\n  ]\n}\n'], false));
});

test('an entry in the array form never counts as read (the check refuses the array form)', () => {
  const t = freshToken();
  const base = `{"tokens": [${JSON.stringify(entry('a'))}, ["${t}", "b", null, ["db:a:read"]]]}`;
  const read = readTokenFile(base, 'permission');
  assert.equal(read.errors.length, 0);
  soundlyVerified(withRuns(base, ['{"tokens": [', [read.entries.at(0)!.start, read.entries.at(1)!.end], ']}'], false));
});

test('pointers of fresh entries around runs, runs misplaced in every other place, whitespace and escaped keys', () => {
  const base = fileOf([entry('a'), entry('b'), entry('c')]);
  const { entries } = readTokenFile(base, 'permission');
  const [e0, e1, e2] = [entries.at(0)!, entries.at(1)!, entries.at(2)!];
  const bad = JSON.stringify({ token: freshToken(), name: 'n', permissions: ['*:*:*'] });
  const good = JSON.stringify({ token: freshToken(), name: 'g', permissions: ['db:a:read'] });
  const refusedAt = (t: RenderedText, pointer: RegExp): void =>
    assert.throws(
      () => verifiedTokenFile(t, 'f'),
      (e: Error) => pointer.test(e.message),
    );
  refusedAt(withRuns(base, ['{"tokens": [', [e0.start, e1.end], `, ${bad}]}`]), /at \/tokens\/2\/permissions\/0/);
  refusedAt(withRuns(base, [`{"tokens": [${good}, `, [e0.start, e1.end], `, ${bad}]}`]), /at \/tokens\/3\/permissions\/0/);
  refusedAt(withRuns(base, [`{"tokens": [${bad}, `, [e0.start, e1.end], `]}`]), /at \/tokens\/0\/permissions\/0/);
  refusedAt(withRuns(base, ['{"tokens": [', [e0.start, e0.end], `${good}]}`]), /expected "," or "]"/);
  refusedAt(withRuns(base, [`{"tokens": [${good}`, [e0.start, e0.end], `]}`]), /no entry/);
  refusedAt(withRuns(base, ['{"tokens": [', [e0.start, e0.end], ',]}']), /./);
  refusedAt(withRuns(base, ['{"tokens": [', [e0.start, e0.end], '], "tokens": []}']), /more than once/);
  refusedAt(withRuns(base, ['{"tokens": [], "tokens": [', [e0.start, e0.end], ']}']), /./);
  refusedAt(withRuns(base, ['[null, [', [e0.start, e0.end], ']]']), /array/);
  refusedAt(withRuns(base, ['{"create_databases": [', [e0.start, e0.end], '], "tokens": []}']), /no entry/);
  refusedAt(withRuns(base, ['{"tokens": [{"token": "apiv3_x", "name": "q", "permissions": ["db:a:read"], "x": [', [e0.start, e0.end], ']}]}']), /no entry/);
  refusedAt(withRuns(base, ['{"tokens": [', [e0.start, e0.end], ' ', [e1.start, e1.end], ']}']), /no entry/);
  for (const t of [
    withRuns(base, [' {\t"tokens"\r: [ \n', [e0.start, e2.end], ' \n] }']),
    withRuns(base, ['{"tokens": [', [e0.start, e0.end], ',', [e1.start, e1.end], ']}']),
    withRuns(base, [`{"tokens": [${good},`, [e1.start, e2.end], `]}`]),
    withRuns(base, ['{"tok\\u0065ns": [', [e0.start, e2.end], ']}']),
    // out of base order: the later run is read as bytes
    withRuns(base, ['{"tokens": [', [e0.start, e0.end], ', ', [e2.start, e2.end], ', ', [e1.start, e1.end], ']}']),
    // bounds that are not an entry's, completed by the next piece: read as bytes
    withRuns(base, ['{"tokens": [', [e0.start, e0.end - 1], '}]}']),
  ]) {
    const written = joinText(verifiedTokenFile(t, 'f'));
    assert.deepEqual(fullVerdict(written), []);
  }
});
