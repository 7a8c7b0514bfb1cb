import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers';
import { filesUnder } from './examples';

// README.md and every page of docs/: the deployment recipes are described in the guides.
const readme = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
]
  .map((f) => readFileSync(join(ROOT, f), 'utf8'))
  .join('\n');

test('every example path the README names exists', () => {
  const named = [...readme.matchAll(/\bexamples\/[\w./-]*\w/g)].map((m) => m[0]);
  assert.ok(named.length > 5);
  for (const path of new Set(named)) assert.ok(existsSync(join(ROOT, path)), path);
});

test('every example (a directory of files not inside another example) is described in the README', () => {
  const dirs = new Set(filesUnder('examples', () => true).map((f) => dirname(f)));
  const recipes = [...dirs].filter((d) => !dirs.has(dirname(d)));
  assert.ok(recipes.length >= 3, recipes.join(', '));
  for (const dir of recipes) assert.ok(readme.includes(`\`${dir}/\``), dir);
});

test('no README command writes a token to a file through a shell redirection', () => {
  const code = [...readme.matchAll(/```(?:sh|yaml)?\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');
  const lines = code.replace(/\\\n\s*/g, ' ').split('\n');
  for (const line of lines) if (/influxdb3-offline-tokens.*(--format json|get token)/.test(line)) assert.doesNotMatch(line, />\s*\S/, line);
});
