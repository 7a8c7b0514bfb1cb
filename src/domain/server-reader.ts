/**
 * The server's reader, exactly, and the only reading of a token file: what
 * `serde_json::from_str` does with the text when it deserialises it into the server's
 * structs (AdminTokenFile in influxdb3's commands/create/token.rs; the permission tokens
 * file's structs as docs/design.md declares them). It gives serde's verdict and, for what
 * it read, the exact values the server reads (expiry_millis as an i64 bigint; null and
 * absent alike as no expiry; strings decoded) and the offsets of every member and entry,
 * which document.ts edits by. scripts/serde-oracle holds the Rust side;
 * fixtures/serde-json-cases.json its answers, which the tests hold this module to.
 *
 * One pass, iterative where values are skipped (an unknown field may nest 100,000 deep;
 * serde skips it without a recursion limit). serde stops at its first error; this reader
 * goes on where it can, so that every problem is reported with its place; the verdict is
 * the same: the file loads iff there is none. The caller has checked the bytes are UTF-8
 * (the server reads the file with read_to_string first), so the text holds no lone
 * surrogate itself. Pure.
 *
 * One fast path: an entry laid out exactly as this tool, JSON.stringify(v, null, 2) and
 * the server's pretty printer write it, with plain strings, is matched by one native
 * regular expression (100,000 entries in a few tens of milliseconds); any other entry
 * takes the walk, which gives the same verdict and values.
 */
import { escapePointerToken } from './json-pointer';
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  JsonSyntax,
  MINUS,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  decodeString,
  isDigit,
  isIntegerLiteral,
  numberEnd,
  skipSpace,
  skipValue,
  stringEnd,
  syntaxMessage,
} from './json/scan';

export type ServerKind = 'admin' | 'permission';

export interface ServerProblem {
  readonly pointer: string;
  readonly message: string;
}

/** A member of an object: its key decoded, and where its key and value lie in the text. */
export interface MemberPlace {
  readonly key: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** The values the server reads from one token entry. */
export interface EntryValues {
  readonly token: string;
  readonly name: string;
  /** i64 milliseconds; null when absent or null (the server reads both as "never expires"). */
  readonly expiry: bigint | null;
  readonly permissions: readonly string[];
}

export interface AdminValues {
  readonly token: string;
  readonly name: string;
  readonly expiry: bigint | null;
}

/** Where one entry of the tokens array lies; `canonical` when it is in the canonical layout (its bytes can be kept as they are). */
export interface EntryPlace {
  readonly start: number;
  readonly end: number;
  readonly canonical: boolean;
}

/**
 * Where each entry of the tokens array lies, in file order: three columns, not one object
 * per entry (100,000 objects that live as long as the reading were copied by every
 * scavenge: 16 ms of an append to 100,000 tokens). Offsets fit in 32 bits: a token file
 * is at most 256 MiB.
 */
export class EntryPlaces {
  private starts = new Int32Array(256);
  private ends = new Int32Array(256);
  private flags = new Uint8Array(256);
  length = 0;

