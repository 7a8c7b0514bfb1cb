/**
 * stdout and stderr for the launcher. Node's process.stdout and process.stderr are streams
 * built on first use: for a pipe that loads the net and stream modules, several
 * milliseconds of a command that otherwise runs in under twenty. So the text is written
 * with write(2) where that cannot hold the one thread:
 *
 *  - a file, /dev/null or a terminal: on the descriptor itself, as Node itself does;
 *  - a pipe (Linux): through a second, non-blocking open of the same pipe
 *    (/proc/self/fd/N opens a new file description, so the caller's own descriptor keeps
 *    its flags). A blocking write to a pipe whose reader has stalled would hold the thread,
 *    and SIGINT/SIGTERM would wait for the reader.
 *
 * What is not written that way (a socket, a full pipe answering EAGAIN, no /proc) goes
 * through the stream, which leaves the event loop free, and everything after it too, to
 * keep the order. Any other error is the write's own failure (EPIPE, ENOSPC) and is
 * reported as the stream would have reported it.
 */
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';

type Stream = 'stdout' | 'stderr';
const FD: Record<Stream, number> = { stdout: 1, stderr: 2 };
const listening = new Set<Stream>();
type Way = 'fd' | 'pipe' | 'stream';
const ways = new Map<Stream, Way>();

/** How `name` is written (see above); when fstat fails, the stream decides. */
function wayOf(name: Stream): Way {
  let way = ways.get(name);
  if (way === undefined) {
    try {
      const st = fstatSync(FD[name]);
      way = st.isFIFO() ? 'pipe' : st.isSocket() ? 'stream' : 'fd';
    } catch {
      way = 'stream';
    }
    ways.set(name, way);
  }
  return way;
}

/** The descriptor to write(2) on and whether to close it after, or undefined for the stream. */
function descriptor(name: Stream): { fd: number; own: boolean } | undefined {
  const way = wayOf(name);
  if (way === 'fd') return { fd: FD[name], own: false };
  if (way === 'stream') return undefined;
  try {
    return { fd: openSync(`/proc/self/fd/${FD[name]}`, constants.O_WRONLY | constants.O_NONBLOCK), own: true };
  } catch {
    // No reader left is the write's failure (the stream reports it as EPIPE); anything else
    // (no /proc, another system) is only a reason to use the stream.
    ways.set(name, 'stream');
    return undefined;
  }
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
  const target = listening.has(name) ? undefined : descriptor(name);
  if (target === undefined) return viaStream(name, text);
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(target.fd, bytes, offset, bytes.length - offset);
    return Promise.resolve();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return Promise.reject(e);
  } finally {
    if (target.own) closeSync(target.fd);
  }
  return viaStream(name, bytes.subarray(offset));
}

function viaStream(name: Stream, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => stream(name).write(data, (e) => (e ? reject(e) : resolve())));
}
