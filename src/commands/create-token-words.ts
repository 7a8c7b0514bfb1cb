/**
 * `create token`'s result and refusals in words: stdout (text or json), the notices and
 * the stale warning on stderr, and the action's errors worded with the spelling the line
 * used. Pure: the command module prints what these return.
 */
import type { CreateTokenRequest, CreateTokenResult } from '../actions/create-token';
import { StaleTokenError } from '../actions/create-token';
import { databasesOf, parsePermission } from '../domain/permissions';
import type { StaleReason } from '../domain/stale';
import { FileError } from '../errors';
import { expiryLine, expiryWords } from '../output/expiry';
import { jsonObject } from '../output/json';
import { escapeText, shCommand } from '../output/escape';
import { modeTightenedLine } from './notices';
import { type Spelling, worded } from './words';

export function render(result: CreateTokenResult, format: string, now: number): string {
  if (format === 'json') {
    const out: Record<string, unknown> = {
      token: result.token,
      name: result.name,
      expiry_millis: result.expiry,
    };
    if (result.kind === 'permission') out.permissions = result.permissions;
    out.output_file = result.outputFile;
    out.kind = result.kind;
    out.created = result.created;
    if (result.kind === 'permission') out.create_databases = result.createDatabases ?? [];
    return jsonObject(out);
  }
  const lines = [
    result.created
      ? `Token saved to: ${escapeText(result.outputFile)}`
      : `Token ${JSON.stringify(result.name)} already exists in ${escapeText(result.outputFile)}; it was kept unchanged.`,
    `Name: ${escapeText(result.name)}`,
  ];
  if (result.kind === 'permission') lines.push(`Permissions: ${(result.permissions ?? []).join(' ')}`);
  else lines.push('Access: admin (full access)');
  lines.push(`Expires: ${expiryLine(result.expiry, now)}`);
  if (result.newDatabases.length > 0) lines.push(`Databases to create: ${escapeText(result.newDatabases.join(', '))} (added)`);
  const flag = result.kind === 'admin' ? '--admin-token-file' : '--permission-tokens-file';
  lines.push(`Load it with: ${shCommand(['influxdb3', 'serve', flag, result.outputFile])}`);
  lines.push('The token string is not shown; use --format json to print it.');
  return `${lines.join('\n')}\n`;
}

/** What a successful run says on stderr besides the result: one line each (without the `notice: ` prefix). */
export function notices(request: CreateTokenRequest, result: CreateTokenResult): string[] {
  const out: string[] = [];
  if (request.kind === 'admin' && result.created && request.name !== '_admin') {
    out.push(
      `the admin token is named ${JSON.stringify(request.name)}, not "_admin": until a token named _admin exists, the server keeps its unauthenticated admin-token endpoint (POST /api/v3/configure/token/admin) open.`,
    );
  }
  if (result.kind === 'permission' && result.created) {
    const declared = new Set(result.createDatabases ?? []);
    for (const perm of result.permissions ?? []) {
      const parsed = parsePermission(perm);
      const missing = parsed.ok ? databasesOf(parsed.value).filter((db) => !declared.has(db)) : [];
      if (missing.length > 0) {
        out.push(
          `${perm} names ${missing.map((db) => JSON.stringify(db)).join(', ')}, not in create_databases of ${result.outputFile}: the server refuses the token at start unless the database exists by then (add it with --create-databases ${missing.join(',')}).`,
        );
      }
    }
  }
  if (result.modeTightened) out.push(modeTightenedLine(request.outputFile, result.modeTightened));
  if (result.releaseFailure) out.push(result.releaseFailure);
  return out;
}

/** What makes a kept token stale, in words; permissions are not secret, the token string never appears. */
export function staleWords(reasons: readonly StaleReason[], now: number): string {
  return reasons
    .map((r) => {
      if (r.kind === 'expired') {
        const w = expiryWords(r.expiry, now);
        return `it expired ${w.relative} (${w.iso})`;
      }
      const parts: string[] = [];
      if (r.onlyKept.length > 0) parts.push(`it has ${r.onlyKept.join(' ')}, which was not asked for`);
      if (r.onlyAsked.length > 0) parts.push(`it lacks ${r.onlyAsked.join(' ')}, which was asked for`);
      return parts.join(', and ');
    })
    .join('; ');
}

const REPLACE = 'replace it with `rotate token`, or delete it and run again';

function staleLine(name: string, file: string, verb: string, reasons: readonly StaleReason[], now: number): string {
  return `the token ${JSON.stringify(name)} that --if-not-exists ${verb} in ${file} is stale: ${staleWords(reasons, now)}`;
}

/** The warning a kept stale token gets (the server skips a name it already has: clients fail without a word). */
export function staleWarning(result: CreateTokenResult, now: number): string | undefined {
  if (result.stale.length === 0) return undefined;
  return `${staleLine(result.name, result.outputFile, 'kept', result.stale, now)}; a server that already has this name keeps it as it is. ${REPLACE[0]!.toUpperCase()}${REPLACE.slice(1)}, or pass --fail-if-stale to make this an error.`;
}

/** The action's refusals, worded with the spelling this line used. */
export function reword(e: unknown, spelling: Spelling, now: number): unknown {
  if (e instanceof StaleTokenError) {
    const file = e.file ?? '';
    return new FileError(
      'ESTALE',
      `${staleLine(e.tokenName ?? '', file, 'would keep', e.reasons, now)}. ${file} was left unchanged (--fail-if-stale); ${REPLACE}.`,
      {
        file: e.file,
        tokenName: e.tokenName,
        cause: e,
      },
    );
  }
  if (e instanceof FileError && e.code === 'ENAMETAKEN') {
    const fix = `choose another ${spelling.name ?? 'name'}, or pass --if-not-exists to keep the existing one`;
    return new FileError('ENAMETAKEN', `${e.message.replace(/\.$/, '')}; ${fix}.`, { file: e.file, tokenName: e.tokenName, cause: e });
  }
  if (e instanceof FileError && e.code === 'EADMINEXISTS') {
    return new FileError('EADMINEXISTS', `${e.message} Pass --force to replace it, --if-not-exists to keep it, or choose another --output-file.`, {
      file: e.file,
      tokenName: e.tokenName,
      cause: e,
    });
  }
  return worded(e, spelling);
}
