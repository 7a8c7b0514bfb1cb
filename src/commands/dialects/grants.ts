/** Read/write flags that grant one action on databases (influxctl, influx v2). */
import { databaseNameProblem } from '../../domain/database-name';
import type { DbAction, ParseResult } from '../../domain/permissions';
import { type DatabaseGrant, permissionsFromGrants } from '../../domain/token-request';
import { list } from '../args';
import type { ParsedArgs } from '../types';
import { fail } from './dialect';

/**
 * [flag, action, scope]: a 'named' flag takes a database per use (`*` for all), an 'all'
 * flag is a boolean that grants the action on every database (influx v2's --read-buckets).
 */
export type GrantTable = readonly (readonly [flag: string, action: DbAction, scope: 'named' | 'all'])[];

/**
 * The permission strings the table's flags grant, one per database with its actions merged,
 * databases in the order the table lists the flags; or the first bad name, with its flag.
 */
export function permissionsFromFlags(args: ParsedArgs, table: GrantTable): ParseResult<string[]> {
  const grants: DatabaseGrant[] = [];
  for (const [flag, action, scope] of table) {
    if (scope === 'all') {
      if (args.flags[flag] === true) grants.push({ database: '*', action });
      continue;
    }
    for (const database of list(args, flag)) {
      const problem = database === '*' ? undefined : databaseNameProblem(database);
      if (problem)
        return fail(`--${flag} ${JSON.stringify(database)} is not a database name: ${problem}. Give one database per --${flag}, or "*" for all of them.`);
      grants.push({ database, action });
    }
  }
  return permissionsFromGrants(grants);
}

export function grantFlagsOf(table: GrantTable): string {
  return table.map(([flag]) => `--${flag}`).join(', ');
}
