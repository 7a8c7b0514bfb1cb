// Two builds side by side, the same minute: `node -e 0`, then each build, run after run, so
// all of them meet the machine in the same state; medians of the times and of each run's
// ratio to the `node -e 0` just before it. How "no slower than before" is shown:
//
//   git worktree add /tmp/before <commit> && (cd /tmp/before && npm ci)
//   node scripts/build.mjs && node scripts/compare-builds.mjs /tmp/before .
//
// COMPARE_RUNS (11) runs per case; COMPARE_CASES picks cases by name (comma-separated).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const builds = process.argv.slice(2).map((b) => resolve(b));
if (builds.length === 0) {
  console.error('usage: node scripts/compare-builds.mjs BUILD_DIR [BUILD_DIR ...] (each a checkout with dist/ built)');
  process.exit(2);
}
const RUNS = Number(process.env.COMPARE_RUNS ?? 11);
const dir = mkdtempSync(join(tmpdir(), 'otk-compare-'));

function tokensFile(n) {
  const tokens = Array.from({ length: n }, (_, i) => ({
    token: `apiv3_${randomBytes(64).toString('base64url')}`,
    name: `token-${i}`,
    expiry_millis: 1956400061529,
    permissions: ['db:db1,db2:read,write', 'system:health:read'],
  }));
  return `${JSON.stringify({ create_databases: ['db1', 'db2'], tokens }, null, 2)}\n`;
}
const seed10k = join(dir, 'seed-10k.json');
const seed100k = join(dir, 'seed-100k.json');
writeFileSync(seed10k, tokensFile(10_000), { mode: 0o600 });
writeFileSync(seed100k, tokensFile(100_000), { mode: 0o600 });
const target = join(dir, 'target.json');
const fresh = join(dir, 'fresh.json');

const cli = (build) => join(build, 'bin', 'influxdb3-offline-tokens.cjs');
const append = (seed) => ({
  args: (b) => [cli(b), 'create', 'token', '--permission', 'db:db1:read,write', '--name', 'extra', '--output-file', target],
  before: () => copyFileSync(seed, target),
});
const CASES = {
  create: {
    args: (b) => [cli(b), 'create', 'token', '--permission', 'db:db1:read,write', '--name', 'app', '--output-file', fresh],
    before: () => rmSync(fresh, { force: true }),
  },
  'append-10k': append(seed10k),
  'append-100k': append(seed100k),
  'delete-100k': { args: (b) => [cli(b), 'delete', 'token', '--file', target, '--token-name', 'token-50000'], before: () => copyFileSync(seed100k, target) },
  'show-100k': { args: (b) => [cli(b), 'show', 'tokens', '--file', seed100k] },
  'show-json-100k': { args: (b) => [cli(b), 'show', 'tokens', '--file', seed100k, '--format', 'json'] },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
function once(args, before) {
  before?.();
  spawnSync('sync');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const wanted = process.env.COMPARE_CASES?.split(',') ?? Object.keys(CASES);
for (const name of wanted) {
  const c = CASES[name];
  if (!c) throw new Error(`no case ${name}; the cases: ${Object.keys(CASES).join(', ')}`);
  const base = [];
  const times = builds.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    base.push(once(['-e', '0']));
    builds.forEach((b, k) => times[k].push(once(c.args(b), c.before)));
  }
  console.log(`${name}: node -e 0 ${median(base).toFixed(0)} ms`);
  builds.forEach((b, k) => console.log(`  ${b}  ${median(times[k]).toFixed(0)} ms  ${median(times[k].map((x, i) => x / base[i])).toFixed(2)}x`));
}
rmSync(dir, { recursive: true, force: true });
