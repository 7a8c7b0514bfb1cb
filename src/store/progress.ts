/**
 * Progress the store reports while a command waits, for the command layer to word: the
 * store knows when it waits, not who is watching or in which words. One listener per
 * process, set by the launcher, so every writing command reports the same way without
 * each action passing a callback down.
 */

/** Waiting this long for the lock is worth a word to someone at a terminal; less is not. */
export const LOCK_WAIT_NOTICE_MS = 1_000;

let lockWaitListener: ((lockPath: string) => void) | undefined;

export function onLockWait(listener: ((lockPath: string) => void) | undefined): void {
  lockWaitListener = listener;
}

/**
 * Starts the clock when a writer first finds the lock held; the listener hears of it once,
 * if the wait lasts LOCK_WAIT_NOTICE_MS. Call the result when the wait ends, either way.
 */
export function lockWaitStarted(lockPath: string): () => void {
  const listener = lockWaitListener;
  if (!listener) return () => undefined;
  const timer = setTimeout(() => listener(lockPath), LOCK_WAIT_NOTICE_MS);
  return () => clearTimeout(timer);
}
