/** What every action gets from its caller: the clock, the random source, the fs seam; and what a write reports besides its result. */
import type { RandomBytes } from '../domain/token';
import type { FsSeam } from '../store/fs-seam';

export interface ActionEnv {
  now: () => number;
  randomBytes: RandomBytes;
  seam?: FsSeam;
}

/** Store outcome details every writing command reports on stderr. */
export interface WriteNotes {
  /** false when nothing had to change (the file was left as it was). */
  written: boolean;
  modeTightened: { from: number; to: number } | undefined;
  releaseFailure: string | undefined;
}
