/**
 * `rotate token`: a successor with a fresh string under a new name (both work until the
 * old one is deleted online and here), or, in place, a fresh string under the same name.
 */
import { FileError } from '../errors';
import { type ExpirySpec, expiryMillis } from '../domain/expiry';
import { adminOf, appendEntries, entryAt, findEntry, renderDocument, replaceEntry, setAdminToken } from '../domain/document';
import { currentGeneration, nextGenerationName } from '../domain/generations';
import { isExpired } from '../domain/instant';
import { mintToken } from '../domain/token';
import { type FileKind, expiryOf, newTokenEntry } from '../domain/token-file';
import { editTokenFile } from './edit';
import type { ActionEnv, WriteNotes } from './env';
import { existingDocument } from './load';
import { noSuchToken } from './read-tokens';

export interface RotateOptions {
  file: string;
  name: string;
  /** The successor's name; the next generation (NAME-2, NAME-3, ... above the highest in the file) when undefined. Not with inPlace. */
  newName: string | undefined;
  /** The successor's expiry; the old token's expiry_millis when undefined. */
  expiry: ExpirySpec | undefined;
  inPlace: boolean;
  lockTimeoutMs: number;
}

export interface RotateResult extends WriteNotes {
  file: string;
  kind: FileKind;
  inPlace: boolean;
  oldName: string;
  /** The token that now carries the new string (the same name in place). */
  name: string;
  token: string;
  /** Exact i64 milliseconds; null never expires. */
  expiry: bigint | null;
  permissions: readonly string[] | undefined;
}

/** Why a rotation cannot happen, as codes: the command words them with its flags. */
export type RotateRefusal = 'admin-needs-in-place' | 'successor-born-expired' | 'new-name-taken';

export class RotateError extends FileError {
  constructor(
    readonly refusal: RotateRefusal,
    message: string,
  ) {
    super(refusal === 'new-name-taken' ? 'ENAMETAKEN' : 'EINVALIDFILE', message);
  }
}

function bornExpired(opts: RotateOptions): RotateError {
  return new RotateError(
    'successor-born-expired',
    `the token ${JSON.stringify(opts.name)} in ${opts.file} has expired, and its new string would keep that expiry. It was left unchanged.`,
  );
}

export async function rotateToken(opts: RotateOptions, env: ActionEnv): Promise<RotateResult> {
  const now = env.now();
  const token = mintToken(env.randomBytes);
  const given = opts.expiry === undefined ? undefined : expiryOf(expiryMillis(opts.expiry, now));
  type Done = Omit<RotateResult, keyof WriteNotes>;
  return editTokenFile<Done>(opts.file, opts.lockTimeoutMs, env, (existing) => {
    const doc = existingDocument(existing, opts.file, now);
    const base = { file: opts.file, kind: doc.kind, inPlace: opts.inPlace, oldName: opts.name, token };
    if (doc.kind === 'admin') {
      const current = adminOf(doc);
      if (current.name !== opts.name) throw noSuchToken(opts.file, [opts.name], [current.name]);
      if (!opts.inPlace) {
        throw new RotateError(
          'admin-needs-in-place',
          `${opts.file} is an admin token file: the server knows its token only by name, so a successor under a new name would not be an admin token. It was left unchanged.`,
        );
      }
      const expiry = given ?? current.expiry;
      if (given === undefined && isExpired(expiry, now)) throw bornExpired(opts);
      const text = renderDocument(setAdminToken(doc, { token, name: current.name, expiry }));
      return { write: true, text, result: { ...base, name: current.name, expiry, permissions: undefined } };
    }
    // A name whose first generation is gone (pruned once expired) is rotated from its
    // current generation: what `rotate --token-name NAME` means on a file apply manages.
    const source = findEntry(doc, opts.name) !== -1 ? opts.name : currentGeneration(opts.name, doc.names);
    const index = source === undefined ? -1 : findEntry(doc, source);
    if (index === -1) throw noSuchToken(opts.file, [opts.name], doc.names);
    const old = entryAt(doc, index);
    // The old entry's expiry, digit for digit (an i64 the server read), unless a new one is given.
    const expiry = given ?? old.expiry;
    if (given === undefined && isExpired(expiry, now)) throw bornExpired(opts);
    if (opts.inPlace) {
      const change = given === undefined ? { token } : { token, expiry: given };
      const text = renderDocument(replaceEntry(doc, old.name, change));
      return { write: true, text, result: { ...base, oldName: old.name, name: old.name, expiry, permissions: old.permissions } };
    }
    const taken = (n: string): boolean => findEntry(doc, n) !== -1;
    if (opts.newName !== undefined && taken(opts.newName)) {
      throw new RotateError('new-name-taken', `a token named ${JSON.stringify(opts.newName)} is already in ${opts.file}, which was left unchanged.`);
    }
    // The next generation, as apply counts them: one above the highest NAME-N in the file.
    const name = opts.newName ?? nextGenerationName(opts.name, doc.names);
    const entry = newTokenEntry(token, name, expiry, old.permissions);
    const text = renderDocument(appendEntries(doc, [entry]));
    return { write: true, text, result: { ...base, oldName: old.name, name, expiry, permissions: entry.permissions } };
  });
}
