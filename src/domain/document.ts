/**
 * A token file as its text plus its parsed view, and the one set of edits every command
 * makes on it: append entries, remove entries, replace an entry's token (and expiry), add
 * databases, set the admin token. Each edit returns a new document; renderDocument gives
 * the text to write, as pieces (a 28 MB file is never joined into one more copy).
 *
 * A new file is an edit of the empty document, so there is one path for every write.
 * Entries no edit touched keep their bytes (a canonical entry is a span of the old text);
 * members this tool does not know keep their bytes and their place (json-layout.ts).
 *
 * Pure: the caller has validated the text (JSON, schema, serde's rules) before opening it.
 */
import {
  ENTRY_SEPARATOR,
  type Member,
  type Span,
  appendToArray,
  layoutAt,
  objectMembers,
  renderObject,
  tokenEntries,
} from './json-layout';
import type { CanonicalPermissionFile } from './canonical-file';
import type { AdminTokenFile, FileKind, PermissionTokensFile, TokenEntry } from './token-file';

const ENTRY_ORDER = ['token', 'name', 'expiry_millis', 'permissions'] as const;
const ADMIN_ORDER = ['token', 'name', 'expiry_millis'] as const;
const PERMISSION_ORDER = ['create_databases', 'tokens'] as const;
const ENTRY_KNOWN: ReadonlySet<string> = new Set(ENTRY_ORDER);
const KNOWN: Record<FileKind, ReadonlySet<string>> = { admin: new Set(ADMIN_ORDER), permission: new Set(PERMISSION_ORDER) };

/** An entry of the tokens array: a span of the original text, its members, or new text. */
type Entry = Span | Member[] | string;

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
  readonly members: readonly TopMember[];
}

export interface PermissionDocument extends DocumentBase {
  readonly kind: 'permission';
  /** The entries' names in order: what appends, deletes and lookups need, known without the entries. */
  readonly names: readonly string[];
  /** create_databases as the server reads it (null is absent). */
  readonly databases: readonly string[] | undefined;
  /**
   * The file as JSON.parse reads it. A file opened from its canonical text alone builds it
   * on first use (an append to 100,000 tokens never does); never spread a document.
   */
  readonly value: PermissionTokensFile;
}

export interface AdminDocument extends DocumentBase {
  readonly kind: 'admin';
  /** Incomplete only in the empty document, before setAdminToken. */
  readonly value: AdminTokenFile;
}

export type TokenDocument = PermissionDocument | AdminDocument;

/** The document of a validated file: `value` is what JSON.parse made of `text`. */
export function openDocument(text: string, value: PermissionTokensFile): PermissionDocument;
export function openDocument(text: string, value: AdminTokenFile): AdminDocument;
export function openDocument(text: string, value: PermissionTokensFile | AdminTokenFile, kind: FileKind): TokenDocument;
export function openDocument(text: string, value: PermissionTokensFile | AdminTokenFile, kind: FileKind = 'tokens' in value ? 'permission' : 'admin'): TokenDocument {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) !== 0x7b /* { */) i++;
  const { members } = objectMembers<TokensArray>(text, i, 0, KNOWN[kind], (key, start) => {
    if (kind !== 'permission' || key !== 'tokens' || text.charCodeAt(start) !== 0x5b /* [ */) return undefined;
    const { entries, end } = tokenEntries(text, start, ENTRY_KNOWN);
    return { value: { entries }, end };
  });
  // Known members are never repeated in a valid file; JSON.parse keeps the last if they were.
  if (kind === 'admin') return { kind, base: text, members, value: value as AdminTokenFile };
  const file = value as PermissionTokensFile;
  return permissionDocument(
    text,
    members,
    // (Layout tests open files without tokens too.)
    Array.isArray(file.tokens) ? file.tokens.map((t) => t.name) : [],
    file.create_databases ?? undefined,
    () => file,
  );
}

/**
 * The document of a file scanCanonicalPermissionFile accepted (and the caller checked): the
 * members openDocument would find, from the scan; the parsed view only when asked for.
 */
