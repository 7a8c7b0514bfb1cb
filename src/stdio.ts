/**
 * stdout and stderr for the launcher: Node's own streams. A pipe whose reader stalls may
 * hold a write; SIGINT/SIGTERM still end the command at once, since outside the locked
 * section no handler waits for the thread (store/interrupts.ts).
 */
type Stream = 'stdout' | 'stderr';
const listening = new Set<Stream>();

function stream(name: Stream): NodeJS.WriteStream {
  const s = process[name];
  // A closed pipe reaches the write's callback (main reports it); without a listener the
  // same error would also be thrown as an uncaught 'error' event.
  if (!listening.has(name)) {
    listening.add(name);
    s.on('error', () => undefined);
  }
  return s;
}

/** Writes all of `text`; settles when it is written, rejects with the system's error. */
export function writeOut(name: Stream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream(name).write(text, (e) => (e ? reject(e) : resolve())));
}
