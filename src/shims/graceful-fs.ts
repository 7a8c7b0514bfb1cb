// proper-lockfile requires graceful-fs only for its default `fs`, which the store always
// overrides (src/store/fs-seam.ts). Loading graceful-fs patches and queues the whole fs
// module at start-up, so the bundle maps it to plain node:fs instead.
// `import = require`, not `import * as`: the library's ESM bundle would hand over a frozen
// namespace, and proper-lockfile caches the mtime precision as a property of the fs object.
import fs = require('node:fs');

export = fs;
