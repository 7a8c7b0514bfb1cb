/**
 * A token file as its text and the reader's offsets into it, and the one set of edits
 * every command makes on it: append entries, remove entries, replace an entry's token (and
 * expiry), add databases, set the admin token. Each edit is an operation on the text (as
 * changesets' edit-json and jsonc-parser's modify do) and returns a new document;
 * renderDocument gives the text to write, as pieces (a 28 MB file is never joined into one
 * more copy). Values are never kept beside the text: entryAt and adminOf read them from
 * the text with the server's reader when asked.
 *
 * A new file is an edit of the empty document, so there is one path for every write.
 * Entries no edit touched keep their bytes (a canonical entry is a span of the old text);
 * members this tool does not know keep their bytes and their place; members it knows get
 * the canonical layout (json/layout.ts). Pure.
 */
import { appendToArray, layoutStrings, layoutValue, renderObject } from './json/layout';
import {
  type AdminValues,
  type EntryPlaces,
  type EntryValues,
  type MemberPlace,
  type ServerRead,
  readEntry,
  readMembers,
  readTokenFile,
} from './server-reader';
import type { FileKind } from './token-file';

const ENTRY_ORDER = ['token', 'name', 'expiry_millis', 'permissions'] as const;
const ADMIN_ORDER = ['token', 'name', 'expiry_millis'] as const;
const PERMISSION_ORDER = ['create_databases', 'tokens'] as const;
const KNOWN: Record<FileKind | 'entry', ReadonlySet<string>> = {
  admin: new Set(ADMIN_ORDER),
  permission: new Set(PERMISSION_ORDER),
  entry: new Set(ENTRY_ORDER),
};

/** The entry separator of a canonical tokens array. */
const ENTRY_SEPARATOR = ',\n    ';

/** A member: its key as written and its value laid out for its place. */
interface Member {
  readonly rawKey: string;
  readonly key: string;
  readonly value: string;
}

/**
 * An entry of the tokens array: the index of a canonical entry of the base reading (its
 * bytes are kept), its members, or new text. An index, not an object: 100,000 of them
 * cost the collector nothing.
 */
type Entry = number | readonly Member[] | string;

interface TokensArray {
  readonly entries: readonly Entry[];
}

interface TopMember {
  readonly rawKey: string;
  readonly key: string;
  readonly value: string | TokensArray;
}

interface DocumentBase {
  /** The text the spans point into. */
  readonly base: string;
  /** The reader's reading of `base` (absent for a new file): what the post-write check reuses. */
  readonly baseRead?: ServerRead;
  readonly members: readonly TopMember[];
}

/**
 * The text to write, as pieces, and which pieces are runs of the base text's canonical
 * entries copied as they were (`start`-`end` in the base): the post-write check counts
 * those as read (server-reader's KnownRun) and reads every other byte.
 */
export interface RenderedText {
  readonly pieces: readonly string[];
  readonly base?: { readonly text: string; readonly read: ServerRead };
  readonly runs: ReadonlyArray<{ readonly piece: number; readonly start: number; readonly end: number }>;
}

export interface PermissionDocument extends DocumentBase {
  readonly kind: 'permission';
  /** The entries' names in order: what appends, deletes and lookups need. */
  readonly names: readonly string[];
  /** create_databases as the server reads it (null and absent: undefined). */
  readonly databases: readonly string[] | undefined;
}

export interface AdminDocument extends DocumentBase {
  readonly kind: 'admin';
}

export type TokenDocument = PermissionDocument | AdminDocument;

/** The members of the object whose member places these are, laid out for nesting `depth + 1`. */
function members(text: string, places: readonly MemberPlace[], depth: number, known: ReadonlySet<string>): Member[] {
  return places.map((p) => ({
    rawKey: text.slice(p.keyStart, p.keyEnd),
    key: p.key,
    value: known.has(p.key) ? layoutValue(text, p.valueStart, depth + 1).text : text.slice(p.valueStart, p.valueEnd),
  }));
}

