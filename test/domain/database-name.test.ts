import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

import { MAX_DATABASE_NAME_BYTES, databaseNameProblem } from '../../src/domain/database-name';
import { ROOT } from '../helpers';

/** `problem` undefined: the name is accepted; otherwise a substring of the reason. */
interface Case {
  readonly input: string;
  readonly problem: string | undefined;
}

const cases: readonly Case[] = [
  // accepted
  { input: 'a', problem: undefined },
  { input: 'Z', problem: undefined },
  { input: '0', problem: undefined },
  { input: 'db1', problem: undefined },
  { input: '9lives', problem: undefined },
  { input: 'my_database', problem: undefined },
  { input: 'my-database', problem: undefined },
  { input: 'a_', problem: undefined },
  { input: 'a-', problem: undefined },
  { input: 'a__--__b', problem: undefined },
  { input: 'MixedCase123', problem: undefined },
  { input: 'a/b', problem: undefined },
  { input: 'telegraf/autogen', problem: undefined },
  { input: 'db/_rp', problem: undefined },
  { input: 'db/-', problem: undefined },
  { input: '1/2', problem: undefined },
  { input: 'a'.repeat(511), problem: undefined },
  { input: `${'a'.repeat(509)}/b`, problem: undefined },
  // empty
  { input: '', problem: 'the name is empty' },
  // length, in bytes (ASCII only, so characters)
  { input: 'a'.repeat(512), problem: 'it is 512 bytes long, more than the 511 allowed' },
  { input: `${'a'.repeat(510)}/b`, problem: 'it is 512 bytes long' },
  { input: 'b'.repeat(4096), problem: 'it is 4096 bytes long' },
  // non-ASCII, anywhere
  { input: 'caf\u00e9', problem: 'it contains the non-ASCII character "\u00e9"' },
  { input: '\u00e9t\u00e9', problem: 'non-ASCII character "\u00e9"' },
  { input: 'db\u00a0', problem: 'non-ASCII character "\u00a0"' },
  { input: 'a\u{1F600}', problem: 'non-ASCII character' },
  { input: '\u0430bc', problem: 'non-ASCII character "\u0430"' }, // Cyrillic a
  { input: `${'a'.repeat(300)}\u00e9${'a'.repeat(300)}`, problem: 'non-ASCII character "\u00e9"' },
  // first character
  { input: '_a', problem: 'it must start with a letter or a digit' },
  { input: '-a', problem: 'it must start with a letter or a digit' },
  { input: '/a', problem: 'it must start with a letter or a digit' },
  { input: '.a', problem: 'it must start with a letter or a digit' },
  { input: ' a', problem: 'it must start with a letter or a digit' },
  { input: '_', problem: 'it must start with a letter or a digit' },
  { input: '*', problem: 'it must start with a letter or a digit' },
  // slashes
  { input: 'a/b/c', problem: 'it contains more than one "/" (only db/rp is allowed)' },
  { input: 'a//b', problem: 'more than one "/"' },
  { input: 'a/', problem: 'it ends with "/" (a retention policy must follow it)' },
  { input: 'a/b/', problem: 'more than one "/"' },
  // other characters after the first
  { input: 'a b', problem: 'it contains " "; only letters, digits, "_", "-" and one "/" are allowed' },
  { input: 'a.b', problem: 'it contains "."' },
  { input: 'a:b', problem: 'it contains ":"' },
  { input: 'a,b', problem: 'it contains ","' },
  { input: 'a*', problem: 'it contains "*"' },
  { input: 'a\\b', problem: 'it contains "\\\\"' },
  { input: 'a\nb', problem: 'it contains "\\n"' },
  { input: 'a\u0000', problem: 'it contains "\\u0000"' },
  { input: 'a\u007f', problem: 'it contains "\u007f"' },
  { input: 'db/rp.x', problem: 'it contains "."' },
];

test('the limit is 511 bytes', () => {
  assert.equal(MAX_DATABASE_NAME_BYTES, 511);
});

for (const c of cases) {
  const label = JSON.stringify(c.input.length > 40 ? `${c.input.slice(0, 20)}... (${c.input.length} chars)` : c.input);
  test(`databaseNameProblem(${label}) ${c.problem === undefined ? 'accepts' : 'refuses'}`, () => {
    const got = databaseNameProblem(c.input);
    if (c.problem === undefined) assert.equal(got, undefined);
    else {
      assert.equal(typeof got, 'string', 'accepted');
      assert.ok(got!.includes(c.problem), `reason ${JSON.stringify(got)} lacks ${JSON.stringify(c.problem)}`);
    }
  });
}

// ---- the JSON Schema says the same thing ----

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'permission-tokens-file.schema.json'), 'utf8')) as {
  $defs: { databaseName: { pattern: string } };
};
const schemaPattern = new RegExp(schema.$defs.databaseName.pattern, 'u');

test('the schema pattern agrees with databaseNameProblem on every table entry', () => {
  for (const c of cases) {
    assert.equal(
      schemaPattern.test(c.input),
      databaseNameProblem(c.input) === undefined,
      `disagreement on ${JSON.stringify(c.input.slice(0, 60))} (${c.input.length} chars)`,
    );
  }
});

const nameChar = fc.constantFrom(...'aZ09_-/.: \u00e9\u0000\n*');
const nearLimit = fc
  .tuple(fc.integer({ min: 505, max: 516 }), fc.option(fc.integer({ min: 1, max: 504 }), { nil: undefined }), fc.constantFrom('a', '/', '_', '\u00e9'))
  .map(([len, at, ch]) => {
    const chars = Array<string>(len).fill('x');
    if (at !== undefined) chars[at] = ch;
    return chars.join('');
  });

test('property: the schema pattern agrees with databaseNameProblem on generated names', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: nameChar, maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 10 }), nearLimit), (name) => {
      assert.equal(schemaPattern.test(name), databaseNameProblem(name) === undefined, JSON.stringify(name.slice(0, 60)));
    }),
    { numRuns: 3000 },
  );
});
