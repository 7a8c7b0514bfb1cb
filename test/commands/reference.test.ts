import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMANDS } from '../../src/commands';
import { driftOf, pageOf, referencePages, MAN_PAGE } from '../../src/commands/reference';
import { ROOT } from '../helpers';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/token-spec.schema.json'), 'utf8'));
const read = (p: string): string | undefined => (existsSync(join(ROOT, p)) ? readFileSync(join(ROOT, p), 'utf8') : undefined);
const committed = readdirSync(join(ROOT, 'docs/commands')).map((f) => `docs/commands/${f}`);

test('the committed reference pages, man page and spec reference are what `npm run docs` makes (run it when this fails)', () => {
  assert.deepEqual(driftOf(referencePages(COMMANDS, schema, pkg.version), read, committed), []);
});

test('a flag added to the registry without regenerating is drift, in its page and the man page', () => {
  const prune = COMMANDS.find((c) => c.paths[0]!.join(' ') === 'prune')!;
  const changed = COMMANDS.map((c) =>
    c === prune ? { ...c, flags: { ...c.flags, 'keep-last': { type: 'string' as const, describe: 'Keep the N newest' } } } : c,
  );
  assert.deepEqual(driftOf(referencePages(changed, schema, pkg.version), read, committed), [pageOf(prune), MAN_PAGE].sort());
});

test('a page left behind by a removed command is drift', () => {
  assert.deepEqual(driftOf(referencePages(COMMANDS, schema, pkg.version), read, [...committed, 'docs/commands/frob.md']), ['docs/commands/frob.md']);
});

test('every command page lists each declared flag with its aliases, and the man page is listed in package.json', () => {
  const pages = referencePages(COMMANDS, schema, pkg.version);
  for (const c of COMMANDS) for (const flag of Object.keys(c.flags)) assert.match(pages.get(pageOf(c))!, new RegExp(`\`--${flag}\``), `${pageOf(c)} --${flag}`);
  assert.deepEqual(pkg.man, [MAN_PAGE]);
  assert.ok(pkg.files.includes(MAN_PAGE));
});

test('the spec reference has a row for every key of the schema, nested ones included', () => {
  const page = referencePages(COMMANDS, schema, pkg.version).get('docs/spec-reference.md')!;
  for (const key of ['admin.file', 'permissions.tokens[].renew_before', 'outputs[].token_names'])
    assert.match(page, new RegExp(`\\| \`${key.replace(/[[\].]/g, '\\$&')}\` \\|`), key);
});
