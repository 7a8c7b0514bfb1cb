/**
 * apply over a token's lifetime (SPEC 11.1), through the real binary with a fake clock
 * (runCliAt): generations, renew_before, rotate token in between, --prune of expired
 * older generations, and outputs that always carry the current string. Never sleeps.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCliAt, snapshot, tempDir, tokensIn } from '../helpers';

const DAY = 86_400_000;
const T0 = Date.UTC(2027, 0, 1);

interface Entry {
  token: string;
  name: string;
  expiry_millis?: number;
  permissions: string[];
}
const entries = (dir: string): Entry[] => (JSON.parse(readFileSync(join(dir, 'tokens/perm.json'), 'utf8')) as { tokens: Entry[] }).tokens;

/** The entry with the highest generation number of `base` (base itself is 1). */
function current(dir: string, base: string): Entry {
  const gen = (e: Entry): number => (e.name === base ? 1 : Number(e.name.slice(base.length + 1)));
  const own = entries(dir).filter((e) => e.name === base || new RegExp(`^${base}-[1-9][0-9]*$`).test(e.name));
  assert.ok(own.length > 0, `no generation of ${base}`);
  return own.sort((a, b) => gen(a) - gen(b)).at(-1)!;
}

const ROTATING = `permissions:
  file: tokens/perm.json
  create_databases: [metrics]
  renew_before: 30d
  tokens:
    - name: grafana
      permissions: ["db:metrics:read"]
      expiry: 90d
outputs:
  - { format: files, output: secrets }
  - { format: env, output: tokens.env }
  - { format: json, output: tokens.json }
`;

function outputsCarry(dir: string, base: string, token: string): void {
  assert.equal(readFileSync(join(dir, 'secrets', base), 'utf8'), `${token}\n`);
  assert.equal(readFileSync(join(dir, 'tokens.env'), 'utf8'), `INFLUXDB3_TOKEN_${base.toUpperCase()}=${token}\n`);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8')), { [base]: token });
}

