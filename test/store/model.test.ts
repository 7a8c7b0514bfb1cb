/**
 * Model-based tests of the create path (SPEC 2.1, 2.3, 4, 7, 9): random sequences of
 * commands run in-process through createTokenRequest and createToken (fixed clock, seeded random
 * source) against an in-memory model of what the permission tokens file must hold. After
 * every step the file is compared with the model exactly, down to its bytes; refused
 * commands must leave it byte-for-byte as it was, and nothing else in its directory.
 *
 * Then real processes: for a generated set of names, concurrent CLI writers leave exactly
 * those names in the file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import { type CreateTokenResult, createToken } from '../../src/actions/create-token';
import type { ActionEnv } from '../../src/actions/env';
import { FileError } from '../../src/errors';
import { createTokenArgs, createTokenRequest, isUsageError, printedTokens, runCliAsync, tempDir } from '../helpers';

// ---------------------------------------------------------------------------------------
// The model

interface ModelEntry {
  token: string;
  name: string;
  expiry_millis?: number;
  permissions: string[];
}

interface ModelDoc {
  create_databases?: string[];
  tokens: ModelEntry[];
}

interface Model {
  /** undefined until the first successful create: the file must not exist. */
  doc: ModelDoc | undefined;
}

/** The file on disk and what the tool runs with. */
interface Real {
  dir: string;
  path: string;
  env: ActionEnv;
}

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

/** Exactly the bytes the model says the file holds (field order: create_databases, tokens). */
function expectedText(doc: ModelDoc): string {
  const ordered: ModelDoc = doc.create_databases === undefined ? { tokens: doc.tokens } : { create_databases: doc.create_databases, tokens: doc.tokens };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function assertFileMatches(m: Model, r: Real, step: string): void {
  const names = readdirSync(r.dir).sort();
  if (m.doc === undefined) {
    assert.deepEqual(names, [], `${step}: no file yet, and nothing else either`);
    return;
  }
  // No lock directory, no temp file left behind.
  assert.deepEqual(names, ['tokens.json'], step);
  const text = readFileSync(r.path, 'utf8');
  assert.deepEqual(JSON.parse(text), m.doc, step);
  assert.equal(text, expectedText(m.doc), `${step}: the bytes`);
  assert.equal(statSync(r.path).mode & 0o777, 0o600, step);
}

/** Merges databases into the model in order, without repeats; returns the ones that were new. */
function mergeDatabases(doc: ModelDoc, dbs: readonly string[]): string[] {
  const known = new Set(doc.create_databases ?? []);
  const added: string[] = [];
  for (const db of dbs) {
    if (known.has(db)) continue;
    known.add(db);
    added.push(db);
  }
  if (added.length > 0) doc.create_databases = [...(doc.create_databases ?? []), ...added];
  return added;
}

// ---------------------------------------------------------------------------------------
// Inputs: permissions with their normal form computed here (not by the code under test)

const DB_ACTIONS = ['create', 'describe', 'read', 'write', 'delete'] as const;
const SYSTEM = ['health', 'metrics', 'ping', 'ready'] as const;
const DBS = ['a', 'b', 'mydb', 'db1', 'metrics/autogen', 'x_y-Z9'] as const;

interface PermInput {
  text: string;
  normal: string;
}

const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

const permInput: fc.Arbitrary<PermInput> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        fc.oneof({ weight: 1, arbitrary: fc.constant<'*'>('*') }, { weight: 4, arbitrary: fc.array(fc.constantFrom(...DBS), { minLength: 1, maxLength: 4 }) }),
        fc.array(fc.constantFrom(...DB_ACTIONS), { minLength: 1, maxLength: 6 }),
      )
      .map(([names, actions]) => ({
        text: `db:${names === '*' ? '*' : names.join(',')}:${actions.join(',')}`,
        normal: `db:${names === '*' ? '*' : uniq(names).join(',')}:${DB_ACTIONS.filter((a) => actions.includes(a)).join(',')}`,
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.oneof(fc.constant<'*'>('*'), fc.array(fc.constantFrom(...SYSTEM), { minLength: 1, maxLength: 5 })), fc.integer({ min: 1, max: 2 }))
      .map(([names, reads]) => ({
        text: `system:${names === '*' ? '*' : names.join(',')}:${Array<string>(reads).fill('read').join(',')}`,
        normal: `system:${names === '*' ? '*' : uniq(names).join(',')}:read`,
      })),
  },
  { weight: 1, arbitrary: fc.constant({ text: 'db:*,*:read', normal: 'db:*:read' }) },
);

