/**
 * The server CLI's own form: `influxdb3 create token --permission P --name N` and
 * `--admin [--regenerate]`. Positional words are permissions given after a bare
 * --permission, as the server docs write them.
 */
import { normalisePermission } from '../../domain/token-request';
import { given, list, text } from '../args';
import type { FlagSpec } from '../types';
import { type Dialect, fail } from './dialect';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  permission: {
    type: 'string',
    repeatable: true,
    bare: true,
    describe: 'RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS, e.g. db:mydb:read,write or system:health:read',
  },
  name: { type: 'string', describe: 'Token name, unique in the file (default _admin with --admin)' },
  admin: { type: 'boolean', describe: 'Write an admin token file (--admin-token-file) instead' },
  regenerate: { type: 'boolean', describe: "With --admin: replace the admin token file, as the server's online --regenerate does (same as --force)" },
};

export const influxdb3: Dialect = {
  label: 'influxdb3',
  flags: FLAGS,
  map(args, words) {
    if (words.length > 0 && !given(args, 'permission')) {
      return fail(
        `unexpected argument ${JSON.stringify(words[0])}; permissions given as arguments follow a bare --permission, as in: create token --permission --name NAME "db:mydb:read".`,
      );
    }
    const texts = [...list(args, 'permission'), ...words];
    const name = text(args, 'name');
    if (given(args, 'admin')) {
      if (texts.length > 0) return fail('--admin cannot be combined with --permission: an admin token has full access. Drop one of them.');
      return { ok: true, value: { draft: { kind: 'admin', via: '--admin', name, replace: given(args, 'regenerate') }, nameFrom: '--name' } };
    }
    if (given(args, 'regenerate')) return fail('--regenerate only applies to --admin (it replaces the admin token file); add --admin or drop --regenerate.');
    const permissions: string[] = [];
    for (const text of texts) {
      const checked = normalisePermission(text);
      if (!checked.ok) {
        if (checked.adminOnly) {
          return fail(
            `--permission ${JSON.stringify(text)} is full access, which only the admin token may have: the server refuses it in a permission tokens file. Use --admin (without --permission) to write an admin token file.`,
          );
        }
        return fail(
          `--permission ${JSON.stringify(text)} is invalid: ${checked.reason}. Write RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS, for example db:mydb:read,write.`,
        );
      }
      if (!permissions.includes(checked.value)) permissions.push(checked.value);
    }
    if (permissions.length === 0) {
      return fail('at least one permission is required, for example --permission "db:mydb:read,write"; or pass --admin for an admin token.');
    }
    if (name === undefined) return fail('--name is required for a permission token: names are unique within the file. Add --name NAME.');
    return { ok: true, value: { draft: { kind: 'permission', name, permissions }, nameFrom: '--name' } };
  },
};
