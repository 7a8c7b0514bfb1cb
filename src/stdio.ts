/**
 * stdout and stderr for the launcher. A file, /dev/null or a terminal is written with
 * write(2) on the descriptor itself, as Node itself does, without building the stream (for
 * most commands the largest part of their start-up). A pipe or a socket goes through Node's
 * own stream; a reader that stalls may hold a write, and SIGINT/SIGTERM still end the
 * command at once, since outside the locked section no handler waits for the thread
 * (store/interrupts.ts). Once the stream holds text, everything after goes through it too,
 * to keep the order.
 */
import { fstatSync, writeSync } from 'node:fs';
import { encodeChunks } from './store/encode';

type Stream = 'stdout' | 'stderr';
const FD: Record<Stream, number> = { stdout: 1, stderr: 2 };
const streamed = new Set<Stream>();
const direct = new Map<Stream, boolean>();

function isDirect(name: Stream): boolean {
  let d = direct.get(name);
  if (d === undefined) {
    try {
      const st = fstatSync(FD[name]);
      d = !st.isFIFO() && !st.isSocket();
    } catch {
      d = false;
    }
    direct.set(name, d);
  }
  return d && !streamed.has(name);
}

function stream(name: Stream): NodeJS.WriteStream {
  const s = process[name];
  // A closed pipe reaches the write's callback (main reports it); without a listener the
  // same error would also be thrown as an uncaught 'error' event.
  if (!streamed.has(name)) {
    streamed.add(name);
    s.on('error', () => undefined);
  }
  return s;
}

/** Writes all of `text`; settles when it is written, rejects with the system's error. */
export function writeOut(name: Stream, text: string): Promise<void> {
  if (!isDirect(name)) return new Promise((resolve, reject) => stream(name).write(text, (e) => (e ? reject(e) : resolve())));
  // What is left when write(2) says EAGAIN (a terminal set non-blocking by another
  // process): the rest of the chunk, then the rest of the text, through the stream.
  let rest: { bytes: Buffer; next: number } | undefined;
  try {
    encodeChunks([text], (bytes, next) => {
      if (rest) return;
      let off = 0;
      try {
        while (off < bytes.length) off += writeSync(FD[name], bytes, off, bytes.length - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        rest = { bytes: Buffer.from(bytes.subarray(off)), next };
      }
    });
  } catch (e) {
    return Promise.reject(e as Error);
  }
  if (!rest) return Promise.resolve();
  const { bytes, next } = rest;
  const s = stream(name);
  s.write(bytes);
  return new Promise((resolve, reject) => s.write(text.slice(next), (e) => (e ? reject(e) : resolve())));
}
