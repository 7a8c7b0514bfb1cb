// How low `show tokens` of 100,000 tokens could go (docs: performance): a program that
// does only the unavoidable part of it (read the file, match each entry with the reader's
// regular expression, hash each token, write a line per token, joined a block at a time),
// with no verdict, no checks, no escaping and no expiry words, against `node -e 0` and the
// real command, interleaved, 11 runs, medians of the per-run ratios.
//
//   node scripts/build.mjs && node scripts/measure-show-floor.mjs
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../bin/influxdb3-offline-tokens.cjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'otk-show-floor-'));
const file = join(dir, 'tokens.json');
const tokens = Array.from({ length: 100_000 }, (_, i) => ({
  token: `apiv3_${randomBytes(64).toString('base64url')}`,
  name: `token-${i}`,
  expiry_millis: 1956400061529,
  permissions: ['db:db1,db2:read,write', 'system:health:read'],
}));
writeFileSync(file, `${JSON.stringify({ create_databases: ['db1', 'db2'], tokens }, null, 2)}\n`, { mode: 0o600 });

const floor = `
const fs = require('node:fs');
const crypto = require('node:crypto');
const text = fs.readFileSync(process.argv[1]).toString('latin1');
const P = '[^"\\\\\\\\\\\\x00-\\\\x1f]';
const RX = new RegExp('\\\\{\\\\n      "token": "(apiv3_' + P + '*)",\\\\n      "name": "(' + P + '+)",(?:\\\\n      "expiry_millis": (0|-?[1-9]\\\\d{0,17}),)?\\\\n      "permissions": \\\\[\\\\n        ("' + P + '*"(?:,\\\\n        "' + P + '*")*)\\\\n      \\\\]\\\\n    \\\\}', 'y');
let i = text.indexOf('{', text.indexOf('"tokens"'));
const blocks = [];
let lines = [];
for (;;) {
  RX.lastIndex = i;
  const m = RX.exec(text);
  if (!m) break;
  i = RX.lastIndex + 6;
  lines.push(m[2].padEnd(14) + crypto.hash('sha512', m[1], 'hex').slice(0, 9) + '  ' + m[3] + '  no  ' + m[4]);
  if (lines.length === 4096) { blocks.push(lines.join('\\n')); lines = []; }
}
blocks.push(lines.join('\\n'));
const out = blocks.join('\\n');
if (!out.includes('token-99999')) throw new Error('the floor program did not read every entry');
const scratch = Buffer.allocUnsafe(3 << 20);
for (let k = 0; k < out.length; k += 1 << 20) fs.writeSync(1, scratch, 0, scratch.write(out.slice(k, k + (1 << 20)), 0, 'utf8'));
`;

const run = (args) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const base = [];
const least = [];
const real = [];
for (let k = 0; k < 11; k++) {
  base.push(run(['-e', '0']));
  least.push(run(['-e', floor, file]));
  real.push(run([cli, 'show', 'tokens', '--file', file]));
}
const ratio = (xs) => median(xs.map((x, k) => x / base[k])).toFixed(2);
console.log(`node -e 0                          ${median(base).toFixed(0)} ms`);
console.log(`the floor (regex, hash, lines)     ${median(least).toFixed(0)} ms   ${ratio(least)}x`);
console.log(`show tokens                        ${median(real).toFixed(0)} ms   ${ratio(real)}x`);
rmSync(dir, { recursive: true, force: true });