/** The document of a file the reader has read, that loads, in object form. */
export function openDocument(text: string, read: ServerRead): TokenDocument {
  if (read.kind === 'admin') return { kind: 'admin', base: text, baseRead: read, members: members(text, read.members, 0, KNOWN.admin) };
  const top: TopMember[] = read.members.map((p) => {
    if (p.key !== 'tokens') return members(text, [p], 0, KNOWN.permission)[0]!;
    const places = read.entries;
    const entries = new Array<Entry>(places.length);
    for (let k = 0; k < places.length; k++) entries[k] = places.canonical(k) ? k : members(text, readMembers(text, places.start(k)), 2, KNOWN.entry);
    return { rawKey: text.slice(p.keyStart, p.keyEnd), key: p.key, value: { entries } };
  });
  return { kind: 'permission', base: text, baseRead: read, members: top, names: read.names as string[], databases: read.databases ?? undefined };
}

/** The document of a file that does not exist yet. */
export function emptyDocument(kind: 'permission'): PermissionDocument;
export function emptyDocument(kind: 'admin'): AdminDocument;
export function emptyDocument(kind: FileKind): TokenDocument {
  if (kind === 'admin') return { kind, base: '', members: [] };
  return { kind, base: '', members: [{ rawKey: '"tokens"', key: 'tokens', value: { entries: [] } }], names: [], databases: undefined };
}

// ---------------------------------------------------------------------------------------
// Values, read from the text

/** The values of entry `index`, as the server reads them from its text. */
export function entryAt(doc: PermissionDocument, index: number): EntryValues {
  const entry = tokensOf(doc).entries[index];
  if (entry === undefined) throw new RangeError(`no entry ${index}`);
  if (typeof entry === 'string') return readEntry(entry, { start: 0, end: entry.length, canonical: true });
  if (typeof entry === 'number') return readEntry(doc.base, baseEntries(doc).at(entry)!);
  const text = renderObject(entry, 2);
  return readEntry(text, { start: 0, end: text.length, canonical: false });
}

/** Every entry's values, in order. */
export function entriesOf(doc: PermissionDocument): EntryValues[] {
  return doc.names.map((_, i) => entryAt(doc, i));
}

/** The admin token's values, as the server reads them from the document's text. */
export function adminOf(doc: AdminDocument): AdminValues {
  const read = readTokenFile(documentText(doc), 'admin');
  if (read.errors.length > 0) throw new RangeError('adminOf: the document does not load');
  return read.admin as AdminValues;
}

// ---------------------------------------------------------------------------------------
// Members

/**
 * `list` with `key` set to `value` (undefined removes it). The last member of that key
 * changes in its place; a new one goes right after the last present key that comes before
 * it in `order` (the server's field order), or first.
 */
function setMember<M extends { rawKey: string; key: string; value: unknown }>(
  list: readonly M[],
  key: string,
  value: M['value'] | undefined,
  order: readonly string[],
): M[] {
  const out = [...list];
  const at = out.map((m) => m.key).lastIndexOf(key);
  if (value === undefined) {
    if (at !== -1) out.splice(at, 1);
    return out;
  }
  if (at !== -1) {
    out[at] = { ...out[at]!, value };
    return out;
  }
  const before = new Set(order.slice(0, order.indexOf(key)));
  let insert = 0;
  out.forEach((m, i) => {
    if (before.has(m.key)) insert = i + 1;
  });
  out.splice(insert, 0, { rawKey: JSON.stringify(key), key, value } as M);
  return out;
}

function memberValue(doc: DocumentBase, key: string): TopMember['value'] | undefined {
  for (let i = doc.members.length - 1; i >= 0; i--) if (doc.members[i]!.key === key) return doc.members[i]!.value;
  return undefined;
}

function tokensOf(doc: PermissionDocument): TokensArray {
  const v = memberValue(doc, 'tokens');
  // A permission tokens file that loads has a tokens array (create_databases alone does not load).
  if (v === undefined || typeof v === 'string') throw new TypeError('the document has no tokens array');
  return v;
}

function withTokens(doc: PermissionDocument, entries: readonly Entry[], names: readonly string[]): PermissionDocument {
  return { ...doc, members: setMember(doc.members, 'tokens', { entries }, PERMISSION_ORDER), names };
}

