/**
 * export's rules written once (actions/export-request.ts): the flags, an apply spec's
 * outputs and the library each get the same refusal, named the way they spell the value.
 * The flag wording is covered by test/commands/export.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpecProblems, outputRequestsOf } from '../../src/actions/apply';
import { DEFAULT_ENV_PREFIX, type ExportAsk, exportRequestOf } from '../../src/actions/export-request';
import { InvalidInputError } from '../../src/errors';
import { exportTokens } from '../../src/index';

const ASK: ExportAsk = {
  files: ['t.json'],
  format: 'k8s-secret',
  tokenNames: undefined,
  key: undefined,
  secretName: undefined,
  namespace: undefined,
  prefix: undefined,
  output: 'out.yaml',
  owner: undefined,
  lockTimeoutMs: 1_000,
};

test('exportRequestOf: the refusal names the field as spelled, and says nothing of flags', () => {
  assert.throws(
    () => exportRequestOf({ ...ASK, secretName: 'Tokens' }, (f) => f),
    (e: unknown) =>
      e instanceof InvalidInputError &&
      e.field === 'secretName' &&
      /^secretName "Tokens" is not valid: .*DNS subdomain/.test(e.message) &&
      !/--/.test(e.message),
  );
  assert.throws(
    () => exportRequestOf({ ...ASK, prefix: 'X_' }, (f) => `<${f}>`),
    (e: unknown) => e instanceof InvalidInputError && e.message === '<prefix> only applies to <format> env, not k8s-secret; remove it.',
  );
  const r = exportRequestOf({ ...ASK, format: 'env', output: '-', owner: undefined }, (f) => f);
  assert.deepEqual([r.output, r.prefix, r.owner], [undefined, DEFAULT_ENV_PREFIX, undefined]);
  assert.deepEqual(exportRequestOf({ ...ASK, owner: '1500:0' }, (f) => f).owner, { uid: 1500, gid: 0 });
});

test("outputRequestsOf: the same rule at the output's pointer, with the spec's key; the run's owner where the output names none", () => {
  assert.throws(
    () =>
      outputRequestsOf(
        [
          { format: 'k8s-secret', output: 'a.yaml' },
          { format: 'k8s-secret', output: 'b.yaml', secret_name: 'Tokens' },
        ],
        ['t.json'],
        1_000,
      ),
    (e: unknown) => e instanceof SpecProblems && e.problems[0]!.pointer === '/outputs/1' && /^secret_name "Tokens" is not valid/.test(e.problems[0]!.message),
  );
  const [own, run] = outputRequestsOf(
    [
      { format: 'env', output: 'a.env', owner: 7 },
      { format: 'env', output: 'b.env' },
    ],
    ['t.json'],
    1_000,
    { uid: 1500, gid: -1 },
  );
  assert.deepEqual(
    [own!.owner, run!.owner],
    [
      { uid: 7, gid: -1 },
      { uid: 1500, gid: -1 },
    ],
  );
});

test("the library's exportTokens checks the same rules before reading any file", async () => {
  await assert.rejects(
    exportTokens({ files: ['does-not-matter.json'], format: 'k8s-secret', secretName: 'Tokens' }),
    (e: unknown) => e instanceof InvalidInputError && e.code === 'EINVALID' && e.field === 'secretName',
  );
});
