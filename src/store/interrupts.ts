/**
 * SIGINT/SIGTERM and the lock. Outside the store's locked work there is nothing to protect,
 * so no handler is installed: the signal's default action ends the process at once, even
 * while it reads a silent stdin or writes to a pipe nobody reads (a JavaScript handler
 * would wait for the thread). While the store is taking, holding or releasing the lock, a
 * signal is only noted (exiting there could leave a lock directory behind: proper-lockfile
 * forgets to clean up between its mkdir and the moment it records the lock, and while its
 * rmdir is under way), and the store stops at its next safe point by throwing
 * InterruptedError (after releasing what it holds).
 */
import { InterruptedError } from '../errors';

type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/**
 * Unbundled (the tests' build), proper-lockfile loads the real signal-exit, which listens
 * to these for the rest of the process (the bundles give it an exit hook only:
 * shims/signal-exit.ts). A JavaScript listener waits for the thread, so once the locked
 * work is over, every listener added during it is removed again.
 */
const WATCHED: readonly NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGABRT',
  'SIGALRM',
  'SIGVTALRM',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGUSR2',
  'SIGTRAP',
  'SIGSYS',
  'SIGIOT',
];
let before: Map<NodeJS.Signals, NodeJS.SignalsListener[]> | undefined;

let busy = 0;
let pending: StopSignal | undefined;
const note = (signal: StopSignal): void => {
  pending ??= signal;
};

export async function whileBusy<T>(work: () => Promise<T>): Promise<T> {
  if (busy++ === 0) {
    before = new Map(WATCHED.map((s) => [s, process.listeners(s)]));
    for (const s of SIGNALS) process.on(s, note);
  }
  try {
    return await work();
  } finally {
    // A signal that came during the last synchronous steps (the lock's release) reaches its
    // listener only at a turn of the event loop: make one before the listeners go.
    await nextTurn();
    if (--busy === 0) {
      for (const s of WATCHED) {
        const kept = before?.get(s) ?? [];
        for (const l of process.listeners(s)) if (!kept.includes(l)) process.off(s, l as (...args: unknown[]) => void);
      }
    }
  }
}

/**
 * A turn of the event loop, in which signals that arrived during synchronous work reach
 * their listener (libuv delivers them in its poll phase). Two immediates: called from an
 * I/O callback (a library caller's `await readFile`), the first one runs before the next
 * poll phase; the second always runs after one. It does not give the CPU away, as waiting
 * for the thread pool does.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** A safe point: no lock attempt in flight, and any lock held is released by a finally. */
export function checkInterrupted(): void {
  if (pending) throw new InterruptedError(pending);
}

/** A signal that was deferred and never reached a safe point: the work finished first. */
export function lateSignal(): StopSignal | undefined {
  return pending;
}
