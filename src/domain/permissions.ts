/**
 * The permission grammar RESOURCE_TYPE:RESOURCE_NAMES:ACTIONS and its normalised form.
 * Pure: parse errors are returned as a reason string so the CLI and `validate` can place
 * them (a flag, or a JSON pointer) without catching and re-wrapping.
 */
import { databaseNameProblem } from './database-name';
import { isRustWhitespace } from './duration';

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
/** A parsed permission, and the system names the server reads only after lower-casing or trimming them. */
export type PermissionResult = { ok: true; value: Permission; respelled?: readonly string[] } | { ok: false; reason: string };

/** The server's catalog refuses this type for every token but the admin token. */
export const WILDCARD_TYPE_REASON = '* resource type can only be set for an admin token';

/** Why the server would refuse `p` in a permission tokens file, or undefined. */
export function permissionFileProblem(p: Permission): string | undefined {
  return p.type === '*' ? WILDCARD_TYPE_REASON : undefined;
}

/** Rust's str::trim: Unicode White_Space at both ends (JavaScript's trim differs on U+FEFF and U+0085). */
function rustTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isRustWhitespace(s.codePointAt(start)!)) start++;
  // White_Space is all in the BMP, so one UTF-16 unit per character at the ends.
  while (end > start && isRustWhitespace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/**
 * A system resource name as the server matches it (`name.to_lowercase().trim()` in the
 * catalog's resource_name_to_id): `HEALTH` and ` ping ` are health and ping.
 */
export function systemResourceOf(name: string): SystemResource | undefined {
  const canonical = rustTrim(name.toLowerCase());
  return (SYSTEM_RESOURCES as readonly string[]).includes(canonical) ? (canonical as SystemResource) : undefined;
}

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

function splitList(part: string, what: string): ParseResult<string[]> {
  const items = part.split(',');
  const empty = items.indexOf('');
  if (empty !== -1) return fail(`the ${what} list ${JSON.stringify(part)} has an empty item`);
  // The server refuses a wildcard beside a name, but a list of wildcards alone means "*".
  if (items.includes('*') && items.some((x) => x !== '*')) {
    return fail(`mixed wildcard (*) and resource name in the ${what} list ${JSON.stringify(part)}`);
  }
  // Duplicates dropped, first occurrence kept: that is the normalised order.
  return { ok: true, value: [...new Set(items)] };
}

export function parsePermission(text: string): PermissionResult {
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
      const resources: SystemResource[] = [];
      const respelled: string[] = [];
      if (!wildNames) {
        for (const n of names.value) {
          const resource = systemResourceOf(n);
          if (resource === undefined) {
            return fail(`unknown system resource ${JSON.stringify(n)}; use some of ${SYSTEM_RESOURCES.join(', ')} or *`);
          }
          if (resource !== n) respelled.push(n);
          if (!resources.includes(resource)) resources.push(resource);
        }
      }
      if (actions.value.length !== 1 || actions.value[0] !== 'read') {
        const bad = actions.value.find((a) => a !== 'read') ?? actionsPart;
        return fail(`system resources only take the action "read", not ${JSON.stringify(bad)}`);
      }
      const value: Permission = { type: 'system', names: wildNames ? '*' : resources, actions: ['read'] };
      return respelled.length > 0 ? { ok: true, value, respelled } : { ok: true, value };
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
