/**
 * The permission grammar RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS and its normalised form.
 * Pure: parse errors are returned as a reason string so the CLI and `validate` can place
 * them (a flag, or a JSON pointer) without catching and re-wrapping.
 */
import { databaseNameProblem } from './database-name';

/** The server's own order; normalised permissions list actions in it. */
export const DB_ACTIONS = ['create', 'describe', 'read', 'write', 'delete'] as const;
export const SYSTEM_RESOURCES = ['health', 'metrics', 'ping', 'ready'] as const;

export type Permission =
  | { readonly type: 'db'; readonly names: readonly string[] | '*'; readonly actions: readonly DbAction[] }
  | { readonly type: 'system'; readonly names: readonly SystemResource[] | '*'; readonly actions: readonly ['read'] }
  | { readonly type: '*'; readonly names: '*'; readonly actions: '*' };
export type DbAction = (typeof DB_ACTIONS)[number];
export type SystemResource = (typeof SYSTEM_RESOURCES)[number];

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

function splitList(part: string, what: string): ParseResult<string[]> {
  const items = part.split(',');
  const empty = items.indexOf('');
  if (empty !== -1) return fail(`the ${what} list ${JSON.stringify(part)} has an empty item`);
  if (items.includes('*') && items.length > 1) {
    return fail(`mixed wildcard (*) and resource name in the ${what} list ${JSON.stringify(part)}`);
  }
  // Duplicates dropped, first occurrence kept: that is the normalised order.
  return { ok: true, value: [...new Set(items)] };
}

export function parsePermission(text: string): ParseResult<Permission> {
  const parts = text.split(':');
  if (parts.length !== 3) {
    return fail(`it has ${parts.length} part${parts.length === 1 ? '' : 's'} separated by ":", expected 3`);
  }
  const [type, namesPart, actionsPart] = parts as [string, string, string];
  if (type === '') return fail('the resource type is empty');
  if (namesPart === '') return fail('the resource names part is empty');
  if (actionsPart === '') return fail('the actions part is empty');

  const names = splitList(namesPart, 'resource names');
  if (!names.ok) return names;
  const actions = splitList(actionsPart, 'actions');
  if (!actions.ok) return actions;
  const wildNames = names.value[0] === '*';
  const wildActions = actions.value[0] === '*';

  switch (type) {
    case '*':
      if (!wildNames || !wildActions) {
        return fail('the resource type "*" only takes "*:*" (full access), as in *:*:*');
      }
      return { ok: true, value: { type: '*', names: '*', actions: '*' } };
    case 'db': {
      if (!wildNames) {
        for (const n of names.value) {
          const problem = databaseNameProblem(n);
          if (problem) return fail(`the database name ${JSON.stringify(n)} is invalid: ${problem}`);
        }
      }
      if (wildActions) return fail(`"*" is not a db action; use some of ${DB_ACTIONS.join(', ')}`);
      for (const a of actions.value) {
        if (!(DB_ACTIONS as readonly string[]).includes(a)) {
          return fail(`unknown db action ${JSON.stringify(a)}; use some of ${DB_ACTIONS.join(', ')}`);
        }
      }
      const ordered = DB_ACTIONS.filter((a) => actions.value.includes(a));
      return { ok: true, value: { type: 'db', names: wildNames ? '*' : names.value, actions: ordered } };
    }
    case 'system': {
      if (!wildNames) {
        for (const n of names.value) {
          if (!(SYSTEM_RESOURCES as readonly string[]).includes(n)) {
            return fail(`unknown system resource ${JSON.stringify(n)}; use some of ${SYSTEM_RESOURCES.join(', ')} or *`);
          }
        }
      }
      if (actions.value.length !== 1 || actions.value[0] !== 'read') {
        const bad = actions.value.find((a) => a !== 'read') ?? actionsPart;
        return fail(`system resources only take the action "read", not ${JSON.stringify(bad)}`);
      }
      return {
        ok: true,
        value: { type: 'system', names: wildNames ? '*' : (names.value as SystemResource[]), actions: ['read'] },
      };
    }
    default:
      return fail(`unknown resource type ${JSON.stringify(type)}; use db, system or *`);
  }
}

export function formatPermission(p: Permission): string {
  const list = (v: readonly string[] | '*'): string => (v === '*' ? '*' : v.join(','));
  return `${p.type}:${list(p.names)}:${list(p.actions)}`;
}

/** Database names a permission refers to explicitly (none for wildcards and non-db types). */
export function databasesOf(p: Permission): readonly string[] {
  return p.type === 'db' && p.names !== '*' ? p.names : [];
}
