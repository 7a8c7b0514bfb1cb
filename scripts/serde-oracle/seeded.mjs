// The generators' shared pieces: a seeded random source (mulberry32, so a rerun gives the
// same files) and the oracle built and asked about a list of inputs.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const crate = dirname(fileURLToPath(import.meta.url));
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function seeded(start) {
  let seed = start;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(rand() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => rand() < p;
  const token = () => `apiv3_${Array.from({ length: 86 }, () => pick(B64)).join('')}`;
  return { rand, int, pick, chance, token };
}

/** Builds the oracle (offline, Debian's crates) and returns serde's answer to each input, parsed. */
export function askOracle(inputs) {
  execFileSync('cargo', ['build', '--offline', '--release', '--quiet'], { cwd: crate, stdio: 'inherit' });
  const input = Buffer.concat(
    inputs.flatMap((b) => {
      const len = Buffer.alloc(4);
      len.writeUInt32LE(b.length);
      return [len, b];
    }),
  );
  const lines = execFileSync(join(crate, 'target', 'release', 'serde-oracle'), { input, maxBuffer: 1 << 30 })
    .toString('utf8')
    .trim()
    .split('\n');
  if (lines.length !== inputs.length) throw new Error(`${inputs.length} inputs, ${lines.length} answers`);
  return lines.map((l) => JSON.parse(l));
}

export function serdeVersion() {
  return execFileSync('cargo', ['pkgid', '--offline', 'serde_json'], { cwd: crate }).toString().trim().split(/[#@]/).pop();
}
