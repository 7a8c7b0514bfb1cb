import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../helpers';

interface Instruction {
  op: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions (comments dropped, continuation lines joined), each with its stage. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  const joined = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of joined) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (op!.toUpperCase() === 'FROM') stage++;
    out.push({ op: op!.toUpperCase(), args: args!.replace(/\s+/g, ' '), stage });
  }
  return out;
}

/** Whether .dockerignore lets `path` into the build context (last matching rule wins). */
function inContext(rules: string[], path: string): boolean {
  let included = true;
  for (const rule of rules) {
    const negate = rule.startsWith('!');
    const pattern = (negate ? rule.slice(1) : rule).replace(/\/$/, '');
    if (pattern === '*' || path === pattern || path.startsWith(`${pattern}/`)) included = negate;
  }
  return included;
}

const dockerfile = instructions(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const last = Math.max(...dockerfile.map((i) => i.stage));
const final = dockerfile.filter((i) => i.stage === last);

describe('Dockerfile', () => {
  test('every stage starts from a small Node 20 image', () => {
    for (const from of dockerfile.filter((i) => i.op === 'FROM')) assert.match(from.args, /^node:20-alpine\b/);
  });

  test('the image runs the tool as uid 1500 by default', () => {
    const user = final.filter((i) => i.op === 'USER').at(-1);
    assert.equal(user?.args, '1500:1500');
    assert.equal(final.at(-2)?.op, 'ENTRYPOINT');
    assert.deepEqual(JSON.parse(final.find((i) => i.op === 'ENTRYPOINT')!.args), ['influxdb3-offline-tokens']);
  });

  test('the final stage installs only the packed tarball, offline', () => {
    const copies = final.filter((i) => i.op === 'COPY');
    assert.deepEqual(
      copies.map((c) => c.args.split(' ')[0]),
      ['--from=build'],
    );
    assert.match(final.find((i) => i.op === 'RUN')!.args, /npm install -g --offline .*\.tgz/);
  });

  test('every file the build copies exists and is in the build context', () => {
    const sources = dockerfile.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from')).flatMap((i) => i.args.split(' ').slice(0, -1));
    assert.ok(sources.includes('src'));
    for (const s of sources) {
      assert.ok(existsSync(join(ROOT, s)), `${s} does not exist`);
      assert.ok(inContext(ignore, s), `${s} is excluded by .dockerignore`);
    }
  });

  test('.dockerignore keeps local tokens, node_modules and build output out of the context', () => {
    for (const p of [
      'node_modules/yaml',
      'dist/app.cjs',
      'examples/compose/secrets/server/admin-token.json',
      'tokens.json',
      '.git',
      'src/generated/validators.ts',
    ])
      assert.equal(inContext(ignore, p), false, p);
    assert.equal(inContext(['*', '!src/'], 'src/cli.ts'), true);
  });
});