  add(start: number, end: number, canonical: boolean): void {
    if (this.length === this.starts.length) this.grow(this.length + 1);
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.flags[this.length++] = canonical ? 1 : 0;
  }
  /** `count` zero-width canonical places at `at` (a known run's entries). */
  addRun(at: number, count: number): void {
    const size = this.length + count;
    this.grow(size);
    this.starts.fill(at, this.length, size);
    this.ends.fill(at, this.length, size);
    this.flags.fill(1, this.length, size);
    this.length = size;
  }
  private grow(size: number): void {
    if (size <= this.starts.length) return;
    const n = Math.max(this.length * 2, size);
    const [starts, ends, flags] = [new Int32Array(n), new Int32Array(n), new Uint8Array(n)];
    starts.set(this.starts);
    ends.set(this.ends);
    flags.set(this.flags);
    [this.starts, this.ends, this.flags] = [starts, ends, flags];
  }
  start(index: number): number {
    return this.starts[index]!;
  }
  end(index: number): number {
    return this.ends[index]!;
  }
  canonical(index: number): boolean {
    return this.flags[index] === 1;
  }
  /** The place of entry `index` as an object (made when asked), or undefined past the end. */
  at(index: number): EntryPlace | undefined {
    if (!(index >= 0 && index < this.length)) return undefined;
    return { start: this.start(index), end: this.end(index), canonical: this.canonical(index) };
  }
}

/** An entry whose values were read; fields the server would not read are missing (the file then does not load). */
export interface ReadEntry {
  readonly index: number;
  readonly values: Partial<EntryValues>;
  /**
   * false for a canonical entry whose list of permissions an earlier canonical entry has:
   * the regex settled the rest of what the checks look at (an apiv3_ token, a name, a list
   * of strings), so a check that only needs errors can pass it by.
   */
  readonly distinct: boolean;
}

export interface ServerRead {
  readonly kind: ServerKind;
  /** Why serde would refuse the file; empty when it loads. */
  readonly errors: ServerProblem[];
  /** What loads but deserves a word: the array form, null for an optional field. */
  readonly warnings: ServerProblem[];
  /** Some struct was written as a JSON array of its fields (serde reads it; edits refuse it). */
  readonly arrayForm: boolean;
  /** The top object's members in file order (duplicates included); empty in the array form. */
  readonly members: readonly MemberPlace[];
  /** An admin file's values, as far as they were read. */
  readonly admin: Partial<AdminValues> | undefined;
  /** create_databases as read; null when absent or null (or not read whole). */
  readonly databases: readonly string[] | null;
  /** Each item of create_databases that is a string, in place (undefined where not), for the checks of a file that does not load. */
  readonly databaseItems: ReadonlyArray<string | undefined>;
  /** Each entry of the tokens array, in file order (permission files). */
  readonly entries: EntryPlaces;
  /** Each entry's name, in file order (undefined where it could not be read). */
  readonly names: ReadonlyArray<string | undefined>;
  /**
   * Read with known runs: the indexes of the entries read from the text, not counted from
   * a run. A run's names are those of a reading that passed the checks, so they differ
   * from one another (and runs never repeat an entry): only these can repeat a name.
   */
  readonly fresh?: readonly number[];
  /**
   * The entries whose values were read: all of them with `values`; otherwise every entry
   * outside the canonical layout and, of the canonical ones, the first of each distinct
   * list of permissions (what is left to check of the rest: their grammar is the regex's).
   */
  readonly read: readonly ReadEntry[];
}

export interface ReadOptions {
  /** Read every entry's values (show, validate), not only the index an edit needs. */
  values?: boolean;
  /**
   * Runs of entries read before, left out of `text` (the post-write check of an edit, see
   * KnownRun), in the order of their offsets.
   */
  known?: readonly KnownRun[];
}

/**
 * Entries this reader has read before, in the canonical layout, left out of the text at
 * `at`, a place where the tokens array expects an entry. A canonical entry is a span the
 * regular expression matched from its "{" to its "}": what the server reads of it depends
 * on those bytes alone, not on where it stands in the array, and the checks found nothing
 * wrong in it. The reader counts the run as its entries there, with these names, instead
 * of matching them again; every byte around and between runs is read. A run found at no
 * entry's place makes the text refused (an edit that put it there did something wrong).
 */
export interface KnownRun {
  readonly at: number;
  readonly names: ReadonlyArray<string | undefined>;
}

type FieldType = 'string' | 'optI64' | 'strings' | 'optStrings' | 'tokens';
interface Field {
  readonly name: string;
  readonly type: FieldType;
}
interface Struct {
  readonly rust: string;
  readonly fields: readonly Field[];
}

// Declaration order matters: it is the order of the array form.
const ADMIN: Struct = {
  rust: 'AdminTokenFile',
  fields: [
    { name: 'token', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'expiry_millis', type: 'optI64' },
  ],
};
const TOKEN: Struct = {
  rust: 'PermissionToken',
  fields: [
    { name: 'token', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'expiry_millis', type: 'optI64' },
    { name: 'permissions', type: 'strings' },
  ],
};
const PERMISSION_FILE: Struct = {
  rust: 'PermissionTokensFile',
  fields: [
    { name: 'create_databases', type: 'optStrings' },
    { name: 'tokens', type: 'tokens' },
  ],
};

const isOptional = (t: FieldType): boolean => t === 'optI64' || t === 'optStrings';

/** A string without escapes or control characters: the same text to serde and to anyone. */
const PLAIN = '[^"\\\\\\x00-\\x1f]';
/**
 * One entry exactly as the canonical layout writes it at depth 2, with plain strings, an
 * apiv3_ token, a non-empty name and an expiry of at most 18 digits (surely inside i64,
 * never -0). With `values`, it captures the token, name, expiry digits and the permission
 * list's inner text; without, the name and the list only, what an edit needs of every
 * entry (each capture is a string made for each of 100,000 entries).
 */
const canonicalEntry = (values: boolean): RegExp => {
  const take = values ? '(' : '(?:';
  return new RegExp(
    `\\{\\n      "token": "${take}apiv3_${PLAIN}*)",\\n      "name": "(${PLAIN}+)",(?:\\n      "expiry_millis": ${take}0|-?[1-9]\\d{0,17}),)?` +
      `\\n      "permissions": \\[\\n        ("${PLAIN}*"(?:,\\n        "${PLAIN}*")*)\\n      \\]\\n    \\}`,
    'y',
  );
};
/** Captures: 1 token, 2 name, 3 expiry digits, 4 the list. */
const CANONICAL_ENTRY = canonicalEntry(true);

/** The same grammar; captures: 1 name, 2 the list. */
const CANONICAL_SHAPE = canonicalEntry(false);

/**
 * The fast path's match at `i`, or null. An entry the regular expression cannot take (a
 * list of 10 million permissions, 200 MB, overflows V8's backtracking stack; 3 million do not) takes the walk.
 */
function matchAt(rx: RegExp, text: string, i: number): RegExpExecArray | null {
  rx.lastIndex = i;
  try {
    return rx.exec(text);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}
const PERMISSION_SEPARATOR = '",\n        "';

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

const LONE_SURROGATE = 'holds a lone or reversed surrogate escape (such as \\ud800); the server reads strings as UTF-8 and refuses it';

/**
 * The values of a canonical entry the regex has just matched. Files repeat a few expiries
 * and lists of permissions across thousands of tokens: `shared` makes each once (the lists
 * are read-only to everyone).
 */
function canonicalValues(m: RegExpExecArray, shared?: Shared): EntryValues {
  const digits = m[3];
  const list = m[4]!;
  let expiry: bigint | null = null;
  if (digits !== undefined) {
    expiry = shared?.expiries.get(digits) ?? null;
    if (expiry === null) {
      expiry = BigInt(digits);
      shared?.expiries.set(digits, expiry);
    }
  }
  let permissions = shared?.lists.get(list);
  if (permissions === undefined) {
    permissions = list.slice(1, -1).split(PERMISSION_SEPARATOR);
    shared?.lists.set(list, permissions);
  }
  return { token: m[1]!, name: m[2]!, expiry, permissions };
}

interface Shared {
  readonly expiries: Map<string, bigint>;
  readonly lists: Map<string, readonly string[]>;
}

interface StructRead {
  values: Record<string, unknown>;
  members: MemberPlace[];
}

/** The reading state of one pass over `text`. */
class Pass {
  i = 0;
  readonly errors: ServerProblem[] = [];
  readonly warnings: ServerProblem[] = [];
  arrayForm = false;
  readonly entries = new EntryPlaces();
  databaseItems: Array<string | undefined> = [];
  readonly names: Array<string | undefined> = [];
  read: ReadEntry[] = [];
  readonly fresh: number[] = [];
  /** The next of the known runs to take. */
  nextKnown = 0;

  constructor(
    readonly text: string,
    readonly allValues: boolean,
    readonly known: readonly KnownRun[] = [],
  ) {}

  /**
   * Takes the known run that stands between `from` and `i`, the place of an element of the
   * tokens array before and after the white space: its entries (zero-width places at `at`)
   * and names. False when none stands there.
   */
  takeKnown(from: number, i: number): boolean {
    const run = this.known[this.nextKnown];
    if (run === undefined || run.at < from || run.at > i) return false;
    this.nextKnown++;
    this.entries.addRun(run.at, run.names.length);
    // Pushed, not concatenated: an edit of a file whose canonical entries alternate with
    // others has thousands of short runs, and each concat copied every name so far.
    for (const name of run.names) this.names.push(name);
    return true;
  }

  ws(): void {
    this.i = skipSpace(this.text, this.i);
  }
  here(): number {
    return this.text.charCodeAt(this.i);
  }
  expected(what: string): JsonSyntax {
    return new JsonSyntax(this.i, this.i >= this.text.length ? `unexpected end of input, expected ${what}` : `expected ${what}`);
  }

  /** A string read into a Rust String: escapes decoded, surrogates checked. */
  readString(pointer: string): string | undefined {
    const start = this.i;
    this.i = stringEnd(this.text, start);
    const s = decodeString(this.text.slice(start, this.i));
    if (s === undefined) this.errors.push({ pointer, message: `this string ${LONE_SURROGATE}` });
    return s;
  }

  typeError(pointer: string, expected: string): undefined {
    this.errors.push({ pointer, message: `must be ${expected}` });
    this.i = skipValue(this.text, this.i);
    return undefined;
  }

  readNull(): boolean {
    if (!this.text.startsWith('null', this.i)) return false;
    this.i += 4;
    return true;
  }

  readI64(pointer: string, inArray: boolean): bigint | null | undefined {
    if (this.readNull()) {
      // In the array form, null is how "none" is written; in an object the field can be left out.
      if (!inArray) this.warnings.push({ pointer, message: 'expiry_millis is null, which the server reads as no expiry; omit the field instead' });
      return null;
    }
    const c = this.here();
    if (!(c === MINUS || isDigit(c))) return this.typeError(pointer, 'an integer (Unix epoch milliseconds) or null');
    const start = this.i;
    this.i = numberEnd(this.text, start);
    const digits = this.text.slice(start, this.i);
    if (!isIntegerLiteral(digits)) {
      this.errors.push({
        pointer,
        message: 'must be an integer written without a fraction or exponent: the server reads 1.0, 1e12 or -0 as a float and refuses it',
      });
      return undefined;
    }
    const v = BigInt(digits);
    if (v < I64_MIN || v > I64_MAX) {
      this.errors.push({
        pointer,
        message: 'is outside the range of a signed 64-bit integer (-9223372036854775808 to 9223372036854775807), which the server refuses',
      });
      return undefined;
    }
    return v;
  }

  /** An array of strings; undefined when some item is not one (`items` gets every item in place). */
  readStrings(pointer: string, what: string, items: Array<string | undefined> = []): string[] | undefined {
    if (this.here() !== OPEN_BRACKET) return this.typeError(pointer, `an array of ${what}`);
    this.i++;
    this.elements(pointer, (p) => {
      items.push(this.here() !== QUOTE ? this.typeError(p, 'a string') : this.readString(p));
    });
    return items.every((s) => s !== undefined) ? (items as string[]) : undefined;
  }

  /** The elements of an array whose "[" was read, each by `item` (which gets its pointer). */
  elements(pointer: string, item: (p: string, k: number) => void): void {
    this.ws();
    if (this.here() === CLOSE_BRACKET) {
      this.i++;
      return;
    }
    for (let k = 0; ; k++) {
      this.ws();
      item(`${pointer}/${k}`, k);
      this.ws();
      const c = this.here();
      if (c === COMMA) this.i++;
      else if (c === CLOSE_BRACKET) {
        this.i++;
        return;
      } else throw this.expected('"," or "]"');
    }
  }

  readTokens(pointer: string): boolean {
    if (this.here() !== OPEN_BRACKET) {
      this.typeError(pointer, 'an array of token objects');
      return false;
    }
    const { text, read } = this;
    const shared: Shared = { expiries: new Map(), lists: new Map() };
    // The hot loop of every command on a big file: no callback, no pointer built for an entry that reads fast.
    const known = this.known.length > 0;
    let from = this.i + 1;
    let i = skipSpace(text, from);
    let took = known && this.takeKnown(from, i);
    if (!took && text.charCodeAt(i) === CLOSE_BRACKET) {
      this.i = i + 1;
      return true;
    }
    for (let index = 0; ; index++) {
      if (took || (known && this.takeKnown(from, i))) {
        // A known run stands here: its entries are counted, a separator or the end comes next.
        took = false;
        index = this.entries.length - 1;
      } else {
        if (known) this.fresh.push(index);
        const rx = this.allValues ? CANONICAL_ENTRY : CANONICAL_SHAPE;
        const m = matchAt(rx, text, i);
        if (m !== null) {
          const end = rx.lastIndex;
          this.entries.add(i, end, true);
          // The first entry with its list of permissions puts the list in `shared`.
          if (this.allValues) {
            this.names.push(m[2]!);
            const distinct = !shared.lists.has(m[4]!);
            read.push({ index, values: canonicalValues(m, shared), distinct });
          } else {
            this.names.push(m[1]!);
            if (!shared.lists.has(m[2]!)) {
              read.push({ index, values: canonicalValues(matchAt(CANONICAL_ENTRY, text, i)!, shared), distinct: true });
            }
          }
          i = end;
        } else {
          this.i = i;
          const s = this.readStruct(TOKEN, `${pointer}/${index}`);
          this.entries.add(i, this.i, false);
          const v = s?.values ?? {};
          this.names.push(typeof v.name === 'string' ? v.name : undefined);
          if (s) read.push({ index, values: entryValues(v), distinct: true });
          i = this.i;
        }
      }
      i = skipSpace(text, i);
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        from = i + 1;
        i = skipSpace(text, from);
      } else if (c === CLOSE_BRACKET) {
        this.i = i + 1;
        return true;
      } else {
        this.i = i;
        throw this.expected('"," or "]"');
      }
    }
  }

  readField(f: Field, pointer: string, inArray = false): unknown {
    this.ws();
    switch (f.type) {
      case 'string':
        return this.here() !== QUOTE ? this.typeError(pointer, 'a string') : this.readString(pointer);
      case 'optI64':
        return this.readI64(pointer, inArray);
      case 'strings':
        return this.readStrings(pointer, 'strings');
      case 'optStrings':
        if (this.readNull()) {
          if (!inArray) this.warnings.push({ pointer, message: 'create_databases is null, which the server reads as absent; omit the field or write []' });
          return null;
        }
        return this.readStrings(pointer, 'database names', this.databaseItems);
      case 'tokens':
        return this.readTokens(pointer);
    }
  }

  /**
   * A derived struct: serde_json's deserialize_struct takes an object (fields by name, a
   * known one at most once, unknown ones skipped, optional ones may be missing) or an
   * array of exactly its fields in declaration order. Undefined: not read at all.
   */
  readStruct(s: Struct, pointer: string): StructRead | undefined {
    this.ws();
    const c = this.here();
    if (c === OPEN_BRACKET) return this.readArrayForm(s, pointer);
    if (c !== OPEN_BRACE) return this.typeError(pointer, `an object (${s.rust})`);
    const { text } = this;
    this.i++;
    const values: Record<string, unknown> = {};
    const members: MemberPlace[] = [];
    const seen = new Set<string>();
    this.ws();
    if (this.here() === CLOSE_BRACE) this.i++;
    else {
      for (;;) {
        this.ws();
        if (this.here() !== QUOTE) throw this.expected('a key in double quotes');
        const keyStart = this.i;
        const keyEnd = stringEnd(text, keyStart);
        // Keys of a struct's own object are read as Rust strings before they are matched.
        let key = decodeString(text.slice(keyStart, keyEnd));
        if (key === undefined) this.errors.push({ pointer, message: `a key of this object ${LONE_SURROGATE}` });
        this.i = keyEnd;
        this.ws();
        if (this.here() !== COLON) throw this.expected('":" after a key');
        this.i++;
        this.ws();
        const valueStart = this.i;
        const field = key === undefined ? undefined : s.fields.find((f) => f.name === key);
        key ??= '\uffff';
        const p = `${pointer}/${escapePointerToken(key)}`;
        if (field === undefined) this.i = skipValue(text, this.i);
        else if (seen.has(key)) {
          this.errors.push({ pointer: p, message: `the field "${key}" is given more than once in this object; the server refuses a duplicate field` });
          this.i = skipValue(text, this.i);
        } else {
          seen.add(key);
          const v = this.readField(field, p);
          if (v !== undefined) values[key] = v;
        }
        members.push({ key, keyStart, keyEnd, valueStart, valueEnd: this.i });
        this.ws();
        const d = this.here();
        if (d === COMMA) this.i++;
        else if (d === CLOSE_BRACE) {
          this.i++;
          break;
        } else throw this.expected('"," or "}"');
      }
    }
    for (const f of s.fields) {
      if (seen.has(f.name)) continue;
      if (isOptional(f.type)) values[f.name] = null;
      else this.errors.push({ pointer: `${pointer}/${escapePointerToken(f.name)}`, message: `the required field "${f.name}" is missing` });
    }
    return { values, members };
  }

  readArrayForm(s: Struct, pointer: string): StructRead | undefined {
    this.i++;
    this.arrayForm = true;
    const names = s.fields.map((f) => f.name).join(', ');
    this.warnings.push({ pointer, message: `this is written as an array of the fields (${names}); the server reads it, but write it as an object` });
    const values: Record<string, unknown> = {};
    let count = 0;
    for (const f of s.fields) {
      this.ws();
      if (this.here() === CLOSE_BRACKET) break;
      if (count > 0) {
        if (this.here() !== COMMA) throw this.expected('"," or "]"');
        this.i++;
      }
      const v = this.readField(f, `${pointer}/${count}`, true);
      if (v !== undefined) values[f.name] = v;
      count++;
      this.ws();
    }
    if (count < s.fields.length) {
      this.errors.push({
        pointer,
        message: `this array has ${count} item${count === 1 ? '' : 's'}; read as ${s.rust} it needs exactly ${s.fields.length} (${names})`,
      });
      this.i++; // the "]" that ended it early
      return undefined;
    }
    this.ws();
    if (this.here() === COMMA) {
      this.errors.push({ pointer, message: `this array has more than the ${s.fields.length} items of ${s.rust} (${names})` });
      this.i++;
      // Go on past the extra items, so that later problems are still found.
      this.elements(pointer, () => {
        this.i = skipValue(this.text, this.i);
      });
      return undefined;
    }
    if (this.here() !== CLOSE_BRACKET) throw this.expected('"]"');
    this.i++;
    return { values, members: [] };
  }
}

function entryValues(v: Record<string, unknown>): Partial<EntryValues> {
  const out: { -readonly [K in keyof EntryValues]?: EntryValues[K] } = {};
  if (typeof v.token === 'string') out.token = v.token;
  if (typeof v.name === 'string') out.name = v.name;
  if (v.expiry_millis !== undefined) out.expiry = v.expiry_millis as bigint | null;
  if (Array.isArray(v.permissions)) out.permissions = v.permissions as string[];
  return out;
}

/** Reads `text` as the server reads the file it gives to --admin-token-file or --permission-tokens-file. */
export function readTokenFile(text: string, kind: ServerKind, opts: ReadOptions = {}): ServerRead {
  const pass = new Pass(text, opts.values === true, opts.known);
  let top: StructRead | undefined;
  try {
    top = pass.readStruct(kind === 'admin' ? ADMIN : PERMISSION_FILE, '');
    pass.ws();
    if (pass.i < text.length) throw new JsonSyntax(pass.i, 'the end of the document after its value');
  } catch (e) {
    if (!(e instanceof JsonSyntax)) throw e;
    pass.errors.push({ pointer: '', message: `not valid JSON: ${syntaxMessage(text, e)}` });
  }
  const stray = pass.known[pass.nextKnown];
  if (stray !== undefined) pass.errors.push({ pointer: '', message: `entries read before stand at offset ${stray.at}, where the tokens array has no entry` });
  const v = top?.values ?? {};
  let admin: Partial<AdminValues> | undefined;
  if (kind === 'admin') {
    const e = entryValues(v);
    admin = {
      ...(e.token !== undefined && { token: e.token }),
      ...(e.name !== undefined && { name: e.name }),
      ...(e.expiry !== undefined && { expiry: e.expiry }),
    };
  }
  return {
    kind,
    errors: pass.errors,
    warnings: pass.warnings,
    arrayForm: pass.arrayForm,
    members: top?.members ?? [],
    admin,
    databases: Array.isArray(v.create_databases) ? (v.create_databases as string[]) : null,
    databaseItems: pass.databaseItems,
    entries: pass.entries,
    names: pass.names,
    read: pass.read,
    ...(pass.known.length > 0 && { fresh: pass.fresh }),
  };
}

/**
 * The values of the entry at `place` of a file that loads (the reader's own reading of
 * that one entry: the fast path or the walk).
 */
export function readEntry(text: string, place: EntryPlace): EntryValues {
  if (place.canonical) {
    const m = matchAt(CANONICAL_ENTRY, text, place.start);
    if (m !== null) return canonicalValues(m);
  }
  const pass = new Pass(text, true);
  pass.i = place.start;
  const s = pass.readStruct(TOKEN, '');
  if (!s || pass.errors.length > 0) throw new RangeError('readEntry: the entry does not load');
  return entryValues(s.values) as EntryValues;
}

/** The members of the object at `start` of a file that loads, in file order, with their places. */
export function readMembers(text: string, start: number): MemberPlace[] {
  const pass = new Pass(text, false);
  pass.i = start;
  const s = pass.readStruct(TOKEN, '');
  return s?.members ?? [];
}
