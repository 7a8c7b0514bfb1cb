/**
 * `apply -f SPEC [--dry-run] [--prune] [--replace-drifted] [--format json]`: the spec is read
 * (YAML or JSON, `-` for stdin), checked whole (schema, rules, outputs' options) before any
 * file is touched, then applied in one transaction; outputs run after the files are written.
 */
import { type ApplyResult, applySpec, readSpecText } from '../actions/apply';
import { exportTokens } from '../actions/export';
import { duplicateKey, parseJsonText } from '../domain/json-text';
import { type Problem, desiredState } from '../domain/spec';
import { InputLimitError, UsageError, isToolError } from '../errors';
import { textNesting, valueNesting } from '../domain/nesting';
import type { RunEnv } from '../main';
import { renderPlanJson, renderPlanText } from '../output/plan';
import { durationMs, parseOwner } from './args';
import { toRequest } from './export';
import { writeNotices } from './lifecycle-args';
import { DEFAULT_LOCK_TIMEOUT, DRY_RUN, LOCK_TIMEOUT, OWNER } from './options';
import { emitAs } from './output';
import type { CommandModule, FlagValue, ParsedArgs } from './types';

/** Spec keys of an output -> export's flags. */
const OUTPUT_FLAGS: Record<string, string> = {
  format: 'format',
  output: 'output',
  secret_name: 'secret-name',
  namespace: 'namespace',
  token_names: 'token-name',
  key: 'key',
  prefix: 'prefix',
  owner: 'owner',
};

function specError(source: string, problems: readonly Problem[]): UsageError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new UsageError(`${source} at ${first.pointer || '/'}: ${first.message}${more}; nothing was written.`);
}

/** SPEC 17: a spec nests 64 levels at most. */
export const MAX_SPEC_DEPTH = 64;

/**
 * The spec's value, within the limits of SPEC 17: the text is measured before any parser
 * sees it (a parser's cost on deep nesting is what the limit guards against), the value
 * after; YAML aliases are refused (an alias bomb expands to gigabytes).
 */
function parseSpec(text: string, source: string): unknown {
  // The reckoning over the text can count a level or so more than there is: twice the limit
  // still stops a pathological text long before a parser would slow down.
  if (textNesting(text) > 2 * MAX_SPEC_DEPTH) throw new InputLimitError(source, MAX_SPEC_DEPTH, 'depth');
  const value = parseSpecText(text, source);
  if (valueNesting(value, MAX_SPEC_DEPTH) > MAX_SPEC_DEPTH) throw new InputLimitError(source, MAX_SPEC_DEPTH, 'depth');
  return value;
}

function parseSpecText(text: string, source: string): unknown {
  // A JSON spec (what generators write) takes JSON.parse: the yaml package reads 10,000
  // tokens of it in seconds. YAML is a superset, so only text that is not JSON goes there.
  if (text.trimStart().startsWith('{')) {
    const json = parseJsonText(text);
    if (json.ok) {
      // YAML refuses a repeated key (uniqueKeys); JSON.parse would keep the last silently.
      const twice = duplicateKey(text);
      if (twice) throw specError(source, [{ pointer: twice.pointer, message: `the key ${JSON.stringify(twice.key)} is given a second time; give it once` }]);
      return json.value;
    }
  }
  // YAML is read only here: no other command pays for loading the package.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  const doc = YAML.parseDocument(text, { schema: 'core', merge: false, uniqueKeys: true, prettyErrors: true });
  const err = doc.errors[0];
  if (err) {
    // The pretty message's first line names the place ("... at line 3, column 1:"); the rest quotes the text.
    throw new UsageError(`${source} is not valid YAML or JSON: ${err.message.split('\n')[0]!.replace(/:$/, '')}; nothing was written.`);
  }
  let alias = false;
  YAML.visit(doc, {
    Alias() {
      alias = true;
      return YAML.visit.BREAK;
    },
  });
  if (alias) throw new InputLimitError(source, 0, 'alias');
  return doc.toJS({ maxAliasCount: 0 });
}

