import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../helpers';
import { filesUnder } from './examples';

// The scripts that run inside containers are POSIX sh (BusyBox ash in the tool's image,
// dash on Debian runners); scripts/check-examples.sh runs them under BusyBox for real.
const scripts = filesUnder('examples', (n) => n.endsWith('.sh'));

describe('example shell scripts', () => {
  test('there are scripts', () => assert.ok(scripts.length >= 3));
  for (const file of scripts) {
    test(`${file} parses as POSIX sh and stops on the first error`, () => {
      const r = spawnSync('sh', ['-n', join(ROOT, file)], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const text = readFileSync(join(ROOT, file), 'utf8');
      assert.match(text, /^#!\/bin\/sh\n/);
      assert.match(text, /^set -eu$/m);
      assert.doesNotMatch(text, /\[\[|pipefail|\blocal\b|\$'|<<<|function /, 'a bash-only construct');
    });
  }
});
