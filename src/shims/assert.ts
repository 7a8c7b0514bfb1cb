// signal-exit (loaded by proper-lockfile) requires 'assert' for one check of its argument.
// Node's assert module loads its error formatting, which reads the colours of stderr and
// so builds the stderr stream at start-up: about 5 ms of every run. This is the one
// function signal-exit calls, with assert.equal's meaning (loose equality).
export function equal(actual: unknown, expected: unknown, message?: string): void {
  if (actual != expected) throw new Error(message ?? `${String(actual)} == ${String(expected)}`);
}
