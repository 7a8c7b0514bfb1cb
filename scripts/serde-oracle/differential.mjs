// Regenerates fixtures/serde-differential.json: token files the server loads, in every
// layout and spelling (2 or 4 spaces, tabs, CRLF, minified, shuffled keys, escaped strings,
// unknown fields at depth, expiry null / absent / negative / the i64 bounds / beyond 2^53),
// with what serde_json reads from each (scripts/serde-oracle, values with i64 digits), and,
// for every command run on it (test/actions/differential-run.ts, fixed clock, seeded
// randomness), what serde reads from the file it leaves. Needs the build and cargo:
//
//   node scripts/build.mjs --tests && node scripts/serde-oracle/differential.mjs
import { askOracle, seeded } from './seeded.mjs';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);
const run = require(join(root, 'build/test/actions/differential-run.js'));

const { rand, int, pick, chance, token } = seeded(0xd1ff);

// A string literal, sometimes with characters written as escapes (\u0041, \/).
function literal(s) {
  if (!chance(0.3)) return JSON.stringify(s);
  let out = '"';
  for (const ch of s) {
    if (ch === '/' && chance(0.5)) out += '\\/';
    else if (ch.length === 1 && chance(0.3))
      out += `\\u${ch
        .charCodeAt(0)
        .toString(16)
        .padStart(4, chance(0.5) ? '0' : '0')
        .toUpperCase()}`;
    else out += JSON.stringify(ch).slice(1, -1);
  }
  return `${out}"`;
}

const EXPIRIES = [
  undefined,
  undefined,
  'null',
  '-1',
  '-9223372036854775808',
  '9223372036854775807',
  '9007199254740993',
  '1',
  '1956400061529',
  '4102444800000',
  '0',
];
const PERMS = ['db:db1:read', 'db:db1,db2:read,write', 'system:health:read', 'db:*:write', 'db:db2:create,delete', 'system:*:read'];
const NAMES = ['telegraf', 'grafana', 'app', 'a b', 'ünïcödé', '名前', 'x/y', 'emoji-😀', 'token'];

// A tree: { obj: [[keyLiteral, node]] } | { arr: [node] } | { raw }.
function unknownValue(depth = 0) {
  const k = int(depth > 2 ? 4 : 7);
  if (k === 0) return { raw: literal(pick(['note', 'x', 'a/b'])) };
  if (k === 1) return { raw: pick(['1', '1.5e300', '12345678901234567890123', 'true', 'null', '-0']) };
  if (k === 2) return { raw: chance(0.5) ? `${'['.repeat(50)}${']'.repeat(50)}` : `${'{"a":'.repeat(40)}1${'}'.repeat(40)}` };
  if (k === 3) return { raw: '{}' };
  if (k < 6) return { obj: Array.from({ length: 1 + int(3) }, () => [literal(pick(['a', 'token', 'name', 'tokens'])), unknownValue(depth + 1)]) };
  return { arr: Array.from({ length: int(3) }, () => unknownValue(depth + 1)) };
}

function withUnknowns(members, p) {
  if (chance(p)) members.splice(int(members.length + 1), 0, [literal(pick(['description', 'created_by', 'extra'])), unknownValue()]);
  if (chance(0.25)) members.sort(() => rand() - 0.5);
  return { obj: members };
}

function entry(name) {
  const m = [
    [literal('token'), { raw: literal(token()) }],
    [literal('name'), { raw: literal(name) }],
  ];
  const e = pick(EXPIRIES);
  if (e !== undefined) m.push([literal('expiry_millis'), { raw: e }]);
  m.push([literal('permissions'), { arr: Array.from({ length: 1 + int(2) }, () => ({ raw: literal(pick(PERMS)) })) }]);
  return withUnknowns(m, 0.25);
}

function permissionFile() {
  const m = [];
  const dbs = int(4);
  if (dbs === 1) m.push([literal('create_databases'), { raw: 'null' }]);
  else if (dbs > 1) m.push([literal('create_databases'), { arr: ['db1', 'db2'].slice(0, dbs - 1).map((d) => ({ raw: literal(d) })) }]);
  const names = [...NAMES].sort(() => rand() - 0.5).slice(0, 1 + int(4));
  m.push([literal('tokens'), { arr: names.map((n) => entry(n)) }]);
  return withUnknowns(m, 0.3);
}

function adminFile() {
  const m = [
    [literal('token'), { raw: literal(token()) }],
    [literal('name'), { raw: literal(pick(['_admin', '_admin', 'root'])) }],
  ];
  const e = pick(EXPIRIES);
  if (e !== undefined) m.push([literal('expiry_millis'), { raw: e }]);
  return withUnknowns(m, 0.4);
}

const LAYOUTS = ['2', '2', '4', 'tab', 'crlf', 'min'];
function serialize(node, layout, depth = 0) {
  if (node.raw !== undefined) return node.raw;
  const unit = layout === '4' ? '    ' : layout === 'tab' ? '\t' : '  ';
  const nl = layout === 'crlf' ? '\r\n' : '\n';
  const items = node.obj
    ? node.obj.map(([k, v]) => `${k}${layout === 'min' ? ':' : ': '}${serialize(v, layout, depth + 1)}`)
    : node.arr.map((v) => serialize(v, layout, depth + 1));
  const [open, close] = node.obj ? ['{', '}'] : ['[', ']'];
  if (items.length === 0) return `${open}${close}`;
  if (layout === 'min') return `${open}${items.join(',')}${close}`;
  return `${open}${nl}${items.map((i) => unit.repeat(depth + 1) + i).join(`,${nl}`)}${nl}${unit.repeat(depth)}${close}`;
}

const oracle = (texts) => askOracle(texts.map((t) => Buffer.from(t, 'utf8')));

const files = [];
for (let k = 0; k < 90; k++) {
  const kind = k % 3 === 2 ? 'admin' : 'permission';
  const layout = pick(LAYOUTS);
  let text = serialize(kind === 'admin' ? adminFile() : permissionFile(), layout);
  if (chance(0.7)) text += layout === 'crlf' ? '\r\n' : '\n';
  files.push({ kind, text });
}
const before = oracle(files.map((f) => f.text));
const cases = [];
for (const [k, f] of files.entries()) {
  const answer = before[k][f.kind];
  if (!('load' in answer)) throw new Error(`a generated file does not load: ${JSON.stringify(f.text)} (${answer.refuse})`);
  const steps = f.kind === 'admin' ? run.adminSteps(answer.load) : run.permissionSteps(answer.load);
  const afters = [];
  for (const s of steps) afters.push(await run.runOn(f.text, s.words, `${k}:${s.label}`, s.extra));
  const read = oracle(afters.map((a) => a.after));
  cases.push({
    kind: f.kind,
    text: f.text,
    before: answer.load,
    steps: steps.map((s, i) => ({ label: s.label, status: afters[i].status, after: afters[i].status === 0 ? read[i][f.kind] : null })),
  });
}
const out = join(root, 'fixtures', 'serde-differential.json');
writeFileSync(
  out,
  `${JSON.stringify({ about: 'What serde_json reads from each file, before and after each command (scripts/serde-oracle/differential.mjs).', now: run.NOW, cases }, null, 1)}\n`,
);
process.stdout.write(`${cases.length} files, ${cases.reduce((n, c) => n + c.steps.length, 0)} command runs -> ${out}\n`);