/** --create-databases as given: one or more comma-separated lists. */
const dbLists = fc.array(fc.array(fc.constantFrom(...DBS), { minLength: 1, maxLength: 3 }), { maxLength: 2 });

/** Durations with the whole seconds they stand for (the sub-second part is dropped). */
const EXPIRIES: readonly { text: string; secs: number }[] = [
  { text: '1h', secs: 3_600 },
  { text: '1.5h', secs: 5_400 },
  { text: '7d', secs: 604_800 },
  { text: '1s 500ms', secs: 1 },
  { text: '90 min', secs: 5_400 },
  { text: '1y 6months', secs: 31_557_600 + 6 * 2_630_016 },
  { text: '2w3d', secs: 17 * 86_400 },
];
const expiryInput = fc.option(fc.constantFrom(...EXPIRIES), { nil: undefined });

/** Token names: a small pool (so names repeat) and arbitrary non-empty strings. */
const nameInput = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('app', 'grafana', 'telegraf', 'ci-1', '_admin', 'écrivain', 'a b') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }) },
);

function argsFor(
  name: string,
  perms: readonly PermInput[],
  dbs: readonly string[][],
  expiry: { text: string } | undefined,
  ifNotExists: boolean,
  path: string,
): Record<string, unknown> {
  return {
    permission: perms.map((p) => p.text),
    name,
    outputFile: path,
    createDatabases: dbs.length > 0 ? dbs.map((l) => l.join(',')) : undefined,
    expiry: expiry?.text,
    ifNotExists,
    lockTimeout: '30s',
  };
}

async function create(args: Record<string, unknown>, r: Real): Promise<CreateTokenResult> {
  return createToken(createTokenRequest(createTokenArgs(args)), r.env);
}

/** Runs `f`, which must be refused with `kind`; the directory must be exactly as it was. */
async function assertRefused(r: Real, f: () => Promise<unknown>, check: (e: unknown) => boolean, step: string): Promise<void> {
  const before = readdirSync(r.dir).sort();
  const bytes = existsSync(r.path) ? readFileSync(r.path) : undefined;
  await assert.rejects(f, (e: unknown) => {
    assert.ok(check(e), `${step}: unexpected ${e instanceof Error ? `${e.name} ${(e as { code?: string }).code}: ${e.message}` : String(e)}`);
    return true;
  });
  assert.deepEqual(readdirSync(r.dir).sort(), before, `${step}: nothing added or removed`);
  if (bytes === undefined) assert.ok(!existsSync(r.path), step);
  else assert.ok(readFileSync(r.path).equals(bytes), `${step}: byte-identical`);
}

// ---------------------------------------------------------------------------------------
// Commands

type Cmd = fc.AsyncCommand<Model, Real>;

