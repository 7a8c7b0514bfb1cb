// The scanner decision of the reading code (docs: performance): jsonc-parser's scanner and
// its visitor against this tool's reader, on a 100,000-token file, best of 7 runs each.
// jsonc-parser is not a dependency; point at an install of it:
//
//   npm i --prefix /tmp/jsonc jsonc-parser@3 && node scripts/build.mjs --tests &&
//   JSONC=/tmp/jsonc/node_modules/jsonc-parser node scripts/measure-scanner.mjs
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jsonc = require(process.env.JSONC ?? 'jsonc-parser');
const { readTokenFile } = require('../build/src/domain/server-reader.js');
const { skipValue } = require('../build/src/domain/json/scan.js');

const tokens = Array.from({ length: 100_000 }, (_, i) => ({
  token: `apiv3_${randomBytes(64).toString('base64url')}`,
  name: `token-${i}`,
  expiry_millis: 1956400061529,
  permissions: ['db:db1,db2:read,write', 'system:health:read'],
}));
const text = `${JSON.stringify({ create_databases: ['db1', 'db2'], tokens }, null, 2)}\n`;
const best = (f) => {
  let ms = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = process.hrtime.bigint();
    f();
    ms = Math.min(ms, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return ms.toFixed(1);
};
const scanAll = () => {
  const s = jsonc.createScanner(text, true);
  let n = 0;
  while (s.scan() !== 17 /* EOF */) n++;
  return n;
};
const visit = () => {
  let names = 0;
  jsonc.visit(text, { onLiteralValue: () => names++ }, { disallowComments: true, allowTrailingComma: false });
  return names;
};
console.log(`file: ${(text.length / 1e6).toFixed(1)} MB, 100,000 tokens; best of 7 (ms)`);
console.log(`jsonc-parser createScanner, every token          ${best(scanAll)}`);
console.log(`jsonc-parser visit (values, no checks of ours)   ${best(visit)}`);
console.log(`this tool: scan.skipValue (syntax only)          ${best(() => skipValue(text, 0))}`);
console.log(`this tool: readTokenFile (verdict, names, index) ${best(() => readTokenFile(text, 'permission'))}`);
console.log(`this tool: readTokenFile with every value        ${best(() => readTokenFile(text, 'permission', { values: true }))}`);
