/**
 * Would the server load this file, and does it keep this tool's rules? The server's reader
 * (server-reader.ts) gives serde's verdict and the values; on those values this adds the
 * schema's rules (schemas/*.schema.json: the apiv3_ prefix, at least one permission), the
 * rules no schema can say (unique names, the permission grammar, database names), and
 * warnings for what loads but deserves attention. Pure: `now` is passed in; the file mode
 * is the store's.
 */
import { databaseNameProblem } from './database-name';
import { databasesOf, formatPermission, parsePermission, permissionFileProblem } from './permissions';
import { type EntryValues, type ServerKind, type ServerRead } from './server-reader';
import { type Problem, schemaProblems } from './schema';
import { tokenWeakness } from './token';
import { type FileKind, KIND_LABEL, detectKind, repeatsAName } from './token-file';
import { instantWords, isExpired } from './instant';

export type { Problem } from './schema';

export interface Report {
  kind: FileKind | undefined;
  errors: Problem[];
  warnings: Problem[];
  /**
   * Present (true) when a struct is written as a JSON array of its fields: the server
   * reads it, but edits refuse it (they keep a file's text, and an array has no place for
   * a new field).
   */
  arrayForm?: true;
}

/**
 * The schema's word where the server has said nothing at that place: "must be a string"
 * twice, or a required field missing twice, is one problem. Semantic errors replace the
 * schema's pattern error at the same place ("the database name is empty" says more).
 */
function merge(server: readonly Problem[], schema: readonly Problem[], semantic: readonly Problem[]): Problem[] {
  const placed = new Set(server.map((p) => p.pointer));
  const precise = new Set(semantic.map((p) => p.pointer));
  // A field the server refused is not in the values the schema sees: its "required" is the server's error below it.
  const refusedBelow = (p: Problem): boolean => p.keyword === 'required' && server.some((s) => s.pointer.startsWith(`${p.pointer}/`));
  return [...server, ...schema.filter((p) => !placed.has(p.pointer) && !refusedBelow(p) && !(p.keyword === 'pattern' && precise.has(p.pointer))), ...semantic];
}

function checkExpiry(expiry: bigint | null | undefined, pointer: string, now: number, warnings: Problem[]): void {
  if (expiry == null || !isExpired(expiry, now)) return;
  warnings.push({ pointer, message: `the token expired at ${instantWords(expiry)}` });
}

function checkTokenString(token: string | undefined, pointer: string, warnings: Problem[]): void {
  if (token === undefined || !token.startsWith('apiv3_')) return; // the schema reports it
  const weakness = tokenWeakness(token);
  if (weakness) warnings.push({ pointer, message: `the token string looks weak: ${weakness}` });
}

function checkName(name: string | undefined, pointer: string, warnings: Problem[]): void {
  if (name === '') warnings.push({ pointer, message: 'the name is empty; the server loads it, but a token without a name cannot be told apart or managed' });
}

/** The plain object the schema sees of an entry: the fields read (a field the server refused is reported by it). */
const schemaView = (v: Partial<EntryValues>): Record<string, unknown> => ({
  ...(v.token !== undefined && { token: v.token }),
  ...(v.name !== undefined && { name: v.name }),
  ...(v.permissions !== undefined && { permissions: v.permissions }),
});

/** Whether any name repeats (only then are they placed). */
function repeatedName(read: ServerRead): boolean {
  const { names, fresh } = read;
  // After an edit, only the few names read from the text can repeat one (see ServerRead.fresh).
  if (fresh !== undefined && fresh.length <= 8) {
    return fresh.some((k) => {
      const name = names[k];
      return name !== undefined && (names.indexOf(name) !== k || names.indexOf(name, k + 1) !== -1);
    });
  }
  // Sorting tells whether any name repeats at a third of the cost of a Map.
  return repeatsAName(names.filter((n): n is string => n !== undefined));
}

