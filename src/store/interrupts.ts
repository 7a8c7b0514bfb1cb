/**
 * SIGINT/SIGTERM and the lock. Exiting at once from a signal handler can leave a lock
 * directory behind: proper-lockfile only forgets to clean up between its mkdir and the
 * moment it records the lock, and while its rmdir is under way. So while the store is
 * taking, holding or releasing the lock, a signal is only noted, and the store stops at
 * its next safe point by throwing InterruptedError (after releasing what it holds).
 */
import { InterruptedError } from '../errors';

type StopSignal = 'SIGINT' | 'SIGTERM';

let busy = 0;
let pending: StopSignal | undefined;

/** Returns true when the signal was deferred; false means nothing is at stake: exit now. */
export function deferSignal(signal: StopSignal): boolean {
  if (busy === 0) return false;
  pending ??= signal;
  return true;
}

export async function whileBusy<T>(work: () => Promise<T>): Promise<T> {
  busy++;
  try {
    return await work();
  } finally {
    busy--;
  }
}

/** A safe point: no lock attempt in flight, and any lock held is released by a finally. */
export function checkInterrupted(): void {
  if (pending) throw new InterruptedError(pending);
}

/** A signal that was deferred and never reached a safe point: the work finished first. */
export function lateSignal(): StopSignal | undefined {
  return pending;
}
