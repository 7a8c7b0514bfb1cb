/**
 * influxctl (Cloud Dedicated, Clustered): `token create --read-database DB
 * --write-database DB [--expires-at T] "DESCRIPTION"`. The description is the name.
 */
import type { FlagSpec } from '../types';
import { type Dialect, fail } from './dialect';
import { type GrantTable, grantFlagsOf, permissionsFromFlags } from './grants';

const GROUP = 'influxctl (Cloud Dedicated, Clustered) options';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  'read-database': {
    type: 'string',
    repeatable: true,
    group: GROUP,
    describe: 'Grant read on a database, "*" for all; the description argument names the token',
  },
  'write-database': { type: 'string', repeatable: true, group: GROUP, describe: 'Grant write on a database, "*" for all' },
};

const GRANTS: GrantTable = [
  ['read-database', 'read', 'named'],
  ['write-database', 'write', 'named'],
];

export const influxctl: Dialect = {
  label: 'influxctl',
  flags: FLAGS,
  map(args, words) {
    const permissions = permissionsFromFlags(args, GRANTS);
    if (!permissions.ok) return permissions;
    if (permissions.value.length === 0) return fail(`the influxctl form needs at least one database: give ${grantFlagsOf(GRANTS)}.`);
    // Words are not quoted back: a mistyped line may have put a secret there.
    if (words.length === 0) {
      return fail(
        'the influxctl form needs the token description as its last argument (it becomes the token name), as in: create token --read-database mydb "my token" --output-file F.',
      );
    }
    if (words.length > 1) {
      return fail(`the influxctl form takes one description argument (the token name), but ${words.length} words were given; quote the description.`);
    }
    return { ok: true, value: { draft: { kind: 'permission', name: words[0], permissions: permissions.value }, nameFrom: 'the description argument' } };
  },
};
