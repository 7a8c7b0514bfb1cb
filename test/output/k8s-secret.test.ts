/**
 * The k8s-secret export against kubectl itself: every case of fixtures/kubectl (made by
 * scripts/kubectl-oracle/generate.mjs with the real `kubectl create secret generic ...
 * --dry-run=client -o yaml`) must come out byte for byte.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exportCommand } from '../../src/commands/export';
import type { FlagValue } from '../../src/commands/types';
import { renderSecret, yamlKeyLess } from '../../src/output/k8s-secret';
import { FIXTURES, captureEnv } from '../helpers';

const ROOT = join(FIXTURES, 'kubectl');
const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('k8s-secret export matches kubectl', () => {
  it('has the oracle cases', () => assert.ok(cases.length >= 20, `only ${cases.length} cases in ${ROOT}`));
  for (const name of cases) {
    it(name, async () => {
      const dir = join(ROOT, name);
      const { flags } = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as { flags: Record<string, FlagValue> };
      const env = captureEnv();
      await exportCommand.run({ flags: { ...flags, file: (flags.file as string[]).map((f) => join(dir, f)) }, positionals: {} }, env);
      assert.equal(env.stdoutText(), readFileSync(join(dir, 'expected.yaml'), 'utf8'));
      assert.equal(env.stderrText(), '');
    });
  }
});

describe('go-yaml key order', () => {
  // [smaller, larger]: the cases the fixtures cannot reach (mapped keys hold no "." or "+").
  const table: Array<[string, string]> = [
    ['a9', 'a10'],
    ['a09', 'a10'],
    ['a1.5', 'a1.10'],
    ['x0', 'x00'],
    ['-', 'a'],
    ['.a', 'a'],
    ['Z', 'a'],
    ['ab', 'abc'],
  ];
  for (const [a, b] of table) {
    it(`${a} < ${b}`, () => {
      assert.equal(yamlKeyLess(a, b), true);
      assert.equal(yamlKeyLess(b, a), false);
    });
  }
});

describe('renderSecret', () => {
  it('leaves out data when there is none, as kubectl does for an empty map', () => {
    assert.equal(renderSecret({ name: 's', data: [] }), 'apiVersion: v1\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: s\ntype: Opaque\n');
  });
});