/** A create with a name not in the file: appended, databases merged. */
class CreateNew implements Cmd {
  constructor(
    readonly name: string,
    readonly perms: PermInput[],
    readonly dbs: string[][],
    readonly expiry: { text: string; secs: number } | undefined,
    readonly ifNotExists: boolean,
  ) {}
  check(m: Readonly<Model>): boolean {
    return !m.doc?.tokens.some((t) => t.name === this.name);
  }
  async run(m: Model, r: Real): Promise<void> {
    const res = await create(argsFor(this.name, this.perms, this.dbs, this.expiry, this.ifNotExists, r.path), r);
    const doc: ModelDoc = m.doc ?? { tokens: [] };
    const added = mergeDatabases(doc, this.dbs.flat());
    // Field order is the server's: token, name, expiry_millis (only when set), permissions.
    const permissions = uniq(this.perms.map((p) => p.normal));
    const entry: ModelEntry = this.expiry
      ? { token: res.token, name: this.name, expiry_millis: NOW + this.expiry.secs * 1000, permissions }
      : { token: res.token, name: this.name, permissions };
    doc.tokens.push(entry);
    m.doc = doc;
    assert.match(res.token, /^apiv3_[A-Za-z0-9_-]{86}$/);
    assert.ok(!doc.tokens.slice(0, -1).some((t) => t.token === res.token), 'a fresh token');
    assert.equal(res.created, true);
    assert.equal(res.kind, 'permission');
    assert.equal(res.name, this.name);
    assert.deepEqual(res.permissions, entry.permissions);
    assert.equal(res.expiry, entry.expiry_millis === undefined ? null : BigInt(entry.expiry_millis));
    assert.deepEqual(res.newDatabases, added);
    assert.deepEqual(res.createDatabases, doc.create_databases);
    assertFileMatches(m, r, this.toString());
  }
  toString(): string {
    return `create(${JSON.stringify(this.name)}, ${JSON.stringify(this.perms.map((p) => p.text))}, dbs=${JSON.stringify(this.dbs)}, expiry=${this.expiry?.text}, ifNotExists=${this.ifNotExists})`;
  }
}

/** A create with a name already in the file, without --if-not-exists: refused, file untouched. */
class CreateDuplicate implements Cmd {
  constructor(
    readonly pick: number,
    readonly perms: PermInput[],
    readonly dbs: string[][],
  ) {}
  check(m: Readonly<Model>): boolean {
    return (m.doc?.tokens.length ?? 0) > 0;
  }
  async run(m: Model, r: Real): Promise<void> {
    const name = m.doc!.tokens[this.pick % m.doc!.tokens.length]!.name;
    await assertRefused(
      r,
      () => create(argsFor(name, this.perms, this.dbs, undefined, false, r.path), r),
      (e) => e instanceof FileError && e.code === 'ENAMETAKEN',
      this.toString(),
    );
    assertFileMatches(m, r, this.toString());
  }
  toString(): string {
    return `duplicate(#${this.pick}, dbs=${JSON.stringify(this.dbs)})`;
  }
}

/** --if-not-exists on a name in the file: the entry is kept, new databases are still merged. */
class CreateIfNotExistsTaken implements Cmd {
  constructor(
    readonly pick: number,
    readonly perms: PermInput[],
    readonly dbs: string[][],
    readonly expiry: { text: string; secs: number } | undefined,
  ) {}
  check(m: Readonly<Model>): boolean {
    return (m.doc?.tokens.length ?? 0) > 0;
  }
  async run(m: Model, r: Real): Promise<void> {
    const kept = m.doc!.tokens[this.pick % m.doc!.tokens.length]!;
    const before = readFileSync(r.path);
    const res = await create(argsFor(kept.name, this.perms, this.dbs, this.expiry, true, r.path), r);
    const added = mergeDatabases(m.doc!, this.dbs.flat());
    assert.equal(res.created, false);
    assert.equal(res.token, kept.token, 'the kept token is reported');
    assert.deepEqual(res.permissions, kept.permissions);
    assert.equal(res.expiry, kept.expiry_millis === undefined ? null : BigInt(kept.expiry_millis));
    assert.deepEqual(res.newDatabases, added);
    if (added.length === 0) assert.ok(readFileSync(r.path).equals(before), 'nothing new: the file is not rewritten');
    assertFileMatches(m, r, this.toString());
  }
  toString(): string {
    return `ifNotExists(#${this.pick}, dbs=${JSON.stringify(this.dbs)})`;
  }
}

