// Regenerates fixtures/humantime-2.3.0-cases.json: builds humantime from a local source
// directory with plain rustc (the crate has no dependencies), asks it about a few
// thousand inputs through oracle.rs, and stores its answers. Fetches nothing.
//
//   node scripts/humantime-oracle/generate.mjs <humantime-2.3.0-source-dir> [--out FILE]
//
// <dir> is an unpacked humantime 2.3.0 crate or checkout (the one holding Cargo.toml and
// src/lib.rs). The inputs are generated from a fixed seed, so a rerun gives the same file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

function usage(msg) {
  process.stderr.write(`${msg}\nusage: node scripts/humantime-oracle/generate.mjs <humantime-src-dir> [--out FILE]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let out = join(root, 'fixtures', 'humantime-2.3.0-cases.json');
const positional = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = resolve(args[++i] ?? usage('--out needs a file'));
  else positional.push(args[i]);
}
if (positional.length !== 1) usage('exactly one humantime source directory is needed');
const srcDir = resolve(positional[0]);
const libRs = join(srcDir, 'src', 'lib.rs');
if (!existsSync(libRs)) usage(`${libRs} does not exist`);
const cargoToml = join(srcDir, 'Cargo.toml');
if (existsSync(cargoToml)) {
  const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(cargoToml, 'utf8'))?.[1];
  if (version !== '2.3.0') usage(`${cargoToml} says version ${version}; the fixture is for 2.3.0`);
} else {
  process.stderr.write(`warning: ${cargoToml} not found, cannot confirm this is humantime 2.3.0\n`);
}

// ---------------------------------------------------------------- inputs

const U64_MAX = (1n << 64n) - 1n;
const UNITS = [
  'nanos',
  'nsec',
  'ns',
  'usec',
  'us',
  '\u00b5s',
  'millis',
  'msec',
  'ms',
  'seconds',
  'second',
  'secs',
  'sec',
  's',
  'minutes',
  'minute',
  'min',
  'mins',
  'm',
  'hours',
  'hour',
  'hr',
  'hrs',
  'h',
  'days',
  'day',
  'd',
  'weeks',
  'week',
  'wk',
  'wks',
  'w',
  'months',
  'month',
  'M',
  'years',
  'year',
  'yr',
  'yrs',
  'y',
];
// One spelling per unit with its size, for the overflow boundaries.
const SCALES = [
  ['ns', 1n],
  ['us', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1n],
  ['m', 60n],
  ['h', 3_600n],
  ['d', 86_400n],
  ['w', 604_800n],
  ['M', 2_630_016n],
  ['y', 31_557_600n],
];
// Rust's char::is_whitespace (Unicode White_Space)...
const RUST_WS = [
  '\t',
  '\n',
  '\u000b',
  '\f',
  '\r',
  ' ',
  '\u0085',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2001',
  '\u2002',
  '\u2003',
  '\u2004',
  '\u2005',
  '\u2006',
  '\u2007',
  '\u2008',
  '\u2009',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
];
// ...and look-alikes that are not: JS \s has U+FEFF, others are often mistaken for spaces.
const NOT_RUST_WS = ['\ufeff', '\u180e', '\u200b', '\u200c', '\u200d', '\u2060', '\u001c', '\u001d', '\u001e', '\u001f', '\u0000', '\u007f'];

const inputs = new Set();
const add = (s) => inputs.add(s);

// Deterministic PRNG (mulberry32) so the fixture is reproducible.
let seed = 0x2300_5eed;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const digits = (n) => Array.from({ length: n }, () => String(int(0, 9))).join('');

// Plain oddities.
for (const s of [
  '',
  ' ',
  '  ',
  '\t',
  '0',
  '00',
  '000',
  '0 ',
  ' 0',
  '0\n',
  '0s',
  '00s',
  '0 s',
  '0.0',
  '0.0s',
  '0.s',
  '.',
  '.5',
  '.5s',
  '5.s',
  '5.',
  '1.',
  '1..s',
  '1..5s',
  '1.5.5s',
  '1.5.s',
  '+1s',
  '-1s',
  '1e3s',
  '1E3s',
  '1e3',
  '1_000s',
  '1,5s',
  '1s,',
  '1s;2m',
  '1s 2',
  '1s 2 ',
  's',
  'h1',
  '1h 2h',
  '1h2h',
  '1hh',
  '1 h h',
  '1h 1',
  '1h  1m',
  '1h,30m',
  '1h+30m',
  '1h-30m',
  '1h/2',
  '1h\t30m',
  '1h\n30m',
  '1h\r\n30m',
  'inf',
  'NaN',
  'infinity',
  '1 2h',
  '1 2 3 s',
  '1 . 5 s',
  '1. 5s',
  '1 .5s',
  '1.5 5s',
  '1.5 5 s',
  '1.5s5',
  '1.5s 5',
  'one second',
  '1 sec ond',
  '2 hours min',
  'm sec',
  '1m sec',
  '1msec',
  '1 msec',
  '10 months 1',
  '10nights',
  '123',
  '1~',
  '1N\u00e5',
  '\u0000',
  '\r',
  '222nsec221nanosmsec7s5msec572s',
  '0x10s',
  '0b1s',
  '0o7s',
  '1__s',
  '1s_',
  '_1s',
  '1 _s',
  '1.0e1s',
  '1.5e',
  '1.5 e',
  '1h30',
  '1h30m15',
  '1:30',
  '01:30:00',
  '1d 2h 3m 4s 5ms 6us 7ns',
  '1y1M1w1d1h1m1s',
  '\u00b5s',
  '1\u00b5',
  '1\u00b5 s',
  '1 \u00b5 s',
  '1s\u00b5',
  '1\u03bcs',
  '1\u039cs',
  '1\u00b5S',
  '1\u00b5sec',
  '1\uff53',
  '\uff11s',
  '\u0663s',
  '1\u0663s',
  '1\u79d2',
  '1s\u{1f600}',
  '1\u{1f600}s',
  '\u{1f600}',
  '1s\u0301',
  '1 s\u00e9c',
  '1mi n',
  '1m in',
  '1 mi n',
  'min',
  '1 min 1',
  '1min1',
  '1min1 ',
  '1min 1.',
  '1min 1.5',
  '18446744073709551615',
  '18446744073709551616',
  '0000000000000000000000000000001s',
  '0.',
  '00.5s',
  '0.50s',
])
  add(s);

// Every unit, with the spellings around it.
for (const u of UNITS) {
  for (const n of ['0', '1', '7', '12', '100', '0007']) {
    add(`${n}${u}`);
    add(`${n} ${u}`);
    add(` ${n}${u} `);
  }
  for (const f of [
    '0',
    '5',
    '25',
    '1',
    '01',
    '001',
    '0001',
    '00001',
    '000001',
    '0000001',
    '00000001',
    '000000001',
    '0000000001',
    '123',
    '123456',
    '123456789',
    '1234567890',
    '999999999',
    '9999999999',
    '50',
    '500',
    '5000000000',
    '10000000000',
    '100000000000',
    '2',
    '3',
    '75',
    '125',
    '0625',
    '03125',
    '00000005',
    '5000000000000000000',
    '0000000000000000001',
    '00000000000000000001',
    '10000000000000000000',
    '1000000000000000000',
  ]) {
    add(`1.${f}${u}`);
    add(`0.${f}${u}`);
  }
  add(`12.5${u}`);
  add(`2.25 ${u}`);
  add(`1.1${u}`);
  add(u.toUpperCase() === u ? `1${u.toLowerCase()}` : `1${u.toUpperCase()}`);
  add(`1${u[0].toUpperCase()}${u.slice(1)}`);
  add(`1${u}s`);
  add(`1${u}x`);
  if (u.length > 1) add(`1${u.slice(0, -1)}`);
  add(`1${u}1`);
  add(`1${u}1${u}`);
  add(`1${u}.5${u}`);
  add(`1${u} 0.5${u}`);
}
for (const u of ['H', 'D', 'S', 'W', 'Y', 'MS', 'NS', 'US', 'Ms', 'Min', 'Sec', 'Hr', 'MIN', 'Hours', 'Days']) add(`1${u}`);

// Overflow boundaries for each unit, and sums that reach u64::MAX seconds.
for (const [u, scale] of SCALES) {
  const inNanos = u === 'ns' || u === 'us' || u === 'ms';
  const max = U64_MAX / scale;
  for (const n of [max - 1n, max, max + 1n, max * 10n, U64_MAX, U64_MAX + 1n]) add(`${n}${u}`);
  if (!inNanos) {
    add(`${max}${u} ${U64_MAX - max * scale}s`);
    add(`${max}${u} ${U64_MAX - max * scale + 1n}s`);
    add(`${max}.5${u}`);
    add(`${max - 1n}.5${u}`);
  }
}
const M = U64_MAX;
for (const s of [
  `${M}s`,
  `${M + 1n}s`,
  `${M}s 999999999ns`,
  `${M}s 1000000000ns`,
  `${M}s 999999999ns 1ns`,
  `${M - 1n}s 1000000000ns`,
  `${M - 1n}s 999999999ns 1ns`,
  `${M}s 1ns`,
  `${M}s 1s`,
  `${M}ns`,
  `${M}ns 1ns`,
  `1ns ${M}ns`,
  `999999999ns ${M}ns`,
  `${M}s 0.999999999s`,
  `${M}s 0.5s 0.5s`,
  `${M - 1n}s 0.5s 0.5s`,
  `${M}s 1.0s`,
  `${M}s 0ns`,
  `${M}.5s`,
  `${M}s 999999999ns 0.000000001s`,
  `${M - 1n}s 1999999999ns`,
  `${M}us`,
  `${M}ms`,
  `${M / 1000n}us`,
  `${M / 1000000n}ms`,
  `${M / 1000n + 1n}us`,
  `${M / 1000000n + 1n}ms`,
  `500000000ns 500000000ns`,
  `600000000ns 600000000ns`,
  `999999999ns 1ns`,
  `999999999ns 2ns`,
  `1000000000ns`,
  `1000000001ns`,
  `0.5s 0.5s`,
  `0.6s 0.6s`,
  `0.5s 500ms`,
  `1.5s 0.5s`,
  `999999999ns 0.000000001s`,
  `0.999999999s 1ns`,
  `1.5m`,
  `0.0000000001m`,
  `0.000000001m`,
  `0.00000000001m`,
  `1.1234567890m`,
  `1.123456789m`,
  `0.0001h`,
  `0.36s`,
  `0.5d`,
  `0.00001d`,
  `0.0000115740740740740740740740740741d`,
  `1.5w`,
  `0.1w`,
  `0.01w`,
  `1.5M`,
  `1.1M`,
  `0.5y`,
  `0.1y`,
  `0.01y`,
  `0.001y`,
  `0.0001y`,
  `0.00001y`,
  `1.00000000000000000001s`,
  `1.0000000000000000000s`,
  `1.00000000000000000000s`,
  `1.9999999999999999999y`,
  `1.10000000000s`,
  `1.100000000000s`,
])
  add(s);
for (const len of [19, 20, 21, 25, 30, 50, 100, 400, 1000]) {
  add(`${'9'.repeat(len)}s`);
  add(`${'0'.repeat(len)}1s`);
  add(`1.${'0'.repeat(len)}s`);
  add(`1.${'0'.repeat(len)}1s`);
  add(`0.${'5'.repeat(len)}s`);
  add(`${'0'.repeat(len)}`);
  add(`${'0'.repeat(len)}s`);
}
add('s'.repeat(1000));
add(`1${'s'.repeat(1000)}`);
add('1s '.repeat(300));
add('1.5h'.repeat(100));

// Every whitespace, Rust's and the look-alikes, in every place whitespace can stand.
for (const w of [...RUST_WS, ...NOT_RUST_WS]) {
  for (const t of [
    'W1s',
    '1sW',
    '1Ws',
    '1W2s',
    '1.W5s',
    '1W.5s',
    '1.5Ws',
    '1sW2m',
    'W',
    'WW',
    '1hWW30m',
    'W0',
    '0W',
    'W0W',
    '1W',
    'W1W',
    '1sWx',
    '1 sW',
    'Wx',
  ]) {
    add(t.replaceAll('W', w));
  }
}

// Round trips of the crate's own formatter output shape.
for (let i = 0; i < 120; i++) {
  const parts = [];
  for (const [name, max] of [
    ['year', 30],
    ['month', 11],
    ['day', 29],
    ['h', 23],
    ['m', 59],
    ['s', 59],
    ['ms', 999],
    ['us', 999],
    ['ns', 999],
  ]) {
    if (rand() < 0.5) {
      const v = int(1, max);
      parts.push(`${v}${name}${(name === 'year' || name === 'month' || name === 'day') && v > 1 ? 's' : ''}`);
    }
  }
  add(parts.join(' ') || '0s');
}

// Structured random: spans of number, optional fraction and unit, with noise.
const SEPARATORS = ['', ' ', '  ', '\t', '\n', '\u00a0', '\u3000', '\u0085', '\ufeff', ',', '+', '-', '.', '_'];
function randomNumber() {
  const r = rand();
  if (r < 0.55) return String(int(0, 999));
  if (r < 0.7) return digits(int(1, 12));
  if (r < 0.8) return digits(int(15, 22));
  if (r < 0.9) return `0${digits(int(1, 4))}`;
  return String(int(0, 9));
}
function randomFraction() {
  const r = rand();
  if (r < 0.5) return '';
  if (r < 0.8) return `.${digits(int(1, 4))}`;
  if (r < 0.93) return `.${digits(int(5, 12))}`;
  if (r < 0.97) return `.${digits(int(18, 21))}`;
  return '.';
}
function randomUnit() {
  const r = rand();
  if (r < 0.85) return pick(UNITS);
  if (r < 0.9) return pick(UNITS).toUpperCase();
  if (r < 0.95) return '';
  return pick(['x', 'sx', 'mss', 'hs', '\u03bcs', '\u00b5', 'mo', 'yrss', 'Y', 'H']);
}
for (let i = 0; i < 2600; i++) {
  const spans = int(1, 4);
  let s = rand() < 0.1 ? pick(SEPARATORS) : '';
  for (let k = 0; k < spans; k++) {
    let num = randomNumber();
    if (rand() < 0.08) {
      const at = int(0, num.length);
      num = num.slice(0, at) + pick([' ', '\u2009', '\t']) + num.slice(at);
    }
    const gap = rand() < 0.25 ? pick([' ', '  ', '\u00a0', '\t']) : '';
    s += num + randomFraction() + gap + randomUnit();
    if (k < spans - 1) s += rand() < 0.7 ? pick([' ', '', ' ']) : pick(SEPARATORS);
  }
  if (rand() < 0.1) s += pick(SEPARATORS);
  add(s);
}

// Unstructured random strings over the characters the parser cares about.
const ALPHABET = [
  ...'0123456789'.split(''),
  ...'0123456789'.split(''),
  '.',
  '.',
  ' ',
  ' ',
  '\t',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ufeff',
  ...'smhdwyMnu\u00b5ecorsinaklt'.split(''),
  'S',
  'H',
  'D',
  'x',
  '-',
  '+',
  ',',
  '_',
  ':',
  '\u03bc',
  '\u00e5',
  '\u{1f600}',
  'e',
  'E',
];
for (let i = 0; i < 2600; i++) {
  const len = int(1, 14);
  let s = '';
  for (let k = 0; k < len; k++) s += pick(ALPHABET);
  add(s);
}

// ---------------------------------------------------------------- ask the crate

const work = mkdtempSync(join(tmpdir(), 'humantime-oracle-'));
try {
  const rustc = (argv) => execFileSync('rustc', argv, { stdio: ['ignore', 'inherit', 'inherit'] });
  rustc(['--edition', '2021', '--crate-type', 'rlib', '--crate-name', 'humantime', '-O', '--cap-lints', 'allow', libRs, '--out-dir', work]);
  const oracle = join(work, 'oracle');
  rustc(['--edition', '2021', '-O', join(here, 'oracle.rs'), '--extern', `humantime=${join(work, 'libhumantime.rlib')}`, '-o', oracle]);

  const list = [...inputs];
  const stdout = execFileSync(oracle, {
    input: list.map((s) => JSON.stringify(s)).join('\n') + '\n',
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'utf8',
  });
  const answers = stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
  if (answers.length !== list.length) throw new Error(`oracle answered ${answers.length} of ${list.length} inputs`);

  // ASCII-only output: invisible and line-breaking characters stay visible in review.
  const ascii = (s) => JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  let accepted = 0;
  const panics = [];
  const lines = list.map((input, i) => {
    const a = answers[i];
    if ('secs' in a) accepted++;
    if ('panic' in a) panics.push(input);
    const secs = 'secs' in a ? JSON.stringify(a.secs) : 'null';
    const nanos = 'secs' in a ? String(a.nanos) : 'null';
    return `{"input":${ascii(input)},"secs":${secs},"nanos":${nanos}}`;
  });
  writeFileSync(out, `[\n${lines.join(',\n')}\n]\n`);
  process.stdout.write(
    `${list.length} cases (${accepted} accepted, ${list.length - accepted} rejected, of which ${panics.length} panic in the crate) -> ${out}\n`,
  );
  for (const p of panics) process.stdout.write(`  panics: ${JSON.stringify(p)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
