/**
 * The server's reader, exactly: what `serde_json::from_str` does with a token file when it
 * deserialises it into the server's structs (AdminTokenFile in influxdb3's
 * commands/create/token.rs; the permission tokens file's structs as README declares them).
 * JSON.parse is not that reader: it takes a known field twice (last wins), lone surrogate
 * escapes, `-0`, 1.0 and integers beyond i64, and refuses the array form of a struct that
 * serde reads. scripts/serde-oracle/ holds the Rust side; fixtures/serde-cases.json its
 * answers, which test/domain/server-reader.test.ts holds this module to.
 *
 * One pass over the text, iterative (unknown values may nest 100,000 deep: serde skips them
 * without a recursion limit). Pure. The caller has checked the bytes are UTF-8 (the server
 * reads the file with read_to_string first), so the text holds no lone surrogate itself.
 *
 * serde stops at its first error; this reader goes on where it can, so that every problem
 * is reported with its place. The verdict is the same: the file loads iff there is none.
 */
import { CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, MINUS, OPEN_BRACE, OPEN_BRACKET, QUOTE, isSpace } from './json-chars';
import { escapePointerToken } from './json-pointer';

export type ServerKind = 'admin' | 'permission';

export interface ServerProblem {
  readonly pointer: string;
  readonly message: string;
}

/** The values the server would read (only with `collect`). Expiries are i64, so bigint. */
export interface ServerToken {
  token: string;
  name: string;
  expiry: bigint | null;
  permissions: string[];
}
export interface ServerAdmin {
  token: string;
  name: string;
  expiry: bigint | null;
}
export interface ServerPermissionFile {
  create_databases: string[] | null;
  tokens: ServerToken[];
}

export interface ServerRead<K extends ServerKind = ServerKind> {
  /** Why serde would refuse the file; empty when it loads. */
  readonly errors: ServerProblem[];
  /** What loads but deserves a word: the array form. (Nulls and empty names show in JSON.parse's value; validate-file warns about those.) */
  readonly warnings: ServerProblem[];
  /** Some struct was written as a JSON array of its fields (serde reads it; appends refuse it). */
  readonly arrayForm: boolean;
  /** With `collect`, the values read, when the file loads. */
  readonly value?: K extends 'admin' ? ServerAdmin : ServerPermissionFile;
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

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** A JSON string as serde_json's grammar has it: escapes checked, control characters refused. */
const STRING = /"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/*
 * One token entry without escapes, with an integer expiry that surely fits i64, in any
 * spacing: what nearly every file holds, checked at native speed; anything else (escapes,
 * unknown fields, other orders, nulls, long numbers, an empty name) takes the walk below.
 */
const W = '[ \\t\\n\\r]*';
const PLAIN = '"([^"\\\\\\x00-\\x1f]*)"';
const PLAIN_NONEMPTY = '"([^"\\\\\\x00-\\x1f]+)"';
const PLAIN_NC = '"[^"\\\\\\x00-\\x1f]*"';
const FAST_ENTRY = new RegExp(
  `\\{${W}"token"${W}:${W}${PLAIN}${W},${W}"name"${W}:${W}${PLAIN_NONEMPTY}${W},` +
    `(?:${W}"expiry_millis"${W}:${W}(0|-?[1-9]\\d{0,17})${W},)?` +
    `${W}"permissions"${W}:${W}\\[(${W}(?:${PLAIN_NC}(?:${W},${W}${PLAIN_NC})*)?${W})\\]${W}\\}`,
  'y',
);
/** The same without captures, for the verdict alone: a third faster on 100,000 entries. */
const FLEX_STRICT = new RegExp(FAST_ENTRY.source.replace(/\((?!\?)/g, '(?:'), 'y');
/**
 * One entry exactly as the canonical layout writes it (what this tool and the server write):
 * literal whitespace runs at twice the speed of the flexible form.
 */
const CANONICAL = (str: string, nonEmpty: string): RegExp =>
  new RegExp(
    `\\{\\n      "token": ${str},\\n      "name": ${nonEmpty},(?:\\n      "expiry_millis": (?:0|-?[1-9]\\d{0,17}),)?` +
      `\\n      "permissions": \\[\\n        ${str}(?:,\\n        ${str})*\\n      \\]\\n    \\}`,
    'y',
  );
const CANON_STRICT = CANONICAL(PLAIN_NC, '"[^"\\\\\\x00-\\x1f]+"');
/*
 * When JSON.parse has accepted the text (no raw control character in a string) and it has
 * no backslash at all (no escape), every string is plain, and "[^"]*" says so a third
 * faster again. 100,000 entries: ~35 ms instead of ~70 for the flexible strict form.
 */
const CANON_LOOSE = CANONICAL('"[^"]*"', '"[^"]+"');
const FLEX_LOOSE = new RegExp(FLEX_STRICT.source.replaceAll('[^"\\\\\\x00-\\x1f]', '[^"]'), 'y');
const PLAIN_IN_LIST = /"([^"]*)"/g;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** The text (without quotes) of a string with escapes, or undefined when a surrogate is unpaired. */
function decodeStrict(literal: string): string | undefined {
  const s = JSON.parse(literal) as string;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(k + 1);
      if (next >= 0xdc00 && next <= 0xdfff) k++;
      else return undefined;
    } else if (c >= 0xdc00 && c <= 0xdfff) return undefined;
  }
  return s;
}

