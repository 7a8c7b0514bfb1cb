import { test } from 'node:test';
import assert from 'node:assert/strict';

import { quietIo } from '../../src/commands/options';

const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['a notice', 'notice: --host ignored\n', ''],
  ['a warning', 'warning: the kept token "app" has expired\n', ''],
  ['an error line', 'error: --name is empty\n', 'error: --name is empty\n'],
  ["validate's report line", 't.json: warning at /0: expired\n', 't.json: warning at /0: expired\n'],
  ['a notice among report lines', 'a.json: error: x\nnotice: y\nb.json: warning: z\n', 'a.json: error: x\nb.json: warning: z\n'],
  ['a word that only contains notice', 'see notice: here\n', 'see notice: here\n'],
  ['text without a newline', 'notice: waiting', ''],
];

for (const [title, written, shown] of CASES) {
  test(`quietIo: ${title}`, () => {
    const seen: string[] = [];
    quietIo({ stderr: (t: string) => void seen.push(t) }).stderr(written);
    assert.equal(seen.join(''), shown);
    // Nothing at all is written when every line was dropped.
    if (shown === '') assert.deepEqual(seen, []);
  });
}
