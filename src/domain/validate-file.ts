/**
 * Would the server load this document? Schema problems plus the rules the schema cannot
 * say (unique names, the permission grammar, database names), and warnings for what loads
 * but deserves attention. Pure: `now` is passed in; the file mode is checked by the store.
 */
import { databaseNameProblem } from './database-name';
import { databasesOf, parsePermission } from './permissions';
import { nonIntegerLiterals } from './json-layout';
import { type Problem, schemaProblems } from './schema';
import { tokenWeakness } from './token';
import { type FileKind, detectKind } from './token-file';

export type { Problem } from './schema';

export interface Report {
  kind: FileKind | undefined;
  errors: Problem[];
  warnings: Problem[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Semantic errors replace the schema's pattern error at the same place: "the database name
 * is empty" says more than "does not match ^(?=...". Other schema errors stay.
 */
function merge(schema: Problem[], semantic: Problem[]): Problem[] {
  const precise = new Set(semantic.map((p) => p.pointer));
  return [...schema.filter((p) => !(p.keyword === 'pattern' && precise.has(p.pointer))), ...semantic];
}

function checkExpiry(value: unknown, pointer: string, now: number, warnings: Problem[]): void {
  if (typeof value === 'number' && Number.isInteger(value) && value <= now) {
    const when = new Date(value);
    // Dates beyond ±8.64e15 ms have no ISO form; show the raw number then.
    const shown = Number.isNaN(when.getTime()) ? `${value} ms since 1970` : when.toISOString();
    warnings.push({ pointer, message: `the token expired at ${shown}` });
  }
}

function checkTokenString(value: unknown, pointer: string, warnings: Problem[]): void {
  if (typeof value !== 'string' || !value.startsWith('apiv3_')) return; // the schema reports it
  const weakness = tokenWeakness(value);
  if (weakness) warnings.push({ pointer, message: `the token string looks weak: ${weakness}` });
}

function checkPermissionFile(doc: Record<string, unknown>, now: number, errors: Problem[], warnings: Problem[] | undefined): void {
  const declared = new Set<string>();
  if (Array.isArray(doc.create_databases)) {
    doc.create_databases.forEach((db, i) => {
      if (typeof db !== 'string') return;
      const pointer = `/create_databases/${i}`;
      const problem = databaseNameProblem(db);
      if (problem) errors.push({ pointer, message: `the database name ${JSON.stringify(db)} is invalid: ${problem}` });
      else if (declared.has(db)) warnings?.push({ pointer, message: `the database ${JSON.stringify(db)} is listed twice` });
      declared.add(db);
    });
  }
  if (!Array.isArray(doc.tokens)) return;
  const tokens: unknown[] = doc.tokens;
  const names = new Map<string, number>();
  const secrets = new Map<string, number>();
  // Files repeat the same few permission strings across thousands of tokens.
  const parsedPermissions = new Map<string, ReturnType<typeof parsePermission>>();
  // Plain loops, and pointers built only for problems: appends run this over every token.
  for (let i = 0; i < tokens.length; i++) {
    const entry = tokens[i];
    if (!isObject(entry)) continue;
    if (typeof entry.name === 'string') {
      const first = names.get(entry.name);
      if (first !== undefined) {
        errors.push({ pointer: `/tokens/${i}/name`, message: `the token name ${JSON.stringify(entry.name)} is also used at /tokens/${first}/name; names must be unique` });
      } else names.set(entry.name, i);
    }
    if (warnings) {
      if (typeof entry.token === 'string') {
        const first = secrets.get(entry.token);
        if (first !== undefined) {
          warnings.push({ pointer: `/tokens/${i}/token`, message: `the same token string is also used at /tokens/${first}/token` });
        } else secrets.set(entry.token, i);
      }
      checkTokenString(entry.token, `/tokens/${i}/token`, warnings);
      checkExpiry(entry.expiry_millis, `/tokens/${i}/expiry_millis`, now, warnings);
    }
    const permissions = entry.permissions;
    if (!Array.isArray(permissions)) continue;
    for (let k = 0; k < permissions.length; k++) {
      const perm: unknown = permissions[k];
      if (typeof perm !== 'string') continue;
      let parsed = parsedPermissions.get(perm);
      if (parsed === undefined) {
        parsed = parsePermission(perm);
        parsedPermissions.set(perm, parsed);
      }
      if (!parsed.ok) {
        errors.push({ pointer: `/tokens/${i}/permissions/${k}`, message: `the permission ${JSON.stringify(perm)} is invalid: ${parsed.reason}` });
        continue;
      }
      if (!warnings) continue;
      for (const db of databasesOf(parsed.value)) {
        if (!declared.has(db)) {
          warnings.push({ pointer: `/tokens/${i}/permissions/${k}`, message: `the database ${JSON.stringify(db)} is not in create_databases; the token only works once it exists` });
        }
      }
    }
  }
}

export interface CheckOptions {
  /** false skips the warnings, for appends that only need to know the file would load. */
  warnings: boolean;
  /** The document's text, for what JSON.parse hides (1.0 read as an integer). */
  text?: string;
  /** Check it as this kind (`validate --kind`), instead of the kind its fields suggest. */
  kind?: FileKind;
}

/**
 * expiry_millis written as 1.0 or 1e12: JSON.parse makes it an integer, the server's serde
 * parser refuses it as a float. A regex over the text keeps the common case cheap.
 */
function literalProblems(text: string, kind: FileKind): Problem[] {
  if (!/"expiry_millis"\s*:\s*-?\d+[.eE]/.test(text)) return [];
  const place = kind === 'admin' ? /^\/expiry_millis$/ : /^\/tokens\/\d+\/expiry_millis$/;
  return nonIntegerLiterals(text)
    .filter((pointer) => place.test(pointer))
    .map((pointer) => ({ pointer, message: 'must be written as an integer, without a fraction or exponent: the server reads 1.0 or 1e12 as a float and refuses it' }));
}

export function checkDocument(doc: unknown, now: number, opts: CheckOptions = { warnings: true }): Report {
  const kind = opts.kind ?? detectKind(doc);
  if (kind === undefined || !isObject(doc)) {
    return {
      kind,
      errors: [{ pointer: '', message: 'this is neither a permission tokens file (an object with "tokens") nor an admin token file (an object with "token" and "name")' }],
      warnings: [],
    };
  }
  const semantic: Problem[] = [];
  const warnings: Problem[] = [];
  if (kind === 'permission') checkPermissionFile(doc, now, semantic, opts.warnings ? warnings : undefined);
  else if (opts.warnings) {
    checkTokenString(doc.token, '/token', warnings);
    checkExpiry(doc.expiry_millis, '/expiry_millis', now, warnings);
  }
  const schema = schemaProblems(kind, doc);
  if (opts.text !== undefined) {
    // A value the schema already refuses (1.5 is no integer at all) is reported once.
    const refused = new Set(schema.map((p) => p.pointer));
    semantic.push(...literalProblems(opts.text, kind).filter((p) => !refused.has(p.pointer)));
  }
  return { kind, errors: merge(schema, semantic), warnings };
}

