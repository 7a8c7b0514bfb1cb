/**
 * Typed access to the validators that scripts/build.mjs generates from schemas/ at build
 * time (ajv standalone), so no schema is ever compiled while the CLI runs.
 */
import * as generated from '../generated/validators';
import { escapePointerToken } from './json-pointer';
import { closest } from './suggest';

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

export type SchemaName = 'admin' | 'permission' | 'tokenEntry' | 'httpTokenBody' | 'tokenSpec';
const VALIDATORS: Record<SchemaName, Validator> = {
  admin: generated.validateAdminFile as Validator,
  permission: generated.validatePermissionFile as Validator,
  tokenEntry: generated.validateTokenEntry as Validator,
  httpTokenBody: generated.validateHttpTokenBody as Validator,
  tokenSpec: generated.validateTokenSpec as Validator,
};

export interface Problem {
  /** JSON pointer (RFC 6901) into the document; "" is the whole document. */
  readonly pointer: string;
  readonly message: string;
  /** The JSON Schema keyword that failed, for schema problems. */
  readonly keyword?: string;
}

/** The key names the schema allows in the object at `instancePath` (array items as `*`). */
export function keysAt(name: SchemaName, instancePath: string): readonly string[] {
  if (name !== 'tokenSpec') return [];
  const place = instancePath.replace(/\/[0-9]+(?=\/|$)/g, '/*');
  return (generated.tokenSpecKeys as Record<string, string[]>)[place] ?? [];
}

/** One problem in words; `guess` looks for the key a misspelt one meant. */
function describe(e: AjvError, name: SchemaName, guess: boolean): Problem {
  switch (e.keyword) {
    case 'required': {
      const field = String(e.params.missingProperty);
      return { pointer: `${e.instancePath}/${escapePointerToken(field)}`, keyword: e.keyword, message: `the required field "${field}" is missing` };
    }
    case 'type':
      return {
        pointer: e.instancePath,
        keyword: e.keyword,
        message: `must be ${/^[aeiou]/.test(String(e.params.type)) ? 'an' : 'a'} ${String(e.params.type)}`,
      };
    case 'pattern':
      if (e.params.pattern === '^apiv3_') return { pointer: e.instancePath, keyword: e.keyword, message: 'the token must begin with apiv3_' };
      return { pointer: e.instancePath, keyword: e.keyword, message: `does not match the pattern ${String(e.params.pattern)}` };
    case 'minItems':
      return { pointer: e.instancePath, keyword: e.keyword, message: `must have at least ${String(e.params.limit)} item(s)` };
    case 'additionalProperties': {
      // Only the apply spec is closed: a misspelt key must not be silently ignored.
      const key = String(e.params.additionalProperty);
      const meant = guess ? closest(key, keysAt(name, e.instancePath)) : undefined;
      const hint = meant === undefined ? '' : ` (did you mean ${JSON.stringify(meant)}?)`;
      // The pointer names the key; the sentence shows at most its first 64 characters.
      const shown = key.length > 64 ? `${JSON.stringify(key.slice(0, 64)).slice(0, -1)}…"` : JSON.stringify(key);
      return { pointer: `${e.instancePath}/${escapePointerToken(key)}`, keyword: e.keyword, message: `unknown key ${shown}${hint}` };
    }
    case 'enum':
      return { pointer: e.instancePath, keyword: e.keyword, message: `must be one of ${(e.params.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'minLength':
      return { pointer: e.instancePath, keyword: e.keyword, message: 'must not be empty' };
    default:
      // Ajv's own messages never quote the data (verbose is off), so no secret can leak here.
      return { pointer: e.instancePath, keyword: e.keyword, message: e.message ?? `fails the schema keyword ${e.keyword}` };
  }
}

const GUESSED = 16;

/** Every schema problem of `data` against the named schema; [] when it conforms. */
export function schemaProblems(name: SchemaName, data: unknown, pointerPrefix = ''): Problem[] {
  const validate = VALIDATORS[name];
  if (validate(data)) return [];
  // A spec of 300,000 unknown keys is refused as fast as one: only the first few get a guess.
  const problems = (validate.errors ?? []).map((e, i) => {
    const p = describe(e, name, i < GUESSED);
    return { ...p, pointer: pointerPrefix + p.pointer };
  });
  // An unknown key first: a misspelt one (`permisions`) is why a required one is missing.
  const unknownFirst = (p: Problem): number => (p.keyword === 'additionalProperties' ? 0 : 1);
  return problems.sort((a, b) => unknownFirst(a) - unknownFirst(b));
}
