// Runs every build/test/**/*.test.js with Node's built-in runner. Node 20's `node --test DIR`
// would also run the helper modules, and it has no glob support, hence this list.
// The log shows one dot per test and the failures in full (the `dot` reporter); the TAP,
// with every diagnostic (the expected `error:` lines of tests that provoke them), goes to
// build/test-results.tap for CI to keep. The last line counts: `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../build/test/', import.meta.url).pathname;
const tap = new URL('../build/test-results.tap', import.meta.url).pathname;
const files = readdirSync(root, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => process.argv.length <= 2 || process.argv.slice(2).some((a) => f.includes(a)))
  .sort()
  .map((f) => join(root, f));
if (files.length === 0) {
  console.error('error: no test files found under build/test; run the build with --tests first.');
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    '--test-reporter=dot',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { stdio: 'inherit' },
);
/** The runner's own totals, from the last lines of the TAP. */
const totals = readFileSync(tap, 'utf8');
const count = (name) => Number([...totals.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0);
const status = r.status ?? 1;
console.log(
  `\n${count('pass')} passed, ${count('fail')} failed, ${count('skipped') + count('todo')} skipped${status !== 0 && count('fail') === 0 ? ` (the runner exited ${status})` : ''}`,
);
process.exit(status);
