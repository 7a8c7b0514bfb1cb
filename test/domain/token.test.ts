import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { MIN_SUPPLIED_TOKEN_CHARS, TOKEN_PREFIX, TOKEN_RANDOM_BYTES, mintToken, tokenWeakness } from '../../src/domain/token';

const realRandom = (n: number): Uint8Array => randomBytes(n);
const FORMAT = /^apiv3_[A-Za-z0-9_-]{86}$/;

test('constants: apiv3_, 64 random bytes, 22 characters minimum for supplied tokens', () => {
  assert.equal(TOKEN_PREFIX, 'apiv3_');
  assert.equal(TOKEN_RANDOM_BYTES, 64);
  assert.equal(MIN_SUPPLIED_TOKEN_CHARS, 22);
});

test('mintToken of 64 zero bytes is apiv3_ and 86 "A"', () => {
  assert.equal(
    mintToken(() => new Uint8Array(64)),
    `apiv3_${'A'.repeat(86)}`,
  );
});

test('mintToken of bytes 0..63 is their unpadded base64url', () => {
  const bytes = Uint8Array.from({ length: 64 }, (_, i) => i);
  assert.equal(
    mintToken(() => bytes),
    'apiv3_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw',
  );
});

test('mintToken of 64 0xff bytes uses "_" (base64url), not "/", and no padding', () => {
  const t = mintToken(() => new Uint8Array(64).fill(0xff));
  assert.equal(t, `apiv3_${'_'.repeat(85)}w`);
});

test('mintToken encodes only the view it is given, not the whole underlying buffer', () => {
  const backing = new Uint8Array(200).fill(0xff);
  backing.fill(0, 10, 74);
  const view = new Uint8Array(backing.buffer, 10, 64);
  assert.equal(
    mintToken(() => view),
    `apiv3_${'A'.repeat(86)}`,
  );
});

test('mintToken asks the source for exactly 64 bytes, once', () => {
  const asked: number[] = [];
  mintToken((n) => {
    asked.push(n);
    return new Uint8Array(n);
  });
  assert.deepEqual(asked, [64]);
});

for (const size of [0, 32, 63, 65, 128]) {
  test(`mintToken refuses a random source that returns ${size} bytes`, () => {
    assert.throws(
      () => mintToken(() => new Uint8Array(size)),
      (e: unknown) => {
        assert.ok(e instanceof RangeError);
        assert.equal(e.message, `The random source returned ${size} bytes instead of 64.`);
        return true;
      },
    );
  });
}

test('real minted tokens: 92 characters, apiv3_ then base64url, all different, none weak', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const t = mintToken(realRandom);
    assert.equal(t.length, 92);
    assert.ok(t.startsWith('apiv3_'));
    assert.match(t, FORMAT);
    assert.ok(!t.includes('='));
    assert.equal(tokenWeakness(t), undefined, `flagged a real token: ${tokenWeakness(t)}`);
    seen.add(t);
  }
  assert.equal(seen.size, 300);
});

test('the minted body decodes back to the 64 bytes', () => {
  const bytes = new Uint8Array(randomBytes(64));
  const t = mintToken(() => bytes);
  assert.deepEqual(new Uint8Array(Buffer.from(t.slice(6), 'base64url')), bytes);
});

/** `weakness` undefined: not flagged; otherwise a substring of the reason. */
interface WeakCase {
  readonly label: string;
  readonly token: string;
  readonly weakness: string | undefined;
}

