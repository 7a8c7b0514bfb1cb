/**
 * The ownership refusals of the store (UnsafePathError) in the words of the command line:
 * the store cannot name flags, so the fix it gives is worded here with --owner.
 */
import { UnsafePathError } from '../errors';

export const STORE_FIX = 'Move it away, or have it owned by the user it is written for.';

export function rewordUnsafePath(e: unknown): unknown {
  if (!(e instanceof UnsafePathError) || e.what === 'link') return e;
  e.message = e.message.replace(STORE_FIX, `Move it away, or give --owner ${e.foundUid} if uid ${e.foundUid} is meant to own it.`);
  return e;
}
