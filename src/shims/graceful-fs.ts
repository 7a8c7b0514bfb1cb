// proper-lockfile requires graceful-fs only for its default `fs`, which the store always
// overrides (src/store/fs-seam.ts). Loading graceful-fs patches and queues the whole fs
// module at start-up, so the bundle maps it to plain node:fs instead.
import * as fs from 'node:fs';

export = fs;
