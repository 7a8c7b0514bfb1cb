/** env, json and files renderers and name mapping: tables, plus the committed reference outputs of fixtures/export. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderEnv } from '../../src/output/env';
import { assignKeys, envKey, safeKey } from '../../src/output/export-names';
import { fileNameProblem } from '../../src/output/files';
import { renderJsonExport } from '../../src/output/json-export';

describe('name mapping', () => {
  const table: Array<[string, string, string]> = [
    // [token name, file name / Secret key, env name with the default prefix]
    ['telegraf', 'telegraf', 'INFLUXDB3_TOKEN_TELEGRAF'],
    ['telegraf/prod', 'telegraf_prod', 'INFLUXDB3_TOKEN_TELEGRAF_PROD'],
    ['grafana reader', 'grafana_reader', 'INFLUXDB3_TOKEN_GRAFANA_READER'],
    ['app.v2', 'app_v2', 'INFLUXDB3_TOKEN_APP_V2'],
    ['my-app', 'my-app', 'INFLUXDB3_TOKEN_MY_APP'],
    ['..', '__', 'INFLUXDB3_TOKEN___'],
    ['../../etc/passwd', '______etc_passwd', 'INFLUXDB3_TOKEN_______ETC_PASSWD'],
    ['/abs', '_abs', 'INFLUXDB3_TOKEN__ABS'],
    ['Ünïcode', '_n_code', 'INFLUXDB3_TOKEN__N_CODE'],
    ['emoji😀', 'emoji_', 'INFLUXDB3_TOKEN_EMOJI_'],
    ['tab\there', 'tab_here', 'INFLUXDB3_TOKEN_TAB_HERE'],
  ];
  for (const [name, file, env] of table) {
    it(JSON.stringify(name), () => {
      assert.equal(safeKey(name), file);
      assert.equal(fileNameProblem(safeKey(name)), undefined);
      assert.equal(envKey(name, 'INFLUXDB3_TOKEN_'), env);
    });
  }
});

describe('assignKeys', () => {
  const t = (name: string, file = 'f.json') => ({ file, name, token: 'apiv3_x' });
  it('names both tokens of a clash and the key', () => {
    const r = assignKeys([t('a.b'), t('ok'), t('a/b', 'g.json')], (x) => safeKey(x.name));
    assert.deepEqual(r, { ok: false, reason: 'the tokens "a.b" (f.json) and "a/b" (g.json) would both be exported as "a_b"' });
  });
  it('keeps the order of the tokens', () => {
    const r = assignKeys([t('b'), t('a')], (x) => x.name);
    assert.ok(r.ok);
    assert.deepEqual(
      r.value.map((k) => k.key),
      ['b', 'a'],
    );
  });
});

describe('fileNameProblem (a --key for files)', () => {
  const bad = ['', '.', '..', '../x', 'a/b', 'a\\b', 'nul\0', 'x'.repeat(256)];
  for (const name of bad) it(`refuses ${JSON.stringify(name.slice(0, 20))}`, () => assert.ok(fileNameProblem(name)));
  for (const name of ['token', '.hidden', 'x'.repeat(255)])
    it(`takes ${JSON.stringify(name.slice(0, 20))}`, () => assert.equal(fileNameProblem(name), undefined));
});

describe('renderEnv', () => {
  const table: Array<[string, string | undefined]> = [
    ['apiv3_abc-_XYZ09', 'K=apiv3_abc-_XYZ09\n'],
    ['apiv3_a.b', 'K=apiv3_a.b\n'],
    // Compose would expand $ and cut at " #" in a plain or double-quoted value.
    ['apiv3_a$b', "K='apiv3_a$b'\n"],
    ['apiv3_a #b', "K='apiv3_a #b'\n"],
    ['apiv3_a"b', "K='apiv3_a\"b'\n"],
    ['apiv3_a\\b', "K='apiv3_a\\b'\n"],
    ["apiv3_a'b", undefined],
    ['apiv3_a\nb', undefined],
    ['apiv3_ab\\', undefined],
  ];
  for (const [value, expected] of table) {
    it(JSON.stringify(value), () => {
      const r = renderEnv([{ key: 'K', value }]);
      if (expected === undefined) {
        assert.equal(r.ok, false);
        assert.ok(!r.ok && !r.reason.includes(value), 'the reason must not quote the value');
      } else assert.deepEqual(r, { ok: true, value: expected });
    });
  }
});

describe('renderJsonExport', () => {
  it('keeps the order of integer-like names (JSON.stringify of an object would not)', () => {
    assert.equal(
      renderJsonExport([
        { key: 'b', value: 'x' },
        { key: '1', value: 'y' },
      ]),
      '{\n  "b": "x",\n  "1": "y"\n}\n',
    );
  });
  it('is {} without tokens', () => assert.equal(renderJsonExport([]), '{}\n'));
});
