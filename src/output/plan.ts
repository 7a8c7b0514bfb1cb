/**
 * The apply plan for people (text) and pipelines (JSON). Never a token string: the plan
 * only knows names, permissions and expiries.
 */
import type { ApplyResult } from '../actions/apply';
import type { AdminPlan, Difference, PermissionsPlan, TokenStep } from '../domain/spec';
import { escapeText, shCommand } from './escape';

const when = (ms: number | string | null): string => (ms === null ? 'none' : typeof ms === 'string' ? `in ${ms} from creation` : new Date(ms).toISOString());

function difference(d: Difference): string {
  if (d.field === 'permissions') return `permissions ${d.file.join(' ')} -> ${d.spec.join(' ')}`;
  if (d.field === 'name') return `name ${JSON.stringify(d.file)} -> ${JSON.stringify(d.spec)}`;
  return `expiry ${when(d.file)} -> ${when(d.spec)}`;
}

function stepLine(s: TokenStep): string {
  const name = JSON.stringify(s.name);
  switch (s.action) {
    case 'create':
      return `  create     ${name}`;
    case 'keep':
      return `  keep       ${name}`;
    case 'drift':
      return `  drift      ${name}: ${s.differences.map(difference).join('; ')} (kept as it is: a server that has the name would not apply it; --replace-drifted mints a new string)`;
    case 'replace':
      return `  replace    ${name}: ${s.differences.map(difference).join('; ')} (a new string; a server that already loaded ${name} keeps the old one until it is deleted online)`;
    case 'remove':
      return `  remove     ${name} (a server that loaded it keeps it: ${shCommand(['influxdb3', 'delete', 'token', '--token-name', s.name])})`;
    case 'unmanaged':
      return `  unmanaged  ${name} (not in the spec; kept, --prune removes it)`;
  }
}

function fileBlock(label: string, file: string, exists: boolean, steps: readonly TokenStep[], databases: readonly string[], changes: boolean): string {
  const head = `${escapeText(file)} (${label}${exists ? '' : ', new'}): ${changes ? 'changes' : 'no change'}`;
  const dbs = databases.length > 0 ? [`  databases added: ${databases.join(', ')}`] : [];
  return [head, ...steps.map(stepLine), ...dbs].join('\n');
}

/** Nothing to write is not the same as matching the spec: drifted and undeclared tokens stay. */
function unchanged(r: ApplyResult): string {
  const steps = [...(r.admin ? [r.admin.step] : []), ...(r.permissions?.steps ?? [])];
  const count = (action: TokenStep['action']): number => steps.filter((s) => s.action === action).length;
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const left = [
    count('drift') > 0 ? `${plural(count('drift'), 'token')} differing from the spec (kept as they are; --replace-drifted replaces them)` : '',
    count('unmanaged') > 0 ? `${plural(count('unmanaged'), 'token')} not in the spec (kept; --prune removes them)` : '',
  ].filter((s) => s !== '');
  if (left.length === 0) return 'No changes: the files already match the spec; no byte was written.';
  return `No byte was written, but the files do not match the spec: ${left.join(', and ')}.`;
}

export function renderPlanText(r: ApplyResult, dryRun: boolean): string {
  const blocks: string[] = [];
  if (r.admin) blocks.push(fileBlock('admin token file', r.admin.file, r.admin.exists, [r.admin.step], [], r.admin.changes));
  if (r.permissions) blocks.push(fileBlock('permission tokens file', r.permissions.file, r.permissions.exists, r.permissions.steps, r.permissions.databasesAdded, r.permissions.changes));
  const tail = !r.changes
    ? unchanged(r)
    : dryRun
      ? 'Dry run: nothing was written.'
      : 'Applied. Restart the server (or start it) to load new tokens.';
  return `${blocks.join('\n')}\n${tail}\n`;
}

function planJson(kind: 'admin' | 'permission', p: AdminPlan | PermissionsPlan, written: boolean) {
  const steps = 'step' in p ? [p.step] : p.steps;
  return {
    file: p.file,
    kind,
    exists: p.exists,
    changes: p.changes,
    written,
    steps: steps.map((s) => ({ action: s.action, name: s.name, ...('differences' in s && { differences: s.differences }) })),
    databases_added: 'databasesAdded' in p ? p.databasesAdded : [],
  };
}

export function renderPlanJson(r: ApplyResult, dryRun: boolean): string {
  const files = [];
  if (r.admin) files.push(planJson('admin', r.admin, r.written && r.admin.changes));
  if (r.permissions) files.push(planJson('permission', r.permissions, r.written && r.permissions.changes));
  return `${JSON.stringify({ dry_run: dryRun, changes: r.changes, written: r.written, files }, null, 2)}\n`;
}