/** An entry's text as the canonical layout writes it at depth 2. */
function entryText(e: EntryValues): string {
  const list: Member[] = [
    { rawKey: '"token"', key: 'token', value: JSON.stringify(e.token) },
    { rawKey: '"name"', key: 'name', value: JSON.stringify(e.name) },
  ];
  if (e.expiry !== null) list.push({ rawKey: '"expiry_millis"', key: 'expiry_millis', value: String(e.expiry) });
  list.push({ rawKey: '"permissions"', key: 'permissions', value: layoutStrings(e.permissions, 3) });
  return renderObject(list, 2);
}

// ---------------------------------------------------------------------------------------
// Edits

/** The index of the entry named `name`, or -1. */
export function findEntry(doc: PermissionDocument, name: string): number {
  return doc.names.indexOf(name);
}

/** Adds entries at the end of the tokens array (names are the caller's concern). */
export function appendEntries(doc: PermissionDocument, entries: readonly EntryValues[]): PermissionDocument {
  if (entries.length === 0) return doc;
  return withTokens(doc, [...tokensOf(doc).entries, ...entries.map(entryText)], [...doc.names, ...entries.map((e) => e.name)]);
}

/** Removes every entry whose name is in `names`. */
export function removeEntries(doc: PermissionDocument, names: ReadonlySet<string>): PermissionDocument {
  const gone = placesOf(doc.names, names);
  if (gone.length === 0) return doc;
  // Whole stretches between the removed entries are copied at once (a big file, few removed).
  const without = <T>(list: readonly T[]): T[] => {
    const parts: T[][] = [];
    let from = 0;
    for (const i of gone) {
      parts.push(list.slice(from, i));
      from = i + 1;
    }
    parts.push(list.slice(from));
    // A loop, not concat(...parts): a spread of 150,000 parts overflows the stack.
    const out: T[] = [];
    for (const part of parts) for (const item of part) out.push(item);
    return out;
  };
  return withTokens(doc, without(tokensOf(doc).entries), without(doc.names));
}

/**
 * The indexes of the names in `wanted`, in order. A few are looked up one by one (a delete
 * of one token among 100,000 then hashes no name); many, through the set.
 */
function placesOf(list: readonly string[], wanted: ReadonlySet<string>): number[] {
  const out: number[] = [];
  if (wanted.size > 8) {
    for (let i = 0; i < list.length; i++) if (wanted.has(list[i]!)) out.push(i);
    return out;
  }
  for (const name of wanted) for (let i = list.indexOf(name); i !== -1; i = list.indexOf(name, i + 1)) out.push(i);
  return out.sort((a, b) => a - b);
}

export interface EntryChange {
  token: string;
  /** Present to set the expiry (null removes it); absent keeps it as written. */
  expiry?: bigint | null;
}

/** Replaces the token string (and, when given, the expiry) of the entry named `name`. */
export function replaceEntry(doc: PermissionDocument, name: string, change: EntryChange): PermissionDocument {
  const index = findEntry(doc, name);
  if (index === -1) throw new RangeError(`no entry named ${JSON.stringify(name)}`);
  const entries = [...tokensOf(doc).entries];
  let list = entryMembers(doc, entries[index]!);
  list = setMember(list, 'token', JSON.stringify(change.token), ENTRY_ORDER);
  if ('expiry' in change)
    list = setMember(list, 'expiry_millis', change.expiry === null || change.expiry === undefined ? undefined : String(change.expiry), ENTRY_ORDER);
  entries[index] = list;
  return withTokens(doc, entries, doc.names);
}

function entryMembers(doc: PermissionDocument, entry: Entry): readonly Member[] {
  if (typeof entry === 'object') return entry;
  const text = typeof entry === 'string' ? entry : doc.base;
  const start = typeof entry === 'string' ? 0 : baseEntries(doc).start(entry);
  return members(text, readMembers(text, start), 2, KNOWN.entry);
}

/** The places of the base's entries, which the document's kept entries index. */
function baseEntries(doc: DocumentBase): EntryPlaces {
  // Only an opened document has kept entries, and it has the base's reading.
  if (doc.baseRead === undefined) throw new TypeError('the document has no base reading');
  return doc.baseRead.entries;
}

/**
 * Adds the databases not yet in create_databases, in order, without repeats; a new
 * create_databases goes first, as in the server's own files. Returns those added.
 */
