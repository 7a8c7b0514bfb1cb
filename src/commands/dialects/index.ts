/**
 * From any supported command line to one TokenRequest. Each dialect is a table of its own
 * flags (dialects/*.ts); the flags below belong to none of them, because they say how the
 * token is written rather than whose syntax asks for it. A line that uses flags of two
 * dialects is refused naming one flag of each: guessing which one the user meant could
 * grant the wrong access.
 */
import type { ExpirySpec } from '../../domain/expiry';
import { databaseNameProblem } from '../../domain/database-name';
import { type TokenRequest, type ValueSource, describeValueSource, parseValueSource, requestProblem, suppliedTokenValue } from '../../domain/token-request';
import { UsageError } from '../../errors';
import { TOKEN_VALUE_LIMIT } from '../../store/stdin';
import { given, list, text } from '../args';
import type { FlagSpec, ParsedArgs } from '../types';
import { type Spelling, expiryFlags } from '../words';
import { type Dialect, type MapContext } from './dialect';
import { httpBody } from './http-body';
import { influxV2 } from './influx-v2';
import { influxctl } from './influxctl';
import { influxdb3 } from './influxdb3';

/** Order matters only for messages: the first dialect found is named first. */
export const DIALECTS: readonly Dialect[] = [influxdb3, influxctl, influxV2, httpBody];

/** Flags about the token that every dialect may use. */
export const TOKEN_FLAGS: Readonly<Record<string, FlagSpec>> = {
  expiry: { type: 'string', describe: 'Lifetime as a humantime duration: 7d, 12h, 1y 6months' },
  'expires-at': { type: 'string', describe: 'Expiry instant in RFC 3339, e.g. 2030-01-01T00:00:00Z' },
  'create-databases': { type: 'string', repeatable: true, describe: 'Comma-separated databases for the server to create at start' },
  force: { type: 'boolean', describe: 'With an admin token: replace an existing admin token file' },
  'token-value-from': {
    type: 'string',
    describe: 'Write this token string instead of minting one: env:VAR, file:PATH or stdin (never the value itself)',
  },
};

/** Every flag a dialect declares, for the command's flag table. */
export const DIALECT_FLAGS: Readonly<Record<string, FlagSpec>> = Object.assign({}, ...DIALECTS.map((d) => d.flags)) as Record<string, FlagSpec>;

export interface RequestInput extends MapContext {
  /** The environment that env:VAR reads. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface ResolvedRequest {
  readonly request: TokenRequest;
  /** The user's token string (--token-value-from), already checked; undefined to mint one. */
  readonly tokenValue: string | undefined;
  /** A dialect's own way of asking for JSON output (influx v2's --json). */
  readonly format: 'json' | undefined;
  readonly notices: readonly string[];
  /** How the user spelled the name and the expiry, to word the library's errors (commands/words.ts). */
  readonly spelling: Spelling;
}

function dialectOf(args: ParsedArgs): Dialect {
  const used = DIALECTS.map((d) => ({ d, flag: Object.keys(d.flags).find((f) => given(args, f)) })).filter((u) => u.flag !== undefined);
  if (used.length > 1) {
    const [a, b] = used as [{ d: Dialect; flag: string }, { d: Dialect; flag: string }];
    throw new UsageError(
      `--${a.flag} (${a.d.label}) and --${b.flag} (${b.d.label}) come from different command lines; write the token with the flags of one of them.`,
    );
  }
  return used[0]?.d ?? influxdb3;
}

function expiryOf(args: ParsedArgs, fromDialect: { spec: ExpirySpec; from: string } | undefined): { spec: ExpirySpec; from: string } | undefined {
  const flagged = expiryFlags(args);
  if (flagged && fromDialect) throw new UsageError(`${flagged.from} and ${fromDialect.from} both set the expiry; give one of them.`);
  return flagged ?? fromDialect;
}

function databasesOf(args: ParsedArgs): string[] {
  const names: string[] = [];
  for (const entry of list(args, 'create-databases')) {
    for (const db of entry.split(',')) {
      const problem = databaseNameProblem(db);
      if (problem) throw new UsageError(`--create-databases ${JSON.stringify(entry)} names an invalid database ${JSON.stringify(db)}: ${problem}.`);
      names.push(db);
    }
  }
  return names;
}