class Syntax {
  constructor(
    readonly offset: number,
    readonly what: string,
  ) {}
}

const LONE_SURROGATE = 'holds a lone or reversed surrogate escape (such as \\ud800); the server reads strings as UTF-8 and refuses it';

export interface ReadOptions {
  /** Return the values read (for tests and the array form); slower. */
  collect?: boolean;
  /** The caller has JSON.parse'd this very text without error: a faster path can rely on it. */
  parsed?: boolean;
}

export function readAsServer<K extends ServerKind>(text: string, kind: K, opts: ReadOptions = {}): ServerRead<K> {
  const collect = opts.collect === true;
  const plain = opts.parsed === true && text.indexOf('\\') === -1;
  const canonEntry = plain ? CANON_LOOSE : CANON_STRICT;
  const flexEntry = plain ? FLEX_LOOSE : FLEX_STRICT;
  const errors: ServerProblem[] = [];
  const warnings: ServerProblem[] = [];
  let arrayForm = false;
  let i = 0;
  const n = text.length;

  const ws = (): void => {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
  };
  const here = (): number => (i < n ? text.charCodeAt(i) : -1);
  const describeHere = (expected: string): string => (i >= n ? `unexpected end of input, expected ${expected}` : `expected ${expected}`);

  /** Index past the string at i, or a syntax error. */
  const stringEnd = (): number => {
    STRING.lastIndex = i;
    if (!STRING.test(text)) throw new Syntax(i, 'a bad string (an unknown escape, a control character, or no closing quote)');
    return STRING.lastIndex;
  };
  /** A string read into a Rust String: escapes decoded, surrogates checked. */
  const readString = (pointer: string): string | undefined => {
    const end = stringEnd();
    const literal = text.slice(i, end);
    i = end;
    if (literal.indexOf('\\') === -1) return literal.slice(1, -1);
    const s = decodeStrict(literal);
    if (s === undefined) errors.push({ pointer, message: `this string ${LONE_SURROGATE}` });
    return s;
  };
  const skipNumber = (): string => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) throw new Syntax(i, 'a bad number');
    i = NUMBER.lastIndex;
    // serde_json reads 1.5.2 as 1.5 then fails on what follows; so does the caller.
    return m[0];
  };
  const literal = (word: string): void => {
    if (!text.startsWith(word, i)) throw new Syntax(i, describeHere('a value'));
    i += word.length;
  };

  /** serde's IgnoredAny: any value, syntax checked, nothing else (no surrogate checks). */
  const skipValue = (): void => {
    const stack: number[] = [];
    for (;;) {
      // A value is expected here.
      ws();
      const c = here();
      let done = true;
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        i++;
        ws();
        const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
        if (here() === close) i++;
        else {
          stack.push(close);
          if (c === OPEN_BRACE) skipKey();
          done = false;
        }
      } else if (c === QUOTE) i = stringEnd();
      else if (c === MINUS || isDigit(c)) skipNumber();
      else if (c === 0x74) literal('true');
      else if (c === 0x66) literal('false');
      else if (c === 0x6e) literal('null');
      else throw new Syntax(i, describeHere('a value'));
      // After a value: close containers until one goes on with a comma.
      while (done) {
        if (stack.length === 0) return;
        ws();
        const d = here();
        const close = stack[stack.length - 1]!;
        if (d === COMMA) {
          i++;
          if (close === CLOSE_BRACE) {
            ws();
            skipKey();
          }
          done = false;
        } else if (d === close) {
          i++;
          stack.pop();
        } else throw new Syntax(i, describeHere(`"," or "${String.fromCharCode(close)}"`));
      }
    }
  };
  /** A key and its colon inside an ignored object. */
  const skipKey = (): void => {
    if (here() !== QUOTE) throw new Syntax(i, describeHere('a key in double quotes'));
    i = stringEnd();
    ws();
    if (here() !== COLON) throw new Syntax(i, describeHere('":" after a key'));
    i++;
  };

  const typeError = (pointer: string, expected: string): void => {
    errors.push({ pointer, message: `must be ${expected}` });
    skipValue();
  };

  const readI64 = (pointer: string): bigint | null | undefined => {
    const c = here();
    if (c === 0x6e) {
      literal('null');
      return null;
    }
    if (!(c === MINUS || isDigit(c))) {
      typeError(pointer, 'an integer (Unix epoch milliseconds) or null');
      return undefined;
    }
    const digits = skipNumber();
    if (/[.eE]/.test(digits) || digits === '-0') {
      errors.push({ pointer, message: 'must be written as an integer: the server reads 1.0, 1e12 or -0 as a float and refuses it' });
      return undefined;
    }
    const v = BigInt(digits);
    if (v < I64_MIN || v > I64_MAX) {
      errors.push({ pointer, message: 'is outside the range of a signed 64-bit integer (-9223372036854775808 to 9223372036854775807), which the server refuses' });
      return undefined;
    }
    return v;
  };

  const readStrings = (pointer: string, what: string): string[] | undefined => {
    if (here() !== OPEN_BRACKET) {
      typeError(pointer, `an array of ${what}`);
      return undefined;
    }
    i++;
    const out: string[] = [];
    elements(pointer, (p) => {
      if (here() !== QUOTE) typeError(p, 'a string');
      else {
        const s = readString(p);
        if (collect && s !== undefined) out.push(s);
      }
    });
    return out;
  };

  /** The elements of an array whose "[" was read, each by `item` (which gets its pointer). */
  const elements = (pointer: string, item: (p: string) => void): number => {
    ws();
    if (here() === CLOSE_BRACKET) {
      i++;
      return 0;
    }
    for (let k = 0; ; k++) {
      ws();
      item(`${pointer}/${k}`);
      ws();
      const c = here();
      if (c === COMMA) i++;
      else if (c === CLOSE_BRACKET) {
        i++;
        return k + 1;
      } else throw new Syntax(i, describeHere('"," or "]"'));
    }
  };

  const readTokens = (pointer: string): ServerToken[] | undefined => {
    if (here() !== OPEN_BRACKET) {
      typeError(pointer, 'an array of token objects');
      return undefined;
    }
    i++;
    const out: ServerToken[] = [];
    if (!collect) {
      // The common case in a tight loop: plain entries, commas, and the closing bracket.
      ws();
      if (here() === CLOSE_BRACKET) {
        i++;
        return out;
      }
      for (let k = 0; ; k++) {
        canonEntry.lastIndex = i;
        if (canonEntry.test(text)) i = canonEntry.lastIndex;
        else {
          flexEntry.lastIndex = i;
          if (flexEntry.test(text)) i = flexEntry.lastIndex;
          else readStruct(TOKEN, `${pointer}/${k}`);
        }
        ws();
        const c = here();
        if (c === COMMA) {
          i++;
          ws();
        } else if (c === CLOSE_BRACKET) {
          i++;
          return out;
        } else throw new Syntax(i, describeHere('"," or "]"'));
      }
    }
    elements(pointer, (p) => {
      FAST_ENTRY.lastIndex = i;
      const m = FAST_ENTRY.exec(text);
      if (m !== null) {
        i = FAST_ENTRY.lastIndex;
        const permissions = [...m[4]!.matchAll(PLAIN_IN_LIST)].map((x) => x[1]!);
        out.push({ token: m[1]!, name: m[2]!, expiry: m[3] === undefined ? null : BigInt(m[3]), permissions });
        return;
      }
      const v = readStruct(TOKEN, p);
      if (collect && v !== undefined) {
        out.push({ token: v.token as string, name: v.name as string, expiry: v.expiry_millis as bigint | null, permissions: v.permissions as string[] });
      }
    });
    return out;
  };

  const readField = (f: Field, pointer: string): unknown => {
    ws();
    switch (f.type) {
      case 'string': {
        if (here() !== QUOTE) {
          typeError(pointer, 'a string');
          return undefined;
        }
        return readString(pointer);
      }
      case 'optI64':
        return readI64(pointer);
      case 'strings':
        return readStrings(pointer, 'strings');
      case 'optStrings':
        if (here() === 0x6e) {
          literal('null');
          return null;
        }
        return readStrings(pointer, 'database names');
      case 'tokens':
        return readTokens(pointer);
    }
  };

  /**
   * A derived struct: serde_json's deserialize_struct takes an object (fields by name, a
   * known one at most once, unknown ones skipped, optional ones may be missing) or an
   * array of exactly its fields in declaration order.
   */
  const readStruct = (s: Struct, pointer: string): Record<string, unknown> | undefined => {
    ws();
    const c = here();
    const out: Record<string, unknown> = {};
    if (c === OPEN_BRACKET) {
      i++;
      arrayForm = true;
      warnings.push({ pointer, message: `this is written as an array of the fields (${s.fields.map((f) => f.name).join(', ')}); the server reads it, but write it as an object` });
      let count = 0;
      ws();
      for (const f of s.fields) {
        ws();
        if (here() === CLOSE_BRACKET) break;
        if (count > 0) {
          if (here() !== COMMA) throw new Syntax(i, describeHere('"," or "]"'));
          i++;
        }
        out[f.name] = readField(f, `${pointer}/${count}`);
        count++;
        ws();
      }
      if (count < s.fields.length) {
        errors.push({ pointer, message: `this array has ${count} item${count === 1 ? '' : 's'}; read as ${s.rust} it needs exactly ${s.fields.length} (${s.fields.map((f) => f.name).join(', ')})` });
        i++; // the "]" that ended it early
        return undefined;
      }
      ws();
      if (here() !== CLOSE_BRACKET) {
        if (here() === COMMA) {
          errors.push({ pointer, message: `this array has more than the ${s.fields.length} items of ${s.rust} (${s.fields.map((f) => f.name).join(', ')})` });
          i++;
          // Go on past the extra items, so that later problems are still found.
          elements(pointer, () => skipValue());
          return undefined;
        }
        throw new Syntax(i, describeHere('"]"'));
      }
      i++;
      return out;
    }
    if (c !== OPEN_BRACE) {
      typeError(pointer, `an object (${s.rust})`);
      return undefined;
    }
    i++;
    const seen = new Set<string>();
    ws();
    if (here() === CLOSE_BRACE) i++;
    else {
      for (;;) {
        ws();
        if (here() !== QUOTE) throw new Syntax(i, describeHere('a key in double quotes'));
        const keyStart = i;
        const end = stringEnd();
        let key = text.slice(keyStart + 1, end - 1);
        i = end;
        // Keys of a struct's own object are read as Rust strings before they are matched.
        if (key.indexOf('\\') !== -1) {
          const decoded = decodeStrict(text.slice(keyStart, end));
          if (decoded === undefined) {
            errors.push({ pointer, message: `a key of this object ${LONE_SURROGATE}` });
            key = '\uffff'; // matches no field; the value is skipped
          } else key = decoded;
        }
        ws();
        if (here() !== COLON) throw new Syntax(i, describeHere('":" after a key'));
        i++;
        ws();
        const field = s.fields.find((f) => f.name === key);
        const p = `${pointer}/${escapePointerToken(key)}`;
        if (field === undefined) skipValue();
        else if (seen.has(key)) {
          errors.push({ pointer: p, message: `the field "${key}" is given more than once in this object; the server refuses a duplicate field` });
          skipValue();
        } else {
          seen.add(key);
          out[key] = readField(field, p);
        }
        ws();
        const d = here();
        if (d === COMMA) i++;
        else if (d === CLOSE_BRACE) {
          i++;
          break;
        } else throw new Syntax(i, describeHere('"," or "}"'));
      }
    }
    for (const f of s.fields) {
      if (!seen.has(f.name)) {
        if (isOptional(f.type)) out[f.name] = null;
        else errors.push({ pointer: `${pointer}/${escapePointerToken(f.name)}`, message: `the required field "${f.name}" is missing` });
      }
    }
    return out;
  };

  let value: Record<string, unknown> | undefined;
  try {
    value = readStruct(kind === 'admin' ? ADMIN : PERMISSION_FILE, '');
    ws();
    if (i < n) throw new Syntax(i, 'the end of the document after its value');
  } catch (e) {
    if (!(e instanceof Syntax)) throw e;
    errors.push({ pointer: '', message: `not valid JSON: ${syntaxMessage(text, e)}` });
    value = undefined;
  }
  const result: { errors: ServerProblem[]; warnings: ServerProblem[]; arrayForm: boolean; value?: unknown } = { errors, warnings, arrayForm };
  // Values only mean something when the file loads.
  if (collect && errors.length === 0 && value !== undefined) {
    result.value = kind === 'admin' ? { token: value.token, name: value.name, expiry: value.expiry_millis } : value;
  }
  return result as ServerRead<K>;
}

function syntaxMessage(text: string, e: Syntax): string {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < e.offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return `${e.what} at line ${line}, column ${e.offset - lineStart + 1}`;
}
