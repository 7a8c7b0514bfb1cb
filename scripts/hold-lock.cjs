// Preload (node --require) that stops a writer inside its locked section for ever: the
// first rename onto a file whose name ends with OTK_HOLD_SUFFIX (default ".json") prints
// OTK-HOLDING on stderr and blocks. Used to SIGKILL a writer while it holds the lock
// (scripts/bench.mjs, test/store/holder.test.ts).
const fs = require('node:fs');
const suffix = process.env.OTK_HOLD_SUFFIX ?? '.json';
const rename = fs.renameSync;
fs.renameSync = function (from, to) {
  if (String(to).endsWith(suffix)) {
    fs.writeSync(2, 'OTK-HOLDING\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
  return rename.call(this, from, to);
};