export function openCanonical(text: string, scan: CanonicalPermissionFile): PermissionDocument {
  const members: TopMember[] = [];
  if (scan.databasesText !== undefined) members.push({ rawKey: '"create_databases"', key: 'create_databases', value: scan.databasesText });
  members.push({ rawKey: '"tokens"', key: 'tokens', value: { entries: scan.spans } });
  return permissionDocument(text, members, scan.names, scan.databases, () => JSON.parse(text) as PermissionTokensFile);
}

/** The document of a file that does not exist yet. */
export function emptyDocument(kind: 'permission'): PermissionDocument;
export function emptyDocument(kind: 'admin'): AdminDocument;
export function emptyDocument(kind: FileKind): TokenDocument {
  if (kind === 'admin') return { kind, base: '', members: [], value: {} as AdminTokenFile };
  return permissionDocument('', [{ rawKey: '"tokens"', key: 'tokens', value: { entries: [] } }], [], undefined, () => ({ tokens: [] }));
}

function permissionDocument(
  base: string,
  members: readonly TopMember[],
  names: readonly string[],
  databases: readonly string[] | undefined,
  parsed: () => PermissionTokensFile,
): PermissionDocument {
  let value: PermissionTokensFile | undefined;
  return {
    kind: 'permission',
    base,
    members,
    names,
    databases,
    get value() {
      value ??= parsed();
      return value;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Members

/**
 * `members` with `key` set to `value` (undefined removes it). The last member of that key
 * changes in its place; a new one goes right after the last present key that comes before
 * it in `order` (the server's field order), or first.
 */
function setMember<M extends { rawKey: string; key: string; value: unknown }>(members: readonly M[], key: string, value: M['value'] | undefined, order: readonly string[]): M[] {
  const out = [...members];
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
  // A valid permission tokens file has a tokens array (create_databases alone does not load).
  if (v === undefined || typeof v === 'string') throw new TypeError('the document has no tokens array');
  return v;
}

/** `doc` with these entries; `tokens` gives their parsed view, when someone asks for it. */
function withTokens(doc: PermissionDocument, entries: readonly Entry[], names: readonly string[], tokens: () => TokenEntry[]): PermissionDocument {
  return permissionDocument(doc.base, setMember(doc.members, 'tokens', { entries }, PERMISSION_ORDER), names, doc.databases, () => ({ ...doc.value, tokens: tokens() }));
}

// ---------------------------------------------------------------------------------------
// Edits

/** The index of the entry named `name`, or -1. */
export function findEntry(doc: PermissionDocument, name: string): number {
  return doc.names.indexOf(name);
}

/** Adds entries at the end of the tokens array (names are the caller's concern). */
export function appendEntries(doc: PermissionDocument, entries: readonly TokenEntry[]): PermissionDocument {
  if (entries.length === 0) return doc;
  const added = entries.map((e) => layoutAt(e, 2));
  return withTokens(doc, [...tokensOf(doc).entries, ...added], [...doc.names, ...entries.map((e) => e.name)], () => [...doc.value.tokens, ...entries]);
}

/** Removes every entry whose name is in `names`. */
export function removeEntries(doc: PermissionDocument, names: ReadonlySet<string>): PermissionDocument {
  const layout = tokensOf(doc).entries;
  const keep = doc.names.map((n) => !names.has(n));
  if (keep.every(Boolean)) return doc;
  return withTokens(
    doc,
    layout.filter((_, i) => keep[i]),
    doc.names.filter((_, i) => keep[i]),
    () => doc.value.tokens.filter((_, i) => keep[i]),
  );
}

export interface EntryChange {
  token: string;
  /** Present to set the expiry; present and undefined to remove it; absent to keep it. */
  expiry_millis?: number | undefined;
}

/** Replaces the token string (and, when given, the expiry) of the entry named `name`. */
export function replaceEntry(doc: PermissionDocument, name: string, change: EntryChange): PermissionDocument {
  const index = findEntry(doc, name);
  if (index === -1) throw new RangeError(`no entry named ${JSON.stringify(name)}`);
  const layout = [...tokensOf(doc).entries];
  let members = entryMembers(doc.base, layout[index]!);
  members = setMember(members, 'token', JSON.stringify(change.token), ENTRY_ORDER);
  if ('expiry_millis' in change) {
    members = setMember(members, 'expiry_millis', change.expiry_millis === undefined ? undefined : String(change.expiry_millis), ENTRY_ORDER);
  }
  layout[index] = members;
  return withTokens(doc, layout, doc.names, () => {
    const tokens = [...doc.value.tokens];
    const entry: TokenEntry = { ...tokens[index]!, token: change.token };
    if ('expiry_millis' in change) {
      if (change.expiry_millis === undefined) delete entry.expiry_millis;
      else entry.expiry_millis = change.expiry_millis;
    }
    tokens[index] = entry;
    return tokens;
  });
}

function entryMembers(base: string, entry: Entry): Member[] {
  if (Array.isArray(entry)) return entry;
  const text = typeof entry === 'string' ? entry : base;
  const start = typeof entry === 'string' ? 0 : entry.start;
  return objectMembers(text, start, 2, ENTRY_KNOWN).members as Member[];
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
  const text = typeof existing === 'string' && existing !== 'null' ? appendToArray(existing, added.map((d) => JSON.stringify(d)), 1) : layoutAt(added, 1);
  const all = [...current, ...added];
  const members = setMember(doc.members, 'create_databases', text, PERMISSION_ORDER);
  return { doc: permissionDocument(doc.base, members, doc.names, all, () => ({ ...doc.value, create_databases: [...all] })), added };
}

/** Sets the admin token, name and expiry (absent: removed); other members keep their bytes and place. */
export function setAdminToken(doc: AdminDocument, admin: AdminTokenFile): AdminDocument {
  let members = setMember(doc.members, 'token', JSON.stringify(admin.token), ADMIN_ORDER);
  members = setMember(members, 'name', JSON.stringify(admin.name), ADMIN_ORDER);
  members = setMember(members, 'expiry_millis', admin.expiry_millis === undefined ? undefined : String(admin.expiry_millis), ADMIN_ORDER);
  const value: AdminTokenFile = { ...doc.value, token: admin.token, name: admin.name };
  if (admin.expiry_millis === undefined) delete value.expiry_millis;
  else value.expiry_millis = admin.expiry_millis;
  return { ...doc, members, value };
}

// ---------------------------------------------------------------------------------------
// Rendering

const TOP_SEPARATOR = ',\n  ';

/** The text of the document as pieces to write one after another. */
export function renderDocument(doc: TokenDocument): string[] {
  if (doc.members.length === 0) return ['{}\n'];
  const out: string[] = ['{\n  '];
  doc.members.forEach((m, i) => {
    out.push(`${i === 0 ? '' : TOP_SEPARATOR}${m.rawKey}: `);
    if (typeof m.value === 'string') out.push(m.value);
    else renderTokens(doc.base, m.value, out);
  });
  out.push('\n}\n');
  return out;
}

/** The text of the document as one string (small documents, tests). */
export function documentText(doc: TokenDocument): string {
  return renderDocument(doc).join('');
}

/**
 * Pushes the tokens array. Runs of entries that were neighbours in the original text go
 * out as one slice of it; runs of new entries as one joined string.
 */
function renderTokens(base: string, array: TokensArray, out: string[]): void {
  const { entries } = array;
  if (entries.length === 0) {
    out.push('[]');
    return;
  }
  out.push('[\n    ');
  let runStart = -1;
  let runEnd = -1;
  let fresh: string[] = [];
  const flush = (): void => {
    if (runStart !== -1) out.push(base.slice(runStart, runEnd));
    else if (fresh.length > 0) out.push(fresh.join(ENTRY_SEPARATOR));
    runStart = -1;
    fresh = [];
  };
  entries.forEach((entry, i) => {
    if (typeof entry === 'object' && !Array.isArray(entry)) {
      const span = entry as Span;
      if (runStart !== -1 && span.start === runEnd + ENTRY_SEPARATOR.length && base.startsWith(ENTRY_SEPARATOR, runEnd)) {
        runEnd = span.end;
        return;
      }
      flush();
      if (i > 0) out.push(ENTRY_SEPARATOR);
      runStart = span.start;
      runEnd = span.end;
      return;
    }
    const text = typeof entry === 'string' ? entry : renderObject(entry, 2);
    if (runStart !== -1 || fresh.length === 0) {
      flush();
      if (i > 0) out.push(ENTRY_SEPARATOR);
    }
    fresh.push(text);
  });
  flush();
  out.push('\n  ]');
}
