// Generator of fixtures/helm/influxdb3-charts.json: what the official InfluxDB 3 Helm
// charts accept, read from a checkout of their repository (influxdata/helm-charts), so
// the tests can check examples/kubernetes/helm/values-*.yaml offline against the charts:
// every key path of each chart's values.yaml, the Secret keys its templates mount, and the
// object store types its templates accept (and the default one).
//   node scripts/chart-values-paths.mjs /path/to/helm-charts > fixtures/helm/influxdb3-charts.json
// (a git directory without a work tree works too: the files are read with `git show`).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const repo = process.argv[2];
if (!repo) {
  console.error('usage: node scripts/chart-values-paths.mjs HELM_CHARTS_CHECKOUT');
  process.exit(2);
}
const worktree = existsSync(join(repo, 'charts'));
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
const read = (path) => (worktree ? readFileSync(join(repo, path), 'utf8') : git('show', `HEAD:${path}`));
const list = (dir) =>
  worktree ? git('ls-files', dir).split('\n').filter(Boolean) : git('ls-tree', '-r', '--name-only', 'HEAD', dir).split('\n').filter(Boolean);

function keyPaths(value, prefix, out) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k;
    out.push(path);
    keyPaths(v, path, out);
  }
  return out;
}

const charts = {};
for (const name of ['influxdb3-core', 'influxdb3-enterprise']) {
  const chart = parse(read(`charts/${name}/Chart.yaml`));
  const templates = list(`charts/${name}/templates`).map(read).join('\n');
  const secretKeys = [...new Set([...templates.matchAll(/key: ((?:admin-token|permission-tokens)\.json)/g)].map((m) => m[1]))];
  // `has $type (list "file" ...)` (Core) or `$valid := list "s3" ...` (Enterprise).
  const types = /(?:has \$type \(list|\$valid := list) ((?:"[\w-]+" ?)+)/.exec(templates);
  const values = parse(read(`charts/${name}/values.yaml`));
  const tokenFileEnv = [...new Set([...templates.matchAll(/value: "?(\/etc\/influxdb\/[a-z-]+\/[a-z-]+\.json)"?/g)].map((m) => m[1]))];
  charts[name] = {
    version: chart.version,
    appVersion: String(chart.appVersion),
    valuesPaths: keyPaths(values, '', []).sort(),
    secretKeys: secretKeys.sort(),
    tokenFilePaths: tokenFileEnv.sort(),
    objectStorageTypes: [...types[1].matchAll(/"([\w-]+)"/g)].map((m) => m[1]).sort(),
    objectStorageDefault: values.objectStorage.type,
  };
}
const commit = git('rev-parse', 'HEAD').trim();
process.stdout.write(`${JSON.stringify({ source: `influxdata/helm-charts@${commit}`, charts }, null, 2)}\n`);
