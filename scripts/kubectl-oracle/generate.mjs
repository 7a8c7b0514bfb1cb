// Regenerates fixtures/kubectl/: for every case below, writes its token files, asks the real
// kubectl for the Secret manifest (`kubectl create secret generic NAME --type=Opaque
// --from-file=KEY=PATH ... [--namespace NS] --dry-run=client -o yaml`) and stores it as
// expected.yaml beside the `export` flags that must give the same bytes.
//
//   node scripts/kubectl-oracle/generate.mjs [--kubectl PATH]
//
// Token strings are derived from the case and token names (SHA-512, base64url), so a rerun
// gives the same files. The key each datum gets is written here by hand, not computed by
// our renderer: the test then checks our name mapping too.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outRoot = join(root, 'fixtures', 'kubectl');
const args = process.argv.slice(2);
const kubectl = args[0] === '--kubectl' ? args[1] : 'kubectl';

const token = (caseId, name) => `apiv3_${createHash('sha512').update(`${caseId}/${name}`).digest('base64url')}`;
const pretty = (doc) => `${JSON.stringify(doc, null, 2)}\n`;
const entry = (caseId, name, permissions, expiry) =>
  expiry === undefined ? { token: token(caseId, name), name, permissions } : { token: token(caseId, name), name, expiry_millis: expiry, permissions };

// go-yaml's key order is not transitive once a digit run with a leading zero meets letters
// ("08" < "0x1F" < "1" < "08"): kubectl then prints such keys in a different order from run
// to run (its map iteration is random). So "08" is only ever alone in a Secret below.
const AWKWARD = [
  // [token name, the key it must map to]
  ['telegraf/prod', 'telegraf_prod'],
  ['grafana reader', 'grafana_reader'],
  ['app.v2', 'app_v2'],
  ['a9', 'a9'],
  ['a10', 'a10'],
  ['A', 'A'],
  ['1', '1'],
  ['true', 'true'],
  ['y', 'y'],
  ['null', 'null'],
  ['-', '-'],
  ['---', '---'],
  ['_x', '_x'],
  ['0x1F', '0x1F'],
  ['1e3', '1e3'],
  ['1_000', '1_000'],
  ['2001-12-14', '2001-12-14'],
  ['~', '_'],
  ['..', '__'],
  ['ümlaut:name', '_mlaut_name'],
  ['x'.repeat(200), 'x'.repeat(200)],
];

/** Each case: token files (name -> text), the export flags, and the Secret kubectl is asked for. */
const cases = [
  {
    id: 'admin-default',
    files: (id) => ({ 'admin-token.json': pretty({ token: token(id, '_admin'), name: '_admin', expiry_millis: 1893456000000 }) }),
    flags: { file: ['admin-token.json'], format: 'k8s-secret', 'secret-name': 'influxdb3-admin' },
    secret: { name: 'influxdb3-admin', data: [['admin-token.json', { file: 'admin-token.json' }]] },
  },
  {
    id: 'permission-namespace',
    // Hand-written layout and an unknown field: the key must hold these exact bytes.
    files: (id) => ({
      'permission-tokens.json': `{"create_databases": ["metrics", "logs"], "note": {"kept": [1, 2]},\n "tokens": [\n  {"token": "${token(id, 'telegraf')}", "name": "telegraf", "permissions": ["db:metrics:write"]},\n  {"token": "${token(id, 'grafana')}", "name": "grafana", "expiry_millis": 1893456000000, "permissions": ["db:metrics,logs:read", "system:health:read"]}\n ]\n}\n`,
    }),
    flags: { file: ['permission-tokens.json'], format: 'k8s-secret', 'secret-name': 'influxdb3-tokens', namespace: 'monitoring' },
    secret: { name: 'influxdb3-tokens', namespace: 'monitoring', data: [['permission-tokens.json', { file: 'permission-tokens.json' }]] },
  },
  {
    id: 'both-files',
    files: (id) => ({
      'admin.json': pretty({ token: token(id, '_admin'), name: '_admin' }),
      'perm.json': pretty({ create_databases: ['db1'], tokens: [entry(id, 'app', ['db:db1:read,write'])] }),
    }),
    flags: { file: ['perm.json', 'admin.json'], format: 'k8s-secret', 'secret-name': 'influxdb3-auth', namespace: 'influxdb' },
    secret: {
      name: 'influxdb3-auth',
      namespace: 'influxdb',
      data: [
        ['permission-tokens.json', { file: 'perm.json' }],
        ['admin-token.json', { file: 'admin.json' }],
      ],
    },
  },
  {
    // Names YAML would read as a number or a boolean must come out quoted.
    id: 'empty-tokens-quoted-names',
    files: () => ({ 'permission-tokens.json': '{"tokens": []}\n' }),
    flags: { file: ['permission-tokens.json'], format: 'k8s-secret', 'secret-name': '123', namespace: 'true' },
    secret: { name: '123', namespace: 'true', data: [['permission-tokens.json', { file: 'permission-tokens.json' }]] },
  },
  {
    id: 'token-key-renamed',
    files: (id) => ({ 'permission-tokens.json': pretty({ tokens: [entry(id, 'telegraf', ['db:metrics:write']), entry(id, 'other', ['db:metrics:read'])] }) }),
    flags: { file: ['permission-tokens.json'], format: 'k8s-secret', 'secret-name': 'telegraf-token', 'token-name': ['telegraf'], key: 'INFLUXDB3_AUTH_TOKEN' },
    secret: { name: 'telegraf-token', data: [['INFLUXDB3_AUTH_TOKEN', { token: 'telegraf' }]] },
  },
  {
    id: 'token-key-yes',
    files: (id) => ({ 'permission-tokens.json': pretty({ tokens: [entry(id, 'telegraf', ['db:metrics:write'])] }) }),
    flags: { file: ['permission-tokens.json'], format: 'k8s-secret', 'secret-name': 'on', 'token-name': ['telegraf'], key: 'yes' },
    secret: { name: 'on', data: [['yes', { token: 'telegraf' }]] },
  },
  {
    id: 'awkward-names',
    files: (id) => ({
      'admin.json': pretty({ token: token(id, '_admin'), name: '_admin' }),
      'perm.json': pretty({ create_databases: ['db'], tokens: AWKWARD.map(([n]) => entry(id, n, ['db:db:read'])) }),
    }),
    flags: { file: ['perm.json', 'admin.json'], format: 'k8s-secret', 'secret-name': 'awkward', 'token-name': ['_admin', ...AWKWARD.map(([n]) => n)] },
    secret: { name: 'awkward', data: [['_admin', { token: '_admin' }], ...AWKWARD.map(([n, k]) => [k, { token: n }])] },
  },
  {
    id: 'large',
    files: (id) => ({
      'permission-tokens.json': pretty({
        create_databases: ['metrics'],
        tokens: Array.from({ length: 500 }, (_, i) => entry(id, `client-${i}`, ['db:metrics:read,write', 'system:health:read'], 1893456000000 + i)),
      }),
    }),
    flags: { file: ['permission-tokens.json'], format: 'k8s-secret', 'secret-name': 'influxdb3-tokens' },
    secret: { name: 'influxdb3-tokens', data: [['permission-tokens.json', { file: 'permission-tokens.json' }]] },
  },
];

