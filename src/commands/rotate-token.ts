/**
 * `rotate token`: a successor under a new name (the rotation without downtime that the
 * server's rules allow), or --in-place for a file no server has started with yet, and for
 * the admin file, which the server knows only by name.
 */
import { onlineDelete, writeNotices } from './notices';
import { type RotateOptions, type RotateResult, RotateError, rotateToken } from '../actions/rotate-token';
import { FileError, UsageError } from '../errors';
import { expiryLine } from '../output/expiry';
import { jsonObject } from '../output/json';
import { tokenHash } from '../output/token-rows';
import type { RunEnv } from '../main';
import { fileOf, given, isJson, text, tokenNameOf } from './args';
import { FILE, FILE_POSITIONAL, LOCK_TIMEOUT, TEXT_OR_JSON, TOKEN_NAME, lockTimeoutOf } from './options';
import { emitAs } from './output';
import { escapeText, shCommand } from '../output/escape';
import { BIN } from './argv';
import { type Spelling, expiryFlags, worded } from './words';
import type { CommandBody, ParsedArgs } from './types';

const USAGE = 'rotate token --file tokens.json --token-name NAME';
const REGENERATE = 'influxdb3 create token --admin --regenerate';

function optionsOf(args: ParsedArgs): { opts: RotateOptions; spelling: Spelling } {
  const file = fileOf(args, USAGE);
  const name = tokenNameOf(args, USAGE);
  const newName = text(args, 'new-name');
  const inPlace = given(args, 'in-place');
  if (newName === '') throw new UsageError('--new-name is empty; give the successor a name, or leave it out for the next free NAME-2, NAME-3, ...');
  if (inPlace && newName !== undefined) throw new UsageError('--in-place keeps the name, so it cannot be combined with --new-name; give one of them.');
  if (newName === name)
    throw new UsageError(`--new-name ${JSON.stringify(newName)} is the token's own name; a successor needs another name (or use --in-place).`);
  const expiry = expiryFlags(args);
  return {
    opts: { file, name, newName, expiry: expiry?.spec, inPlace, lockTimeoutMs: lockTimeoutOf(args) },
    spelling: { ...(expiry && { expiry: expiry.from }) },
  };
}

/** The action's refusals, worded with this command's flags. */
function reword(e: RotateError): FileError {
  const hint: Record<RotateError['refusal'], string> = {
    'admin-needs-in-place': `Pass --in-place to replace its string (for a server that has not started with it), or rotate it online with: ${REGENERATE}`,
    'successor-born-expired': 'Give the successor an expiry with --expiry or --expires-at.',
    'new-name-taken': 'Choose another --new-name, or leave it out for the next free NAME-2, NAME-3, ...',
  };
  return new FileError(e.code, `${e.message} ${hint[e.refusal]}`, { cause: e });
}

function steps(r: RotateResult): string[] {
  const flag = r.kind === 'admin' ? '--admin-token-file' : '--permission-tokens-file';
  if (r.inPlace) return [];
  return [
    `Start or restart the server with ${shCommand([flag, r.file])}: it creates ${JSON.stringify(r.name)} (it skips names it already has).`,
    `Move the clients to the new token: ${shCommand([BIN, 'get', 'token', '--file', r.file, '--token-name', r.name])}`,
    `When no client uses ${JSON.stringify(r.oldName)} any more, delete it online: ${onlineDelete(r.oldName)}`,
    `Then delete it here: ${shCommand([BIN, 'delete', 'token', '--file', r.file, '--token-name', r.oldName])}`,
  ];
}

function render(r: RotateResult, json: boolean, now: number): string {
  if (json) {
    // Like every lifecycle command but get token, no token string: get token prints it.
    return jsonObject({
      file: r.file,
      kind: r.kind,
      in_place: r.inPlace,
      old_name: r.oldName,
      name: r.name,
      hash: tokenHash(r.token),
      expiry_millis: r.expiry,
      permissions: r.permissions ?? null,
      steps: steps(r),
    });
  }
  const lines: string[] = [];
  if (r.inPlace) {
    lines.push(`Replaced the token string of ${JSON.stringify(r.name)} in ${escapeText(r.file)} (hash ${tokenHash(r.token)}).`);
    lines.push(`Expires: ${expiryLine(r.expiry, now)}`);
    lines.push(`Print it with: ${shCommand([BIN, 'get', 'token', '--file', r.file, '--token-name', r.name])}`);
  } else {
    lines.push(
      `Added ${JSON.stringify(r.name)} to ${escapeText(r.file)}, the successor of ${JSON.stringify(r.oldName)} (hash ${tokenHash(r.token)}), with the same permissions; ${JSON.stringify(r.oldName)} is kept.`,
    );
    lines.push(`Expires: ${expiryLine(r.expiry, now)}`);
    lines.push('Next steps:');
    steps(r).forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));
  }
  return `${lines.join('\n')}\n`;
}

async function run(args: ParsedArgs, env: RunEnv): Promise<void> {
  const { opts, spelling } = optionsOf(args);
  const now = env.now();
  let result: RotateResult;
  try {
    result = await rotateToken(opts, { ...env, now: () => now });
  } catch (e) {
    throw e instanceof RotateError ? reword(e) : worded(e, spelling);
  }
  writeNotices(env, opts.file, result);
  if (result.inPlace) {
    env.io.stderr(
      `warning: a server that already loaded ${JSON.stringify(result.name)} keeps the old string: it skips a name it already has. In-place rotation is for a file no server has started with.\n`,
    );
    if (result.kind === 'admin') env.io.stderr(`notice: to rotate the admin token of a running server, do it online instead: ${REGENERATE}\n`);
  }
  await emitAs(env, !isJson(args), render(result, isJson(args), now), `${opts.file} was updated`);
}

const command: CommandBody = {
  describe: 'Give a token a successor with a fresh string (or --in-place, a fresh string under the same name)',
  positionals: [FILE_POSITIONAL],
  flags: {
    file: FILE,
    'token-name': TOKEN_NAME,
    'new-name': { type: 'string', describe: "The successor's name", defaultDescription: 'NAME-2, NAME-3, ...' },
    expiry: { type: 'string', describe: "The successor's lifetime (humantime: 90d, 1y)", defaultDescription: "the old token's expiry" },
    'expires-at': { type: 'string', describe: "The successor's expiry instant in RFC 3339" },
    'in-place': { type: 'boolean', describe: 'Replace the string under the same name (a running server keeps the old one); the only form for an admin file' },
    format: TEXT_OR_JSON,
    'lock-timeout': LOCK_TIMEOUT,
  },
  examples: [
    ['rotate token --file tokens.json --token-name telegraf', 'adds telegraf-2, keeps telegraf'],
    ['rotate token --file admin.json --token-name _admin --in-place', 'a new admin token string'],
  ],
  run,
};
export default command;