function checkPermissionFile(read: ServerRead, now: number, schema: Problem[], errors: Problem[], warnings: Problem[] | undefined): void {
  const declared = new Set<string>();
  read.databaseItems.forEach((db, i) => {
    if (db === undefined) return;
    const pointer = `/create_databases/${i}`;
    const problem = databaseNameProblem(db);
    if (problem) errors.push({ pointer, message: `the database name ${JSON.stringify(db)} is invalid: ${problem}` });
    else if (declared.has(db)) warnings?.push({ pointer, message: `the database ${JSON.stringify(db)} is listed twice` });
    declared.add(db);
  });
  if (repeatedName(read)) {
    const first = new Map<string, number>();
    read.names.forEach((name, i) => {
      if (name === undefined) return;
      const at = first.get(name);
      if (at === undefined) first.set(name, i);
      else
        errors.push({
          pointer: `/tokens/${i}/name`,
          message: `the token name ${JSON.stringify(name)} is also used at /tokens/${at}/name; names must be unique`,
        });
    });
  }
  const secrets = new Map<string, number>();
  // Files repeat the same few permission strings across thousands of tokens.
  const parsedPermissions = new Map<string, ReturnType<typeof parsePermission>>();
  for (const { index: i, values: entry, distinct } of read.read) {
    // Errors only: what the regex settled for an entry like an earlier one needs no second look.
    if (!warnings && !distinct) continue;
    schema.push(...schemaProblems('tokenEntry', schemaView(entry), `/tokens/${i}`));
    if (warnings) {
      if (entry.token !== undefined) {
        const first = secrets.get(entry.token);
        if (first !== undefined) warnings.push({ pointer: `/tokens/${i}/token`, message: `the same token string is also used at /tokens/${first}/token` });
        else secrets.set(entry.token, i);
      }
      checkTokenString(entry.token, `/tokens/${i}/token`, warnings);
      checkName(entry.name, `/tokens/${i}/name`, warnings);
      checkExpiry(entry.expiry, `/tokens/${i}/expiry_millis`, now, warnings);
    }
    const permissions = entry.permissions ?? [];
    for (let k = 0; k < permissions.length; k++) {
      const perm = permissions[k]!;
      let parsed = parsedPermissions.get(perm);
      if (parsed === undefined) {
        parsed = parsePermission(perm);
        parsedPermissions.set(perm, parsed);
      }
      const pointer = `/tokens/${i}/permissions/${k}`;
      if (!parsed.ok) {
        errors.push({ pointer, message: `the permission ${JSON.stringify(perm)} is invalid: ${parsed.reason}` });
        continue;
      }
      const refused = permissionFileProblem(parsed.value);
      if (refused) {
        errors.push({
          pointer,
          message: `the permission ${JSON.stringify(perm)} is refused by the server: ${refused}; full access belongs in an admin token file`,
        });
        continue;
      }
      if (!warnings) continue;
      if (parsed.respelled) {
        warnings.push({
          pointer,
          message: `the server reads the system resource${parsed.respelled.length > 1 ? 's' : ''} ${parsed.respelled.map((n) => JSON.stringify(n)).join(', ')} lower-cased and trimmed; write ${JSON.stringify(formatPermission(parsed.value))}`,
        });
      }
      for (const db of databasesOf(parsed.value)) {
        if (!declared.has(db))
          warnings.push({ pointer, message: `the database ${JSON.stringify(db)} is not in create_databases; the token only works once it exists` });
      }
    }
  }
}

export interface CheckOptions {
  /** false skips the warnings, for edits that only need to know the file would load. */
  warnings: boolean;
}

/**
 * The readings checkRead found no error in. The post-write check counts an edit's runs of
 * old entries as read only when they come from such a reading (store/verify.ts): a reading
 * serde accepts may still hold what the server refuses (`*:*:*` in a permission file).
 */
const PASSED = new WeakSet<ServerRead>();
/** Whether checkRead found no error in this very reading. */
export const passedChecks = (read: ServerRead): boolean => PASSED.has(read);

/** The verdict on a file the reader has read as `read.kind`: serde's problems first, then this tool's. */
export function checkRead(read: ServerRead, now: number, opts: CheckOptions = { warnings: true }): Report {
  const schema: Problem[] = [];
  const semantic: Problem[] = [];
  const warnings: Problem[] = opts.warnings ? [...read.warnings] : [];
  if (read.kind === 'permission') checkPermissionFile(read, now, schema, semantic, opts.warnings ? warnings : undefined);
  else {
    const a = read.admin ?? {};
    schema.push(...schemaProblems('admin', { ...(a.token !== undefined && { token: a.token }), ...(a.name !== undefined && { name: a.name }) }));
    if (opts.warnings) {
      checkTokenString(a.token, '/token', warnings);
      checkName(a.name, '/name', warnings);
      checkExpiry(a.expiry, '/expiry_millis', now, warnings);
    }
  }
  const report: Report = { kind: read.kind, errors: merge(read.errors, schema, semantic), warnings };
  if (read.arrayForm) report.arrayForm = true;
  if (report.errors.length === 0) PASSED.add(read);
  return report;
}

const ARRAY_FORMS: Record<FileKind, string> = {
  admin: '["apiv3_…", "NAME", EXPIRY_MILLIS or null]',
  permission: '[CREATE_DATABASES or null, TOKENS]',
};

/**
 * The kind a file looks like from its top-level keys (the reader's members), or, for the
 * array form, from its first item: a token string (admin) or not.
 */
export function suggestedKind(read: ServerRead): FileKind | undefined {
  return detectKind(read.members.map((m) => m.key));
}

/**
 * The one problem of a file that loads as neither kind and does not look like either,
 * worded from what it is. An array is read as the kind its first item suggests (a token
 * string: admin).
 */
export function neitherKind(text: string, readAs: (kind: ServerKind) => ServerRead): Problem {
  const syntax = readAs('permission').errors.find((e) => e.pointer === '' && e.message.startsWith('not valid JSON'));
  if (syntax) return syntax;
  const array = /^[ \t\r\n]*\[[ \t\r\n]*(.?)/.exec(text);
  if (array) {
    const kind = array[1] === '"' ? 'admin' : 'permission';
    const first = readAs(kind).errors[0];
    const why = first ? `; read as ${KIND_LABEL[kind]} it fails at ${first.pointer || '/'}: ${first.message}` : '';
    return { pointer: '', message: `the document is an array, which the server reads only as the fields of its struct in order (${ARRAY_FORMS[kind]})${why}` };
  }
  return {
    pointer: '',
    message: 'this is neither a permission tokens file (an object with "tokens") nor an admin token file (an object with "token" and "name")',
  };
}

export type { ServerKind };
