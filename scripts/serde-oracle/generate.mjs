// Regenerates fixtures/serde-json-cases.json: builds the oracle (src/main.rs: the server's
// structs read by serde_json) offline with Debian's packaged crates, asks it about a few
// thousand generated and mutated token files, and stores its answers. Fetches nothing.
//
//   node scripts/serde-oracle/generate.mjs [--out FILE]
//
// The inputs come from a fixed seed, so a rerun gives the same file.
import { askOracle, seeded, serdeVersion } from './seeded.mjs';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const out = args[0] === '--out' ? resolve(args[1]) : join(root, 'fixtures', 'serde-json-cases.json');

// ---------------------------------------------------------------- a seeded generator

const { rand, int, pick, chance, token } = seeded(0x5eed5);

// ---------------------------------------------------------------- documents as trees
// An object is { obj: [[rawKey, node], ...] }, an array { arr: [node, ...] }, a scalar
// { raw: 'text' }. Raw keys and scalars are JSON text, so escapes can be chosen freely.

const str = (s) => ({ raw: JSON.stringify(s) });
const WS = ['', ' ', '\n', '  ', '\t', '\r\n', '\n    '];
function serialize(node, pretty, depth = 0) {
  const ws = () => (pretty === 'random' ? pick(WS) : '');
  if (node.raw !== undefined) return node.raw;
  if (pretty === 'pretty') {
    const pad = '  '.repeat(depth + 1);
    const end = '  '.repeat(depth);
    if (node.obj) return node.obj.length === 0 ? '{}' : `{\n${node.obj.map(([k, v]) => `${pad}${k}: ${serialize(v, pretty, depth + 1)}`).join(',\n')}\n${end}}`;
    return node.arr.length === 0 ? '[]' : `[\n${node.arr.map((v) => `${pad}${serialize(v, pretty, depth + 1)}`).join(',\n')}\n${end}]`;
  }
  if (node.obj) return `{${ws()}${node.obj.map(([k, v]) => `${k}${ws()}:${ws()}${serialize(v, pretty, depth + 1)}`).join(`${ws()},${ws()}`)}${ws()}}`;
  return `[${ws()}${node.arr.map((v) => serialize(v, pretty, depth + 1)).join(`${ws()},${ws()}`)}${ws()}]`;
}

const NAMES = ['_admin', 'telegraf', 'grafana', 'token-1', 'a', 'ünïcödé', '名前', 'emoji-😀', 'with space', 'x/y'];
const PERMS = ['db:db1,db2:read,write', 'system:health:read', 'db:*:read', '*:*:*', 'db:a:write'];
const EXPIRIES = ['1756400061529', '0', '1', '-1', '9223372036854775807', '-9223372036854775808', '1700000000000'];

function unknownValue(depth = 0) {
  const k = int(depth > 3 ? 5 : 8);
  if (k === 0) return str(pick(['x', 'description', 'text']));
  if (k === 1)
    return { raw: pick(['1', '-0', '1.5e300', '1e400', '12345678901234567890123', 'true', 'false', 'null', '"\\ud800"', '"\\udc00\\ud800"', '"\\u00e9"']) };
  if (k === 2) return { raw: '{}' };
  if (k === 3) return { raw: '[]' };
  if (k === 4) return str(token());
  if (k < 7)
    return {
      obj: Array.from({ length: 1 + int(3) }, () => [pick(['"a"', '"name"', '"token"', '"\\ud800"', '"x\\u0000"', '"tokens"']), unknownValue(depth + 1)]),
    };
  return { arr: Array.from({ length: int(4) }, () => unknownValue(depth + 1)) };
}

function adminTree() {
  const members = [
    ['"token"', str(token())],
    ['"name"', str(pick(NAMES))],
  ];
  if (chance(0.6)) members.push(['"expiry_millis"', { raw: pick(EXPIRIES) }]);
  if (chance(0.3)) members.splice(int(members.length + 1), 0, [pick(['"description"', '"create_databases"', '"tokens"', '"permissions"']), unknownValue()]);
  if (chance(0.2)) shuffle(members);
  return { obj: members };
}
function entryTree() {
  const members = [
    ['"token"', str(token())],
    ['"name"', str(pick(NAMES))],
  ];
  if (chance(0.5)) members.push(['"expiry_millis"', { raw: pick(EXPIRIES) }]);
  members.push(['"permissions"', { arr: Array.from({ length: 1 + int(3) }, () => str(pick(PERMS))) }]);
  if (chance(0.2)) members.splice(int(members.length + 1), 0, [pick(['"description"', '"admin"', '"extra"']), unknownValue()]);
  if (chance(0.15)) shuffle(members);
  return { obj: members };
}
function permissionTree() {
  const members = [];
  if (chance(0.6)) members.push(['"create_databases"', { arr: Array.from({ length: int(3) }, () => str(pick(['db1', 'db2', 'metrics', 'a/b']))) }]);
  members.push(['"tokens"', { arr: Array.from({ length: int(4) }, entryTree) }]);
  if (chance(0.2)) members.splice(int(members.length + 1), 0, [pick(['"version"', '"token"', '"name"']), unknownValue()]);
  if (chance(0.15)) shuffle(members);
  return { obj: members };
}
function shuffle(xs) {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
}