describe('apply over a year of deploys (renew_before: 30d, expiry: 90d, --prune)', () => {
  it('created, kept, renewed inside the window, older generations kept then pruned once expired, rotate recognised; outputs always current', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), ROTATING);
    const seen = new Set<string>();
    let renewals = 0;
    let rotated = false;
    for (let day = 0; day <= 365; day += 5) {
      const now = T0 + day * DAY;
      if (day === 45) {
        // An operator rotates by hand between deploys: the successor is the next generation.
        const rot = runCliAt(now, ['rotate', 'token', '--file', 'tokens/perm.json', '--token-name', 'grafana', '--expiry', '90d'], { cwd: dir });
        assert.equal(rot.status, 0, rot.stderr);
        rotated = true;
      }
      const before = snapshot(dir);
      const r = runCliAt(now, ['apply', '-f', 'spec.yaml', '--prune'], { cwd: dir });
      assert.equal(r.status, 0, `day ${day}: ${r.stderr}`);
      assert.equal(r.stderr, '', `day ${day}`);
      assert.deepEqual(tokensIn(r.stdout), [], 'no token string in the plan');
      for (const m of r.stdout.matchAll(/^ {2}(create|keep|renew|retire|remove|unmanaged|drift) /gm)) seen.add(m[1]!);
      assert.doesNotMatch(r.stdout, /unmanaged/, `day ${day}: a generation listed as unmanaged`);
      if (/^ {2}renew /m.test(r.stdout)) renewals++;
      const cur = current(dir, 'grafana');
      // The window holds: whatever was kept has more than 30 days left.
      assert.ok(cur.expiry_millis! - now > 30 * DAY, `day ${day}: ${cur.name} expires in ${(cur.expiry_millis! - now) / DAY} days`);
      // --prune each run: no expired generation stays; an unexpired older one does.
      for (const e of entries(dir)) assert.ok(e.expiry_millis! > now, `day ${day}: ${e.name} expired and was kept`);
      outputsCarry(dir, 'grafana', cur.token);
      if (day === 45 && rotated) {
        // The deploy after the rotation hands out the rotated string and keeps the old one.
        assert.equal(cur.name, 'grafana-2');
        assert.match(r.stdout, /keep {7}"grafana-2" \(current generation of "grafana"/);
        assert.match(r.stdout, /retire {5}"grafana", an older generation of "grafana"/);
      }
      if (!/^ {2}(create|renew|remove) /m.test(r.stdout) && day !== 45) {
        // A deploy with nothing to do changes no byte, outputs included.
        assert.deepEqual(snapshot(dir), before, `day ${day}`);
        assert.match(r.stdout, /\nNo changes: the files already match the spec; no byte was written\.\n$/);
      }
    }
    assert.deepEqual([...seen].sort(), ['create', 'keep', 'remove', 'renew', 'retire']);
    // 90-day tokens renewed 30 days before they expire: about every 60 days.
    assert.ok(renewals >= 5 && renewals <= 6, `${renewals} renewals`);
  });

  it('a renewal says what it did: the next generation, why, and the restart', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), ROTATING);
    assert.equal(runCliAt(T0, ['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    const first = current(dir, 'grafana');
    const plan = runCliAt(T0 + 70 * DAY, ['apply', '-f', 'spec.yaml', '--dry-run', '--format', 'json'], { cwd: dir });
    assert.equal(plan.status, 0, plan.stderr);
    const json = JSON.parse(plan.stdout) as {
      changes: boolean;
      files: Array<{ steps: Array<Record<string, unknown>> }>;
      outputs: Array<Record<string, unknown>>;
    };
    assert.equal(json.changes, true);
    assert.deepEqual(
      json.files[0]!.steps.map((s) => [s.action, s.name, s.generation_of]),
      [
        ['retire', 'grafana', 'grafana'],
        ['renew', 'grafana-2', 'grafana'],
      ],
    );
    assert.ok(Math.abs((json.files[0]!.steps[1]!.expiry_millis as number) - (T0 + 160 * DAY)) < 60_000);
    assert.equal(json.files[0]!.steps[1]!.previous, 'grafana');
    assert.deepEqual(
      json.outputs.map((o) => [o.format, o.changes, o.written]),
      [
        ['files', true, false],
        ['env', true, false],
        ['json', true, false],
      ],
    );
    assert.deepEqual(current(dir, 'grafana'), first, 'a dry run writes nothing');
    const r = runCliAt(T0 + 70 * DAY, ['apply', '-f', 'spec.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const next = current(dir, 'grafana');
    assert.equal(next.name, 'grafana-2');
    assert.ok(Math.abs(next.expiry_millis! - (T0 + 160 * DAY)) < 60_000, 'the spec lifetime, counted from the renewal');
    assert.deepEqual(next.permissions, ['db:metrics:read']);
    assert.match(r.stdout, /renew {6}"grafana-2", the next generation of "grafana": "grafana" expires .*, within renew_before/);
    assert.match(
      r.stdout,
      /\nWrote tokens\/perm\.json, secrets, tokens\.env, tokens\.json\.\nRestart the server \(or start it\) to load the new token: "grafana-2"\.\n$/,
    );
  });
});

describe('generations and the spec', () => {
  it('a spec with x and x-2 keeps two tokens; rotate x adds x-3, which apply hands out as x', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'spec.yaml'),
      `permissions:
  file: tokens/perm.json
  tokens:
    - { name: x, permissions: ["db:*:read"] }
    - { name: x-2, permissions: ["db:*:write"] }
outputs:
  - { format: json, output: out.json }
`,
    );
    assert.equal(runCliAt(T0, ['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    const byName = (n: string): Entry => entries(dir).find((e) => e.name === n)!;
    assert.deepEqual(
      entries(dir).map((e) => e.name),
      ['x', 'x-2'],
    );
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')), { x: byName('x').token, 'x-2': byName('x-2').token });
    const rot = runCliAt(T0, ['rotate', 'token', '--file', 'tokens/perm.json', '--token-name', 'x'], { cwd: dir });
    assert.equal(rot.status, 0, rot.stderr);
    assert.match(rot.stdout, /^Added "x-3"/);
    const r = runCliAt(T0, ['apply', '-f', 'spec.yaml', '--prune'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      entries(dir).map((e) => e.name),
      ['x', 'x-2', 'x-3'],
      '--prune removes no generation that works',
    );
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')), { x: byName('x-3').token, 'x-2': byName('x-2').token });
  });

  it('rotate --token-name NAME after its first generation was pruned rotates the current one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), ROTATING);
    assert.equal(runCliAt(T0, ['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    assert.equal(runCliAt(T0 + 70 * DAY, ['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    assert.equal(runCliAt(T0 + 100 * DAY, ['apply', '-f', 'spec.yaml', '--prune'], { cwd: dir }).status, 0);
    assert.deepEqual(
      entries(dir).map((e) => e.name),
      ['grafana-2'],
    );
    const rot = runCliAt(T0 + 100 * DAY, ['rotate', 'token', '--file', 'tokens/perm.json', '--token-name', 'grafana'], { cwd: dir });
    assert.equal(rot.status, 0, rot.stderr);
    assert.match(rot.stdout, /^Added "grafana-3" to tokens\/perm\.json, the successor of "grafana-2"/);
    assert.equal(runCliAt(T0 + 100 * DAY, ['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    outputsCarry(dir, 'grafana', current(dir, 'grafana').token);
    assert.equal(current(dir, 'grafana').name, 'grafana-3');
  });

  it('a spec token with no generation left is created again under its name, with a warning', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), ROTATING);
    assert.equal(runCliAt(T0, ['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    // The tool's own prune, run by hand after the token expired.
    assert.equal(runCliAt(T0 + 91 * DAY, ['prune', '--file', 'tokens/perm.json'], { cwd: dir }).status, 0);
    assert.deepEqual(entries(dir), []);
    const r = runCliAt(T0 + 91 * DAY, ['apply', '-f', 'spec.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /^warning: tokens\/perm\.json holds no generation of "grafana", so it was created under that name\. If a server already loaded "grafana" .* keeps its old entry and skips this one/,
    );
    assert.deepEqual(
      entries(dir).map((e) => e.name),
      ['grafana'],
    );
  });
});

describe('the findings of issue 17', () => {
  const SPEC = `admin:
  file: tokens/admin.json
permissions:
  file: tokens/perm.json
  create_databases: [metrics]
  tokens:
    - name: grafana
      permissions: ["db:metrics:read"]
    - name: short
      permissions: ["db:metrics:read"]
      expiry: 2s
outputs:
  - { format: files, output: secrets }
  - { format: env, output: tokens.env }
  - { format: k8s-secret, output: server.yaml }
`;

  it('rotate token, export, apply: the new string is handed out, nothing is unmanaged, --prune keeps it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    assert.equal(runCliAt(T0, ['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    assert.equal(runCliAt(T0, ['rotate', 'token', '--file', 'tokens/perm.json', '--token-name', 'grafana'], { cwd: dir }).status, 0);
    const successor = entries(dir).find((e) => e.name === 'grafana-2')!;
    assert.equal(runCliAt(T0, ['export', '--file', 'tokens/perm.json', '--format', 'files', '--output', 'secrets'], { cwd: dir }).status, 0);
    const r = runCliAt(T0, ['apply', '-f', 'spec.yaml', '--prune'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /^ {2}(unmanaged|remove) /m);
    assert.doesNotMatch(r.stdout, /No byte was written/);
    assert.match(r.stdout, /\nWrote secrets, tokens\.env, server\.yaml\.\n/);
    assert.equal(readFileSync(join(dir, 'secrets/grafana'), 'utf8'), `${successor.token}\n`);
    assert.match(readFileSync(join(dir, 'tokens.env'), 'utf8'), new RegExp(`^INFLUXDB3_TOKEN_GRAFANA=${successor.token}$`, 'm'));
    assert.ok(entries(dir).some((e) => e.name === 'grafana-2'));
  });

  it('an expired token is never handed out silently: a warning naming it; --fail-if-stale exits 1 and writes nothing', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    assert.equal(runCliAt(T0, ['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    const later = T0 + 10_000;
    const before = snapshot(dir);
    const strict = runCliAt(later, ['apply', '-f', 'spec.yaml', '--fail-if-stale'], { cwd: dir });
    assert.equal(strict.status, 1);
    assert.equal(strict.stdout, '');
    assert.match(
      strict.stderr,
      /^error: --fail-if-stale: the current token "short" \(tokens\/perm\.json\) expired and would be handed out; nothing was written\. .*renew_before.*rotate token --file tokens\/perm\.json --token-name short/,
    );
    assert.deepEqual(snapshot(dir), before);
    const r = runCliAt(later, ['apply', '-f', 'spec.yaml'], { cwd: dir });
    assert.equal(r.status, 0);
    assert.match(r.stderr, /^warning: "short" in tokens\/perm\.json has expired and is still handed out/m);
    assert.match(r.stdout, /keep {7}"short" EXPIRED, still handed out/);
    assert.match(r.stdout, /\nNo byte was written, but the files do not match the spec: 1 token expired and still handed out \(nothing renews it\)\.\n$/);
  });

  it("client outputs (files, env) hold the permission tokens only; the k8s-secret output is the server's, with both files", () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    assert.equal(runCliAt(T0, ['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    const admin = (JSON.parse(readFileSync(join(dir, 'tokens/admin.json'), 'utf8')) as { token: string }).token;
    assert.equal(readFileSync(join(dir, 'tokens.env'), 'utf8').includes(admin), false);
    assert.deepEqual(
      Object.keys(snapshot(join(dir, 'secrets')))
        .filter((n) => !n.startsWith('.'))
        .sort(),
      ['grafana', 'short'],
    );
    const secret = readFileSync(join(dir, 'server.yaml'), 'utf8');
    assert.match(secret, /\n {2}admin-token\.json: /);
    assert.match(secret, /\n {2}permission-tokens\.json: /);
  });

  it('paths in the spec are relative to the spec file, not the current directory', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'deploy'));
    writeFileSync(join(dir, 'deploy/tokens.yaml'), SPEC);
    const r = runCliAt(T0, ['apply', '-f', 'deploy/tokens.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      Object.keys(snapshot(dir))
        .filter((p) => !p.includes('/'))
        .sort(),
      ['deploy'],
    );
    for (const p of ['tokens/admin.json', 'tokens/perm.json', 'secrets/grafana', 'tokens.env', 'server.yaml'])
      assert.ok(statSync(join(dir, 'deploy', p)).isFile(), p);
    assert.match(r.stdout, /^deploy\/tokens\/admin\.json \(admin token file, new\): changed$/m);
  });

  it('--dry-run lists the outputs and whether each would change', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    const dry = runCliAt(T0, ['apply', '-f', 'spec.yaml', '--dry-run'], { cwd: dir });
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /\noutputs:\n {2}secrets \(files, \/outputs\/0\): would change\n {2}tokens\.env \(env, \/outputs\/1\): would change\n {2}server\.yaml \(k8s-secret, \/outputs\/2\): would change\nDry run: nothing was written\.\n$/,
    );
    assert.deepEqual(Object.keys(snapshot(dir)), ['spec.yaml']);
    assert.equal(runCliAt(T0, ['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    const again = runCliAt(T0, ['apply', '-f', 'spec.yaml', '--dry-run'], { cwd: dir });
    assert.match(again.stdout, /\n {2}secrets \(files, \/outputs\/0\): unchanged\n/);
  });

  it('an apply that only removed a token asks for no restart, and names what it wrote', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    assert.equal(runCliAt(T0, ['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    writeFileSync(join(dir, 'spec.yaml'), SPEC.replace(/ {4}- name: short\n.*\n.*\n/, ''));
    const removal = runCliAt(T0, ['apply', '-f', 'spec.yaml', '--prune'], { cwd: dir });
    assert.equal(removal.status, 0, removal.stderr);
    assert.match(removal.stdout, /remove {5}"short"/);
    assert.doesNotMatch(removal.stdout, /Restart the server/);
    assert.match(
      removal.stdout,
      /\nWrote tokens\/perm\.json, secrets, tokens\.env, server\.yaml\.\nA server that loaded a removed token keeps it until it is deleted online/,
    );
  });

  it('an output whose bytes would not change is not rewritten', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    assert.equal(runCliAt(T0, ['apply', '-f', 'spec.yaml'], { cwd: dir }).status, 0);
    const stat = (p: string): number[] => {
      const s = statSync(join(dir, p));
      return [s.ino, s.mtimeMs];
    };
    const before = ['tokens.env', 'server.yaml', 'secrets/grafana'].map(stat);
    const r = runCliAt(T0, ['apply', '-f', 'spec.yaml'], { cwd: dir });
    assert.match(r.stdout, /\nNo changes: the files already match the spec; no byte was written\.\n$/);
    assert.deepEqual(['tokens.env', 'server.yaml', 'secrets/grafana'].map(stat), before);
  });
});
