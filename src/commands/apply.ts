/**
 * `apply -f SPEC [--dry-run] [--prune] [--replace-drifted] [--format json]`: the spec is read
 * (YAML or JSON, `-` for stdin), checked whole (schema, rules, outputs' options) before any
 * file is touched, then applied in one transaction; outputs run after the files are written.
 */
import { escapeText, shCommand } from '../output/escape';
import { writeNotices } from './notices';
import { dirname, isAbsolute } from 'node:path';
import { type ApplyResult, SpecProblems, StaleTokens, applyOutput, applySpec, outputRequestsOf } from '../actions/apply';
import type { ExportRequest } from '../actions/export';
import { isUtf8 } from 'node:buffer';
import { DOCUMENT_LIMIT } from '../store/stdin';
import { readFile } from '../store/store';
import { parseJson, position } from '../domain/json/scan';
import { type DesiredState, type Problem, desiredState, expiredCurrent } from '../domain/spec';
import { FileError, InputLimitError, InvalidInputError, UsageError, isToolError } from '../errors';
import { textNesting, valueNesting } from '../domain/nesting';
import type { RunEnv } from '../main';
import { type OutputLine, renderPlanJson, renderPlanText } from './plan';
import { parseOwner, text } from './args';
import { DRY_RUN, LOCK_TIMEOUT, OWNER, lockTimeoutOf } from './options';
import { BIN } from './argv';
import { emitAs } from './output';
import type { CommandBody, ParsedArgs } from './types';

function specError(source: string, problems: readonly Problem[]): UsageError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  // A key of megabytes is named by its first characters: the line stays a line.
  const at = escapeText(first.pointer.length > 200 ? `${first.pointer.slice(0, 200)}…` : first.pointer || '/');
  return new UsageError(`${source} at ${at}: ${first.message}${more}; nothing was written.`);
}

/** SPEC 17: a spec nests 64 levels at most. */
export const MAX_SPEC_DEPTH = 64;

/**
 * The spec's value, within the limits of SPEC 17: the text is measured before any parser
 * sees it (a parser's cost on deep nesting is what the limit guards against), the value
 * after; YAML aliases are refused (an alias bomb expands to gigabytes). A JSON spec (what
 * generators write) takes the JSON reader, which counts the levels as it reads them: the
 * yaml package reads 10,000 tokens of it in seconds. YAML is a superset, so only text that
 * is not JSON goes there.
 */
function parseSpec(text: string, source: string): unknown {
  if (text.trimStart().startsWith('{')) {
    const json = parseJson(text, MAX_SPEC_DEPTH);
    if (json.ok) {
      // A repeated key is refused in YAML (parseYaml) and so in JSON.
      const twice = json.duplicate;
      if (twice) throw specError(source, [{ pointer: twice.pointer, message: `the key ${JSON.stringify(twice.key)} is given a second time; give it once` }]);
      return json.value;
    }
    if (json.tooDeep) throw new InputLimitError(source, MAX_SPEC_DEPTH, 'depth');
  }
  // The reckoning over the text can count a level or so more than there is: twice the limit
  // still stops a pathological text long before a parser would slow down.
  if (textNesting(text) > 2 * MAX_SPEC_DEPTH) throw new InputLimitError(source, MAX_SPEC_DEPTH, 'depth');
  const value = parseYaml(text, source);
  if (valueNesting(value, MAX_SPEC_DEPTH) > MAX_SPEC_DEPTH) throw new InputLimitError(source, MAX_SPEC_DEPTH, 'depth');
  return value;
}

