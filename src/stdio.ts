/**
 * stdout and stderr for the launcher, written with write(2) on the descriptors. Node's
 * process.stdout and process.stderr are streams built on first use: for a pipe that loads
 * the net and stream modules, several milliseconds of a command that otherwise runs in
 * about thirty. Writes to pipes and files are synchronous in Node on POSIX anyway.
 *
 * A descriptor left non-blocking by whoever shares it can refuse a write with EAGAIN; the
 * rest then goes through the stream, which waits for it. Any other error is the write's
 * own failure (EPIPE, ENOSPC) and is reported as the stream would have reported it.
 */
import { writeSync } from 'node:fs';

type Stream = 'stdout' | 'stderr';
const FD: Record<Stream, number> = { stdout: 1, stderr: 2 };
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
  // Once the stream holds queued text, everything goes through it, to keep the order.
  if (listening.has(name)) return viaStream(name, text);
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
