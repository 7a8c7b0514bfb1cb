/** export's flag rules: one table of command lines and the usage error each must give. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOwner } from '../../src/commands/args';
import { DEFAULT_SECRET_NAME } from '../../src/actions/export-request';
import { toRequest } from '../../src/commands/export';
import type { FlagValue } from '../../src/commands/types';
import { isUsageError } from '../helpers';

const req = (flags: Record<string, FlagValue>) => toRequest({ flags, positionals: {} });
const base = { file: ['t.json'], format: 'k8s-secret' } as const;

describe('export usage errors', () => {
  const table: Array<[string, Record<string, FlagValue>, RegExp]> = [
    ['no --file', { format: 'json' }, /^--file is required/],
    ['no --format', { file: ['t.json'] }, /^--format is required: one of k8s-secret, env, files, json/],
    ['unknown format', { ...base, format: 'yaml' }, /--format "yaml" is not an export format/],
    ['same --file twice', { ...base, file: ['t.json', 't.json'] }, /--file "t.json" is given twice/],
    ['--prefix with k8s-secret', { ...base, prefix: 'X_' }, /--prefix only applies to --format env, not k8s-secret/],
    ['--secret-name with env', { ...base, format: 'env', 'secret-name': 's' }, /--secret-name only applies to --format k8s-secret/],
    ['--namespace with json', { ...base, format: 'json', namespace: 'ns' }, /--namespace only applies/],
    ['--key without --token-name', { ...base, key: 'K' }, /give exactly one --token-name/],
    ['--key with two tokens', { ...base, key: 'K', 'token-name': ['a', 'b'] }, /give exactly one --token-name/],
    ['--token-name twice', { ...base, 'token-name': ['a', 'a'] }, /--token-name "a" is given twice/],
    ['bad Secret key', { ...base, key: 'a/b', 'token-name': ['a'] }, /--key "a\/b" is not valid: a Secret key may only hold/],
    ['Secret key ..x', { ...base, key: '..x', 'token-name': ['a'] }, /must not begin with "\.\."/],
    ['bad env name', { ...base, format: 'env', key: '1X', 'token-name': ['a'] }, /--key "1X" is not valid: an environment variable name/],
    [
      'file key leaving DIR',
      { ...base, format: 'files', output: 'd', key: '../x', 'token-name': ['a'] },
      /--key "..\/x" is not valid: a file name must not hold "\/"/,
    ],
    ['file key ..', { ...base, format: 'files', output: 'd', key: '..', 'token-name': ['a'] }, /is not a file name/],
    ['upper-case Secret name', { ...base, 'secret-name': 'Tokens' }, /--secret-name "Tokens" is not valid: .*DNS subdomain/],
    ['namespace with a dot', { ...base, namespace: 'a.b' }, /--namespace "a.b" is not valid: .*DNS label/],
    ['bad prefix', { ...base, format: 'env', prefix: 'MY-' }, /--prefix "MY-" is not valid/],
    ['files to stdout', { ...base, format: 'files' }, /give --output DIR/],
    ['files to -', { ...base, format: 'files', output: '-' }, /give --output DIR/],
    ['empty --output', { ...base, output: '' }, /--output is empty/],
    ['--owner to stdout', { ...base, owner: '1500' }, /--owner sets the owner of files written/],
    ['--owner by name', { ...base, output: 'o.yaml', owner: 'influxdb3' }, /--owner "influxdb3" is not UID or UID:GID/],
    ['--owner too large', { ...base, output: 'o.yaml', owner: '4294967295' }, /is not UID or UID:GID/],
    ['bad --lock-timeout', { ...base, 'lock-timeout': 'soon' }, /--lock-timeout/],
  ];
  for (const [what, flags, message] of table) {
    it(what, () => {
      assert.throws(
        () => req(flags),
        (e: unknown) => isUsageError(e) && message.test(e.message),
      );
    });
  }
});

describe('export requests', () => {
  it('defaults: the Secret name, the env prefix, stdout', () => {
    const r = req(base);
    assert.equal(r.secretName, DEFAULT_SECRET_NAME);
    assert.equal(r.prefix, 'INFLUXDB3_TOKEN_');
    assert.equal(r.output, undefined);
    assert.equal(r.tokenNames, undefined);
  });
  it('an empty prefix is allowed', () => assert.equal(req({ ...base, format: 'env', prefix: '' }).prefix, ''));
  it('--output - is stdout', () => assert.equal(req({ ...base, output: '-' }).output, undefined));
  it('--owner UID keeps the group, UID:GID sets both', () => {
    assert.deepEqual(parseOwner('1500'), { uid: 1500, gid: -1 });
    assert.deepEqual(parseOwner('1500:0'), { uid: 1500, gid: 0 });
  });
});