const RANDOM_22 = 'Xq3_Lk9-vB2mZr7TfW0yHc'; // 22 distinct characters
const weakCases: readonly WeakCase[] = [
  {
    label: 'a real token from the fixtures',
    token: 'apiv3_WuZ2cmgZEoXT_5jHh5eMBMbDePgSYPvUAnZO9y4PCsrR1RhHtIBh3No2j6oz8Os7yCRqY8IdBMFUYjSboY7oAQ',
    weakness: undefined,
  },
  { label: '22 random-looking characters (the minimum)', token: `apiv3_${RANDOM_22}`, weakness: undefined },
  {
    label: 'the documentation placeholder',
    token: 'apiv3_0XXXX-xxxXxXxxxXX_OxxxX...',
    weakness: 'it contains characters outside base64url, like a placeholder',
  },
  {
    label: 'the placeholder without its dots',
    token: 'apiv3_0XXXX-xxxXxXxxxXX_OxxxX',
    weakness: 'its characters repeat too much to be random, like a placeholder',
  },
  { label: 'angle-bracket placeholder', token: 'apiv3_<86 chars>', weakness: 'outside base64url' },
  { label: 'standard base64 with + and /', token: `apiv3_${RANDOM_22}+/abc`, weakness: 'outside base64url' },
  { label: 'padded base64url', token: `apiv3_${RANDOM_22}AB==`, weakness: 'outside base64url' },
  { label: 'a space inside', token: `apiv3_${RANDOM_22} x`, weakness: 'outside base64url' },
  { label: 'empty body', token: 'apiv3_', weakness: 'it has 0 characters after apiv3_, fewer than the 22 that carry 128 bits' },
  { label: 'short body', token: 'apiv3_abc123', weakness: 'it has 6 characters after apiv3_, fewer than the 22' },
  { label: '21 characters', token: `apiv3_${RANDOM_22.slice(0, 21)}`, weakness: 'it has 21 characters after apiv3_' },
  { label: 'one character repeated', token: `apiv3_${'a'.repeat(86)}`, weakness: 'its characters repeat too much' },
  { label: 'minted from zero bytes', token: `apiv3_${'A'.repeat(86)}`, weakness: 'its characters repeat too much' },
  { label: 'two characters alternating', token: `apiv3_${'ab'.repeat(43)}`, weakness: 'its characters repeat too much' },
  { label: 'four characters cycling', token: `apiv3_${'abcd'.repeat(22)}`, weakness: 'its characters repeat too much' },
  { label: 'no prefix', token: RANDOM_22 + RANDOM_22, weakness: 'it does not begin with apiv3_' },
  { label: 'upper-case prefix', token: `APIV3_${RANDOM_22}`, weakness: 'it does not begin with apiv3_' },
  { label: 'v2-style prefix', token: `apiv2_${RANDOM_22}`, weakness: 'it does not begin with apiv3_' },
  { label: 'empty string', token: '', weakness: 'it does not begin with apiv3_' },
  { label: 'REPLACE_ME placeholder', token: 'apiv3_REPLACE_ME_WITH_A_REAL_TOKEN_VALUE', weakness: 'it contains a placeholder word' },
  { label: 'YOUR_TOKEN_HERE placeholder', token: 'apiv3_YOUR_TOKEN_HERE_abcdefghijklmnop', weakness: 'it contains a placeholder word' },
  { label: 'placeholder word in lower case', token: `apiv3_${RANDOM_22}example`, weakness: 'it contains a placeholder word' },
  { label: 'the alphabet', token: 'apiv3_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij', weakness: 'a run of 8 or more consecutive' },
  { label: 'digits counting down', token: `apiv3_${RANDOM_22}98765432`, weakness: 'a run of 8 or more consecutive' },
  { label: 'a run of 7 is not flagged', token: `apiv3_${RANDOM_22}abcdefg`, weakness: undefined },
  { label: 'a run across classes (Z then [) does not count', token: `apiv3_${RANDOM_22}TUVWXYZ0`, weakness: undefined },
];

for (const c of weakCases) {
  test(`tokenWeakness: ${c.label} is ${c.weakness === undefined ? 'fine' : 'flagged'}`, () => {
    const got = tokenWeakness(c.token);
    if (c.weakness === undefined) assert.equal(got, undefined);
    else {
      assert.equal(typeof got, 'string', 'not flagged');
      assert.ok(got!.includes(c.weakness), `reason ${JSON.stringify(got)} lacks ${JSON.stringify(c.weakness)}`);
      // The reason describes the token; it never repeats it.
      if (c.token.length > 6) assert.ok(!got!.includes(c.token));
    }
  });
}
