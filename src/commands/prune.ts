/** `prune --file FILE [--dry-run]`: remove the expired tokens of a permission tokens file. */
import { onlineDelete, writeNotices } from './notices';
import { type PruneResult, prune } from '../actions/prune';
import { expiryLine } from '../output/expiry';
import { jsonObject } from '../output/json';
import type { RunEnv } from '../main';
import { fileOf, given, isJson } from './args';
import { DRY_RUN, FILE, FILE_POSITIONAL, LOCK_TIMEOUT, TEXT_OR_JSON, lockTimeoutOf } from './options';
import { emitAs } from './output';
import { escapeText } from '../output/escape';
import type { CommandBody, ParsedArgs } from './types';

const USAGE = 'prune --file tokens.json';

function render(r: PruneResult, json: boolean, now: number): string {
  if (json) {
    return jsonObject({
      file: r.file,
      dry_run: r.dryRun,
      removed: r.removed.map((t) => ({ name: t.name, expiry_millis: t.expiry })),
      kept: r.kept,
      written: r.written,
    });
  }
  if (r.removed.length === 0) return `No expired tokens in ${escapeText(r.file)}; ${r.kept} kept.\n`;
  const verb = r.dryRun ? 'Would remove' : 'Removed';
  const lines = [`${verb} ${r.removed.length} expired token${r.removed.length === 1 ? '' : 's'} from ${escapeText(r.file)}; ${r.kept} kept:`];
  for (const t of r.removed) lines.push(`  ${escapeText(t.name)}  ${expiryLine(t.expiry, now)}`);
  return `${lines.join('\n')}\n`;
}

async function run(args: ParsedArgs, env: RunEnv): Promise<void> {
  const file = fileOf(args, USAGE);
  const now = env.now();
  const result = await prune({ file, dryRun: given(args, 'dry-run'), lockTimeoutMs: lockTimeoutOf(args) }, { ...env, now: () => now });
  writeNotices(env, file, result);
  if (!result.dryRun) {
    // An expired token no longer authenticates, but a server that loaded it still lists it.
    for (const t of result.removed)
      env.io.stderr(`notice: a server that already loaded ${JSON.stringify(t.name)} still lists it; remove it there with: ${onlineDelete(t.name)}\n`);
  }
  await emitAs(env, !isJson(args), render(result, isJson(args), now), result.dryRun ? `${file} was read` : `${file} was updated`);
}

const command: CommandBody = {
  describe: 'Remove the expired tokens of a permission tokens file (--dry-run lists them)',
  positionals: [FILE_POSITIONAL],
  flags: { file: FILE, 'dry-run': { ...DRY_RUN, describe: 'List the expired tokens and change nothing' }, format: TEXT_OR_JSON, 'lock-timeout': LOCK_TIMEOUT },
  examples: [['prune --file tokens.json --dry-run', 'what would go']],
  run,
};
export default command;
