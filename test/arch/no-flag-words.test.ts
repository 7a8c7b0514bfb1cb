/**
 * SPEC 18: below the command layer nothing names a flag or the binary. Errors there are
 * coded with data, and commands/ words them for what the user typed (commands/words.ts);
 * a flag word in a lower layer would be wrong for the library and for every spelling but
 * one. Only string literals and template text count: comments may say which flag feeds a value.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { ROOT } from '../helpers';

const LOWER = ['src/actions', 'src/domain', 'src/store', 'src/output'];
const FLAG = /(^|[\s"'`(=[])--[a-z]/;
const BIN = 'influxdb3-offline-tokens';

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/** The text of every string literal and template part of a module, with its line. */
export function literals(source: string): Array<{ line: number; text: string }> {
  const file = ts.createSourceFile('m.ts', source, ts.ScriptTarget.ES2022, true);
  const out: Array<{ line: number; text: string }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      out.push({ line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

test('the scan finds a flag in a string, a template and a template part, and ignores comments', () => {
  const found = literals("// --comment\nconst a = 'x --name y';\nconst b = `${a} --force`;\nconst c = `--e${a}`;\n/* --no */");
  assert.deepEqual(
    found.filter((l) => FLAG.test(l.text)).map((l) => l.line),
    [2, 3, 4],
  );
});

for (const dir of LOWER) {
  test(`no flag name or binary name in a string literal under ${dir}/`, () => {
    const hits: string[] = [];
    for (const f of files(dir)) {
      if (f.includes('generated')) continue;
      for (const l of literals(readFileSync(join(ROOT, f), 'utf8'))) {
        if (FLAG.test(l.text) || l.text.includes(BIN)) hits.push(`${f}:${l.line}: ${JSON.stringify(l.text.slice(0, 120))}`);
      }
    }
    assert.deepEqual(hits, [], 'word these in src/commands/ (commands/words.ts), from the error code and its data');
  });
}
