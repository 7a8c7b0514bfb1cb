/** Generations (SPEC 11.1): which entries a declared name owns, and the next one's name. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentGeneration, expiresWithin, expiryOf, groupGenerations, nextGenerationName, splitGeneration } from '../../src/domain/generations';

describe('splitGeneration', () => {
  const table: Array<[string, { base: string; n: bigint } | undefined]> = [
    ['grafana-2', { base: 'grafana', n: 2n }],
    ['grafana-10', { base: 'grafana', n: 10n }],
    ['a-b-3', { base: 'a-b', n: 3n }],
    ['x-99999999999999999999', { base: 'x', n: 99999999999999999999n }],
    ['grafana', undefined],
    ['grafana-1', undefined],
    ['grafana-0', undefined],
    ['grafana-02', undefined],
    ['-2', undefined],
    ['grafana-2a', undefined],
  ];
  for (const [name, want] of table) it(name, () => assert.deepEqual(splitGeneration(name), want));
});

describe('groupGenerations', () => {
  const e = (name: string) => ({ name });
  it('a declared name owns itself and NAME-N, oldest first; a declared NAME-N is its own token', () => {
    const { byName, others } = groupGenerations(new Set(['x', 'x-2', 'y']), [e('x-3'), e('x'), e('x-2'), e('x-2-2'), e('y-1'), e('z-2'), e('x-10')]);
    assert.deepEqual(
      byName.get('x')!.map((g) => [g.n, g.entry.name]),
      [
        [1n, 'x'],
        [3n, 'x-3'],
        [10n, 'x-10'],
      ],
    );
    assert.deepEqual(
      byName.get('x-2')!.map((g) => g.entry.name),
      ['x-2', 'x-2-2'],
    );
    assert.equal(byName.has('y'), false);
    assert.deepEqual(
      others.map((o) => o.name),
      ['y-1', 'z-2'],
    );
  });
});

describe('the next generation', () => {
  it('is one above the highest in the file, never a gap left below it', () => {
    assert.equal(nextGenerationName('g', []), 'g-2');
    assert.equal(nextGenerationName('g', ['g']), 'g-2');
    assert.equal(nextGenerationName('g', ['g', 'g-3']), 'g-4');
    assert.equal(nextGenerationName('g', ['g-2-5', 'gg-7']), 'g-2');
    assert.equal(currentGeneration('g', ['g', 'g-3', 'g-12', 'g-4']), 'g-12');
    assert.equal(currentGeneration('g', ['g']), undefined);
  });
});

describe('expiries', () => {
  it('null and absent mean never; numbers and bigints read exactly', () => {
    assert.equal(expiryOf({}), undefined);
    assert.equal(expiryOf({ expiry: null }), undefined);
    assert.equal(expiryOf({ expiry: 5 }), 5n);
    assert.equal(expiryOf({ expiry: 9223372036854775807n }), 9223372036854775807n);
  });
  it('within the window from the boundary on; an expired one too; never-expiring never', () => {
    assert.equal(expiresWithin(100n, 70, 30n), true);
    assert.equal(expiresWithin(101n, 70, 30n), false);
    assert.equal(expiresWithin(10n, 70, 30n), true);
    assert.equal(expiresWithin(undefined, 70, 30n), false);
    // Exact at the i64 bound, where a float cannot tell 2^63-1 from 2^63-1024.
    assert.equal(expiresWithin(9223372036854775807n, 0, 9223372036854775806n), false);
  });
});