/** Invalid input of every kind a usage check catches: refused before the file is touched. */
const INVALID: readonly { label: string; args: (name: string, path: string) => Record<string, unknown> }[] = [
  // *:*:* is the admin token's alone: the server refuses it in a permission tokens file.
  ...['*:*:*', 'db:a:fly', 'db::read', 'db:a', 'system:health:write', '*:a:*', 'db:*,a:read', 'db:bad name:read', 'x:y:z', 'db:a,,b:read', 'db:a/:read'].map(
    (p) => ({
      label: `bad permission ${p}`,
      args: (name: string, path: string) => ({ permission: ['db:a:read', p], name, outputFile: path }),
    }),
  ),
  ...['bad name', 'a/', 'a//b', '/a', '\u00e9t\u00e9', '', 'a,', 'x'.repeat(512)].map((db) => ({
    label: `bad database ${JSON.stringify(db.slice(0, 20))}`,
    args: (name: string, path: string) => ({ permission: 'db:a:read', name, outputFile: path, createDatabases: ['a', db] }),
  })),
  ...['500ms', '999999999ns', '0.5s', '0', '1us', '999 ms'].map((d) => ({
    label: `sub-second expiry ${d}`,
    args: (name: string, path: string) => ({ permission: 'db:a:read', name, outputFile: path, expiry: d, createDatabases: 'newdb' }),
  })),
  ...['1', 'soon', '1.1M', '-1h', '1e3s'].map((d) => ({
    label: `bad duration ${d}`,
    args: (name: string, path: string) => ({ permission: 'db:a:read', name, outputFile: path, expiry: d }),
  })),
  { label: 'an expiry instant in the past', args: (name, path) => ({ permission: 'db:a:read', name, outputFile: path, expiresAt: '2001-01-01T00:00:00Z' }) },
  { label: 'an expiry beyond MAX_SAFE_INTEGER ms', args: (name, path) => ({ permission: 'db:a:read', name, outputFile: path, expiry: '300000000y' }) },
  { label: 'no permission', args: (name, path) => ({ name, outputFile: path, createDatabases: 'a' }) },
  { label: 'an empty name', args: (_name, path) => ({ permission: 'db:a:read', name: '', outputFile: path }) },
  { label: '--force without --admin', args: (name, path) => ({ permission: 'db:a:read', name, outputFile: path, force: true }) },
];

class CreateInvalid implements Cmd {
  constructor(
    readonly which: number,
    readonly name: string,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    const c = INVALID[this.which % INVALID.length]!;
    await assertRefused(
      r,
      () => create(c.args(this.name, r.path), r),
      (e) => isUsageError(e),
      this.toString(),
    );
    assertFileMatches(m, r, this.toString());
  }
  toString(): string {
    return `invalid(${INVALID[this.which % INVALID.length]!.label}, ${JSON.stringify(this.name)})`;
  }
}

/** Ways to break a valid file, each with the refusal code the next append must give. */
const CORRUPTIONS: readonly { label: string; code: FileError['code']; apply: (text: string, at: number) => string | Buffer }[] = [
  { label: 'truncated', code: 'EINVALIDFILE', apply: (t, at) => t.slice(0, at % (t.length - 1)) },
  { label: 'text appended', code: 'EINVALIDFILE', apply: (t) => `${t}x` },
  { label: 'a trailing comma', code: 'EINVALIDFILE', apply: (t) => t.replace(/\n {2}\]\n\}\n$/, ',\n  ]\n}\n') },
  {
    label: 'a byte that is not UTF-8',
    code: 'EINVALIDFILE',
    apply: (t, at) => Buffer.concat([Buffer.from(t.slice(0, at % t.length)), Buffer.from([0xff]), Buffer.from(t.slice(at % t.length))]),
  },
  {
    label: 'replaced by an admin token file',
    code: 'EWRONGKIND',
    apply: (t) => `${JSON.stringify({ token: (JSON.parse(t) as ModelDoc).tokens[0]!.token, name: '_admin' }, null, 2)}\n`,
  },
  { label: 'a JSON array', code: 'EINVALIDFILE', apply: (t) => `[${t}]\n` },
  {
    label: 'a duplicate name',
    code: 'EINVALIDFILE',
    apply: (t) => {
      const d = JSON.parse(t) as ModelDoc;
      d.tokens.push({ ...d.tokens[0]!, token: `apiv3_${'Zq9'.repeat(29)}` });
      return JSON.stringify(d, null, 2);
    },
  },
  {
    label: 'empty permissions',
    code: 'EINVALIDFILE',
    apply: (t, at) => {
      const d = JSON.parse(t) as ModelDoc;
      d.tokens[at % d.tokens.length]!.permissions = [];
      return JSON.stringify(d, null, 2);
    },
  },
  {
    label: 'a bad permission',
    code: 'EINVALIDFILE',
    apply: (t, at) => {
      const d = JSON.parse(t) as ModelDoc;
      d.tokens[at % d.tokens.length]!.permissions.push('db:a:fly');
      return JSON.stringify(d, null, 2);
    },
  },
  {
    label: 'a bad database name',
    code: 'EINVALIDFILE',
    apply: (t) => {
      const d = JSON.parse(t) as ModelDoc;
      d.create_databases = [...(d.create_databases ?? []), 'no way'];
      return JSON.stringify(d, null, 2);
    },
  },
  {
    label: 'a fractional expiry_millis',
    code: 'EINVALIDFILE',
    apply: (t, at) => {
      const d = JSON.parse(t) as ModelDoc;
      d.tokens[at % d.tokens.length]!.expiry_millis = 1.5;
      return JSON.stringify(d, null, 2);
    },
  },
  {
    label: 'a token without the prefix',
    code: 'EINVALIDFILE',
    apply: (t, at) => {
      const d = JSON.parse(t) as ModelDoc;
      const e = d.tokens[at % d.tokens.length]!;
      e.token = e.token.slice(6);
      return JSON.stringify(d, null, 2);
    },
  },
  {
    label: 'no tokens array',
    code: 'EINVALIDFILE',
    apply: (t) => {
      const d = JSON.parse(t) as ModelDoc;
      return JSON.stringify({ create_databases: d.create_databases ?? ['a'] });
    },
  },
];

