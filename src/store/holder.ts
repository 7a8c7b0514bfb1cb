/**
 * Who holds a lock: a small file inside the lock directory, written right after the mkdir
 * that takes the lock. A waiter on the same machine (same boot, same pid namespace) that
 * finds the holder gone, or its pid now used by a process that started at another time,
 * knows at once that the lock is dead (SPEC 9: within a second, not the stale window).
 * Across machines sharing a volume, a pid means nothing: only the stale window applies.
 */
import { closeSync, constants, openSync, readFileSync, readSync, readlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const HOLDER_FILE = 'holder';

interface Holder {
  readonly machine: string;
  readonly pid: number;
  readonly start: string;
}

let machine: string | undefined;
/** boot id + pid namespace + host name: two processes compare pids only when these match. */
function machineOf(): string {
  machine ??= readMachine();
  return machine;
}

function readMachine(): string {
  const read = (f: () => string): string => {
    try {
      return f().trim();
    } catch {
      return '';
    }
  };
  // The host name as os.hostname() gives it, read where the other two are (loading node:os
  // cost every writer's start-up more than the read).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const host = read(() => readFileSync('/proc/sys/kernel/hostname', 'latin1')) || (require('node:os') as typeof import('node:os')).hostname();
  return [host, read(() => readFileSync('/proc/sys/kernel/random/boot_id', 'latin1')), read(() => readlinkSync('/proc/self/ns/pid'))].join(' ');
}

/** The start time of `pid` in clock ticks since boot (field 22 of /proc/PID/stat), '' when unknown, undefined when no such process. */
export function startTimeOf(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    return '';
  }
  // The command name (field 2) is in parentheses and may hold spaces and ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

/** The record of process `pid` of this machine, started at `start` (what writeHolder writes for itself). */
export function holderRecord(pid: number, start: string): string {
  return `${JSON.stringify({ machine: machineOf(), pid, start })}\n`;
}

let self: string | undefined;
/** This process's record, read from /proc once: called before a lock is taken, so that the reads are not made while it is held. */
export function selfRecord(): string {
  self ??= holderRecord(process.pid, startTimeOf(process.pid) ?? '');
  return self;
}

/** Writes this process's record into the lock directory it just made (0700, its own). */
export function writeHolder(lockDir: string): void {
  const fd = openSync(join(lockDir, HOLDER_FILE), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, selfRecord());
  } finally {
    closeSync(fd);
  }
}

function readHolder(lockDir: string): Holder | undefined {
  let fd: number;
  try {
    fd = openSync(join(lockDir, HOLDER_FILE), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.alloc(512);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const h = JSON.parse(buf.subarray(0, n).toString('utf8')) as Holder;
    return typeof h.machine === 'string' && Number.isSafeInteger(h.pid) && typeof h.start === 'string' ? h : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * The record of the lock's holder when that holder is known to be gone: same machine, and
 * no process with its pid, or one that started at another time (a pid reused). Anything
 * unsure (no record yet, another machine, no /proc) is not gone.
 */
export function deadHolder(lockDir: string): string | undefined {
  const h = readHolder(lockDir);
  if (!h || h.pid === process.pid || h.machine !== machineOf()) return undefined;
  const start = startTimeOf(h.pid);
  if (start === undefined) return JSON.stringify(h);
  if (start === '' || h.start === '') return alive(h.pid) ? undefined : JSON.stringify(h);
  return start === h.start ? undefined : JSON.stringify(h);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Whether the record in `lockDir` is `record` (what holderRecord wrote, without its newline): still that dead holder, or still this process. */
export function sameHolder(lockDir: string, record: string): boolean {
  const h = readHolder(lockDir);
  return h !== undefined && JSON.stringify(h) === record;
}
