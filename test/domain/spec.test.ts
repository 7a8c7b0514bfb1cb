/** The apply spec and its planner: tables over every state a token can be in and every flag combination. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type DesiredPermissions,
  type ExistingToken,
  type PlanOptions,
  type TokenStep,
  desiredState,
  outputNames,
  planAdmin,
  planPermissions,
} from '../../src/domain/spec';

const NOW = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const LATER = Date.UTC(2030, 0, 1);

function desired(spec: unknown) {
  const r = desiredState(spec, NOW);
  if (!r.ok) assert.fail(JSON.stringify(r.problems));
  return r.value;
}

describe('desiredState: what a spec asks for', () => {
  it('normalises permissions and databases, defaults the admin name', () => {
    const d = desired({
      admin: { file: 'a.json', expiry: '1y' },
      permissions: {
        file: 'p.json',
        create_databases: ['metrics', 'logs', 'metrics'],
        tokens: [{ name: 't', permissions: ['db:a,a:write,read', 'system:health:read', 'db:a:read,write'], expires_at: '2030-01-01T00:00:00Z' }],
      },
    });
    assert.deepEqual(d.admin, { file: 'a.json', name: '_admin', expiry: { kind: 'duration', text: '1y', secs: 31_557_600n } });
    assert.deepEqual(d.permissions!.createDatabases, ['metrics', 'logs']);
    assert.deepEqual(d.permissions!.tokens[0]!.permissions, ['db:a:read,write', 'system:health:read']);
    assert.deepEqual(d.permissions!.tokens[0]!.expiry, { kind: 'instant', text: '2030-01-01T00:00:00Z', millis: LATER });
    assert.deepEqual(d.outputs, []);
  });

  // [what, spec, pointer of the first problem, message pattern]
  const bad: Array<[string, unknown, string, RegExp]> = [
    ['not an object', [], '', /must be an object/],
    ['empty', {}, '', /fewer than 1/],
    ['unknown top-level key', { admin: { file: 'a' }, extra: 1 }, '/extra', /unknown key "extra"/],
    [
      'misspelt token key',
      { permissions: { file: 'p', tokens: [{ name: 't', permissions: ['db:a:read'], expires: '1d' }] } },
      '/permissions/tokens/0/expires',
      /unknown key "expires"/,
    ],
    ['admin without file', { admin: { name: '_admin' } }, '/admin/file', /required field "file"/],
    ['token without permissions', { permissions: { file: 'p', tokens: [{ name: 't' }] } }, '/permissions/tokens/0/permissions', /required/],
    ['empty permissions', { permissions: { file: 'p', tokens: [{ name: 't', permissions: [] }] } }, '/permissions/tokens/0/permissions', /at least 1/],
    [
      'bad permission',
      { permissions: { file: 'p', tokens: [{ name: 't', permissions: ['db:a:read', 'db:a:fly'] }] } },
      '/permissions/tokens/0/permissions/1',
      /unknown db action "fly"/,
    ],
    [
      '*:*:* on a permission token',
      { permissions: { file: 'p', tokens: [{ name: 't', permissions: ['*:*:*'] }] } },
      '/permissions/tokens/0/permissions/0',
      /only for the admin token/,
    ],
    [
      'name given twice',
      {
        permissions: {
          file: 'p',
          tokens: [
            { name: 't', permissions: ['db:a:read'] },
            { name: 't', permissions: ['db:a:read'] },
          ],
        },
      },
      '/permissions/tokens/1/name',
      /given twice \(first at \/permissions\/tokens\/0\/name\)/,
    ],
    [
      'bad duration',
      { permissions: { file: 'p', tokens: [{ name: 't', permissions: ['db:a:read'], expiry: '90 days please' }] } },
      '/permissions/tokens/0/expiry',
      /not a valid duration/,
    ],
    ['sub-second duration', { admin: { file: 'a', expiry: '500ms' } }, '/admin/expiry', /born expired/],
    ['both expiry forms', { admin: { file: 'a', expiry: '1d', expires_at: '2030-01-01T00:00:00Z' } }, '/admin/expires_at', /not both/],
    ['bad instant', { admin: { file: 'a', expires_at: 'tomorrow' } }, '/admin/expires_at', /not an RFC 3339 date-time/],
    ['past instant', { admin: { file: 'a', expires_at: '2020-01-01T00:00:00Z' } }, '/admin/expires_at', /in the past/],
    ['bad database', { permissions: { file: 'p', create_databases: ['ok', '-bad'] } }, '/permissions/create_databases/1', /database name "-bad" is invalid/],
    ['one file for both kinds', { admin: { file: 'x.json' }, permissions: { file: 'x.json' } }, '/permissions/file', /also the admin token file/],
    ['unknown output format', { admin: { file: 'a' }, outputs: [{ format: 'yaml' }] }, '/outputs/0/format', /must be one of k8s-secret, env, files, json/],
    ['output owner by name', { admin: { file: 'a' }, outputs: [{ format: 'env', owner: 'influx' }] }, '/outputs/0/owner', /./],
  ];
  for (const [what, spec, pointer, message] of bad) {
    it(`refuses: ${what}`, () => {
      const r = desiredState(spec, NOW);
      assert.equal(r.ok, false);
      const p = !r.ok ? r.problems.find((x) => x.pointer === pointer) : undefined;
      assert.ok(p, `no problem at ${pointer}: ${JSON.stringify(!r.ok && r.problems)}`);
      assert.match(p.message, message);
    });
  }
});

const want = (tokens: DesiredPermissions['tokens'], createDatabases: string[] = []): DesiredPermissions => ({ file: 'p.json', createDatabases, tokens });
const tok = (name: string, permissions = ['db:a:read'], expiry: DesiredPermissions['tokens'][number]['expiry'] = { kind: 'none' }) => ({
  name,
  permissions,
  expiry,
  pointer: `/permissions/tokens/${name}`,
});

describe('planPermissions: every token state with every flag combination', () => {
  // The file holds "same" (as declared), "drifted" (other permissions) and "undeclared";
  // the spec declares "absent" (not in the file), "same" and "drifted".
  const existing = {
    create_databases: ['a'],
    tokens: [
      { name: 'same', permissions: ['db:a:read'] },
      { name: 'drifted', permissions: ['db:a:write'] },
      { name: 'undeclared', permissions: ['db:a:read'] },
    ] satisfies ExistingToken[],
  };
  const spec = want([tok('absent'), tok('same'), tok('drifted')]);
  const drift = [{ field: 'permissions', file: ['db:a:write'], spec: ['db:a:read'] }] as const;
  // The file exists but holds no generation of "absent": created, and marked for the warning of SPEC 11.1.
  const created = { action: 'create', name: 'absent', permissions: ['db:a:read'], expiryMillis: undefined, recreated: true } as const;
  // [prune, replaceDrifted, expected steps in order]
  const table: Array<[boolean, boolean, TokenStep[]]> = [
    [
      false,
      false,
      [created, { action: 'keep', name: 'same' }, { action: 'drift', name: 'drifted', differences: drift }, { action: 'unmanaged', name: 'undeclared' }],
    ],
    [
      true,
      false,
      [created, { action: 'keep', name: 'same' }, { action: 'drift', name: 'drifted', differences: drift }, { action: 'remove', name: 'undeclared' }],
    ],
    [
      false,
      true,
      [
        created,
        { action: 'keep', name: 'same' },
        { action: 'replace', name: 'drifted', permissions: ['db:a:read'], expiryMillis: undefined, differences: drift },
        { action: 'unmanaged', name: 'undeclared' },
      ],
    ],
    [
      true,
      true,
      [
        created,
        { action: 'keep', name: 'same' },
        { action: 'replace', name: 'drifted', permissions: ['db:a:read'], expiryMillis: undefined, differences: drift },
        { action: 'remove', name: 'undeclared' },
      ],
    ],
  ];
  for (const [prune, replaceDrifted, steps] of table) {
    it(`prune=${prune} replace-drifted=${replaceDrifted}`, () => {
      const r = planPermissions(spec, existing, { prune, replaceDrifted, now: NOW });
      assert.ok(r.ok);
      assert.deepEqual(r.value.steps, steps);
      assert.equal(r.value.changes, true);
    });
  }

  // Each state alone, so that `changes` is checked for every one of them.
  const only: Array<[string, DesiredPermissions, ExistingToken[], PlanOptions, TokenStep['action'], boolean]> = [
    ['absent', want([tok('x')]), [], { prune: false, replaceDrifted: false, now: NOW }, 'create', true],
    ['present', want([tok('x')]), [{ name: 'x', permissions: ['db:a:read'] }], { prune: true, replaceDrifted: true, now: NOW }, 'keep', false],
    ['drifted', want([tok('x')]), [{ name: 'x', permissions: ['db:b:read'] }], { prune: true, replaceDrifted: false, now: NOW }, 'drift', false],
    ['drifted, replaced', want([tok('x')]), [{ name: 'x', permissions: ['db:b:read'] }], { prune: false, replaceDrifted: true, now: NOW }, 'replace', true],
    ['undeclared', want([]), [{ name: 'x', permissions: ['db:a:read'] }], { prune: false, replaceDrifted: true, now: NOW }, 'unmanaged', false],
    ['undeclared, pruned', want([]), [{ name: 'x', permissions: ['db:a:read'] }], { prune: true, replaceDrifted: false, now: NOW }, 'remove', true],
  ];
  for (const [what, spec1, tokens, opts, action, changes] of only) {
    it(`${what} alone: ${action}, ${changes ? 'writes' : 'changes no byte'}`, () => {
      const r = planPermissions(spec1, { create_databases: ['a'], tokens }, opts);
      assert.ok(r.ok);
      assert.deepEqual(
        r.value.steps.map((s) => s.action),
        [action],
      );
      assert.equal(r.value.changes, changes);
    });
  }

  it('permissions compare normalised and as a set', () => {
    const r = planPermissions(
      want([tok('x', ['db:a:read,write', 'system:health:read'])]),
      { tokens: [{ name: 'x', permissions: ['system:health:read', 'db:a,a:write,read'] }] },
      { prune: false, replaceDrifted: false, now: NOW },
    );
    assert.ok(r.ok);
    assert.deepEqual(r.value.steps, [{ action: 'keep', name: 'x' }]);
  });

  it('a new file is written even with no tokens; databases are only added, in the spec order', () => {
    const fresh = planPermissions(want([], ['m', 'l']), undefined, { prune: true, replaceDrifted: false, now: NOW });
    assert.ok(fresh.ok);
    assert.deepEqual([fresh.value.exists, fresh.value.changes, fresh.value.databasesAdded], [false, true, ['m', 'l']]);
    const more = planPermissions(want([], ['l', 'n']), { create_databases: ['m', 'l', 'old'], tokens: [] }, { prune: true, replaceDrifted: false, now: NOW });
    assert.ok(more.ok);
    assert.deepEqual([more.value.changes, more.value.databasesAdded], [true, ['n']]);
  });
});

describe('expiry drift', () => {
  const dur = { kind: 'duration', text: '90d', secs: 90n * 86_400n } as const;
  const inst = { kind: 'instant', text: '2030-01-01T00:00:00Z', millis: LATER } as const;
  const none = { kind: 'none' } as const;
  // [spec expiry, file expiry_millis, difference or undefined]
  const table: Array<[string, DesiredPermissions['tokens'][number]['expiry'], number | null | undefined, unknown]> = [
    ['none / none', none, undefined, undefined],
    ['none / null (loads as none)', none, null, undefined],
    ['none / set', none, LATER, { field: 'expiry', file: BigInt(LATER), spec: null }],
    ['duration / none', dur, undefined, { field: 'expiry', file: null, spec: '90d' }],
    ['duration / set (a relative expiry never drifts by itself)', dur, NOW + 5 * DAY, undefined],
    ['instant / none', inst, undefined, { field: 'expiry', file: null, spec: LATER }],
    ['instant / same', inst, LATER, undefined],
    ['instant / other', inst, LATER + 1, { field: 'expiry', file: BigInt(LATER + 1), spec: LATER }],
  ];
  for (const [what, expiry, fileMs, diff] of table) {
    it(what, () => {
      const file: ExistingToken =
        fileMs === undefined
          ? { name: 'x', permissions: ['db:a:read'] }
          : { name: 'x', permissions: ['db:a:read'], expiry: fileMs === null ? null : BigInt(fileMs) };
      const r = planPermissions(want([tok('x', ['db:a:read'], expiry)]), { tokens: [file] }, { prune: false, replaceDrifted: false, now: NOW });
      assert.ok(r.ok);
      assert.deepEqual(r.value.steps[0], diff === undefined ? { action: 'keep', name: 'x' } : { action: 'drift', name: 'x', differences: [diff] });
    });
  }

  it('a created token expires now + the whole seconds of its duration', () => {
    const r = planPermissions(want([tok('x', ['db:a:read'], dur)]), undefined, { prune: false, replaceDrifted: false, now: NOW + 123 });
    assert.ok(r.ok);
    assert.deepEqual(r.value.steps[0], { action: 'create', name: 'x', permissions: ['db:a:read'], expiryMillis: BigInt(NOW + 123 + 90 * DAY) });
  });

  it('a duration that cannot be written exactly is a problem at its place', () => {
    const huge = { kind: 'duration', text: '300000y', secs: 300_000n * 31_557_600n } as const;
    const r = planPermissions(want([{ ...tok('x', ['db:a:read'], huge), pointer: '/permissions/tokens/0' }]), undefined, {
      prune: false,
      replaceDrifted: false,
      now: NOW,
    });
    assert.deepEqual(!r.ok && r.problems.map((p) => p.pointer), ['/permissions/tokens/0/expiry']);
  });
});

describe('planAdmin', () => {
  const opts = (replaceDrifted: boolean): PlanOptions => ({ prune: false, replaceDrifted, now: NOW });
  const admin = { file: 'a.json', name: '_admin', expiry: { kind: 'none' } } as const;
  const table: Array<[string, { name: string; expiry?: bigint } | undefined, boolean, TokenStep]> = [
    ['absent', undefined, false, { action: 'create', name: '_admin', permissions: ['*:*:*'], expiryMillis: undefined }],
    ['present', { name: '_admin' }, true, { action: 'keep', name: '_admin' }],
    ['other name', { name: 'root' }, false, { action: 'drift', name: '_admin', differences: [{ field: 'name', file: 'root', spec: '_admin' }] }],
    [
      'expiry drift, replaced',
      { name: '_admin', expiry: BigInt(LATER) },
      true,
      {
        action: 'replace',
        name: '_admin',
        permissions: ['*:*:*'],
        expiryMillis: undefined,
        differences: [{ field: 'expiry', file: BigInt(LATER), spec: null }],
      },
    ],
  ];
  for (const [what, existing, replace, step] of table) {
    it(what, () => {
      const r = planAdmin(admin, existing, opts(replace));
      assert.ok(r.ok);
      assert.deepEqual(r.value.step, step);
      assert.equal(r.value.changes, step.action === 'create' || step.action === 'replace');
    });
  }
});

describe('generations in the plan (SPEC 11.1)', () => {
  const opts = (now: number, prune = false): PlanOptions => ({ prune, replaceDrifted: false, now });
  const dur = { kind: 'duration', text: '90d', secs: 90n * 86_400n } as const;
  const renewing = (name: string) => ({ ...tok(name, ['db:a:read'], dur), renewBeforeMs: 30 * DAY });

  it('the current generation is the highest number; older ones retire, and are never unmanaged', () => {
    const r = planPermissions(
      want([tok('g')]),
      {
        tokens: [
          { name: 'g-3', permissions: ['db:a:read'] },
          { name: 'g', permissions: ['db:a:read'], expiry: BigInt(NOW + DAY) },
          { name: 'other', permissions: ['db:a:read'] },
        ],
      },
      opts(NOW),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.value.steps, [
      { action: 'retire', name: 'g', of: 'g', expiryMillis: BigInt(NOW + DAY) },
      { action: 'keep', name: 'g-3', of: 'g' },
      { action: 'unmanaged', name: 'other' },
    ]);
    assert.equal(r.value.changes, false);
  });

  it('--prune removes an older generation only once it has expired, never the current one', () => {
    const tokens = [
      { name: 'g', permissions: ['db:a:read'], expiry: BigInt(NOW) },
      { name: 'g-2', permissions: ['db:a:read'], expiry: BigInt(NOW + DAY) },
      { name: 'g-4', permissions: ['db:a:read'], expiry: BigInt(NOW - DAY) },
    ];
    const r = planPermissions(want([tok('g', ['db:a:read'], dur)]), { tokens }, opts(NOW, true));
    assert.ok(r.ok);
    assert.deepEqual(r.value.steps, [
      { action: 'remove', name: 'g', of: 'g' },
      { action: 'retire', name: 'g-2', of: 'g', expiryMillis: BigInt(NOW + DAY) },
      { action: 'keep', name: 'g-4', of: 'g', expired: true },
    ]);
  });

  it('drift is judged on the current generation', () => {
    const r = planPermissions(
      want([tok('g', ['db:a:write'])]),
      {
        tokens: [
          { name: 'g', permissions: ['db:a:read'] },
          { name: 'g-2', permissions: ['db:a:write'] },
        ],
      },
      opts(NOW),
    );
    assert.ok(r.ok);
    assert.deepEqual(
      r.value.steps.map((s) => s.action),
      ['retire', 'keep'],
    );
  });

  // [days left on the current generation, renewed?]
  const windows: Array<[number, boolean]> = [
    [31, false],
    [30, true],
    [1, true],
    [-5, true],
  ];
  for (const [left, renewed] of windows) {
    it(`renew_before 30d, ${left} days left: ${renewed ? 'the next generation, the spec lifetime from now' : 'kept'}`, () => {
      const r = planPermissions(
        want([renewing('g')]),
        {
          tokens: [
            { name: 'g', permissions: ['db:b:read'], expiry: BigInt(NOW + left * DAY) },
            { name: 'g-7', permissions: ['db:a:read'], expiry: BigInt(NOW + left * DAY) },
          ],
        },
        opts(NOW),
      );
      assert.ok(r.ok);
      const last = r.value.steps.at(-1)!;
      if (!renewed) {
        assert.deepEqual(last, { action: 'keep', name: 'g-7', of: 'g' });
        return;
      }
      assert.deepEqual(last, {
        action: 'renew',
        name: 'g-8',
        of: 'g',
        previous: 'g-7',
        previousExpiryMillis: BigInt(NOW + left * DAY),
        permissions: ['db:a:read'],
        expiryMillis: BigInt(NOW + 90 * DAY),
      });
      assert.equal(r.value.steps.at(-2)!.action, 'retire');
      assert.equal(r.value.changes, true);
    });
  }

  it('a spec with x and x-2 has two tokens', () => {
    const r = planPermissions(
      want([tok('x'), tok('x-2')]),
      {
        tokens: [
          { name: 'x', permissions: ['db:a:read'] },
          { name: 'x-2', permissions: ['db:a:read'] },
        ],
      },
      opts(NOW, true),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.value.steps, [
      { action: 'keep', name: 'x' },
      { action: 'keep', name: 'x-2' },
    ]);
  });

  it('outputs hand out the current generation under the spec name, no older one', () => {
    const r = planPermissions(
      want([tok('g'), tok('h')]),
      {
        tokens: [
          { name: 'g', permissions: ['db:a:read'] },
          { name: 'g-2', permissions: ['db:a:read'] },
          { name: 'h', permissions: ['db:a:read'] },
        ],
      },
      opts(NOW),
    );
    assert.ok(r.ok);
    assert.deepEqual(
      [...outputNames(r.value)],
      [
        ['g', undefined],
        ['g-2', 'g'],
      ],
    );
  });
});

describe('renew_before in the spec', () => {
  const base = (token: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    permissions: { file: 'p', ...extra, tokens: [{ name: 't', permissions: ['db:a:read'], ...token }] },
  });
  it('on a token, or on permissions: for every token with a relative expiry', () => {
    assert.equal(desired(base({ expiry: '90d', renew_before: '30d' })).permissions!.tokens[0]!.renewBeforeMs, 30 * DAY);
    assert.equal(desired(base({ expiry: '90d' }, { renew_before: '7d' })).permissions!.tokens[0]!.renewBeforeMs, 7 * DAY);
    assert.equal(desired(base({ expiry: '90d', renew_before: '1d' }, { renew_before: '7d' })).permissions!.tokens[0]!.renewBeforeMs, DAY);
    assert.equal(desired(base({}, { renew_before: '7d' })).permissions!.tokens[0]!.renewBeforeMs, undefined);
  });
  const bad: Array<[string, unknown, string, RegExp]> = [
    ['no expiry', base({ renew_before: '1d' }), '/permissions/tokens/0/renew_before', /needs a relative expiry .* no expiry/],
    ['expires_at', base({ expires_at: '2030-01-01T00:00:00Z', renew_before: '1d' }), '/permissions/tokens/0/renew_before', /a fixed instant/],
    ['as long as the expiry', base({ expiry: '30d', renew_before: '30d' }), '/permissions/tokens/0/renew_before', /not shorter than the expiry "30d"/],
    ['shared, longer than an expiry', base({ expiry: '7d' }, { renew_before: '30d' }), '/permissions/renew_before', /not shorter than the expiry "7d" of "t"/],
    ['not a duration', base({ expiry: '90d', renew_before: 'soon' }), '/permissions/tokens/0/renew_before', /not a valid duration/],
    ['unknown key beside it', base({ expiry: '90d', renew_after: '1d' }), '/permissions/tokens/0/renew_after', /unknown key/],
  ];
  for (const [what, spec, pointer, message] of bad) {
    it(`refuses: ${what}`, () => {
      const r = desiredState(spec, NOW);
      assert.equal(r.ok, false);
      const p = !r.ok ? r.problems.find((x) => x.pointer === pointer) : undefined;
      assert.ok(p, `no problem at ${pointer}: ${JSON.stringify(!r.ok && r.problems)}`);
      assert.match(p.message, message);
    });
  }
});

describe('renewal names', () => {
  it('the next generation skips a name the spec declares, even before it is in the file', () => {
    const dur = { kind: 'duration', text: '90d', secs: 90n * 86_400n } as const;
    const x = { ...tok('x', ['db:a:read'], dur), renewBeforeMs: 30 * DAY };
    const r = planPermissions(
      want([x, tok('x-2')]),
      { tokens: [{ name: 'x', permissions: ['db:a:read'], expiry: BigInt(NOW + DAY) }] },
      { prune: false, replaceDrifted: false, now: NOW },
    );
    assert.ok(r.ok);
    assert.deepEqual(
      r.value.steps.map((s) => [s.action, s.name]),
      [
        ['retire', 'x'],
        ['renew', 'x-3'],
        ['create', 'x-2'],
      ],
    );
  });
});