function parseYaml(text: string, source: string): unknown {
  // YAML is read only here: no other command pays for loading the package.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  // Repeated keys are found below, in one pass: the package's own check (uniqueKeys) compares
  // every key of a mapping with every other (200,000 keys ran for minutes).
  const doc = YAML.parseDocument(text, { schema: 'core', merge: false, uniqueKeys: false, prettyErrors: true });
  const notYaml = (what: string): UsageError => new UsageError(`${source} is not valid YAML or JSON: ${what}; nothing was written.`);
  const err = doc.errors[0];
  // The pretty message's first line names the place ("... at line 3, column 1:"); the rest quotes the text.
  if (err) throw notYaml(err.message.split('\n')[0]!.replace(/:$/, ''));
  let alias = false;
  let repeated: number | undefined;
  YAML.visit(doc, {
    Alias() {
      alias = true;
      return YAML.visit.BREAK;
    },
    Map(_, map) {
      const seen = new Set<string>();
      for (const { key } of map.items) {
        if (!YAML.isScalar(key)) continue;
        const id = `${typeof key.value}:${String(key.value)}`;
        if (seen.has(id)) {
          repeated = key.range?.[0] ?? 0;
          return YAML.visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
  });
  if (alias) throw new InputLimitError(source, 0, 'alias');
  if (repeated !== undefined) {
    const { line, column } = position(text, repeated);
    throw notYaml(`Map keys must be unique at line ${line}, column ${column}`);
  }
  return doc.toJS({ maxAliasCount: 0 });
}

/**
 * A spec's relative path, relative to the spec file's directory as kustomize, Compose and
 * Helm resolve theirs (stdin: the current directory). Joined as text, never normalised:
 * `..` is left for the file system to resolve through links, as the server would.
 */
export function specRelative(specDir: string, path: string): string {
  return isAbsolute(path) || specDir === '.' ? path : `${specDir.replace(/\/+$/, '')}/${path}`;
}

function resolvePaths(d: DesiredState, specDir: string): DesiredState {
  const at = (p: string): string => specRelative(specDir, p);
  return {
    ...(d.admin && { admin: { ...d.admin, file: at(d.admin.file) } }),
    ...(d.permissions && { permissions: { ...d.permissions, file: at(d.permissions.file) } }),
    outputs: d.outputs.map((o) => (typeof o.output === 'string' && o.output !== '-' ? { ...o, output: at(o.output) } : o)),
  };
}

/** The stale tokens in words, with the two ways out. */
function staleWords(e: StaleTokens): FileError {
  const first = e.stale[0]!;
  const names = e.stale.map((s) => `${JSON.stringify(s.name)} (${s.file})`).join(', ');
  return new FileError(
    'ESTALE',
    `--fail-if-stale: the current token${e.stale.length === 1 ? '' : 's'} ${names} expired and would be handed out; nothing was written. Give ${JSON.stringify(first.of)} renew_before and a relative expiry in the spec, or rotate it: ${shCommand([BIN, 'rotate', 'token', '--file', first.file, '--token-name', first.of, '--expiry', '90d'])}`,
    { cause: e },
  );
}

/** The warnings of SPEC 11.1: an expired token handed out, a name created again. */
function warnings(env: RunEnv, result: ApplyResult): void {
  const files = [
    result.admin && { file: result.admin.file, steps: [result.admin.step] },
    result.permissions && { file: result.permissions.file, steps: result.permissions.steps },
  ];
  for (const f of files) {
    if (!f) continue;
    for (const s of expiredCurrent(f.steps)) {
      env.io.stderr(
        `warning: ${JSON.stringify(s.name)} in ${f.file} has expired and is still handed out: nothing renews it. Give ${JSON.stringify(s.of)} renew_before and a relative expiry in the spec (or rotate it); --fail-if-stale stops the run instead.\n`,
      );
    }
    for (const s of f.steps) {
      if (s.action !== 'create' || !s.recreated) continue;
      env.io.stderr(
        `warning: ${f.file} holds no generation of ${JSON.stringify(s.name)}, so it was created under that name. If a server already loaded ${JSON.stringify(s.name)} (since pruned or deleted here), it keeps its old entry and skips this one; a new generation (rotate token, renew_before) is how a new string reaches it.\n`,
      );
    }
  }
}

/** The spec's text: a file, or `-` for the standard input the launcher handed down, at most 16 MiB either way (SPEC 17). */
function readSpecText(source: string, env: Pick<RunEnv, 'stdin'>): string {
  if (source !== '-') {
    const { text } = readFile(source);
    if (Buffer.byteLength(text) > DOCUMENT_LIMIT) throw new InputLimitError(`the spec ${source}`, DOCUMENT_LIMIT);
    return text;
  }
  const bytes = env.stdin(DOCUMENT_LIMIT, 'the spec on standard input');
  if (!isUtf8(bytes)) throw new InvalidInputError('The spec on stdin', ' is not valid UTF-8 text.');
  return bytes.toString('utf8');
}

const applyCommand: CommandBody = {
  describe: 'Make the token files match a spec (YAML or JSON), in one transaction, idempotently',
  flags: {
    filename: { type: 'string', aliases: ['f'], required: true, describe: 'The spec file (YAML or JSON), or - for stdin' },
    'dry-run': DRY_RUN,
    prune: { type: 'boolean', describe: 'Remove tokens the spec does not name, and expired older generations' },
    'replace-drifted': { type: 'boolean', describe: 'Mint a new string for a kept token whose permissions or expiry differ from the spec' },
    'fail-if-stale': { type: 'boolean', describe: 'Exit 1 and write nothing when a token that would be handed out has expired' },
    format: { type: 'string', choices: ['text', 'json'], describe: 'How to print the plan', defaultDescription: 'text' },
    owner: OWNER,
    'lock-timeout': LOCK_TIMEOUT,
  },
  about: [
    'The spec (YAML or JSON; schema: schemas/token-spec.schema.json, installed with the package):',
    '  admin:        {file, name?, expiry? | expires_at?}         the admin token file',
    '  permissions:  {file, create_databases?, renew_before?, tokens: [{name, permissions, expiry? | expires_at?, renew_before?}]}',
    '  outputs:      [{format: k8s-secret|env|files|json, output, token_names?, key?, secret_name?, namespace?, prefix?, owner?}]',
    'Paths are relative to the spec file. A token in the file keeps its string; renew_before adds its next generation.',
  ].join('\n'),
  examples: [
    ['apply -f tokens.yaml --dry-run', 'Show what would change, outputs included'],
    ['apply -f tokens.yaml --prune', 'Create what is missing, remove what the spec does not name'],
    ['apply -f tokens.yaml --fail-if-stale', 'Stop a pipeline rather than hand out an expired token'],
  ],
  async run(args: ParsedArgs, env: RunEnv): Promise<void> {
    const f = args.flags;
    const source = text(args, 'filename');
    if (source === undefined) throw new UsageError('apply needs -f SPEC, the spec file (YAML or JSON), or -f - to read it from stdin.');
    const owner = text(args, 'owner');
    const lockTimeoutMs = lockTimeoutOf(args);
    const label = source === '-' ? 'the spec on stdin' : source;
    const checked = desiredState(parseSpec(readSpecText(source, env), label), env.now());
    if (!checked.ok) throw specError(label, checked.problems);
    const desired = resolvePaths(checked.value, source === '-' ? '.' : dirname(source));
    const files = [desired.admin?.file, desired.permissions?.file].filter((p): p is string => p !== undefined);
    const runOwner = owner === undefined ? undefined : parseOwner(owner);
    let outputs: ExportRequest[];
    try {
      outputs = outputRequestsOf(desired.outputs, files, lockTimeoutMs, runOwner);
    } catch (e) {
      throw e instanceof SpecProblems ? specError(label, e.problems) : e;
    }
    const dryRun = f['dry-run'] === true;
    let result: ApplyResult;
    try {
      result = await applySpec(
        {
          desired,
          dryRun,
          prune: f.prune === true,
          replaceDrifted: f['replace-drifted'] === true,
          failIfStale: f['fail-if-stale'] === true,
          lockTimeoutMs,
          owner: runOwner,
        },
        env,
      );
    } catch (e) {
      throw e instanceof StaleTokens ? staleWords(e) : e;
    }
    for (const m of result.modeTightened) writeNotices(env, m.file, { written: true, modeTightened: m, releaseFailure: undefined });
    warnings(env, result);
    const lines: OutputLine[] = [];
    let failure: { error: unknown } | undefined;
    for (const [i, req] of outputs.entries()) {
      try {
        const o = await applyOutput(req, result.sources, dryRun, env);
        lines.push({ index: i, format: req.format, output: req.output!, changes: o.changes, written: o.written });
      } catch (e) {
        if (isToolError(e)) {
          const what = `output ${i + 1} of ${outputs.length} (${req.format}, /outputs/${i} in the spec)`;
          e.message = dryRun
            ? `The ${what} would fail: ${e.message}`
            : `${result.written ? 'The token files were written' : 'The token files needed no change'}, but ${what} failed: ${e.message} Run apply again.`;
        }
        failure = { error: e };
        break;
      }
    }
    const plan = text(args, 'format') === 'json' ? renderPlanJson(result, lines, dryRun) : renderPlanText(result, lines, dryRun);
    const done = dryRun
      ? 'The plan was made (nothing was written)'
      : result.written || lines.some((o) => o.written.length > 0)
        ? 'The token files and outputs were written'
        : 'Nothing needed writing';
    await emitAs(env, text(args, 'format') !== 'json', plan, done);
    if (failure !== undefined) throw failure.error;
  },
};

export default applyCommand;
