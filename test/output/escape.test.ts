/** The one escaper of human output and the one POSIX-sh quoter of printed commands (SPEC 16). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { escapeLines, escapeText, shCommand } from '../../src/output/escape';

test('escapeText: C0, DEL, C1 and bidi controls become escapes; everything else stays', () => {
  const table: Array<[string, string]> = [
    ['plain name-1_x.y', 'plain name-1_x.y'],
    ['\x1b[31mred', '\\e[31mred'],
    ['a\nb\rc\td', 'a\\nb\\rc\\td'],
    ['\x00\x07\x7f', '\\x00\\a\\x7f'],
    ['\x9b1m', '\\x9b1m'],
    ['abc\u202etxt', 'abc\\u202etxt'],
    ['\u2066x\u2069', '\\u2066x\\u2069'],
    ['a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['héllo ✓ 日本', 'héllo ✓ 日本'],
  ];
  for (const [raw, shown] of table) assert.equal(escapeText(raw), shown, JSON.stringify(raw));
  assert.equal(escapeLines('one\x1b]52;c;x\x07\ntwo\n'), 'one\\e]52;c;x\\a\ntwo\n');
});

test('shCommand: sh reads back exactly the words, whatever they hold, line breaks at the end included', () => {
  const words = [
    'plain',
    '',
    'a b',
    "it's",
    'x; touch /tmp/p #',
    '$(id)',
    '`id`',
    '"q"',
    '\\',
    '-n',
    '%s%d',
    'a\x1bb',
    'a\nb',
    'a\n',
    '\n',
    'a\n\n',
    'a.\n',
    '\u202eevil',
    "mixed 'q' \x07 %b \\0 -x",
  ];
  for (const w of words) {
    // Each word alone, and with another that ends in a line break in the same command.
    for (const line of [shCommand(['printf', '%s\\0', w]), shCommand(['printf', '%s\\0', w, 'b\n'])]) {
      const r = spawnSync('sh', ['-c', line], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${JSON.stringify(w)}: ${line}: ${r.stderr}`);
      assert.ok(r.stdout === `${w}\0` || r.stdout === `${w}\0b\n\0`, `${JSON.stringify(w)} via ${line}: ${JSON.stringify(r.stdout)}`);
      assert.doesNotMatch(line, /[\x00-\x1f\x7f\u202e]/, 'nothing raw in the printed command');
    }
  }
  assert.equal(shCommand(['a', '']), "a ''");
  assert.equal(shCommand(['influxdb3', 'delete', 'token', '--token-name', 'a b']), "influxdb3 delete token --token-name 'a b'");
  assert.equal(
    shCommand(['influxdb3', 'delete', 'token', '--token-name', 'a\n']),
    `_otk1="$(printf '%b' 'a\\0012.')"; influxdb3 delete token --token-name "\${_otk1%.}"`,
  );
});
