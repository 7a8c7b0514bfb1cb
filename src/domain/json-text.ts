/**
 * JSON.parse with an error that is safe to show. V8's SyntaxError messages can quote the
 * input ("Unexpected token 'x', "apiv3_..." is not valid JSON"), and the input holds
 * secrets, so on failure a small scanner finds the line and column itself and the V8
 * message is dropped.
 */
import { isSpace } from './json-chars';
import { escapePointerToken } from './json-pointer';

export type JsonParse =
  | { ok: true; value: unknown }
  | { ok: false; line: number; column: number; reason: string };

export function parseJsonText(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // The V8 message is deliberately not kept: it may contain part of a token.
    const { offset, reason } = firstSyntaxError(text);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return { ok: false, line, column: offset - lineStart + 1, reason };
  }
}

class Stop {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

/** Far deeper than any token file, and well inside the call stack the recursion needs. */
const MAX_DEPTH = 1000;

/** Recursive-descent JSON (RFC 8259) recogniser that reports where the input first breaks. */
export function firstSyntaxError(text: string): { offset: number; reason: string } {
  let i = 0;
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const describeHere = (): string => (i >= text.length ? 'unexpected end of input' : 'unexpected character');
  const expectLiteral = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else throw new Stop(i, describeHere());
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) throw new Stop(i, 'unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) throw new Stop(i, 'control character in a string');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i, 'bad \\u escape in a string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Stop(i, 'bad escape in a string');
      } else i++;
    }
  };
  const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const number = (): void => {
    numberPattern.lastIndex = i;
    const m = numberPattern.exec(text);
    if (!m) throw new Stop(i, 'bad number');
    i += m[0].length;
  };
  const expected = (what: string): string => (i >= text.length ? 'unexpected end of input' : `expected ${what}`);
  // An object or array: `item` reads one member or element; the commas and the end are here.
  const container = (close: '}' | ']', item: () => void): void => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === close) {
        i++;
        return;
      } else throw new Stop(i, expected(`"," or "${close}"`));
    }
  };
  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) throw new Stop(i, 'nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') return container('}', () => {
      ws();
      if (text[i] !== '"') throw new Stop(i, expected('a property name in double quotes'));
      string();
      ws();
      if (text[i] !== ':') throw new Stop(i, expected('":" after a property name'));
      i++;
      value(depth + 1);
    });
    if (c === '[') return container(']', () => value(depth + 1));
    if (c === '"') return string();
    if (c === 't') return expectLiteral('true');
    if (c === 'f') return expectLiteral('false');
    if (c === 'n') return expectLiteral('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    throw new Stop(i, describeHere());
  };
  try {
    value(0);
    ws();
    if (i < text.length) throw new Stop(i, 'unexpected text after the JSON value');
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, reason: e.reason };
    throw e;
  }
  // JSON.parse refused what this scanner accepts (e.g. a lone surrogate); point at the start.
  return { offset: 0, reason: 'invalid JSON' };
}

/**
 * The first key that appears twice in one object of `text` (valid JSON: JSON.parse accepted
 * it), compared after unescaping as serde compares field names, with the JSON pointer of the
 * second one; undefined when there is none. JSON.parse keeps the last silently, where the
 * server's serde refuses a known field given twice: a request body or a spec must not
 * mean something other than it seems. One pass, no recursion, so depth costs nothing.
 */
export function duplicateKey(text: string): { key: string; pointer: string } | undefined {
  // One frame per open container: its keys (objects) or next index (arrays), and its pointer.
  const stack: Array<{ keys: Set<string> | undefined; index: number; pointer: string }> = [];
  let pendingKey: string | undefined;
  const childPointer = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.keys) return `${top.pointer}/${escapePointerToken(pendingKey ?? '')}`;
    return `${top.pointer}/${top.index}`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      const top = stack[stack.length - 1];
      let k = j + 1;
      while (k < text.length && isSpace(text.charCodeAt(k))) k++;
      if (top?.keys && text.charCodeAt(k) === 0x3a) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        pendingKey = key;
        if (top.keys.has(key)) return { key, pointer: childPointer() };
        top.keys.add(key);
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      stack.push({ keys: c === 0x7b ? new Set() : undefined, index: 0, pointer: childPointer() });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top && !top.keys) top.index++;
    }
  }
  return undefined;
}