export function addDatabases(doc: PermissionDocument, databases: readonly string[]): { doc: PermissionDocument; added: string[] } {
  const current = doc.databases ?? [];
  const known = new Set(current);
  const added: string[] = [];
  for (const db of databases) {
    if (!known.has(db)) {
      known.add(db);
      added.push(db);
    }
  }
  if (added.length === 0) return { doc, added };
  const existing = memberValue(doc, 'create_databases');
  // `null` loads as absent (serde's Option); the list replaces it.
  const text =
    typeof existing === 'string' && existing !== 'null'
      ? appendToArray(
          existing,
          added.map((d) => JSON.stringify(d)),
          1,
        )
      : layoutStrings(added, 1);
  const all = [...current, ...added];
  return { doc: { ...doc, members: setMember(doc.members, 'create_databases', text, PERMISSION_ORDER), databases: all }, added };
}

/** Sets the admin token, name and expiry (null: removed); other members keep their bytes and place. */
export function setAdminToken(doc: AdminDocument, admin: AdminValues): AdminDocument {
  let list = setMember(doc.members, 'token', JSON.stringify(admin.token), ADMIN_ORDER);
  list = setMember(list, 'name', JSON.stringify(admin.name), ADMIN_ORDER);
  list = setMember(list, 'expiry_millis', admin.expiry === null ? undefined : String(admin.expiry), ADMIN_ORDER);
  return { ...doc, members: list };
}

// ---------------------------------------------------------------------------------------
// Rendering

const TOP_SEPARATOR = ',\n  ';

/** The text of the document as pieces to write one after another, with the runs of base entries among them. */
export function renderDocument(doc: TokenDocument): RenderedText {
  if (doc.members.length === 0) return { pieces: ['{}\n'], runs: [] };
  const out: string[] = ['{\n  '];
  const runs: Array<RenderedText['runs'][number]> = [];
  doc.members.forEach((m, i) => {
    out.push(`${i === 0 ? '' : TOP_SEPARATOR}${m.rawKey}: `);
    if (typeof m.value === 'string') out.push(m.value);
    else renderTokens(doc, m.value, out, runs);
  });
  out.push('\n}\n');
  return { pieces: out, runs, ...(doc.baseRead && { base: { text: doc.base, read: doc.baseRead } }) };
}

/** The text of the document as one string. */
export function documentText(doc: TokenDocument): string {
  return renderDocument(doc).pieces.join('');
}

/**
 * Pushes the tokens array. Runs of entries that were neighbours in the original text go
 * out as one slice of it (recorded in `runs`); runs of new entries as one joined string.
 */
function renderTokens(doc: DocumentBase, array: TokensArray, out: string[], runs: Array<RenderedText['runs'][number]>): void {
  const { entries } = array;
  const base = doc.base;
  if (entries.length === 0) {
    out.push('[]');
    return;
  }
  out.push('[\n    ');
  let runStart = -1;
  let runEnd = -1;
  let runLast = -1;
  let fresh: string[] = [];
  const flush = (): void => {
    if (runStart !== -1) {
      runs.push({ piece: out.length, start: runStart, end: runEnd });
      out.push(base.slice(runStart, runEnd));
    } else if (fresh.length > 0) out.push(fresh.join(ENTRY_SEPARATOR));
    runStart = -1;
    fresh = [];
  };
  let places: EntryPlaces | undefined;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (typeof entry === 'number') {
      places ??= baseEntries(doc);
      const start = places.start(entry);
      // The next entry of the base, after the canonical separator: the run goes on.
      if (runStart !== -1 && entry === runLast + 1 && start === runEnd + ENTRY_SEPARATOR.length && base.startsWith(ENTRY_SEPARATOR, runEnd)) {
        runEnd = places.end(entry);
        runLast = entry;
        continue;
      }
      flush();
      if (i > 0) out.push(ENTRY_SEPARATOR);
      runStart = start;
      runEnd = places.end(entry);
      runLast = entry;
      continue;
    }
    const text = typeof entry === 'string' ? entry : renderObject(entry, 2);
    if (runStart !== -1 || fresh.length === 0) {
      flush();
      if (i > 0) out.push(ENTRY_SEPARATOR);
    }
    fresh.push(text);
  }
  flush();
  out.push('\n  ]');
}
