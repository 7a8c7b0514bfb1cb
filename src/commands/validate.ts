/** `validate FILE`: maps argv to ValidateOptions, one call into validateTokenFile, renders the report. */
import type { Argv } from 'yargs';
import { type ValidateResult, validateTokenFile } from '../actions/validate-file';
import { FileError, UsageError } from '../errors';
import { KIND_LABEL } from '../domain/token-file';
import { type RunEnv, redactSecrets } from '../main';
import type { Problem } from '../domain/validate-file';
import { single } from './args';

export const command = 'validate [file]';
export const describe = 'Tell whether `influxdb3 serve` would load a token file, and report every problem';

export function builder(y: Argv): Argv {
  return y
    .positional('file', { type: 'string', describe: 'Admin token file or permission tokens file' })
    .options({
      strict: { type: 'boolean', describe: 'Fail (exit 1) on warnings too' },
      format: { type: 'string', choices: ['text', 'json'], default: 'text', describe: 'Report as text (stderr) or JSON (stdout)' },
    });
}

export interface ValidateArgs {
  file?: unknown;
  strict?: boolean;
  format?: unknown;
}

function renderJson(r: ValidateResult, valid: boolean): string {
  // Problems quote the offending value, which may be a pasted token: the report never does.
  const safe = (ps: readonly Problem[]): Problem[] => ps.map((p) => ({ ...p, message: redactSecrets(p.message) }));
  return `${JSON.stringify({ file: r.file, kind: r.kind ?? null, valid, tokens: r.tokenCount ?? null, errors: safe(r.errors), warnings: safe(r.warnings) }, null, 2)}\n`;
}

export async function run(args: ValidateArgs, env: RunEnv): Promise<void> {
  const file = single(args.file, 'FILE');
  if (!file) throw new UsageError('validate needs the FILE to check, as in: influxdb3-offline-tokens validate tokens.json');
  const result = validateTokenFile({ file }, env);
  const strict = args.strict === true;
  const valid = result.errors.length === 0 && !(strict && result.warnings.length > 0);
  if (args.format === 'json') env.io.stdout(renderJson(result, valid));
  else {
    const at = (pointer: string): string => (pointer === '' ? '' : ` at ${pointer}`);
    for (const p of result.errors) env.io.stderr(`${file}: error${at(p.pointer)}: ${p.message}\n`);
    for (const p of result.warnings) env.io.stderr(`${file}: warning${at(p.pointer)}: ${p.message}\n`);
    if (valid) {
      const count = result.kind === 'permission' ? ` with ${result.tokenCount} token${result.tokenCount === 1 ? '' : 's'}` : '';
      const warned = result.warnings.length > 0 ? `, ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}` : '';
      env.io.stdout(`${file}: OK, ${KIND_LABEL[result.kind!]}${count} that the server would load${warned}\n`);
    }
  }
  if (!valid) {
    const n = result.errors.length;
    throw new FileError(
      'EINVALIDFILE',
      n > 0
        ? `${file} would not be loaded by the server: ${n} problem${n === 1 ? '' : 's'}${result.errors[0]!.pointer ? `, the first at ${result.errors[0]!.pointer}` : ''}.`
        : `${file} has ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'} and --strict was given.`,
    );
  }
}
