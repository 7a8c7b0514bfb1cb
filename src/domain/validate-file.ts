/**
 * Would the server load this document? Schema problems plus the rules the schema cannot
 * say (unique names, the permission grammar, database names), and warnings for what loads
 * but deserves attention. Pure: `now` is passed in; the file mode is checked by the store.
 */
import { databaseNameProblem } from './database-name';
import { databasesOf, formatPermission, parsePermission, permissionFileProblem } from './permissions';
import { type ServerKind, readAsServer } from './server-reader';
import { type Problem, schemaProblems } from './schema';
import { tokenWeakness } from './token';
import { type FileKind, KIND_LABEL, detectKind, repeatsAName } from './token-file';

export type { Problem } from './schema';

export interface Report {
  kind: FileKind | undefined;
  errors: Problem[];
  warnings: Problem[];
  /**
   * Present (true) when a struct is written as a JSON array of its fields: the server
   * reads it, but appends refuse it (they keep a file's text, and an array has no place
   * for a new field).
   */
  arrayForm?: true;
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

/** What the server loads without a word but an operator would want to hear of. */
function checkLoose(entry: Record<string, unknown>, pointer: string, warnings: Problem[]): void {
  if (entry.name === '') warnings.push({ pointer: `${pointer}/name`, message: 'the name is empty; the server loads it, but a token without a name cannot be told apart or managed' });
  if (entry.expiry_millis === null) {
    warnings.push({ pointer: `${pointer}/expiry_millis`, message: 'expiry_millis is null, which the server reads as no expiry; omit the field instead' });
  }
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

function hasRepeatedName(tokens: readonly unknown[]): boolean {
  const names: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const entry = tokens[i];
    if (isObject(entry) && typeof entry.name === 'string') names.push(entry.name);
  }
  return repeatsAName(names);
}

function checkPermissionFile(doc: Record<string, unknown>, now: number, errors: Problem[], warnings: Problem[] | undefined): void {
  const declared = new Set<string>();
  if (doc.create_databases === null) {
    warnings?.push({ pointer: '/create_databases', message: 'create_databases is null, which the server reads as absent; omit the field or write []' });
  }
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
  // Names are checked in the loop (where their errors take their place among the others)
  // only when some name repeats, which sorting them tells at a third of the cost of a Map.
  const checkNames = hasRepeatedName(tokens);
  const names = new Map<string, number>();
  const secrets = new Map<string, number>();
  // Files repeat the same few permission strings across thousands of tokens.
  const parsedPermissions = new Map<string, ReturnType<typeof parsePermission>>();
  // Plain loops, and pointers built only for problems: appends run this over every token.
  for (let i = 0; i < tokens.length; i++) {
    const entry = tokens[i];
    if (!isObject(entry)) continue;
    if (checkNames && typeof entry.name === 'string') {
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
      checkLoose(entry, `/tokens/${i}`, warnings);
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
      const refused = permissionFileProblem(parsed.value);
      if (refused) {
        errors.push({ pointer: `/tokens/${i}/permissions/${k}`, message: `the permission ${JSON.stringify(perm)} is refused by the server: ${refused}; full access belongs in an admin token file` });
        continue;
      }
      if (!warnings) continue;
      if (parsed.respelled) {
        warnings.push({
          pointer: `/tokens/${i}/permissions/${k}`,
          message: `the server reads the system resource${parsed.respelled.length > 1 ? 's' : ''} ${parsed.respelled.map((n) => JSON.stringify(n)).join(', ')} lower-cased and trimmed; write ${JSON.stringify(formatPermission(parsed.value))}`,
        });
      }
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
  /**
   * The document's text (which `doc` is JSON.parse of). With it, the verdict is the
   * server's serde reader's, not JSON.parse's: duplicate fields, surrogate escapes, 1.0,
   * -0, integers beyond i64, null for an optional field, the array form.
   */
  text?: string;
  /** Check as this kind (validate --kind) instead of the kind the document looks like. */
  kind?: FileKind;
}

const ARRAY_FORMS: Record<FileKind, string> = {
  admin: '["apiv3_…", "NAME", EXPIRY_MILLIS or null]',
  permission: '[CREATE_DATABASES or null, TOKENS]',
};

/** Expiries as the rest of the checks see them (Number, as JSON.parse has them). */
const millis = (v: bigint | null): { expiry_millis?: number } => (v === null ? {} : { expiry_millis: Number(v) });

/**
 * A file written in the array form has no keys for the checks below to look at: it is
 * rebuilt as the object the server reads from it (its pointers are those of the object).
 * The kind is the one it loads as; the two never both load (a token is a string, the
 * permission file's first field a list or null).
 */
function fromArrayForm(text: string, wanted: FileKind | undefined): { kind: ServerKind; doc: Record<string, unknown> } | undefined {
  for (const kind of wanted ? [wanted] : (['admin', 'permission'] as const)) {
    if (kind === 'admin') {
      const v = readAsServer(text, 'admin', { collect: true }).value;
      if (v) return { kind, doc: { token: v.token, name: v.name, ...millis(v.expiry) } };
    } else {
      const v = readAsServer(text, 'permission', { collect: true }).value;
      if (v) {
        const tokens = v.tokens.map((t) => ({ token: t.token, name: t.name, ...millis(t.expiry), permissions: t.permissions }));
        return { kind, doc: v.create_databases === null ? { tokens } : { create_databases: v.create_databases, tokens } };
      }
    }
  }
  return undefined;
}

export function checkDocument(doc: unknown, now: number, opts: CheckOptions = { warnings: true }): Report {
  const arrayShaped = Array.isArray(doc) || (isObject(doc) && Array.isArray(doc.tokens) && doc.tokens.some(Array.isArray));
  if (arrayShaped && opts.text !== undefined) {
    const rebuilt = fromArrayForm(opts.text, opts.kind);
    if (rebuilt) {
      const report = checkDocument(rebuilt.doc, now, { ...opts, kind: rebuilt.kind });
      return { ...report, arrayForm: true };
    }
    if (Array.isArray(doc)) {
      // Loads as neither: serde's reasons under the kind it most looks like (a token first, or not).
      const kind = opts.kind ?? (typeof doc[0] === 'string' ? 'admin' : 'permission');
      const first = readAsServer(opts.text, kind).errors[0];
      const why = first ? `; read as ${KIND_LABEL[kind]} it fails at ${first.pointer || '/'}: ${first.message}` : '';
      const message = `the document is an array, which the server reads only as the fields of its struct in order (${ARRAY_FORMS[kind]})${why}`;
      return { kind, errors: [{ pointer: '', message }], warnings: [] };
    }
  }
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
    checkLoose(doc, '', warnings);
    checkExpiry(doc.expiry_millis, '/expiry_millis', now, warnings);
  }
  let schema = schemaProblems(kind, doc);
  if (opts.text !== undefined && !Array.isArray(doc)) {
    const server = readAsServer(opts.text, kind, { parsed: true });
    // The server's word on a place replaces the schema's (both say "must be a string").
    const placed = new Set(server.errors.map((p) => p.pointer));
    schema = schema.filter((p) => !placed.has(p.pointer));
    semantic.unshift(...server.errors);
    if (opts.warnings) warnings.unshift(...server.warnings);
  }
  return { kind, errors: merge(schema, semantic), warnings };
}

