/**
 * The edit of an existing token file that delete, prune and rotate share: a one-file
 * transaction that never creates the file and reads its new text back before writing it,
 * with the store's side notes (mode tightened, lock left behind) for the caller to report.
 */
import type { ExistingFile, Text } from '../store/store';
import { updateFile } from '../store/store';
import type { ActionEnv, WriteNotes } from './env';

export type Edit<R> = (existing: ExistingFile | undefined) => { write: true; text: Text; result: R } | { write: false; result: R };

export async function editTokenFile<R>(file: string, lockTimeoutMs: number, env: Pick<ActionEnv, 'seam'>, edit: Edit<R>): Promise<R & WriteNotes> {
  const outcome = await updateFile<R>({ path: file, tokenFile: true, mustExist: true, lockTimeoutMs, seam: env.seam, transform: edit });
  return { ...outcome.result, written: outcome.written, modeTightened: outcome.modeTightened, releaseFailure: outcome.releaseFailure };
}
