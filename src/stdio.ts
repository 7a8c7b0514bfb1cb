/**
 * stdout and stderr for the launcher. Node's process.stdout and process.stderr are streams
 * built on first use: for a pipe that loads the net and stream modules, several
 * milliseconds of a command that otherwise runs in under twenty. So a file, /dev/null or
 * a terminal is written with write(2) on the descriptor, as Node itself writes them.
 *
 * A pipe or a socket keeps the stream: a blocking write(2) to a pipe whose reader has
 * stalled holds the one thread, and SIGINT/SIGTERM would wait for the reader (the stream
 * leaves the event loop free to honour them). A descriptor left non-blocking that refuses
 * a write with EAGAIN hands the rest to the stream too. Any other error is the write's own
 * failure (EPIPE, ENOSPC) and is reported as the stream would have reported it.
 */
import { fstatSync, writeSync } from 'node:fs';

type Stream = 'stdout' | 'stderr';
const FD: Record<Stream, number> = { stdout: 1, stderr: 2 };
const listening = new Set<Stream>();
const direct = new Map<Stream, boolean>();

/** Not a pipe or a socket (see above); when fstat fails, the stream decides. */
function writesDirectly(name: Stream): boolean {
  let yes = direct.get(name);
  if (yes === undefined) {
    try {
      const st = fstatSync(FD[name]);
      yes = !st.isFIFO() && !st.isSocket();
    } catch {
      yes = false;
    }
    direct.set(name, yes);
  }
  return yes;
}

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
  // Once the stream holds queued text, everything goes through it, to keep the order.
  if (listening.has(name) || !writesDirectly(name)) return viaStream(name, text);
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(FD[name], bytes, offset, bytes.length - offset);
    return Promise.resolve();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return Promise.reject(e);
  }
  return viaStream(name, bytes.subarray(offset));
}

function viaStream(name: Stream, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => stream(name).write(data, (e) => (e ? reject(e) : resolve())));
}
