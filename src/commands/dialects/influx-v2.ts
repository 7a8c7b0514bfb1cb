/**
 * influx v2: `auth create --read-bucket B --write-bucket B [-d TEXT] [--json]`, and
 * `--all-access` / `--operator` for a token that can do everything. Buckets are databases
 * here. v2's other resources (dashboards, tasks, ...) do not exist in InfluxDB 3: their
 * flags are known, so that a pasted line is refused with the reason rather than as an
 * unknown flag.
 */
import { nameFromPermissions } from '../../domain/token-request';
import { given, text } from '../args';
import type { FlagSpec } from '../types';
import { type Dialect, fail } from './dialect';
import { type GrantTable, grantFlagsOf, permissionsFromFlags } from './grants';

const GROUP = 'influx v2 options';

/** Every v2 resource of the reference's flag table and its all-access workaround, buckets aside. */
const V2_ONLY_RESOURCES = [
  'annotations',
  'authorizations',
  'checks',
  'dashboards',
  'dbrp',
  'dbrps',
  'documents',
  'labels',
  'notebooks',
  'notificationEndpoints',
  'notificationRules',
  'orgs',
  'remotes',
  'replications',
  'scrapers',
  'secrets',
  'sources',
  'tasks',
  'telegrafs',
  'users',
  'variables',
  'views',
] as const;

const REFUSED: readonly string[] = V2_ONLY_RESOURCES.flatMap((r) => [`read-${r}`, `write-${r}`]);

/** v2 flags with no meaning offline and no harm in ignoring: InfluxDB 3 has no organisations. */
const IGNORED = ['org', 'org-id'] as const;

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  'read-bucket': { type: 'string', repeatable: true, group: GROUP, describe: 'Grant read on a bucket (a database here)' },
  'write-bucket': { type: 'string', repeatable: true, group: GROUP, describe: 'Grant write on a bucket (a database here)' },
  'read-buckets': { type: 'boolean', group: GROUP, describe: 'Grant read on every database (db:*:read)' },
  'write-buckets': { type: 'boolean', group: GROUP, describe: 'Grant write on every database (db:*:write)' },
  description: { type: 'string', aliases: ['d'], group: GROUP, describe: 'Token description, used as its name (default: its permissions, or _admin)' },
  json: { type: 'boolean', group: GROUP, describe: 'Same as --format json' },
  'all-access': { type: 'boolean', group: GROUP, describe: 'An admin token file, as --admin' },
  operator: { type: 'boolean', group: GROUP, describe: 'An admin token file, as --admin' },
  org: { type: 'string', aliases: ['o'], group: GROUP, describe: 'Ignored: InfluxDB 3 has no organisations' },
  'org-id': { type: 'string', group: GROUP, describe: 'Ignored: InfluxDB 3 has no organisations' },
  ...Object.fromEntries(
    REFUSED.map((flag): [string, FlagSpec] => [flag, { type: 'boolean', hidden: true, group: GROUP, describe: 'Refused: InfluxDB 3 has no such resource' }]),
  ),
};

const GRANTS: GrantTable = [
  ['read-bucket', 'read', 'named'],
  ['read-buckets', 'read', 'all'],
  ['write-bucket', 'write', 'named'],
  ['write-buckets', 'write', 'all'],
];

export const influxV2: Dialect = {
  label: 'influx v2',
  flags: FLAGS,
  map(args, words) {
    // Not quoted back: a stray word may be a pasted secret.
    if (words.length > 0) return fail(`the influx v2 form takes no arguments besides its flags (${words.length} given); name the token with -d/--description.`);
    const refused = REFUSED.find((flag) => given(args, flag));
    if (refused) {
      const resource = refused.replace(/^(read|write)-/, '');
      return fail(
        `--${refused} has no counterpart: InfluxDB 3 has no ${resource}, and its tokens grant databases (buckets) and system endpoints only. Drop it; ${grantFlagsOf(GRANTS)} map to databases.`,
      );
    }
    const notices = IGNORED.filter((flag) => given(args, flag)).map((flag) => `--${flag} ignored: InfluxDB 3 has no organisations.`);
    const format = given(args, 'json') ? ('json' as const) : undefined;
    const description = text(args, 'description');
    const admin = (['all-access', 'operator'] as const).find((flag) => given(args, flag));
    const grants = GRANTS.find(([flag]) => given(args, flag));
    if (admin) {
      if (grants) return fail(`--${admin} already grants everything (an admin token); drop --${grants[0]} or --${admin}.`);
      return { ok: true, value: { draft: { kind: 'admin', via: `--${admin}`, name: description }, nameFrom: '--description', format, notices } };
    }
    const permissions = permissionsFromFlags(args, GRANTS);
    if (!permissions.ok) return permissions;
    if (permissions.value.length === 0) {
      return fail(`the influx v2 form needs ${grantFlagsOf(GRANTS)}, or --all-access/--operator for an admin token.`);
    }
    const name = description ?? nameFromPermissions(permissions.value);
    return { ok: true, value: { draft: { kind: 'permission', name, permissions: permissions.value }, nameFrom: '--description', format, notices } };
  },
};
