/**
 * The apply plan for people (text) and pipelines (JSON). In the command layer, not output/:
 * its advice names apply's flags (--prune, --replace-drifted). Never a token string: the plan
 * only knows names, permissions, expiries and where outputs go.
 */
import type { ApplyResult } from '../actions/apply';
import { instantWords } from '../domain/instant';
import { type AdminPlan, type Difference, MINTING, type PermissionsPlan, type TokenStep, expiredCurrent } from '../domain/spec';
import { escapeText, shCommand } from '../output/escape';
import { jsonObject } from '../output/json';

/** One output of the spec, as the run found it. */
export interface OutputLine {
  readonly index: number;
  readonly format: string;
  readonly output: string;
  readonly changes: boolean;
  readonly written: readonly string[];
}

const iso = (ms: bigint | number): string => instantWords(BigInt(ms));
const when = (ms: bigint | number | string | null): string => (ms === null ? 'none' : typeof ms === 'string' ? `in ${ms} from creation` : iso(ms));
const expires = (ms: bigint | undefined): string => (ms === undefined ? 'never expires' : `expires ${iso(ms)}`);
const q = (s: string): string => JSON.stringify(s);

function difference(d: Difference): string {
  if (d.field === 'permissions') return `permissions ${d.file.join(' ')} -> ${d.spec.join(' ')}`;
  if (d.field === 'name') return `name ${q(d.file)} -> ${q(d.spec)}`;
  return `expiry ${when(d.file)} -> ${when(d.spec)}`;
}

/** ", the current generation of "grafana"" for a later generation. */
const generation = (s: { of?: string }): string => (s.of === undefined ? '' : ` (current generation of ${q(s.of)}, handed out as ${q(s.of)})`);
const expiredNote = (s: { expired?: true }): string => (s.expired ? ' EXPIRED, still handed out' : '');

function retireWhen(s: Extract<TokenStep, { action: 'retire' }>): string {
  if (s.expired) return 'expired, --prune removes it';
  if (s.expiryMillis === undefined) return 'it never expires: delete it online and here when no client uses it';
  return `${expires(s.expiryMillis)}, then --prune removes it`;
}

function stepLine(s: TokenStep): string {
  const name = q(s.name);
  switch (s.action) {
    case 'create':
      return `  create     ${name}${s.recreated ? ' (no generation of it in the file: created under its name)' : ''}`;
    case 'keep':
      return `  keep       ${name}${generation(s)}${expiredNote(s)}`;
    case 'drift':
      return `  drift      ${name}${generation(s)}: ${s.differences.map(difference).join('; ')} (kept as it is: a server that has the name would not apply it; --replace-drifted mints a new string)${expiredNote(s)}`;
    case 'replace':
      return `  replace    ${name}: ${s.differences.map(difference).join('; ')} (a new string; a server that already loaded ${name} keeps the old one until it is deleted online)`;
    case 'renew':
      return `  renew      ${name}, the next generation of ${q(s.of)}: ${q(s.previous)} expires ${iso(s.previousExpiryMillis)}, within renew_before; a new string that ${expires(s.expiryMillis)}, handed out as ${q(s.of)}`;
    case 'retire':
      return `  retire     ${name}, an older generation of ${q(s.of)} (kept for clients still using it; ${retireWhen(s)})`;
    case 'remove':
      return `  remove     ${name}${s.of === undefined ? '' : `, an expired older generation of ${q(s.of)}`} (a server that loaded it keeps it: ${shCommand(['influxdb3', 'delete', 'token', '--token-name', s.name])})`;
    case 'unmanaged':
      return `  unmanaged  ${name} (not in the spec; kept, --prune removes it)`;
  }
}

function fileBlock(
  label: string,
  file: string,
  exists: boolean,
  steps: readonly TokenStep[],
  databases: readonly string[],
  changes: boolean,
  verb: string,
): string {
  const head = `${escapeText(file)} (${label}${exists ? '' : ', new'}): ${changes ? verb : 'no change'}`;
  const dbs = databases.length > 0 ? [`  databases added: ${databases.join(', ')}`] : [];
  return [head, ...steps.map(stepLine), ...dbs].join('\n');
}

function outputLine(o: OutputLine, dryRun: boolean): string {
  const state = !o.changes ? 'unchanged' : dryRun ? 'would change' : 'written';
  return `  ${o.output} (${o.format}, /outputs/${o.index}): ${state}`;
}

