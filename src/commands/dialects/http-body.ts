/**
 * The HTTP API body of `POST /api/v3/configure/token` (and its /enterprise twin), as a
 * file or standard input: `--from-json BODY.json|-`. Checked against
 * schemas/http-token-body.schema.json, then each permission object becomes the permission
 * string it stands for and passes the same rules as --permission.
 */
import { DOCUMENT_LIMIT } from '../../store/stdin';
import type { ExpirySpec } from '../../domain/expiry';
import { parseJson } from '../../domain/json/scan';
import { schemaProblems } from '../../domain/schema';
import { normalisePermission } from '../../domain/token-request';
import { text } from '../args';
import type { FlagSpec } from '../types';
import { type Dialect, fail } from './dialect';

const GROUP = 'HTTP API body options';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  'from-json': {
    type: 'string',
    group: GROUP,
    describe:
      'The JSON body of POST /api/v3/configure/token ({"token_name", "permissions": [{"resource_type", "resource_identifier", "actions"}], "expiry_secs"}); - reads standard input',
  },
};

interface BodyPermission {
  resource_type: string;
  resource_identifier: string[];
  actions: string[];
  [unknown: string]: unknown;
}
interface Body {
  token_name: string;
  permissions: BodyPermission[];
  expiry_secs?: number | null;
  [unknown: string]: unknown;
}

const KNOWN = new Set(['token_name', 'permissions', 'expiry_secs']);
const KNOWN_IN_PERMISSION = new Set(['resource_type', 'resource_identifier', 'actions']);

/** Pointers of the fields the server's reader skips, so the user hears that they had no effect. */
function unknownFields(body: Body): string[] {
  const out = Object.keys(body)
    .filter((k) => !KNOWN.has(k))
    .map((k) => `/${k}`);
  body.permissions.forEach((p, i) => {
    for (const k of Object.keys(p)) if (!KNOWN_IN_PERMISSION.has(k)) out.push(`/permissions/${i}/${k}`);
  });
  return out;
}

/**
 * The permission string of one permission object. Items are joined with "," and parts
 * with ":", so an item holding either would silently turn into other names or actions.
 */
function permissionText(p: BodyPermission, at: string): { ok: true; value: string } | { ok: false; reason: string } {
  for (const field of ['resource_identifier', 'actions'] as const) {
    const bad = p[field].findIndex((item) => item === '' || item.includes(',') || item.includes(':'));
    if (bad !== -1) {
      return fail(`${at}/${field}/${bad} ${p[field][bad] === '' ? 'is empty' : 'holds "," or ":"; give one name per item'}`);
    }
  }
  if (p.resource_type.includes(':')) return fail(`${at}/resource_type holds ":"`);
  return { ok: true, value: `${p.resource_type}:${p.resource_identifier.join(',')}:${p.actions.join(',')}` };
}

export const httpBody: Dialect = {
  label: 'HTTP API body',
  flags: FLAGS,
  map(args, words, ctx) {
    const path = text(args, 'from-json')!;
    if (path === '') return fail('--from-json needs the path of the body file, or - for standard input.');
    const where = path === '-' ? '--from-json - (standard input)' : `--from-json ${path}`;
    if (words.length > 0) return fail(`${where} takes the whole token from the body; drop the ${words.length} extra argument${words.length === 1 ? '' : 's'}.`);
    const body = ctx.readText(path, { bytes: DOCUMENT_LIMIT, what: 'the body on standard input (--from-json -)' });
    const parsed = parseJson(body);
    if (!parsed.ok) return fail(`${where} is not valid JSON: ${parsed.reason} at line ${parsed.line}, column ${parsed.column}.`);
    const twice = parsed.duplicate;
    if (twice)
      return fail(
        `${where}: at ${twice.pointer} the field ${JSON.stringify(twice.key)} is given a second time (the server refuses a duplicate field); give it once.`,
      );
    const problems = schemaProblems('httpTokenBody', parsed.value);
    if (problems.length > 0) {
      const p = problems[0]!;
      return fail(
        `${where} is not a token request body: at ${p.pointer || '/'} ${p.message}. Expected {"token_name": "...", "permissions": [{"resource_type": "db", "resource_identifier": ["mydb"], "actions": ["read"]}], "expiry_secs": 3600}.`,
      );
    }
    // serde reads 3600.0 as a float and refuses it where it wants a u64; JSON.parse would not.
    if (parsed.nonIntegers.includes('/expiry_secs'))
      return fail(`${where}: at /expiry_secs the number must be written as an integer (whole seconds), without a fraction or exponent.`);
    const request = parsed.value as Body;
    const permissions: string[] = [];
    for (const [i, p] of request.permissions.entries()) {
      const at = `/permissions/${i}`;
      const built = permissionText(p, at);
      if (!built.ok) return fail(`${where}: at ${built.reason}.`);
      const checked = normalisePermission(built.value);
      if (!checked.ok) {
        const fix = checked.adminOnly ? ' Create an admin token with --admin instead.' : '';
        return fail(`${where}: at ${at} the permission ${JSON.stringify(built.value)} is invalid: ${checked.reason}.${fix}`);
      }
      if (!permissions.includes(checked.value)) permissions.push(checked.value);
    }
    const secs = request.expiry_secs;
    const expiry: ExpirySpec | undefined =
      secs === undefined || secs === null ? undefined : { kind: 'duration', text: String(secs), duration: { secs: BigInt(secs), nanos: 0 } };
    const ignored = unknownFields(request);
    const notices = ignored.length > 0 ? [`${where}: ${ignored.join(', ')} ignored, as the server ignores unknown fields.`] : [];
    return {
      ok: true,
      value: {
        draft: { kind: 'permission', name: request.token_name, permissions, expiry },
        nameFrom: `token_name of ${where}`,
        ...(expiry && { expiryFrom: `expiry_secs of ${where}` }),
        notices,
      },
    };
  },
};