class CorruptThenAppend implements Cmd {
  constructor(
    readonly which: number,
    readonly at: number,
    readonly name: string,
    readonly ifNotExists: boolean,
  ) {}
  check(m: Readonly<Model>): boolean {
    return m.doc !== undefined;
  }
  async run(m: Model, r: Real): Promise<void> {
    const c = CORRUPTIONS[this.which % CORRUPTIONS.length]!;
    const good = readFileSync(r.path);
    const bad = c.apply(good.toString('utf8'), this.at);
    writeFileSync(r.path, bad);
    chmodSync(r.path, 0o600);
    await assertRefused(
      r,
      () => create(argsFor(this.name, [{ text: 'db:a:read', normal: 'db:a:read' }], [['a', 'zz']], undefined, this.ifNotExists, r.path), r),
      (e) => e instanceof FileError && e.code === c.code,
      this.toString(),
    );
    // Put the good file back; the model never saw the corruption.
    writeFileSync(r.path, good);
    assertFileMatches(m, r, this.toString());
  }
  toString(): string {
    return `corrupt(${CORRUPTIONS[this.which % CORRUPTIONS.length]!.label}@${this.at}) then append ${JSON.stringify(this.name)}`;
  }
}

const commands = fc.commands(
  [
    fc
      .tuple(nameInput, fc.array(permInput, { minLength: 1, maxLength: 3 }), dbLists, expiryInput, fc.boolean())
      .map(([n, p, d, e, i]) => new CreateNew(n, p, d, e, i)),
    fc
      .tuple(nameInput, fc.array(permInput, { minLength: 1, maxLength: 3 }), dbLists, expiryInput, fc.boolean())
      .map(([n, p, d, e, i]) => new CreateNew(n, p, d, e, i)),
    fc.tuple(fc.nat(), fc.array(permInput, { minLength: 1, maxLength: 2 }), dbLists).map(([k, p, d]) => new CreateDuplicate(k, p, d)),
    fc.tuple(fc.nat(), fc.array(permInput, { minLength: 1, maxLength: 2 }), dbLists, expiryInput).map(([k, p, d, e]) => new CreateIfNotExistsTaken(k, p, d, e)),
    fc.tuple(fc.nat(), nameInput).map(([k, n]) => new CreateInvalid(k, n)),
    fc.tuple(fc.nat(), fc.nat(), nameInput, fc.boolean()).map(([k, at, n, i]) => new CorruptThenAppend(k, at, n, i)),
  ],
  { maxCommands: 30 },
);

