/** closest: the one "did you mean" guess behind flags, commands and spec keys. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closest } from '../../src/domain/suggest';

const KEYS = ['name', 'permissions', 'expiry', 'expires_at', 'renew_before'];

describe('closest', () => {
  it('the same name in another case or separator', () => {
    assert.equal(closest('renewBefore', KEYS), 'renew_before');
    assert.equal(closest('renew-before', KEYS), 'renew_before');
    assert.equal(closest('NAME', KEYS), 'name');
    assert.equal(closest('outFile', ['name', 'out-file']), 'out-file');
  });
  it('the one candidate a prefix of two or more characters begins', () => {
    assert.equal(closest('perm', KEYS), 'permissions');
    assert.equal(closest('p', KEYS), undefined);
  });
  it('a letter missing, extra, wrong or two swapped', () => {
    assert.equal(closest('permisions', KEYS), 'permissions');
    assert.equal(closest('expirey', KEYS), 'expiry');
    assert.equal(closest('nmae', KEYS), 'name');
    assert.equal(closest('expiri', KEYS), 'expiry');
  });
  it('two edits only for names of more than five characters', () => {
    assert.equal(closest('permisiosn', KEYS), 'permissions');
    assert.equal(closest('nm', ['name']), undefined);
    assert.equal(closest('nxmy', ['name']), undefined);
  });
  it('nothing when no candidate is close, or two are equally close', () => {
    assert.equal(closest('colour', KEYS), undefined);
    assert.equal(closest('abc', []), undefined);
    assert.equal(closest('cat', ['bat', 'hat']), undefined);
  });
});