function outputRequests(outputs: readonly Readonly<Record<string, unknown>>[], files: string[], source: string, owner: string | undefined) {
  return outputs.map((o, i) => {
    const flags: Record<string, FlagValue> = { file: files };
    for (const [key, value] of Object.entries(o)) flags[OUTPUT_FLAGS[key]!] = Array.isArray(value) ? value.map(String) : String(value);
    // apply --owner covers everything the command writes; an output's own owner: wins.
    if (owner !== undefined && flags.owner === undefined) flags.owner = owner;
    if (o.output === undefined) throw specError(source, [{ pointer: `/outputs/${i}/output`, message: 'an output of apply needs output: a file or directory (stdout carries the plan)' }]);
    try {
      return toRequest({ flags, positionals: {} });
    } catch (e) {
      if (e instanceof UsageError) throw specError(source, [{ pointer: `/outputs/${i}`, message: e.message.replace(/\.$/, '') }]);
      throw e;
    }
  });
}

const one = (v: FlagValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

const applyCommand: CommandModule = {
  paths: [['apply']],
  describe: 'Make the token files match a spec (YAML or JSON), in one transaction, idempotently',
  flags: {
    filename: { type: 'string', aliases: ['f'], required: true, describe: 'The spec file (YAML or JSON), or - for stdin' },
    'dry-run': DRY_RUN,
    prune: { type: 'boolean', describe: 'Remove tokens the spec does not name' },
    'replace-drifted': { type: 'boolean', describe: 'Mint a new string for a kept token whose permissions or expiry differ from the spec' },
    format: { type: 'string', choices: ['text', 'json'], describe: 'How to print the plan', defaultDescription: 'text' },
    owner: OWNER,
    'lock-timeout': LOCK_TIMEOUT,
  },
  examples: [
    ['apply -f tokens.yaml --dry-run', 'Show what would change'],
    ['apply -f tokens.yaml --prune', 'Create what is missing, remove what the spec does not name'],
  ],
  async run(args: ParsedArgs, env: RunEnv): Promise<void> {
    const f = args.flags;
    const source = one(f.filename);
    if (source === undefined) throw new UsageError('apply needs -f SPEC, the spec file (YAML or JSON), or -f - to read it from stdin.');
    const owner = one(f.owner);
    const lockTimeoutMs = durationMs(one(f['lock-timeout']) ?? DEFAULT_LOCK_TIMEOUT, '--lock-timeout');
    const label = source === '-' ? 'the spec on stdin' : source;
    const checked = desiredState(parseSpec(readSpecText(source), label), env.now());
    if (!checked.ok) throw specError(label, checked.problems);
    const desired = checked.value;
    const files = [desired.admin?.file, desired.permissions?.file].filter((p): p is string => p !== undefined);
    const outputs = outputRequests(desired.outputs, files, label, owner);
    const dryRun = f['dry-run'] === true;
    const result: ApplyResult = await applySpec(
      { desired, dryRun, prune: f.prune === true, replaceDrifted: f['replace-drifted'] === true, lockTimeoutMs, owner: owner === undefined ? undefined : parseOwner(owner) },
      env,
    );
    const plan = one(f.format) === 'json' ? renderPlanJson(result, dryRun) : renderPlanText(result, dryRun);
    const done = dryRun ? 'The plan was made (nothing was written)' : result.written ? 'The token files were written' : 'Nothing needed writing';
    await emitAs(env, one(f.format) !== 'json', plan, done);
    for (const m of result.modeTightened) writeNotices(env, m.file, { written: true, modeTightened: m, releaseFailure: undefined });
    if (dryRun) return;
    for (const [i, req] of outputs.entries()) {
      try {
        await exportTokens(req, env);
      } catch (e) {
        if (isToolError(e)) e.message = `The token files were written, but output ${i + 1} of ${outputs.length} (${req.format}, /outputs/${i} in the spec) failed: ${e.message} Run export again.`;
        throw e;
      }
    }
  },
};

export default applyCommand;