const steps = (r: ApplyResult): TokenStep[] => [...(r.admin ? [r.admin.step] : []), ...(r.permissions?.steps ?? [])];
const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Nothing to write is not the same as matching the spec: drifted and undeclared tokens stay. */
function mismatches(r: ApplyResult): string | undefined {
  const all = steps(r);
  const count = (action: TokenStep['action']): number => all.filter((s) => s.action === action).length;
  const expired = expiredCurrent(all);
  const left = [
    count('drift') > 0 ? `${plural(count('drift'), 'token')} differing from the spec (kept as they are; --replace-drifted replaces them)` : '',
    count('unmanaged') > 0 ? `${plural(count('unmanaged'), 'token')} not in the spec (kept; --prune removes them)` : '',
    expired.length > 0 ? `${plural(expired.length, 'token')} expired and still handed out (nothing renews ${expired.length === 1 ? 'it' : 'them'})` : '',
  ].filter((s) => s !== '');
  return left.length === 0 ? undefined : left.join(', and ');
}

/** What the run did, in words that fit it: a restart is needed only for tokens that were added. */
function summary(r: ApplyResult, outputs: readonly OutputLine[], dryRun: boolean): string {
  const changedOutputs = outputs.filter((o) => o.changes);
  const left = mismatches(r);
  if (!r.changes && changedOutputs.length === 0) {
    return left === undefined
      ? 'No changes: the files already match the spec; no byte was written.'
      : `No byte was written, but the files do not match the spec: ${left}.`;
  }
  if (dryRun) return 'Dry run: nothing was written.';
  const files = [r.admin, r.permissions].filter((p): p is AdminPlan | PermissionsPlan => p !== undefined && p.changes).map((p) => p.file);
  const lines = [`Wrote ${[...files, ...changedOutputs.map((o) => o.output)].join(', ')}.`];
  const all = steps(r);
  const added = all.filter((s) => MINTING.has(s.action)).map((s) => q(s.name));
  if (added.length > 0)
    lines.push(
      `Restart the server (or start it) to load the new token${added.length === 1 ? '' : 's'}: ${added.slice(0, 5).join(', ')}${added.length > 5 ? `, and ${added.length - 5} more` : ''}.`,
    );
  if (all.some((s) => s.action === 'remove')) lines.push('A server that loaded a removed token keeps it until it is deleted online (the commands are above).');
  if (!r.changes)
    lines.push(
      left === undefined
        ? 'The token files already match the spec and were not written.'
        : `The token files were not written, and do not match the spec: ${left}.`,
    );
  return lines.join('\n');
}

export function renderPlanText(r: ApplyResult, outputs: readonly OutputLine[], dryRun: boolean): string {
  const verb = dryRun ? 'would change' : 'changed';
  const blocks: string[] = [];
  if (r.admin) blocks.push(fileBlock('admin token file', r.admin.file, r.admin.exists, [r.admin.step], [], r.admin.changes, verb));
  if (r.permissions)
    blocks.push(
      fileBlock(
        'permission tokens file',
        r.permissions.file,
        r.permissions.exists,
        r.permissions.steps,
        r.permissions.databasesAdded,
        r.permissions.changes,
        verb,
      ),
    );
  if (outputs.length > 0) blocks.push(['outputs:', ...outputs.map((o) => outputLine(o, dryRun))].join('\n'));
  return `${blocks.join('\n')}\n${summary(r, outputs, dryRun)}\n`;
}

/** A step for pipelines: snake_case, and only the fields the step has. */
function stepJson(s: TokenStep): Record<string, unknown> {
  const out: Record<string, unknown> = { action: s.action, name: s.name };
  if ('of' in s && s.of !== undefined) out.generation_of = s.of;
  if (s.action === 'renew') {
    out.previous = s.previous;
    out.previous_expiry_millis = s.previousExpiryMillis;
  }
  if ('expiryMillis' in s) out.expiry_millis = s.expiryMillis ?? null;
  if ('permissions' in s) out.permissions = s.permissions;
  if ('differences' in s) out.differences = s.differences;
  if ('expired' in s && s.expired) out.expired = true;
  if (s.action === 'create' && s.recreated) out.recreated = true;
  return out;
}

function planJson(kind: 'admin' | 'permission', p: AdminPlan | PermissionsPlan, written: boolean) {
  const all = 'step' in p ? [p.step] : p.steps;
  return {
    file: p.file,
    kind,
    exists: p.exists,
    changes: p.changes,
    written,
    steps: all.map(stepJson),
    databases_added: 'databasesAdded' in p ? p.databasesAdded : [],
  };
}

export function renderPlanJson(r: ApplyResult, outputs: readonly OutputLine[], dryRun: boolean): string {
  const files = [];
  if (r.admin) files.push(planJson('admin', r.admin, r.written && r.admin.changes));
  if (r.permissions) files.push(planJson('permission', r.permissions, r.written && r.permissions.changes));
  const outs = outputs.map((o) => ({ index: o.index, format: o.format, output: o.output, changes: o.changes, written: o.written.length > 0 }));
  const changes = r.changes || outputs.some((o) => o.changes);
  return jsonObject({ dry_run: dryRun, changes, written: r.written || outs.some((o) => o.written), files, outputs: outs });
}