// Every object and array node of a tree, with its parent, for mutations.
function nodes(tree) {
  const all = [];
  const walk = (n) => {
    if (n.obj) {
      all.push(n);
      n.obj.forEach(([, v]) => walk(v));
    } else if (n.arr) {
      all.push(n);
      n.arr.forEach(walk);
    }
  };
  walk(tree);
  return all;
}
const clone = (t) => structuredClone(t);
const escapeKey = (raw) => {
  // One character of the key written as \\uXXXX: "n\u0061me".
  const inner = JSON.parse(raw);
  if (inner.length === 0) return raw;
  const at = int(inner.length);
  const hex = inner.charCodeAt(at).toString(16).padStart(4, '0');
  return `"${inner.slice(0, at)}\\u${chance(0.5) ? hex : hex.toUpperCase()}${inner.slice(at + 1)}"`;
};
const SURROGATES = [
  '\\ud800',
  '\\udfff',
  '\\udc00\\ud800',
  '\\ud83d\\ude00',
  '\\ud83d',
  '\\ud83dx',
  '\\ud83d\\u0041',
  '\\ud83d\\ud83d\\ude00',
  '\\uD83D\\uDE00',
  '\\ud800\\n',
];
const NUMBERS = [
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '-9223372036854775809',
  '-0',
  '0',
  '-1',
  '1.0',
  '1e12',
  '1E2',
  '1e+2',
  '-0.0',
  '0e0',
  '18446744073709551615',
  '18446744073709551616',
  '1e400',
  '100000000000000000000',
  '999999999999999999',
  '-999999999999999999',
  '01',
  '1.',
  '.5',
  '+1',
  '0x10',
  'null',
  '"1756400061529"',
  'true',
  '[]',
  '{}',
  '[1]',
  'NaN',
  'Infinity',
];

