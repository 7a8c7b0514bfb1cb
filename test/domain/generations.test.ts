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
    assert.deepEqual(byName.get('x')!.map((g) => [g.n, g.entry.name]), [[1n, 'x'], [3n, 'x-3'], [10n, 'x-10']]);
    assert.deepEqual(byName.get('x-2')!.map((g) => g.entry.name), ['x-2', 'x-2-2']);
    assert.equal(byName.has('y'), false);
    assert.deepEqual(others.map((o) => o.name), ['y-1', 'z-2']);
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
  it('null and absent mean never; digits and bigints read as the number', () => {
    assert.equal(expiryOf({}), undefined);
    assert.equal(expiryOf({ expiry_millis: null }), undefined);
    assert.equal(expiryOf({ expiry_millis: 5 }), 5);
    assert.equal(expiryOf({ expiry_millis: 5n }), 5);
    assert.equal(expiryOf({ expiry_millis: '1756400061529' }), 1756400061529);
  });
  it('within the window from the boundary on; an expired one too; never-expiring never', () => {
    assert.equal(expiresWithin(100, 70, 30), true);
    assert.equal(expiresWithin(101, 70, 30), false);
    assert.equal(expiresWithin(10, 70, 30), true);
    assert.equal(expiresWithin(undefined, 70, 30), false);
  });
});
