// Writes the generated documentation (docs/commands/*.md, the man page, docs/spec-reference.md)
// from the command registry and the spec's schema: `npm run docs`. With --check it writes
// nothing and exits 1, naming the files, when the committed ones differ (CI's drift check
// is the test in test/commands/reference.test.ts; this is the same comparison by hand).
// The registry is TypeScript, so esbuild bundles the renderer in memory first.
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const esbuild = require('esbuild');

const { outputFiles } = await esbuild.build({
  stdin: {
    contents: "export { referencePages, driftOf } from './src/commands/reference'; export { COMMANDS } from './src/commands';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  write: false,
  logLevel: 'warning',
});
const mod = { exports: {} };
new Function('module', 'exports', 'require', outputFiles[0].text)(mod, mod.exports, require);
const { referencePages, driftOf, COMMANDS } = mod.exports;

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const schema = JSON.parse(readFileSync(join(root, 'schemas/token-spec.schema.json'), 'utf8'));
const pages = referencePages(COMMANDS, schema, pkg.version);
const committed = existsSync(join(root, 'docs/commands')) ? readdirSync(join(root, 'docs/commands')).map((f) => `docs/commands/${f}`) : [];
const read = (p) => (existsSync(join(root, p)) ? readFileSync(join(root, p), 'utf8') : undefined);

if (process.argv.includes('--check')) {
  const drift = driftOf(pages, read, committed);
  if (drift.length > 0) {
    console.error(`error: the generated docs are out of date (${drift.join(', ')}); run npm run docs and commit them.`);
    process.exit(1);
  }
} else {
  for (const p of committed) if (!pages.has(p)) rmSync(join(root, p));
  for (const [path, text] of pages) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  console.log(`wrote ${pages.size} files`);
}