/** A seeded random source (mulberry32), so a failing run replays with the same tokens. */
function seededRandomBytes(seed: number): (n: number) => Uint8Array {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return (x ^ (x >>> 14)) >>> 0;
  };
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = next();
      for (let k = 0; k < 4 && i + k < n; k++) out[i + k] = (v >>> (8 * k)) & 0xff;
    }
    return out;
  };
}

let runNo = 0;

test('model: random sequences of creates, duplicates, --if-not-exists, invalid input and corrupted files', async () => {
  const root = tempDir('otk-model');
  await fc.assert(
    fc.asyncProperty(fc.integer(), commands, async (seed, cmds) => {
      const dir = join(root, `run-${runNo++}`);
      mkdirSync(dir, { mode: 0o700 });
      const real: Real = { dir, path: join(dir, 'tokens.json'), env: { now: () => NOW, randomBytes: seededRandomBytes(seed) } };
      await fc.asyncModelRun(() => ({ model: { doc: undefined } as Model, real }), cmds);
    }),
    { numRuns: 150 },
  );
});

test('model: the tokens of a run are what the seeded random source gives, in order', async () => {
  const dir = tempDir('otk-model');
  const path = join(dir, 'tokens.json');
  const mint = seededRandomBytes(42);
  const expected = [0, 1, 2].map(() => `apiv3_${Buffer.from(mint(64)).toString('base64url')}`);
  const env: ActionEnv = { now: () => NOW, randomBytes: seededRandomBytes(42) };
  const got: string[] = [];
  for (const name of ['a', 'b', 'c'])
    got.push((await createToken(createTokenRequest(createTokenArgs({ permission: 'db:*:read', name, outputFile: path })), env)).token);
  assert.deepEqual(got, expected);
  assert.deepEqual(
    (JSON.parse(readFileSync(path, 'utf8')) as ModelDoc).tokens.map((t) => t.token),
    expected,
  );
});

// ---------------------------------------------------------------------------------------
// Concurrent writers, as real processes

const cliName = fc.tuple(fc.constantFrom(...'abcXYZ019'), fc.string({ unit: fc.constantFrom(...'abcdefXYZ0189_.-'), maxLength: 10 })).map(([a, b]) => a + b);

test('property: 2-8 concurrent CLI writers with distinct names leave exactly those names in the file', async () => {
  const root = tempDir('otk-conc');
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.uniqueArray(cliName, { minLength: 2, maxLength: 8 }), fc.boolean(), async (names, nested) => {
      const dir = join(root, `run-${n++}`);
      const rel = nested ? join('new', 'sub', 'tokens.json') : 'tokens.json';
      mkdirSync(dir);
      const results = await Promise.all(
        names.map((name, i) =>
          runCliAsync(
            [
              'create',
              'token',
              '--permission',
              `db:db${i}:read,write`,
              `--name=${name}`,
              '--create-databases',
              `db${i},shared`,
              '--output-file',
              rel,
              '--format',
              'json',
            ],
            { cwd: dir },
          ),
        ),
      );
      const printed = printedTokens(results, names);
      const path = join(dir, rel);
      const text = readFileSync(path, 'utf8');
      const doc = JSON.parse(text) as ModelDoc;
      assert.equal(text, expectedText(doc));
      assert.deepEqual(doc.tokens.map((t) => t.name).sort(), [...names].sort());
      for (const t of doc.tokens) {
        assert.equal(t.token, printed.get(t.name), `the token of ${t.name}`);
        const i = names.indexOf(t.name);
        assert.deepEqual(t.permissions, [`db:db${i}:read,write`]);
      }
      // Each writer merged its databases; "shared" once, after the first writer's own.
      assert.deepEqual([...doc.create_databases!].sort(), [...names.map((_, i) => `db${i}`), 'shared'].sort());
      assert.equal(doc.create_databases!.indexOf('shared'), 1);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.deepEqual(readdirSync(join(path, '..')), ['tokens.json'], 'no lock or temp file left');
    }),
    { numRuns: 5 },
  );
});
