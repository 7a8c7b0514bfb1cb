/**
 * Property tests (fast-check) across the input grammars: durations (SPEC 6), permission
 * strings (SPEC 4) up to the CLI's createTokenRequest, and database names (SPEC 5). The tables in
 * the neighbouring files pin examples; these check the laws on generated inputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import { createTokenArgs, createTokenRequest, isUsageError } from '../helpers';
import { databaseNameProblem } from '../../src/domain/database-name';
import { parseDuration } from '../../src/domain/duration';
import { expiryMillis } from '../../src/domain/expiry';
import { DB_ACTIONS, SYSTEM_RESOURCES, formatPermission, parsePermission } from '../../src/domain/permissions';
import type { TokenFileError } from '../../src/errors';

const U64_MAX = (1n << 64n) - 1n;
const NS_PER_S = 1_000_000_000n;

/** Any throw must be a UsageError; returns the error for further checks. */
function usageErrorOf(f: () => unknown): TokenFileError | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    assert.ok(isUsageError(e), `not a usage error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    assert.ok(e.message.length > 0);
    return e;
  }
}

/** Rust's char::is_whitespace, a few of each kind (ASCII, Latin-1, the U+2000 block, line separators). */
const RUST_WS = [
  ' ',
  '\t',
  '\n',
  '\r',
  '\u000b',
  '\u000c',
  '\u0085',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2003',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
];

// ---------------------------------------------------------------------------------------
// Durations

/** SPEC 6's unit table in nanoseconds; `nsDomain` units are computed in nanoseconds by the crate. */
const UNITS: readonly { names: readonly string[]; ns: bigint; nsDomain: boolean; fracIn: 'none' | 'ns' | 's' }[] = [
  { names: ['nanos', 'nsec', 'ns'], ns: 1n, nsDomain: true, fracIn: 'none' },
  { names: ['usec', 'us', '\u00b5s'], ns: 1_000n, nsDomain: true, fracIn: 'ns' },
  { names: ['millis', 'msec', 'ms'], ns: 1_000_000n, nsDomain: true, fracIn: 'ns' },
  { names: ['seconds', 'second', 'secs', 'sec', 's'], ns: NS_PER_S, nsDomain: false, fracIn: 'ns' },
  { names: ['minutes', 'minute', 'min', 'mins', 'm'], ns: 60n * NS_PER_S, nsDomain: false, fracIn: 'ns' },
  { names: ['hours', 'hour', 'hr', 'hrs', 'h'], ns: 3_600n * NS_PER_S, nsDomain: false, fracIn: 's' },
  { names: ['days', 'day', 'd'], ns: 86_400n * NS_PER_S, nsDomain: false, fracIn: 's' },
  { names: ['weeks', 'week', 'wk', 'wks', 'w'], ns: 604_800n * NS_PER_S, nsDomain: false, fracIn: 's' },
  { names: ['months', 'month', 'M'], ns: 2_630_016n * NS_PER_S, nsDomain: false, fracIn: 's' },
  { names: ['years', 'year', 'yr', 'yrs', 'y'], ns: 31_557_600n * NS_PER_S, nsDomain: false, fracIn: 's' },
];
const unitArb = fc.constantFrom(...UNITS).chain((u) => fc.constantFrom(...u.names).map((name) => ({ ...u, name })));

const durationish = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...'0123456789') },
    { weight: 3, arbitrary: fc.constantFrom(...UNITS.flatMap((u) => u.names)) },
    { weight: 2, arbitrary: fc.constantFrom(...RUST_WS, '.', '\u03bc', '\ufeff', '+', '-', 'e', 'H', 'D', '_', ',') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 1 }) },
  ),
  maxLength: 12,
});

test('property: parseDuration returns {secs: u64 bigint, nanos: integer in [0, 1e9)} or throws a one-line UsageError, for any string', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-composite' }), durationish), (text) => {
      let got: ReturnType<typeof parseDuration> | undefined;
      const e = usageErrorOf(() => {
        got = parseDuration(text, '--expiry');
      });
      if (e) {
        assert.ok(e.message.startsWith('--expiry: '), e.message);
        assert.doesNotMatch(e.message, /[\n\r\u0085\u2028\u2029]/, 'the message stays on one line');
        return;
      }
      assert.equal(typeof got!.secs, 'bigint');
      assert.ok(got!.secs >= 0n && got!.secs <= U64_MAX);
      assert.ok(Number.isInteger(got!.nanos) && got!.nanos >= 0 && got!.nanos < 1e9, String(got!.nanos));
      assert.deepEqual(Object.keys(got!).sort(), ['nanos', 'secs']);
    }),
    { numRuns: 3000 },
  );
});

/** Optional Rust whitespace: separators between spans, around the input, between number and unit. */
const gap = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: fc.constant(' ') },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...RUST_WS), minLength: 1, maxLength: 3 }) },
);
/** Numbers from tiny to beyond u64, as the operator might type them (leading zeros allowed). */
const count = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 1_000n }) },
  { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 12n }) },
  { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: U64_MAX }) },
);

interface Span {
  text: string;
  ns: bigint;
}

/**
 * An integer span. The crate computes n*unit for ns/us/ms in u64 nanoseconds (and adds the
 * running nanoseconds to it), so there a span must stay below u64::MAX - 1e9 ns for the
 * plain sum law to hold; `restricted` generates only those.
 */
function spanArb(restricted: boolean): fc.Arbitrary<Span> {
  return fc.tuple(count, unitArb, gap, fc.nat(2)).map(([n0, u, inner, zeros]) => {
    const n = restricted && u.nsDomain ? n0 % ((U64_MAX - (NS_PER_S - 1n)) / u.ns + 1n) : n0;
    return { text: `${'0'.repeat(zeros)}${n}${inner}${u.name}`, ns: n * u.ns };
  });
}

function expectSum(text: string, totalNs: bigint): void {
  const secs = totalNs / NS_PER_S;
  if (secs > U64_MAX) {
    assert.ok(
      usageErrorOf(() => parseDuration(text)),
      `${JSON.stringify(text)} overflows u64 seconds but was accepted`,
    );
    return;
  }
  let got: ReturnType<typeof parseDuration> | undefined;
  const e = usageErrorOf(() => {
    got = parseDuration(text);
  });
  assert.equal(e, undefined, `${JSON.stringify(text)} was rejected: ${e?.message}`);
  assert.deepEqual(got, { secs, nanos: Number(totalNs % NS_PER_S) }, JSON.stringify(text));
}

test('property: a list of integer spans parses to the exact BigInt sum (with or without separators), or fails when it exceeds u64 seconds', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(spanArb(true), gap), { minLength: 1, maxLength: 6 }), gap, (spans, lead) => {
      const total = spans.reduce((acc, [s]) => acc + s.ns, 0n);
      // Separated by whitespace (generated), by exactly one space, and by nothing at all.
      expectSum(`${lead}${spans.map(([s, g]) => `${s.text}${g === '' ? ' ' : g}`).join('')}`, total);
      expectSum(spans.map(([s]) => s.text).join(' '), total);
      expectSum(spans.map(([s]) => s.text).join(''), total);
    }),
    { numRuns: 2000 },
  );
});

test('property: without the ns-domain restriction a span list still gives the exact sum or a UsageError, and never a value past u64 seconds', () => {
  fc.assert(
    fc.property(fc.array(spanArb(false), { minLength: 1, maxLength: 5 }), (spans) => {
      const text = spans.map((s) => s.text).join(' ');
      const total = spans.reduce((acc, s) => acc + s.ns, 0n);
      let got: ReturnType<typeof parseDuration> | undefined;
      const e = usageErrorOf(() => {
        got = parseDuration(text);
      });
      if (total / NS_PER_S > U64_MAX) assert.ok(e, `${JSON.stringify(text)} was accepted`);
      if (!e) assert.deepEqual(got, { secs: total / NS_PER_S, nanos: Number(total % NS_PER_S) }, JSON.stringify(text));
    }),
    { numRuns: 1000 },
  );
});

test('property: fractional spans are exact at ns resolution (whole seconds for h and longer), otherwise a UsageError', () => {
  const fracSpan = fc
    .tuple(
      fc.bigInt({ min: 0n, max: 100_000n }),
      fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 8 }), { nil: undefined }),
      unitArb,
      gap,
    )
    .map(([n, digits, u, inner]) => {
      const text = `${n}${digits === undefined ? '' : `.${digits}`}${inner}${u.name}`;
      if (digits === undefined) return { text, ns: (n * u.ns) as bigint | null };
      const num = BigInt(digits);
      const den = 10n ** BigInt(digits.length);
      let frac: bigint | null;
      if (u.fracIn === 'none')
        frac = null; // any fraction of a nanosecond unit is refused
      else if (u.fracIn === 'ns') frac = (num * u.ns) % den === 0n ? (num * u.ns) / den : null;
      else {
        const unitSecs = u.ns / NS_PER_S;
        frac = (num * unitSecs) % den === 0n ? ((num * unitSecs) / den) * NS_PER_S : null;
      }
      return { text, ns: frac === null ? null : n * u.ns + frac };
    });
  fc.assert(
    fc.property(fc.array(fracSpan, { minLength: 1, maxLength: 4 }), (spans) => {
      const text = spans.map((s) => s.text).join(' ');
      if (spans.some((s) => s.ns === null)) {
        assert.ok(
          usageErrorOf(() => parseDuration(text)),
          `${JSON.stringify(text)} is inexact but was accepted`,
        );
      } else
        expectSum(
          text,
          spans.reduce((acc, s) => acc + s.ns!, 0n),
        );
    }),
    { numRuns: 2000 },
  );
});

// ---------------------------------------------------------------------------------------
// Permissions, up to the CLI's createTokenRequest

const permissionish = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(
      'db',
      'system',
      '*',
      ':',
      ':',
      ',',
      ',',
      ...DB_ACTIONS,
      'health',
      'metrics',
      'ping',
      'ready',
      'a',
      'b1',
      'x/y',
      '/',
      '_',
      '-',
      ' ',
      '\u00e9',
      'READ',
      'Db',
    ),
    maxLength: 10,
  }),
  // Structured: three parts of lists drawn from what the grammar knows, dups and all;
  // mostly well-formed (so the laws about accepted strings get exercised), some near misses.
  fc
    .oneof(
      {
        weight: 3,
        arbitrary: fc.tuple(
          fc.constant('db'),
          fc.oneof(fc.constant(['*']), fc.array(fc.constantFrom('a', 'b', 'mydb', 'x/rp', 'A-1_b'), { minLength: 1, maxLength: 4 })),
          fc.array(fc.constantFrom(...DB_ACTIONS), { minLength: 1, maxLength: 7 }),
        ),
      },
      {
        weight: 2,
        arbitrary: fc.tuple(
          fc.constant('system'),
          fc.oneof(fc.constant(['*']), fc.array(fc.constantFrom(...SYSTEM_RESOURCES), { minLength: 1, maxLength: 5 })),
          fc.array(fc.constant('read'), { minLength: 1, maxLength: 3 }),
        ),
      },
      { weight: 1, arbitrary: fc.constant(['*', ['*'], ['*']] as [string, string[], string[]]) },
      {
        weight: 3,
        arbitrary: fc.tuple(
          fc.constantFrom('db', 'system', '*', 'DB', ''),
          fc.array(fc.constantFrom('*', 'a', 'b', 'a', 'health', 'ping', 'x/y', 'x/', ''), { minLength: 1, maxLength: 4 }),
          fc.array(fc.constantFrom('*', ...DB_ACTIONS, 'read', 'READ', ''), { minLength: 1, maxLength: 5 }),
        ),
      },
    )
    .map(([t, ns, as]) => `${t}:${ns.join(',')}:${as.join(',')}`),
);

test('property: parsePermission never throws; an accepted string has a normal form that is a fixed point', () => {
  fc.assert(
    fc.property(permissionish, (text) => {
      const r = parsePermission(text);
      if (!r.ok) {
        assert.equal(typeof r.reason, 'string');
        assert.ok(r.reason.length > 0);
        return;
      }
      const normal = formatPermission(r.value);
      const again = parsePermission(normal);
      assert.ok(again.ok, `${JSON.stringify(normal)} (from ${JSON.stringify(text)}) does not parse`);
      assert.equal(formatPermission(again.value), normal, 'formatting is idempotent');
      assert.deepEqual(again.value, r.value);
      // The normal form: three parts, no repeated item, db actions in the server's order.
      const [type, names, actions] = normal.split(':') as [string, string, string];
      assert.equal(normal.split(':').length, 3);
      for (const list of [names.split(','), actions.split(',')]) assert.equal(new Set(list).size, list.length, normal);
      if (type === 'db') {
        const order = actions.split(',').map((a) => (DB_ACTIONS as readonly string[]).indexOf(a));
        assert.deepEqual(
          order,
          [...order].sort((x, y) => x - y),
          normal,
        );
      }
    }),
    { numRuns: 4000 },
  );
});

test('property: createTokenRequest with any --permission returns its normal form, or throws a UsageError naming --permission', () => {
  fc.assert(
    fc.property(permissionish, fc.boolean(), (text, positional) => {
      // The docs' form: a bare --permission and the string as a positional.
      const args = positional
        ? { permission: true, permissions: [text], name: 'n', outputFile: 'f.json' }
        : { permission: text, name: 'n', outputFile: 'f.json' };
      const r = parsePermission(text);
      let opts: ReturnType<typeof createTokenRequest> | undefined;
      const e = usageErrorOf(() => {
        opts = createTokenRequest(createTokenArgs(args));
      });
      if (text === '') {
        assert.ok(e, 'an empty permission leaves none: refused');
        return;
      }
      // "*" as a type is full access, which the server allows the admin token only.
      if (r.ok && r.value.type !== '*') {
        assert.equal(e, undefined, e?.message);
        assert.equal(opts!.kind, 'permission');
        assert.deepEqual(opts!.kind === 'permission' ? opts!.permissions : undefined, [formatPermission(r.value)]);
      } else {
        assert.ok(e, `${JSON.stringify(text)} refused by the grammar but accepted by createTokenRequest`);
        assert.match(e.message, /--permission/);
      }
    }),
    { numRuns: 3000 },
  );
});

/** Values a user might give a flag: well-formed ones, near misses, and noise. */
const flagText = fc.oneof(
  fc.constantFrom(
    'db:a:read',
    'db:a,a:write,read',
    'system:*:read',
    '*:*:*',
    'db:bad name:read',
    '7d',
    '1.5h',
    '500ms',
    '0',
    '1.1M',
    '2030-01-01T00:00:00Z',
    '2000-02-30T00:00:00Z',
    '1999-12-31T23:59:60+01:00',
    'f.json',
    'a,b',
    'a,,b',
    'x/y',
    'x/',
    '',
    ' ',
    '_admin',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const flagValue = fc.option(fc.oneof({ weight: 4, arbitrary: flagText }, { weight: 1, arbitrary: fc.array(flagText, { minLength: 1, maxLength: 3 }) }), {
  nil: undefined,
});
const flagBool = fc.option(fc.boolean(), { nil: undefined });
/** A well-formed value `weight` times in weight+1, else anything `other` makes. */
const mostly = (weight: number, good: fc.Arbitrary<unknown>, other: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight, arbitrary: good }, { weight: 1, arbitrary: other });
/** Absent (weight `absent`), well-formed (weight `good`) or anything `other` makes (weight 1). */
const maybe = (absent: number, good: number, goodArb: fc.Arbitrary<unknown>, other: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: good, arbitrary: goodArb }, { weight: 1, arbitrary: other });
const NOW = Date.UTC(2025, 5, 1);

test('property: createTokenRequest on any combination of flags returns coherent options or throws a UsageError only', () => {
  fc.assert(
    fc.property(
      fc.boolean().chain((admin) =>
        fc.record({
          // Admin command lines rarely carry permissions or databases; permission ones usually do.
          permission: admin
            ? maybe(1, 6, fc.constant('db:a:read'), flagValue)
            : mostly(6, fc.constantFrom('db:a:read', 'db:a,b:write,read,write', 'system:health,ping:read', '*:*:*'), flagValue),
          permissions: maybe(5, 1, fc.constant(undefined), fc.array(flagText, { maxLength: 3 })),
          name: mostly(6, fc.constantFrom('app', 'grafana', '_admin'), flagValue),
          expiry: maybe(3, 3, fc.constantFrom('7d', '1.5h', '1y 6months', '500ms', '0'), flagValue),
          expiresAt: maybe(8, 1, fc.constantFrom('2030-01-01T00:00:00Z', '2000-01-01T00:00:00+02:00'), flagValue),
          outputFile: mostly(9, fc.constant('tokens.json'), flagValue),
          createDatabases: admin ? maybe(6, 1, fc.constant(undefined), flagValue) : maybe(3, 3, fc.constantFrom('a', 'a,b', 'x/rp', 'a,a'), flagValue),
          lockTimeout: maybe(3, 3, fc.constantFrom('30s', '1m', '0', '1ns', '1000000y'), flagValue),
          admin: fc.oneof(fc.constant(admin), flagBool),
          force: maybe(6, 1, fc.constant(admin), flagBool),
          ifNotExists: maybe(3, 1, fc.boolean(), flagBool),
        }),
      ),
      (args) => {
        let opts: ReturnType<typeof createTokenRequest> | undefined;
        if (usageErrorOf(() => (opts = createTokenRequest(createTokenArgs(args))))) return;
        const o = opts!;
        assert.equal(typeof o.outputFile, 'string');
        assert.ok(o.outputFile.length > 0);
        assert.ok(Number.isSafeInteger(o.lockTimeoutMs) && o.lockTimeoutMs >= 0, String(o.lockTimeoutMs));
        assert.equal(o.ifNotExists, args.ifNotExists === true);
        assert.ok(o.name.length > 0);
        if (o.kind === 'admin') {
          assert.equal(args.admin, true);
          // A one-item list is the flag given once.
          assert.equal(o.name, [args.name].flat()[0] ?? '_admin');
          assert.equal(o.force, args.force === true);
        } else {
          assert.notEqual(args.admin, true);
          assert.ok(o.permissions.length > 0);
          assert.equal(new Set(o.permissions).size, o.permissions.length);
          for (const p of o.permissions) {
            const r = parsePermission(p);
            assert.ok(r.ok, p);
            assert.equal(formatPermission(r.value), p, 'permissions are passed on normalised');
          }
          for (const db of o.createDatabases) assert.equal(databaseNameProblem(db), undefined, db);
        }
        // The expiry, once the clock is known: a safe integer in the future, or a UsageError.
        if (o.expiry !== undefined) {
          let ms: number | undefined;
          if (usageErrorOf(() => (ms = expiryMillis(o.expiry!, NOW)))) return;
          assert.ok(Number.isSafeInteger(ms) && ms! > NOW, String(ms));
        }
      },
    ),
    { numRuns: 3000 },
  );
});

// ---------------------------------------------------------------------------------------
// Database names against a reference regex written from SPEC 5

/**
 * SPEC 5, clause by clause: 1 to 511 characters, all ASCII (so characters are bytes);
 * no two "/"; no "/" at the end; a letter or digit first; then letters, digits, "_",
 * "-" and "/". The `s` flag makes "." match line breaks too.
 */
const SPEC5 = /^(?=[\x00-\x7f]{1,511}$)(?!.*\/.*\/)(?!.*\/$)[A-Za-z0-9][A-Za-z0-9_\-/]*$/s;

const nameChar = fc.constantFrom(...'aZ09_-/', '.', ' ', ':', '*', '\u00e9', '\u0000', '\n', '\u007f', '\u0080', '\u{1f600}', '\u212a');
const validName = fc
  .tuple(
    fc.constantFrom(...'aZ09'),
    fc.string({ unit: fc.constantFrom(...'azAZ09_-'), maxLength: 20 }),
    fc.option(fc.string({ unit: fc.constantFrom(...'azAZ09_-'), minLength: 1, maxLength: 8 }), { nil: undefined }),
  )
  .map(([first, rest, rp]) => `${first}${rest}${rp === undefined ? '' : `/${rp}`}`);
const nearLimit = fc
  .tuple(fc.integer({ min: 500, max: 520 }), fc.array(fc.tuple(fc.nat(520), fc.constantFrom('/', '_', '-', '.', '\u00e9', 'Z')), { maxLength: 3 }))
  .map(([len, edits]) => {
    const chars = Array<string>(len).fill('a');
    for (const [at, ch] of edits) if (at < len) chars[at] = ch;
    return chars.join('');
  });

test('property: databaseNameProblem never throws and accepts exactly what SPEC 5 allows', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'binary', maxLength: 8 }),
        fc.string({ unit: nameChar, maxLength: 10 }),
        validName,
        nearLimit,
      ),
      (name) => {
        const problem = databaseNameProblem(name);
        assert.ok(problem === undefined || (typeof problem === 'string' && problem.length > 0));
        assert.equal(problem === undefined, SPEC5.test(name), `${JSON.stringify(name.slice(0, 60))} (${name.length} chars): ${problem ?? 'accepted'}`);
      },
    ),
    { numRuns: 5000 },
  );
});

test('property: the names SPEC 5 accepts work in db: permissions and in --create-databases', () => {
  fc.assert(
    fc.property(fc.array(validName, { minLength: 1, maxLength: 4 }), (names) => {
      const r = parsePermission(`db:${names.join(',')}:write,read`);
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.equal(formatPermission(r.value), `db:${[...new Set(names)].join(',')}:read,write`);
      const o = createTokenRequest(createTokenArgs({ permission: 'db:*:read', name: 'n', outputFile: 'f.json', createDatabases: names.join(',') }));
      assert.deepEqual(o.kind === 'permission' ? o.createDatabases : undefined, names);
    }),
    { numRuns: 1000 },
  );
});
