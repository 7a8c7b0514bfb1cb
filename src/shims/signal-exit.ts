/**
 * What the bundles give proper-lockfile for `require('signal-exit')`. Its one use of it is to
 * remove the locks it still holds when the process exits; that hook is kept. signal-exit
 * also listens to a dozen signals (to run the hook on the way out, then kill itself again)
 * and wraps process.emit: 4 ms of every writer's start-up. The store handles SIGINT,
 * SIGTERM and SIGHUP itself inside the locked section (store/interrupts.ts), and a writer
 * ended by any other signal leaves a holder record that tells the next writer on this
 * machine at once that the lock is dead (store/holder.ts).
 */
export = function onExit(callback: () => void): () => void {
  process.on('exit', callback);
  return () => void process.off('exit', callback);
};
