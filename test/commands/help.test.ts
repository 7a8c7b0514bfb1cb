import { test } from 'node:test';
import assert from 'node:assert/strict';

import { COMMANDS } from '../../src/commands';
import { renderHelp } from '../../src/commands/help';
import { durationUnits } from '../../src/domain/duration';
import { DB_ACTIONS, SYSTEM_RESOURCES } from '../../src/domain/permissions';

const helpOf = (path: readonly string[]): Promise<string> =>
  renderHelp(
    COMMANDS,
    path,
    COMMANDS.find((c) => c.paths[0]!.join(' ') === path.join(' ')),
    false,
  );

const EXIT_LINES = [/^ {2}0 {2}success$/m, /^ {2}1 {2}failure: /m, /^ {2}2 {2}usage error: /m];

test('top-level help lists the exit statuses', async () => {
  const text = await renderHelp(COMMANDS, [], undefined, false);
  for (const line of EXIT_LINES) assert.match(text, line);
});

for (const command of COMMANDS) {
  const path = command.paths[0]!;
  test(`${path.join(' ')} --help: exit statuses, and every required flag marked`, async () => {
    const text = await helpOf(path);
    for (const line of EXIT_LINES) assert.match(text, line);
    for (const [flag, spec] of Object.entries(command.flags)) {
      const row = text.split('\n').find((l) => new RegExp(`^ +(-\\w, )?--${flag} `).test(l));
      if (spec.hidden) continue;
      assert.ok(row, `--${flag} not listed`);
      assert.equal(row.includes('[required]'), spec.required === true, row);
    }
  });
}

test('create token --help lists every db action, system resource and duration unit', async () => {
  const text = await helpOf(['create', 'token']);
  const permissions = text.slice(text.indexOf('\nPermissions'));
  assert.match(permissions, new RegExp(`actions: ${DB_ACTIONS.join(', ')}\\n`));
  assert.match(permissions, new RegExp(`resources: ${SYSTEM_RESOURCES.join(', ')}\\n`));
  const units = durationUnits();
  assert.equal(units.length, 10);
  for (const u of units) assert.match(text, new RegExp(`^ {2}${u.spellings.join(' ')}( \\(|$)`, 'm'));
  assert.match(text, /^ {2}months month M \(30\.44 days\)$/m);
  assert.match(text, /^ {2}years year yr yrs y \(365\.25 days\)$/m);
});

test('validate --help has no permission or duration reference: it takes neither', async () => {
  const text = await helpOf(['validate']);
  assert.doesNotMatch(text, /^Permissions|^Durations/m);
});

test("top-level help has examples, the way to a command's flags and the docs link", async () => {
  const text = await renderHelp(COMMANDS, [], undefined, false);
  assert.match(text, /^Examples:$/m);
  assert.match(text, /influxdb3-offline-tokens apply -f tokens\.yaml/);
  assert.match(text, /^Documentation: https:\/\/github\.com\/influxdb3-offline-tokens\/influxdb3-offline-tokens\/tree\/main\/docs$/m);
});

test('apply --help summarises the spec and names its schema', async () => {
  const text = await helpOf(['apply']);
  assert.match(text, /schemas\/token-spec\.schema\.json/);
  for (const key of ['admin:', 'permissions:', 'outputs:', 'renew_before', 'token_names']) assert.ok(text.includes(key), key);
});