/** Reads and checks a supplied token string; messages name the source, never the value. */
function tokenValueOf(source: ValueSource, input: RequestInput): string {
  const from = `--token-value-from ${source.from === 'env' ? `env:${source.variable}` : source.from === 'file' ? `file:${source.path}` : 'stdin'}`;
  let raw: string;
  if (source.from === 'env') {
    const v = input.env[source.variable];
    if (v === undefined) throw new UsageError(`${from}: the environment variable ${source.variable} is not set; export it, or choose another source.`);
    raw = v;
  } else {
    raw = input.readText(source.from === 'file' ? source.path : '-', {
      bytes: TOKEN_VALUE_LIMIT,
      what: 'the token value on standard input (--token-value-from stdin)',
    });
  }
  const checked = suppliedTokenValue(raw);
  if (!checked.ok) {
    throw new UsageError(
      `${from}: the token in ${describeValueSource(source)} is refused: ${checked.reason}. Supply apiv3_ followed by at least 22 random base64url characters (128 bits).`,
    );
  }
  return checked.value;
}

/**
 * The one request a `create token` line asks for, whatever its dialect: every usage check
 * that needs flag names happens here, before any file is touched.
 */
export function tokenRequestOf(args: ParsedArgs, words: readonly string[], input: RequestInput): ResolvedRequest {
  const dialect = dialectOf(args);
  const sourceText = text(args, 'token-value-from');
  let source: ValueSource | undefined;
  if (sourceText !== undefined) {
    const parsed = parseValueSource(sourceText);
    // The text is not quoted back: it may be the token that should have come from elsewhere.
    if (!parsed.ok) throw new UsageError(`--token-value-from is not understood: ${parsed.reason}. Write env:VAR, file:PATH or stdin.`);
    source = parsed.value;
    if (source.from === 'stdin' && text(args, 'from-json') === '-') {
      throw new UsageError('--from-json - and --token-value-from stdin both read standard input; give one of them a file.');
    }
  }
  const mapped = dialect.map(args, words, input);
  if (!mapped.ok) throw new UsageError(mapped.reason);
  const { draft, nameFrom } = mapped.value;
  if (mapped.value.format && text(args, 'format') !== undefined && text(args, 'format') !== mapped.value.format) {
    throw new UsageError(`--json and --format ${text(args, 'format')} contradict each other; give one of them.`);
  }
  const createDatabases = databasesOf(args);
  const force = given(args, 'force');
  const fromDialect = draft.kind === 'permission' && draft.expiry ? { spec: draft.expiry, from: mapped.value.expiryFrom ?? 'the expiry' } : undefined;
  const expiryFrom = expiryOf(args, fromDialect);
  const expiry = expiryFrom?.spec;
  let request: TokenRequest;
  if (draft.kind === 'admin') {
    if (createDatabases.length > 0)
      throw new UsageError(`${draft.via} cannot be combined with --create-databases: an admin token file has no databases. Drop one of them.`);
    request = { kind: 'admin', name: draft.name ?? '_admin', expiry, value: source, replace: force || draft.replace === true };
  } else {
    if (force) throw new UsageError('--force only applies to --admin (an admin token file); permission tokens are appended, never replaced.');
    request = { kind: 'permission', name: draft.name ?? '', expiry, value: source, permissions: draft.permissions, createDatabases };
  }
  const problem = requestProblem(request);
  if (problem) {
    throw new UsageError(
      problem.field === 'name' ? `${nameFrom} is empty; give the token a name.` : `${problem.reason}, for example --permission "db:mydb:read,write".`,
    );
  }
  const tokenValue = source === undefined ? undefined : tokenValueOf(source, input);
  const spelling: Spelling = { name: nameFrom, ...(expiryFrom && { expiry: expiryFrom.from }) };
  return { request, tokenValue, format: mapped.value.format, notices: mapped.value.notices ?? [], spelling };
}