const MUTATIONS = [
  // A known or unknown member given twice, possibly spelled with escapes.
  (t) => {
    const objs = nodes(t).filter((n) => n.obj && n.obj.length > 0);
    if (!objs.length) return false;
    const o = pick(objs);
    const [k, v] = pick(o.obj);
    o.obj.splice(int(o.obj.length + 1), 0, [chance(0.4) ? escapeKey(k) : k, chance(0.5) ? clone(v) : { raw: 'null' }]);
    return true;
  },
  // A key spelled with escapes.
  (t) => {
    const objs = nodes(t).filter((n) => n.obj && n.obj.length > 0);
    if (!objs.length) return false;
    const m = pick(pick(objs).obj);
    m[0] = escapeKey(m[0]);
    return true;
  },
  // A surrogate escape in a string value or a key.
  (t) => {
    const objs = nodes(t).filter((n) => n.obj && n.obj.length > 0);
    if (!objs.length) return false;
    const m = pick(pick(objs).obj);
    const esc = pick(SURROGATES);
    if (chance(0.3)) m[0] = `"${JSON.parse(m[0])}${esc}"`;
    else if (m[1].raw?.startsWith('"')) m[1] = { raw: `${m[1].raw.slice(0, -1)}${esc}"` };
    else if (m[1].arr && m[1].arr[0]?.raw?.startsWith('"')) m[1].arr[0] = { raw: `"${esc}${m[1].arr[0].raw.slice(1)}` };
    else return false;
    return true;
  },
  // A number (or other value) where expiry_millis is.
  (t) => {
    const objs = nodes(t).filter((n) => n.obj);
    if (!objs.length) return false;
    const withToken = objs.filter((n) => n.obj.some(([k]) => k === '"token"'));
    const o = withToken.length && chance(0.8) ? pick(withToken) : pick(objs);
    const m = o.obj.find(([k]) => k === '"expiry_millis"');
    if (m) m[1] = { raw: pick(NUMBERS) };
    else o.obj.push(['"expiry_millis"', { raw: pick(NUMBERS) }]);
    return true;
  },
  // null, or another type, for a known field.
  (t) => {
    const objs = nodes(t).filter((n) => n.obj && n.obj.length > 0);
    if (!objs.length) return false;
    const m = pick(pick(objs).obj);
    m[1] = { raw: pick(['null', '[]', '{}', '""', '1', 'true', '[null]', '[1]', '"apiv3_x"', '[[]]']) };
    return true;
  },
  // A member removed.
  (t) => {
    const objs = nodes(t).filter((n) => n.obj && n.obj.length > 0);
    if (!objs.length) return false;
    const o = pick(objs);
    o.obj.splice(int(o.obj.length), 1);
    return true;
  },
  // An unknown member with any value, deep or odd.
  (t) => {
    const objs = nodes(t).filter((n) => n.obj);
    if (!objs.length) return false;
    const o = pick(objs);
    const depth = pick([1, 10, 127, 128, 129, 300, 2000]);
    const deep = chance(0.5) ? { raw: `${'['.repeat(depth)}${']'.repeat(depth)}` } : { raw: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` };
    o.obj.splice(int(o.obj.length + 1), 0, [pick(['"x"', '"unknown"', '"\\u0078"', '"\\ud800"', '""', '"tokenz"']), chance(0.5) ? deep : unknownValue()]);
    return true;
  },
  // An object turned into the array of its struct's fields, in declaration order.
  (t) => {
    const objs = nodes(t).filter((n) => n.obj && n.obj.some(([k]) => k === '"token"' || k === '"tokens"'));
    if (!objs.length) return false;
    const o = pick(objs);
    const order = o.obj.some(([k]) => k === '"tokens"')
      ? ['"create_databases"', '"tokens"']
      : o.obj.some(([k]) => k === '"permissions"')
        ? ['"token"', '"name"', '"expiry_millis"', '"permissions"']
        : ['"token"', '"name"', '"expiry_millis"'];
    const arr = order.map((k) => o.obj.find(([kk]) => kk === k)?.[1] ?? { raw: 'null' });
    if (chance(0.2)) arr.pop();
    else if (chance(0.15)) arr.push({ raw: 'null' });
    delete o.obj;
    o.arr = arr;
    return true;
  },
];

// Byte-level mutations of the serialized text.
const enc = (s) => Buffer.from(s, 'utf8');
const BYTE_MUTATIONS = [
  (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]), // BOM
  (b) => insertAt(b, pick([[0xff], [0xc0, 0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xfe]])),
  (b) => insertAt(b, enc(pick(['//c\n', '/*c*/', ',', ' ', '\u00a0', '\u000b', '\f', '\u2028', '#', '\u0000', '\t']))),
  (b) => deleteAt(b),
  (b) => insertAt(b, enc(pick(['"', '{', '}', '[', ']', ':', '\\', 'null', '0', '-', 'e', '.']))),
  (b) => Buffer.concat([b, enc(pick(['\n', ' ', 'x', '{}', ',', '\u0000', '\n\n']))]),
  (b) => b.subarray(0, int(b.length)),
  // A trailing comma before a closing bracket.
  (b) => {
    const s = b.toString('latin1');
    const closes = [...s.matchAll(/[}\]]/g)].map((m) => m.index);
    if (!closes.length) return b;
    const at = pick(closes);
    return Buffer.concat([b.subarray(0, at), enc(','), b.subarray(at)]);
  },
  // A raw control character inside a string.
  (b) => {
    const s = b.toString('latin1');
    const quotes = [...s.matchAll(/"/g)].map((m) => m.index);
    if (!quotes.length) return b;
    return insertAt(b, Buffer.from([pick([0x00, 0x01, 0x09, 0x0a, 0x1f, 0x7f])]), pick(quotes) + 1);
  },
];
function insertAt(b, bytes, at = int(b.length + 1)) {
  return Buffer.concat([b.subarray(0, at), Buffer.from(bytes), b.subarray(at)]);
}
function deleteAt(b) {
  const at = int(b.length);
  return Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
}

// ---------------------------------------------------------------- the corpus

const T = token();
const corners = [
  // From SPEC 8.1 and the brief, by hand.
  `{"token":"${T}","name":"_admin"}`,
  `{"token":"${T}","name":"_admin","name":"x"}`,
  `{"token":"${T}","name":"_admin","n\\u0061me":"x"}`,
  `{"token":"${T}","name":"_admin","extra":1,"extra":2}`,
  `{"token":"${T}","name":"_admin","expiry_millis":null}`,
  `{"token":"${T}","name":"_admin","expiry_millis":null,"expiry_millis":1}`,
  `{"token":"${T}","name":""}`,
  `{"token":"${T}","name":"\\ud800"}`,
  `{"token":"${T}","name":"\\udc00\\ud800"}`,
  `{"token":"${T}","name":"\\ud83d\\ude00"}`,
  `{"token":"${T}","name":"a","\\ud800":1}`,
  `{"token":"${T}","name":"a","x":{"\\ud800":"\\udc00"}}`,
  `["${T}","_admin",null]`,
  `["${T}","_admin",1756400061529]`,
  `["${T}","_admin"]`,
  `["${T}","_admin",null,null]`,
  `[]`,
  `{"tokens":[]}`,
  `{"tokens":null}`,
  `{"create_databases":null,"tokens":[]}`,
  `{"create_databases":["a"]}`,
  `[null,[]]`,
  `[["db1"],[["${T}","t",null,["db:db1:read"]]]]`,
  `{"tokens":[["${T}","t",null,["db:db1:read"]]]}`,
  `{"tokens":[{"token":"${T}","name":"t","permissions":[]}]}`,
  `{"tokens":[{"token":"${T}","name":"t","permissions":null}]}`,
  `{"token":"${T}","name":"_admin","create_databases":["a"]}`,
  `{"token":"${T}","name":"_admin","tokens":[]}`,
  ...NUMBERS.map((x) => `{"token":"${T}","name":"_admin","expiry_millis":${x}}`),
  ...NUMBERS.map((x) => `{"tokens":[{"token":"${T}","name":"t","expiry_millis":${x},"permissions":["db:a:read"]}]}`),
  `\ufeff{"token":"${T}","name":"_admin"}`,
  `{"token":"${T}","name":"_admin"} // c`,
  `{"token":"${T}","name":"_admin",}`,
  `{"tokens":[],}`,
  `{"token":"${T}","name":"_admin"}\n\n`,
  ` \t\r\n{"token":"${T}","name":"_admin"}`,
  `{"token":"${T}","name":"_admin"}{}`,
  `{"token":"${T}","name":"_admin","x":${'['.repeat(100000)}${']'.repeat(100000)}}`,
  `{"tokens":[],"x":${'{"a":'.repeat(20000)}null${'}'.repeat(20000)}}`,
  `{"token":"${T}","name":"_admin","x":${'['.repeat(1000)}${']'.repeat(999)}}`,
  `{"token":"${T}","name":"a\\u0000b"}`,
  `{"token":"${T}","name":"a\\x"}`,
  `{"token":"${T}","name":"a\\u12"}`,
  `{"token":"${T}","name":"\\u0041\\/\\b\\f\\n\\r\\t\\"\\\\"}`,
  `{"token":"${T}","name":"_admin","x":"\\ud800"}`,
  `{"token":"${T}","name":"_admin","x":["\\udc00"]}`,
  `{"token":"${T}","name":"_admin","x":"\\q"}`,
  `{"token":"${T}","name":"_admin","x":1.}`,
  `{"token":"${T}","name":"_admin","x":[1,]}`,
  `{"token":"${T}","name":"_admin","x":{"a":1,}}`,
  `{"token":"${T}","name":"_admin","x":{"a" 1}}`,
  `{"token":"${T}","name":"_admin","x":{1:1}}`,
  `"${T}"`,
  `null`,
  `{}`,
  ``,
  `{"token":1,"name":"_admin"}`,
  `{"token":"${T}","name":["_admin"]}`,
];
const cases = corners.map((s) => enc(s));
const PRETTY = ['pretty', 'compact', 'random'];
for (let k = 0; k < 600; k++) {
  const t = k % 2 ? adminTree() : permissionTree();
  cases.push(enc(serialize(t, pick(PRETTY)) + (chance(0.5) ? '\n' : '')));
}
for (let k = 0; k < 2400; k++) {
  const t = k % 3 === 0 ? adminTree() : permissionTree();
  const times = 1 + (chance(0.3) ? 1 : 0);
  for (let m = 0; m < times; m++) {
    for (let tries = 0; tries < 5 && !pick(MUTATIONS)(t); tries++);
  }
  let bytes = enc(serialize(t, pick(PRETTY)) + (chance(0.5) ? '\n' : ''));
  if (chance(0.2)) bytes = pick(BYTE_MUTATIONS)(bytes);
  cases.push(bytes);
}

// ---------------------------------------------------------------- the oracle

const answers = askOracle(cases);

const isUtf8Text = (b) => Buffer.from(b.toString('utf8'), 'utf8').equals(b);
const version = serdeVersion();
const fixture = {
  about: `Answers of serde_json ${version} reading each file as the server's structs (scripts/serde-oracle). Regenerate: node scripts/serde-oracle/generate.mjs`,
  cases: cases.map((b, k) => {
    const a = answers[k];
    // Short refusal reasons: the verdict is what is compared; the reason helps a human.
    const brief = (v) => ('refuse' in v ? { refuse: v.refuse.replace(/ at line \d+ column \d+$/, '').slice(0, 80) } : v);
    return { ...(isUtf8Text(b) ? { text: b.toString('utf8') } : { base64: b.toString('base64') }), admin: brief(a.admin), permission: brief(a.permission) };
  }),
};
writeFileSync(out, `${JSON.stringify(fixture, null, 1)}\n`);
const loads = (kind) => fixture.cases.filter((c) => 'load' in c[kind]).length;
process.stdout.write(`${cases.length} cases: ${loads('admin')} load as admin, ${loads('permission')} as permission -> ${out}\n`);