// Keys and names at the edges of YAML's plain scalars: numbers, booleans, dates, indicators
// and the 128-character limit of a simple key. Each gets its own one-token Secret.
const QUOTING = [
  ['.5', '1.5'],
  ['.inf', '0x1f'],
  ['0o17', '2001-02-03'],
  ['017', '1e3'],
  ['0b101', 'no'],
  ['1e400', '99999999999999999999'],
  ['2001-2-3', 'a.b'],
  ['2001-02-30', '1-2'],
  ['-1', '0.0'],
  ['.x', 'null'],
  ['99999999999999999999', 'y'],
  ['0xFFFFFFFFFFFFFFFFFF', 'x-1'],
  ['Off', '2001-1-1'],
  ['NULL', '0b1'],
  ['k'.repeat(128), 'k'.repeat(63)],
  ['9'.repeat(129), '1.0e-3'],
  ['08', '007'],
];
QUOTING.forEach(([key, secretName], i) => {
  cases.push({
    id: `quoting-${String(i).padStart(2, '0')}`,
    files: (id) => ({ 'permission-tokens.json': pretty({ tokens: [entry(id, 'app', ['db:metrics:read'])] }) }),
    flags: { file: ['permission-tokens.json'], format: 'k8s-secret', 'secret-name': secretName, 'token-name': ['app'], key },
    secret: { name: secretName, data: [[key, { token: 'app' }]] },
  });
});

rmSync(outRoot, { recursive: true, force: true });
const scratch = mkdtempSync(join(tmpdir(), 'kubectl-oracle-'));
try {
  for (const c of cases) {
    const dir = join(outRoot, c.id);
    mkdirSync(dir, { recursive: true });
    const files = c.files(c.id);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const tokens = new Map();
    for (const text of Object.values(files)) {
      const doc = JSON.parse(text);
      for (const t of doc.tokens ?? [doc]) tokens.set(t.name, t.token);
    }
    const fromFiles = c.secret.data.map(([key, src], i) => {
      if (src.file) return `--from-file=${key}=${join(dir, src.file)}`;
      // The raw string, without a newline: what a secretKeyRef env var must receive.
      const p = join(scratch, `${c.id}-${i}`);
      writeFileSync(p, tokens.get(src.token));
      return `--from-file=${key}=${p}`;
    });
    const argv = ['create', 'secret', 'generic', c.secret.name, '--type=Opaque', ...fromFiles];
    if (c.secret.namespace) argv.push('--namespace', c.secret.namespace);
    argv.push('--dry-run=client', '-o', 'yaml');
    const yaml = execFileSync(kubectl, argv, { encoding: 'utf8' });
    writeFileSync(join(dir, 'expected.yaml'), yaml);
    writeFileSync(
      join(dir, 'case.json'),
      pretty({ flags: c.flags, kubectl: argv.map((a) => a.replace(`${dir}/`, '').replace(`${scratch}/`, '<raw token>/')) }),
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const version = execFileSync(kubectl, ['version', '--client'], { encoding: 'utf8' }).split('\n')[0];
writeFileSync(
  join(outRoot, 'README.md'),
  `# kubectl reference manifests\n\nGenerated by \`node scripts/kubectl-oracle/generate.mjs\` with ${version}.\nEach directory: the token files, \`case.json\` (the \`export\` flags and the kubectl command that\nmade the manifest) and \`expected.yaml\` (kubectl's output). Do not edit by hand.\n`,
);
process.stdout.write(`${cases.length} cases written to ${outRoot}\n`);
