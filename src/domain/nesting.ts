/**
 * How deep a spec nests, before and after it is parsed (SPEC 17: 64 levels at most). The
 * yaml package takes seconds and gigabytes on a few megabytes of nested lists (its lexer
 * compiles a pattern per level), so the text is measured first, in one linear pass, by a
 * reckoning that never counts fewer levels than a collection has: flow brackets outside
 * quotes and comments, plus block levels (a new, deeper indentation, or a `- ` / `? `
 * that opens an entry inside an entry on the same line). The parsed value is then measured
 * exactly.
 */

/** The deepest nesting the text can hold, as reckoned above (an upper bound for real specs). */
export function textNesting(text: string): number {
  const indents: number[] = [];
  let flow = 0;
  let max = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // One line: its indentation, then its content.
    let col = 0;
    while (i < n && text[i] === ' ') {
      i++;
      col++;
    }
    const lineStart = i;
    let dashes = 0;
    let lineFlow = flow;
    let quote = '';
    let atValueStart = true;
    for (; i < n && text[i] !== '\n'; i++) {
      const c = text[i]!;
      if (quote) {
        if (c === quote) {
          if (quote === "'" && text[i + 1] === "'") i++;
          else quote = '';
        } else if (c === '\\' && quote === '"') i++;
        continue;
      }
      if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) {
        while (i < n && text[i] !== '\n') i++;
        break;
      }
      if ((c === '"' || c === "'") && (atValueStart || flow > 0)) {
        quote = c;
        continue;
      }
      if ((c === '[' || c === '{') && (atValueStart || flow > 0)) {
        flow++;
        if (flow > lineFlow) lineFlow = flow;
        atValueStart = true;
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
      else if (flow === 0 && (c === '-' || c === '?') && atValueStart && (text[i + 1] === ' ' || text[i + 1] === '\n' || i + 1 === n)) dashes++;
      else if (c === ':' && (text[i + 1] === ' ' || text[i + 1] === '\n' || i + 1 === n)) atValueStart = true;
      else if (c === ',' && flow > 0) atValueStart = true;
      else if (c !== ' ' && c !== '\t') atValueStart = false;
      if (c === ' ' && atValueStart) continue;
    }
    if (i > lineStart && lineFlow === 0) {
      while (indents.length > 0 && indents[indents.length - 1]! >= col) indents.pop();
      indents.push(col);
    }
    max = Math.max(max, indents.length + dashes + lineFlow);
    i++;
  }
  return max;
}

/** The exact nesting of a parsed value: a scalar is 0, `[]` and `{}` are 1. Stops counting past `limit`. */
export function valueNesting(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, depth]);
  }
  return deepest;
}
